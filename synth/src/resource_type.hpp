// SPDX-License-Identifier: Apache-2.0
// The resource types the generator writes, as a small enum so per-type
// counters are arrays, not string maps, on the hot path.
#pragma once

#include <cstddef>

namespace chartlock::synth {

enum class ResourceType {
  Patient, Organization, Practitioner, Encounter, Observation, DiagnosticReport, Condition,
  MedicationRequest, MedicationStatement, Medication, AllergyIntolerance, Immunization, Procedure,
  DocumentReference, CarePlan, Goal, Claim, ExplanationOfBenefit, Provenance, count
};
inline constexpr std::size_t kResourceTypeCount = static_cast<std::size_t>(ResourceType::count);

inline const char* type_name(ResourceType type) {
  static const char* const kNames[] = {
      "Patient", "Organization", "Practitioner", "Encounter", "Observation", "DiagnosticReport",
      "Condition", "MedicationRequest", "MedicationStatement", "Medication", "AllergyIntolerance",
      "Immunization", "Procedure", "DocumentReference", "CarePlan", "Goal", "Claim",
      "ExplanationOfBenefit", "Provenance"};
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == kResourceTypeCount, "one name per type");
  return kNames[static_cast<std::size_t>(type)];
}

}  // namespace chartlock::synth
