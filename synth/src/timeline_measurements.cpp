// SPDX-License-Identifier: Apache-2.0
// Vital signs and lab panels of a visit.
#include <algorithm>

#include "timeline.hpp"

namespace chartlock::synth {

using M = MeasureId;

void Timeline::write_vitals() {
  switch (v_.kind) {
    case Visit::wellness:
      write_vital_set(v_.start, {M::height, M::weight, M::bmi, M::blood_pressure, M::heart_rate,
                                 M::respiratory_rate, M::spo2, M::pain});
      break;
    case Visit::follow_up:
      write_vital_set(v_.start, {M::weight, M::bmi, M::blood_pressure, M::heart_rate, M::spo2});
      break;
    case Visit::acute:
      write_vital_set(v_.start, {M::temperature, M::heart_rate, M::respiratory_rate, M::spo2, M::blood_pressure,
                                 M::pain});
      break;
    case Visit::emergency:
      write_vital_set(v_.start, {M::weight, M::temperature, M::heart_rate, M::respiratory_rate, M::spo2,
                                 M::blood_pressure, M::pain});
      break;
    case Visit::inpatient:  // on admission, then each morning
      write_vital_set(v_.start, {M::weight, M::temperature, M::heart_rate, M::respiratory_rate, M::spo2,
                                 M::blood_pressure});
      for (std::int64_t t = v_.start + kDay; t < v_.end; t += kDay) {
        write_vital_set(t, {M::temperature, M::heart_rate, M::respiratory_rate, M::spo2, M::blood_pressure});
      }
      break;
  }
  if (v_.kind == Visit::wellness && days_since(last_smoking_) >= 330) {
    write_vital_set(v_.start, {M::smoking});
    last_smoking_ = v_.start;
  }
}

void Timeline::write_vital_set(std::int64_t t, std::initializer_list<MeasureId> which) {
  const Snapshot s = body_.measure(t, v_.acute, rng_);
  if (!v_.measured) {
    v_.vitals = s;
    v_.measured = true;
  }
  const Audience audience = share();  // a visit's vitals travel together
  for (const MeasureId id : which) {
    ObservationFact f = observation(id, s, t, t, false);
    f.encounter = &v_.encounter;
    f.updated = v_.end;
    dist_.emit(f, audience);
  }
}

void Timeline::write_labs() {
  std::vector<PanelId> panels;
  auto order = [&](PanelId id) {
    if (std::find(panels.begin(), panels.end(), id) == panels.end()) panels.push_back(id);
  };
  auto found = [&](Chronic c) {
    return std::find(v_.diagnosed.begin(), v_.diagnosed.end(), c) != v_.diagnosed.end();
  };
  auto known = [&](Chronic c) { return diagnosed(c) || found(c); };
  // A new diagnosis comes with the test that made it.
  if (found(Chronic::prediabetes) || found(Chronic::diabetes)) order(PanelId::a1c);
  if (found(Chronic::hyperlipidemia)) order(PanelId::lipid);
  if (found(Chronic::hypothyroidism)) order(PanelId::tsh);
  if (found(Chronic::anemia)) order(PanelId::cbc);

  const bool glycemic = known(Chronic::prediabetes) || known(Chronic::diabetes);
  switch (v_.kind) {
    case Visit::wellness:
      if (days_since(last_lipid_) >= 330) order(PanelId::lipid);
      if (days_since(last_metabolic_) >= 330) {
        order(PanelId::comprehensive_metabolic);
      } else if (body_.on(Therapy::ace_inhibitor) && days_since(last_metabolic_) >= 180) {
        order(PanelId::basic_metabolic);
      }
      if (days_since(last_cbc_) >= 700) order(PanelId::cbc);
      if ((age(v_.start) >= 35 && days_since(last_a1c_) >= 3 * 365) || (glycemic && days_since(last_a1c_) >= 180)) {
        order(PanelId::a1c);
      }
      if (days_since(last_tsh_) >= 3 * 365 || (known(Chronic::hypothyroidism) && days_since(last_tsh_) >= 180)) {
        order(PanelId::tsh);
      }
      if (days_since(last_urinalysis_) >= 330 && (known(Chronic::diabetes) || rng_.chance(30))) {
        order(PanelId::urinalysis);
      }
      break;
    case Visit::follow_up:
      if (known(Chronic::diabetes) && days_since(last_a1c_) >= 90) order(PanelId::a1c);
      if (body_.on(Therapy::ace_inhibitor) && days_since(last_metabolic_) >= 180) order(PanelId::basic_metabolic);
      if (body_.on(Therapy::statin) && days_since(last_lipid_) >= 180) order(PanelId::lipid);
      if (known(Chronic::hypothyroidism) && days_since(last_tsh_) >= 180) order(PanelId::tsh);
      break;
    case Visit::acute:
      if (v_.acute.infection) order(PanelId::cbc);
      break;
    case Visit::emergency:
      order(PanelId::cbc);
      order(PanelId::basic_metabolic);
      break;
    case Visit::inpatient:
      order(PanelId::comprehensive_metabolic);
      order(PanelId::cbc);
      break;
  }
  const std::int64_t drawn = v_.start + 10 * kMinute;
  for (const PanelId id : panels) write_panel(id, drawn);
  if (v_.kind == Visit::inpatient) {  // daily labs during the stay
    for (std::int64_t t = drawn + kDay; t < v_.end; t += kDay) {
      write_panel(PanelId::basic_metabolic, t);
      write_panel(PanelId::cbc, t);
    }
  }
}

void Timeline::write_panel(PanelId id, std::int64_t t) {
  const Panel& p = panel(id);
  const ProviderStyle& style = owner_style();
  const Snapshot s = body_.measure(t, v_.acute, rng_);
  const Audience audience = share();
  // Some labs report molar units; only for facts this provider alone holds,
  // since a shared fact is the same everywhere.
  const bool si = style.si_units && audience.partner < 0 && sharing_.chance(50);
  const std::int64_t issued = std::min(now_, t + rng_.between(2 * 60, 20 * 60) * kMinute);

  std::vector<ReportResult> results;
  results.reserve(p.size);
  for (std::size_t i = 0; i < p.size; ++i) {
    ObservationFact f = observation(p.members[i], s, t, issued, si);
    f.encounter = &v_.encounter;
    f.updated = issued;
    results.push_back({dist_.emit(f, audience), f.code->text()});
  }
  ReportFact r;
  r.code = id == PanelId::lipid && style.ldl_calculated ? &p.alt_code : &p.code;
  r.effective = t;
  r.issued = issued;
  r.results = &results;
  r.performer = &dist_.organization(v_.owner);
  r.encounter = &v_.encounter;
  r.updated = issued;
  dist_.emit(r, audience);

  switch (id) {
    case PanelId::basic_metabolic:
    case PanelId::comprehensive_metabolic: last_metabolic_ = v_.start; break;
    case PanelId::lipid: last_lipid_ = v_.start; break;
    case PanelId::cbc: last_cbc_ = v_.start; break;
    case PanelId::a1c: last_a1c_ = v_.start; break;
    case PanelId::tsh: last_tsh_ = v_.start; break;
    case PanelId::urinalysis: last_urinalysis_ = v_.start; break;
  }
}

ObservationFact Timeline::observation(MeasureId id, const Snapshot& s, std::int64_t t, std::int64_t issued,
                                      bool si) const {
  const Measure& m = measure(id);
  const ProviderStyle& style = owner_style();
  ObservationFact f;
  f.measure = &m;
  const bool alt = (id == M::spo2 && style.pulse_oximetry) || (id == M::ldl && style.ldl_calculated) ||
                   (id == M::egfr && civil_date(t).year >= 2012);  // labs moved to CKD-EPI
  f.code = alt ? &m.alt_code : &m.code;
  f.effective = t;
  f.issued = issued;
  switch (m.kind) {
    case ValueKind::quantity: {
      const bool molar = si && m.mg_per_mmol_x1000 > 0;
      f.quantity = molar ? Quantity{to_si(m, s[id]), m.si_decimals, m.si_unit} : Quantity{s[id], m.decimals, m.unit};
      if (m.category != Category::laboratory || !style.reference_ranges) break;
      f.range = person_.female ? m.female : m.male;
      if (molar) {
        if (f.range.low != kOpen) f.range.low = to_si(m, f.range.low);
        if (f.range.high != kOpen) f.range.high = to_si(m, f.range.high);
      }
      const std::int64_t value = f.quantity.value;
      if (f.range.low != kOpen && value < f.range.low) f.interpretation = 'L';
      if (f.range.high != kOpen && value > f.range.high) f.interpretation = 'H';
      break;
    }
    case ValueKind::concept:
      f.answer = id == M::smoking ? &smoking_answer(s[id]) : &qualitative_answer(s[id]);
      break;
    case ValueKind::text:
      f.text = text_answer(id, s[id]);
      break;
    case ValueKind::blood_pressure:
      f.systolic = Quantity{s[M::systolic], 0, measure(M::systolic).unit};
      f.diastolic = Quantity{s[M::diastolic], 0, measure(M::diastolic).unit};
      break;
  }
  return f;
}

}  // namespace chartlock::synth
