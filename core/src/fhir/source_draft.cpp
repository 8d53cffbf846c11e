// SPDX-License-Identifier: Apache-2.0
#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::condition: return "Condition";
    case Kind::observation: return "Observation";
    case Kind::medication: return "MedicationRequest or MedicationStatement";
    case Kind::allergy: return "AllergyIntolerance";
    case Kind::immunization: return "Immunization";
    case Kind::procedure: return "Procedure";
    case Kind::encounter: return "Encounter";
    case Kind::report: return "DiagnosticReport";
    case Kind::document: return "DocumentReference";
    case Kind::care_plan: return "CarePlan";
    case Kind::goal: return "Goal";
    case Kind::other: return "resource";
    case Kind::patient: return "Patient";
  }
  return "resource";
}

std::size_t SourceDraft::size(Kind kind) const {
  switch (kind) {
    case Kind::condition: return conditions.size();
    case Kind::observation: return observations.size();
    case Kind::medication: return medications.size();
    case Kind::allergy: return allergies.size();
    case Kind::immunization: return immunizations.size();
    case Kind::procedure: return procedures.size();
    case Kind::encounter: return encounters.size();
    case Kind::report: return reports.size();
    case Kind::document: return documents.size();
    case Kind::care_plan: return carePlans.size();
    case Kind::goal: return goals.size();
    case Kind::other: return other.size();
    case Kind::patient: return patients.size();
  }
  return 0;
}

}  // namespace chartlock::fhir
