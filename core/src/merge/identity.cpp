// SPDX-License-Identifier: Apache-2.0
#include "merge/identity.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

#include "fhir/fhir_time.hpp"

namespace chartlock::merge {

const std::vector<std::string>& preferred_systems_observation() {
  static const std::vector<std::string> s{systems::loinc, systems::snomed};
  return s;
}
const std::vector<std::string>& preferred_systems_condition() {
  static const std::vector<std::string> s{systems::snomed, systems::icd10cm};
  return s;
}
const std::vector<std::string>& preferred_systems_medication() {
  static const std::vector<std::string> s{systems::rxnorm};
  return s;
}
const std::vector<std::string>& preferred_systems_immunization() {
  static const std::vector<std::string> s{systems::cvx};
  return s;
}

namespace {

const std::vector<std::string> no_preference;

// Fields are joined with a separator that cannot occur in FHIR codes or
// dates; free text is length-prefixed so it cannot fake a boundary.
class Key {
 public:
  // Built in the caller's buffer, reused from one item to the next: no
  // allocation for a usual identity (an observation's is about 100 bytes).
  Key(const char* type, std::string& out) : s_(out) { s_ = type; }

  Key& concept(const CodeableConcept& cc, const std::vector<std::string>& preferred) {
    if (const Coding* c = cc.primary(preferred); c && !c->code.empty()) {
      return raw(c->system).raw(c->code);
    }
    return text(cc.text);
  }
  Key& time(const std::string& t) {
    s_ += '\x1f';
    if (!fhir::append_canonical_time(s_, t)) s_ += t;
    return *this;
  }
  Key& number(const std::optional<double>& v) {
    if (!v) return raw("-");
    // Whole numbers (most values) are written as %.15g would, without
    // snprintf's cost.
    if (*v == std::trunc(*v) && std::fabs(*v) < 1e15) {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(*v)).ptr;
      return raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    }
    char buf[40];
    // 15 significant digits: 5.1 and 5.10 agree; binary noise does not split them.
    std::snprintf(buf, sizeof buf, "%.15g", *v);
    return raw(buf);
  }
  Key& quantity(const Quantity& q) { return raw(q.comparator).number(q.value).raw(q.unit_key()); }
  Key& text(const std::string& t) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, t.size()).ptr;
    raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    s_ += ':';
    s_ += t;
    return *this;
  }
  Key& raw(std::string_view part) {
    s_ += '\x1f';
    s_ += part;
    return *this;
  }
  bool done() const { return true; }  // the identity is in the caller's buffer

 private:
  std::string& s_;
};

void value(Key& k, const ObservationValue& v) {
  using K = ObservationValue::Kind;
  k.raw(std::to_string(static_cast<int>(v.kind)));
  switch (v.kind) {
    case K::quantity:
    case K::integer:
      k.quantity(v.quantity);
      break;
    case K::range:
    case K::ratio:
      k.quantity(v.quantity).quantity(v.high.value_or(Quantity{}));
      break;
    case K::concept:
      k.concept(v.concept, no_preference);
      break;
    default:
      k.text(v.text);
  }
}

// The other lists' preferred systems, built once (a braced list was a
// vector and a string or two per item).
const std::vector<std::string> snomed_rxnorm{systems::snomed, systems::rxnorm};
const std::vector<std::string> snomed_only{systems::snomed};
const std::vector<std::string> loinc_only{systems::loinc};

}  // namespace

bool identity(const Condition& c, std::string& out) {
  if (c.code.empty()) return false;
  return Key("Condition", out)
      .concept(c.code, preferred_systems_condition())
      .time(!c.onset.empty() ? c.onset : c.recordedDate)
      .done();
}

bool identity(const Observation& o, std::string& out) {
  if (o.code.empty()) return false;
  Key k("Observation", out);
  k.concept(o.code, preferred_systems_observation()).time(o.effective.start);
  value(k, o.value);
  for (const ObservationComponent& c : o.components) {
    k.concept(c.code, preferred_systems_observation());
    value(k, c.value);
  }
  return k.done();
}

bool identity(const Medication& m, std::string& out) {
  if (m.code.empty()) return false;
  return Key("Medication", out)
      .raw(m.kind)
      .concept(m.code, preferred_systems_medication())
      .time(!m.authoredOn.empty() ? m.authoredOn : m.effective.start)
      .done();
}

bool identity(const Allergy& a, std::string& out) {
  if (a.code.empty()) return false;
  return Key("Allergy", out)
      .concept(a.code, snomed_rxnorm)
      .time(!a.onset.empty() ? a.onset : a.recordedDate)
      .done();
}

bool identity(const Immunization& i, std::string& out) {
  if (i.code.empty()) return false;
  return Key("Immunization", out)
      .concept(i.code, preferred_systems_immunization())
      .time(i.occurrence)
      .done();
}

bool identity(const Procedure& p, std::string& out) {
  if (p.code.empty()) return false;
  return Key("Procedure", out).concept(p.code, snomed_only).time(p.performed.start).done();
}

bool identity(const Encounter& e, std::string& out) {
  if (e.period.start.empty()) return false;
  return Key("Encounter", out)
      .raw(e.encounterClass.code)
      .concept(e.type, snomed_only)
      .time(e.period.start)
      .done();
}

bool identity(const Report& r, std::string& out) {
  if (r.code.empty()) return false;
  return Key("Report", out).concept(r.code, loinc_only).time(r.effective.start).done();
}

bool identity(const Document& d, std::string& out) {
  if (d.date.empty()) return false;
  Key k("Document", out);
  k.concept(d.type, loinc_only).time(d.date).text(d.description);
  for (const Document::Attachment& a : d.attachments) k.text(a.text).text(a.url);
  return k.done();
}

bool identity(const CarePlan& c, std::string& out) {
  if (c.category.empty() && c.title.empty()) return false;
  Key k("CarePlan", out);
  for (const CodeableConcept& cc : c.category) k.concept(cc, snomed_only);
  return k.text(c.title).time(c.period.start).done();
}

bool identity(const Goal& g, std::string& out) {
  if (g.description.empty()) return false;
  return Key("Goal", out).concept(g.description, snomed_only).time(g.start).done();
}

bool identity(const OtherResource&, std::string&) {
  return false;  // kept as written, one per resource
}

}  // namespace chartlock::merge
