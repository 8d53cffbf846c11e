// SPDX-License-Identifier: Apache-2.0
// What a chronic diagnosis leads to: its code, the drugs started, the goal
// and the care plan.
#pragma once

#include <cstddef>

#include "clinical_catalog.hpp"
#include "physiology.hpp"

namespace chartlock::synth {

inline const Concept& chronic_concept(Chronic c) {
  static const Concept* const kConcepts[] = {&condition::asthma,         &condition::obesity,
                                             &condition::prediabetes,    &condition::diabetes,
                                             &condition::hyperlipidemia, &condition::hypertension,
                                             &condition::hypothyroidism, &condition::anemia};
  static_assert(sizeof(kConcepts) / sizeof(kConcepts[0]) == static_cast<std::size_t>(Chronic::count));
  return *kConcepts[static_cast<std::size_t>(c)];
}

struct TreatmentPlan {
  Chronic condition;
  const Drug* drug;
  Therapy therapy;  // Therapy::count: no effect on the numbers
  const GoalDef* goal;
  const CarePlanDef* plan;
};

inline constexpr TreatmentPlan kTreatments[] = {
    {Chronic::diabetes, &drug::metformin, Therapy::metformin, &goal::a1c, &careplan::diabetes},
    {Chronic::hyperlipidemia, &drug::atorvastatin, Therapy::statin, &goal::ldl, nullptr},
    {Chronic::hypertension, &drug::lisinopril, Therapy::ace_inhibitor, &goal::blood_pressure,
     &careplan::hypertension},
    {Chronic::hypothyroidism, &drug::levothyroxine, Therapy::levothyroxine, nullptr, nullptr},
    {Chronic::asthma, &drug::albuterol, Therapy::count, nullptr, &careplan::asthma},
    {Chronic::asthma, &drug::fluticasone, Therapy::count, nullptr, nullptr},
};

}  // namespace chartlock::synth
