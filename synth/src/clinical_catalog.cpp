// SPDX-License-Identifier: Apache-2.0
#include "clinical_catalog.hpp"

#include <cstddef>

namespace chartlock::synth {

const VisitDef& visit_def(Visit visit) {
  static const VisitDef kVisits[] = {
      {"AMB", "ambulatory", snomed("185349003", "Encounter for check up (procedure)")},
      {"AMB", "ambulatory", snomed("390906007", "Follow-up encounter (procedure)")},
      {"AMB", "ambulatory", snomed("185345009", "Encounter for symptom (procedure)")},
      {"EMER", "emergency", snomed("50849002", "Emergency room admission (procedure)")},
      {"IMP", "inpatient encounter", snomed("32485007", "Hospital admission (procedure)")},
  };
  return kVisits[static_cast<std::size_t>(visit)];
}

}  // namespace chartlock::synth
