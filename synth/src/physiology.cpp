// SPDX-License-Identifier: Apache-2.0
#include "physiology.hpp"

#include <algorithm>


namespace chartlock::synth {

Physiology::Physiology(const Person& person, Rng& rng, std::int64_t start, std::int64_t now)
    : person_(person), start_(start), now_(now) {
  const bool f = person.female;
  // Metabolic risk 0 (low) … 2 (high) sets how fast the trends climb.
  const std::int64_t risk = rng.chance(40) ? 0 : rng.chance(58) ? 1 : 2;

  height_ = f ? rng.between(1520, 1720) : rng.between(1650, 1880);
  const std::int64_t bmi_x10 = rng.between(210, 270) + risk * 10;
  // Braced lists evaluate left to right; `a() + b()` would not (the order of
  // operands is unspecified and GCC and Clang differ), hence `rise`.
  auto rise = [&](std::int64_t lo, std::int64_t hi, std::int64_t risk_lo, std::int64_t risk_hi) {
    const std::int64_t base = rng.between(lo, hi);
    return base + risk * rng.between(risk_lo, risk_hi);
  };
  weight_ = {bmi_x10 * height_ * height_ / 1000000, rise(0, 20, 10, 30)};
  a1c_ = {rng.between(50, 56), risk == 0 ? rng.between(0, 3) : risk == 1 ? rng.between(5, 10) : rng.between(10, 16)};
  ldl_ = {rng.between(95, 135), rise(0, 10, 8, 14)};
  hdl_ = {f ? rng.between(55, 70) : rng.between(42, 58), -risk * rng.between(1, 3)};
  triglycerides_ = {rng.between(80, 140), risk * rng.between(10, 25)};
  systolic_ = {rng.between(108, 124), rise(3, 6, 3, 5)};
  heart_rate_ = rng.between(62, 78);
  creatinine_ = f ? rng.between(65, 85) : rng.between(80, 100);
  tsh_ = rng.between(120, 250);
  hemoglobin_ = f ? rng.between(128, 142) : rng.between(142, 158);
  mcv_ = rng.between(880, 940);
  platelets_ = rng.between(200, 320);
  wbc_ = rng.between(55, 75);
  alt_ = rng.between(18, 32);
  smoking_ = rng.chance(60) ? 0 : rng.chance(62) ? 1 : 2;
  metformin_drop_ = rng.between(8, 12);

  onset_.fill(kNever);
  abatement_.fill(kNever);
  started_.fill(kNever);
  auto set = [&](Chronic c, std::int64_t on, std::int64_t off = kNever) {
    onset_[index(c)] = on <= now ? on : kNever;
    abatement_[index(c)] = onset_[index(c)] != kNever && off <= now ? off : kNever;
  };
  if (rng.chance(15)) set(Chronic::asthma, person.birth + rng.between(5, 15) * kYear);
  // BMI 30 reached when weight = 30 × height²: the weight trend's crossing.
  set(Chronic::obesity, crossing(weight_, 300 * height_ * height_ / 1000000));
  const std::int64_t diabetes = crossing(a1c_, 65);
  set(Chronic::prediabetes, crossing(a1c_, 57), diabetes);
  set(Chronic::diabetes, diabetes);
  set(Chronic::hyperlipidemia, crossing(ldl_, 160));
  set(Chronic::hypertension, crossing(systolic_, 140));
  if (rng.chance(12)) set(Chronic::hypothyroidism, rng.between(start, now + 5 * kYear));
  if (rng.chance(f ? 25 : 8)) {
    const std::int64_t begin = rng.between(start, now);
    set(Chronic::anemia, begin, begin + rng.between(180, 540) * kDay);
  }
}

std::int64_t Physiology::crossing(const Trend& trend, std::int64_t threshold) const {
  // Already over the line when the record begins: it started a while before.
  if (trend.base >= threshold) return start_ - 2 * kYear;
  if (trend.per_decade <= 0) return kNever;
  const std::int64_t decade = 10 * kYear;
  const std::int64_t t = start_ + ((threshold - trend.base) * decade + trend.per_decade - 1) / trend.per_decade;
  return t <= now_ ? t : kNever;
}

std::int64_t Physiology::effect(Therapy therapy, std::int64_t t, std::int64_t full, std::int64_t ramp_days) const {
  const std::int64_t since = started_[index(therapy)];
  if (since == kNever || t < since) return 0;
  return full * std::min(t - since, ramp_days * kDay) / (ramp_days * kDay);
}

Snapshot Physiology::measure(std::int64_t t, const Acute& acute, Rng& rng) const {
  using M = MeasureId;
  Snapshot s;
  const bool f = person_.female;
  const std::int64_t age = (t - person_.birth) / kYear;

  s[M::height] = height_ + rng.noise(3);
  s[M::weight] = weight_.at(t, start_) + rng.noise(8);
  const std::int64_t h2 = s[M::height] * s[M::height];
  s[M::bmi] = (2 * s[M::weight] * 1000000 + h2) / (2 * h2);
  s[M::heart_rate] = heart_rate_ + rng.noise(6) + (acute.fever ? 15 : 0) + (acute.breathless ? 10 : 0) +
                     (acute.pain ? 8 : 0);
  s[M::respiratory_rate] = 14 + rng.noise(2) + (acute.breathless ? 8 : 0) + (acute.fever ? 3 : 0);
  s[M::temperature] = acute.fever ? rng.between(380, 392) : 368 + rng.noise(3);
  s[M::spo2] = acute.breathless ? rng.between(90, 94) : std::min<std::int64_t>(100, 97 + rng.noise(2));
  s[M::systolic] = systolic_.at(t, start_) + rng.noise(8) + (acute.pain ? 8 : 0) -
                   effect(Therapy::ace_inhibitor, t, 12, 30) - effect(Therapy::calcium_blocker, t, 8, 30);
  s[M::diastolic] = s[M::systolic] * 62 / 100 + rng.noise(5);
  s[M::pain] = acute.pain ? rng.between(4, 8) : rng.between(0, 2);
  s[M::smoking] = smoking_;

  // Chemistry. Fasting glucose follows HbA1c (5.5 % ≈ 90 mg/dL, 7.0 % ≈ 120).
  s[M::a1c] = a1c_.at(t, start_) - effect(Therapy::metformin, t, metformin_drop_, 120) + rng.noise(2);
  s[M::glucose] = s[M::a1c] * 2 - 20 + rng.noise(8);
  s[M::urea_nitrogen] = 14 + rng.noise(4);
  s[M::creatinine] = creatinine_ + std::max<std::int64_t>(0, age - 40) / 3 +
                     (present(Chronic::diabetes, t) ? 8 : 0) + rng.noise(6);
  // eGFR roughly inverse to creatinine, falling with age.
  s[M::egfr] = 9000 / s[M::creatinine] * (200 - std::max<std::int64_t>(0, age - 40)) / 200 - (f ? 6 : 0);
  s[M::calcium] = 94 + rng.noise(4);
  s[M::sodium] = 140 + rng.noise(3);
  s[M::potassium] = 42 + rng.noise(4) + effect(Therapy::ace_inhibitor, t, 2, 30);
  s[M::chloride] = 102 + rng.noise(3);
  s[M::carbon_dioxide] = 25 + rng.noise(2);
  s[M::albumin] = 43 + rng.noise(3);
  s[M::protein] = 72 + rng.noise(4);
  s[M::bilirubin] = std::max<std::int64_t>(1, 6 + rng.noise(3));
  s[M::alkaline_phosphatase] = 80 + rng.noise(20);
  s[M::alt] = alt_ + rng.noise(8) + effect(Therapy::statin, t, 6, 60) + (present(Chronic::diabetes, t) ? 8 : 0);
  s[M::ast] = alt_ * 9 / 10 + rng.noise(6);

  const std::int64_t ldl = ldl_.at(t, start_);
  s[M::ldl] = ldl - effect(Therapy::statin, t, ldl * 45 / 100, 60) + rng.noise(8);
  s[M::hdl] = hdl_.at(t, start_) + rng.noise(4);
  s[M::triglycerides] = triglycerides_.at(t, start_) + (s[M::a1c] - 55) * 4 -
                        effect(Therapy::statin, t, 15, 60) + rng.noise(20);
  s[M::cholesterol] = s[M::ldl] + s[M::hdl] + s[M::triglycerides] / 5;

  const std::int64_t hypo = onset(Chronic::hypothyroidism);
  std::int64_t tsh = tsh_;
  if (hypo != kNever && t > hypo - 180 * kDay) {  // rises over the half year before diagnosis
    tsh += std::min<std::int64_t>(t - (hypo - 180 * kDay), 180 * kDay) * 550 / (180 * kDay);
    tsh -= effect(Therapy::levothyroxine, t, tsh - tsh_, 90);
  }
  s[M::tsh] = std::max<std::int64_t>(5, tsh + rng.noise(25));

  // Hematology; an anemia episode lowers hemoglobin and MCV.
  const bool anemic = present(Chronic::anemia, t);
  s[M::wbc] = acute.infection ? rng.between(115, 150) : wbc_ + rng.noise(8);
  s[M::hemoglobin] = hemoglobin_ - (anemic ? 30 : 0) + rng.noise(4);
  s[M::hematocrit] = s[M::hemoglobin] * 3 + rng.noise(8);
  s[M::mcv] = mcv_ - (anemic ? 100 : 0) + rng.noise(15);
  s[M::mch] = s[M::mcv] * 33 / 100 + rng.noise(5);
  s[M::rbc] = s[M::hemoglobin] * 1000 / s[M::mch];
  s[M::mchc] = s[M::hemoglobin] * 1000 / s[M::hematocrit];
  s[M::platelets] = platelets_ + rng.noise(25);

  s[M::urine_color] = rng.chance(60) ? 0 : rng.chance(75) ? 1 : 2;
  s[M::urine_appearance] = rng.chance(90) ? 0 : 1;
  s[M::urine_ph] = rng.between(55, 70);
  s[M::urine_specific_gravity] = rng.between(1010, 1025);
  s[M::urine_protein] = present(Chronic::diabetes, t) && s[M::a1c] >= 75 ? 1 : 0;
  s[M::urine_glucose] = s[M::a1c] >= 85 ? 2 : 0;
  s[M::urine_ketones] = 0;
  return s;
}

}  // namespace chartlock::synth
