// SPDX-License-Identifier: Apache-2.0
// Acute episodes: what brings the patient in, what it does to the numbers,
// and what is done about it.
#pragma once

#include <cstddef>

#include "clinical_catalog.hpp"
#include "physiology.hpp"

namespace chartlock::synth {

struct Problem {
  const Concept* condition;  // a new Condition; null for a flare of known asthma
  Visit visit;
  int resolve_days;
  Acute acute;
  const Drug* drug;
  const Drug* drug_if_penicillin_allergy;
  const Concept* procedure;
  const CarePlanDef* plan;
};

namespace acute {
inline constexpr Acute none{}, fever{true, false, false, false}, infection{true, true, false, false},
    chest{true, true, true, false}, pain{false, false, false, true}, breathless{false, false, true, false};
}  // namespace acute

inline constexpr Problem kProblems[] = {
    {&condition::viral_sinusitis, Visit::acute, 10, acute::none, &drug::amoxicillin_clavulanate,
     &drug::acetaminophen, nullptr, nullptr},
    {&condition::viral_pharyngitis, Visit::acute, 7, acute::fever, &drug::acetaminophen, &drug::acetaminophen,
     nullptr, nullptr},
    {&condition::strep_throat, Visit::acute, 10, acute::infection, &drug::penicillin_v, &drug::acetaminophen,
     nullptr, nullptr},
    {&condition::bronchitis, Visit::acute, 14, acute::fever, &drug::acetaminophen, &drug::acetaminophen, nullptr,
     &careplan::respiratory},
    {&condition::ankle_sprain, Visit::emergency, 28, acute::pain, &drug::naproxen, &drug::naproxen, nullptr,
     &careplan::musculoskeletal},
    {&condition::laceration, Visit::emergency, 14, acute::pain, &drug::ibuprofen, &drug::ibuprofen,
     &procedure::suture, nullptr},
    {&condition::chest_pain, Visit::emergency, 1, acute::pain, nullptr, nullptr, &procedure::ecg, nullptr},
    {nullptr, Visit::emergency, 0, acute::breathless, &drug::albuterol, &drug::albuterol, nullptr, nullptr},
    {&condition::pneumonia, Visit::inpatient, 21, acute::chest, nullptr, nullptr, &procedure::chest_xray, nullptr},
};
inline constexpr std::size_t kAsthmaFlare = 7;  // index in kProblems: only for known asthma

}  // namespace chartlock::synth
