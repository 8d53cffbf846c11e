// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

const ReaderEntry* find_reader(std::string_view resource_type) {
  static const ReaderEntry table[] = {
      {"Patient", Kind::patient, read_patient},
      {"Condition", Kind::condition, read_condition},
      {"Observation", Kind::observation, read_observation},
      {"MedicationRequest", Kind::medication, read_medication_request},
      {"MedicationStatement", Kind::medication, read_medication_statement},
      {"AllergyIntolerance", Kind::allergy, read_allergy},
      {"Immunization", Kind::immunization, read_immunization},
      {"Procedure", Kind::procedure, read_procedure},
      {"Encounter", Kind::encounter, read_encounter},
      {"DiagnosticReport", Kind::report, read_report},
      {"DocumentReference", Kind::document, read_document},
      {"CarePlan", Kind::care_plan, read_care_plan},
      {"Goal", Kind::goal, read_goal},
  };
  for (const ReaderEntry& e : table) {
    if (e.resource_type == resource_type) return &e;
  }
  return nullptr;
}

}  // namespace chartlock::fhir
