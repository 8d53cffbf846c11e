// SPDX-License-Identifier: Apache-2.0
#include "share/date_shift.hpp"

#include "summary/civil_date.hpp"

namespace chartlock::share {

namespace {

bool digits(const std::string& s, std::size_t from, std::size_t n) {
  if (s.size() < from + n) return false;
  for (std::size_t i = from; i < from + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

void shift(std::string& s, int days) { s = shift_date(s, days); }
void shift(ShortText& s, int days) { s = shift_date(s, days); }

void shift(Period& p, int days) {
  shift(p.start, days);
  shift(p.end, days);
}

void shift(ObservationValue& v, int days) {
  using K = ObservationValue::Kind;
  if (v.kind == K::date_time) shift(v.text, days);
  if (v.kind == K::period) {
    const std::size_t slash = v.text.find('/');
    if (slash != std::string::npos) {
      v.text = shift_date(v.text.substr(0, slash), days) + "/" + shift_date(v.text.substr(slash + 1), days);
    }
  }
}

}  // namespace

std::string shift_date(const std::string& fhir, int days) {
  // YYYY, YYYY-MM, YYYY-MM-DD, then an optional time.
  if (!digits(fhir, 0, 4)) return fhir;
  std::size_t precision = 4;
  if (fhir.size() >= 7 && fhir[4] == '-' && digits(fhir, 5, 2)) precision = 7;
  if (precision == 7 && fhir.size() >= 10 && fhir[7] == '-' && digits(fhir, 8, 2)) precision = 10;
  if (fhir.size() > precision && !(precision == 10 && fhir[10] == 'T')) return fhir;
  const std::optional<summary::CivilDate> d = summary::parse_date(fhir);
  if (!d) return fhir;
  const std::string moved = summary::to_string(summary::from_day_number(summary::day_number(*d) + days));
  return moved.substr(0, precision) + fhir.substr(precision);
}

void shift_dates(Record& r, int days) {
  shift(r.patient.birthDate, days);
  if (r.patient.deceased != "true") shift(r.patient.deceased, days);
  for (Condition& c : r.conditions) {
    shift(c.onset, days);
    shift(c.abatement, days);
    shift(c.recordedDate, days);
  }
  for (Observation& o : r.observations) {
    shift(o.effective, days);
    shift(o.issued, days);
    shift(o.value, days);
    for (ObservationComponent& c : o.components) shift(c.value, days);
  }
  for (Medication& m : r.medications) {
    shift(m.authoredOn, days);
    shift(m.effective, days);
  }
  for (Allergy& a : r.allergies) {
    shift(a.onset, days);
    shift(a.recordedDate, days);
  }
  for (Immunization& i : r.immunizations) shift(i.occurrence, days);
  for (Procedure& p : r.procedures) shift(p.performed, days);
  for (Encounter& e : r.encounters) shift(e.period, days);
  for (Report& rep : r.reports) {
    shift(rep.effective, days);
    shift(rep.issued, days);
    for (Attachment& a : rep.presentedForm) shift(a.creation, days);
  }
  for (Document& d : r.documents) {
    shift(d.date, days);
    for (Attachment& a : d.attachments) shift(a.creation, days);
  }
  for (CarePlan& c : r.carePlans) shift(c.period, days);
  for (Goal& g : r.goals) {
    shift(g.start, days);
    for (std::string& t : g.targetDates) shift(t, days);
  }
}

}  // namespace chartlock::share
