// SPDX-License-Identifier: Apache-2.0
// What the timeline decides and the resource writers spell out in FHIR: one
// struct per resource type, holding content only. Ids, reference style and
// meta belong to the output a copy goes to, so one fact can be written
// identically to two providers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "clinical_catalog.hpp"
#include "handle.hpp"
#include "measures.hpp"
#include "person.hpp"
#include "physiology.hpp"

namespace chartlock::synth {

struct FactBase {
  std::int64_t updated = 0;           // when the recording system last changed it
  const Handle* encounter = nullptr;  // the visit, for types that have one
};

struct Quantity {
  std::int64_t value = 0;  // scaled by 10^decimals
  int decimals = 0;
  Unit unit;
};

struct PatientFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Patient;
  const Person* person = nullptr;
  bool essentials_only = false;  // name, gender, birth date: for the tiniest outputs
};

// The provider's own Organization and Practitioner (from its style).
struct OrganizationFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Organization;
};
struct PractitionerFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Practitioner;
};

struct EncounterFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Encounter;
  Visit visit = Visit::wellness;
  std::int64_t start = 0, end = 0;
  const Concept* reason = nullptr;
  const Handle* organization = nullptr;
  const Handle* practitioner = nullptr;
};

struct ObservationFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Observation;
  const Measure* measure = nullptr;
  const Concept* code = nullptr;  // measure->code or its alt_code
  std::int64_t effective = 0, issued = 0;
  Quantity quantity;              // ValueKind::quantity
  Interval range;                 // referenceRange, in quantity's unit; empty: none
  char interpretation = 0;        // 'H', 'L' or 0
  const Concept* answer = nullptr;  // ValueKind::concept
  const char* text = nullptr;       // ValueKind::text
  Quantity systolic, diastolic;     // ValueKind::blood_pressure
};

struct ReportResult {
  Handle observation;
  const char* display;
};

struct ReportFact : FactBase {
  static constexpr ResourceType kType = ResourceType::DiagnosticReport;
  const Concept* code = nullptr;
  std::int64_t effective = 0, issued = 0;
  const std::vector<ReportResult>* results = nullptr;
  const Handle* performer = nullptr;  // the lab's organization
};

struct ConditionFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Condition;
  const Concept* code = nullptr;
  bool problem_list = false;  // else an encounter diagnosis
  std::int64_t onset = 0, recorded = 0;
  std::int64_t abatement = kNever;  // set only when it ended before now
};

struct AllergyFact : FactBase {
  static constexpr ResourceType kType = ResourceType::AllergyIntolerance;
  const AllergyDef* allergy = nullptr;
  std::int64_t recorded = 0;
};

enum class MedicationForm { concept, contained, resource };

// MedicationRequest, or MedicationStatement when `statement`.
struct PrescriptionFact : FactBase {
  const Drug* drug = nullptr;
  bool statement = false;
  MedicationForm form = MedicationForm::concept;
  const Handle* medication = nullptr;  // the Medication resource, for MedicationForm::resource
  std::int64_t start = 0, end = 0;      // authoredOn … validity end, or the statement's period
  const char* status = "active";
  const Handle* reason = nullptr;  // the Condition
  const Concept* reason_code = nullptr;
  const Handle* requester = nullptr;
  int refills = 0;
  ResourceType type() const {
    return statement ? ResourceType::MedicationStatement : ResourceType::MedicationRequest;
  }
};

// A Medication resource in the bundle.
struct MedicationFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Medication;
  const Drug* drug = nullptr;
};

struct ImmunizationFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Immunization;
  const Concept* vaccine = nullptr;
  std::int64_t time = 0;
  bool primary_source = true;  // false: reported by the patient, not given here
  std::string lot;
};

struct ProcedureFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Procedure;
  const Concept* code = nullptr;
  std::int64_t start = 0, end = 0;
  const Handle* reason = nullptr;
  const Concept* reason_code = nullptr;
};

struct DocumentFact : FactBase {
  static constexpr ResourceType kType = ResourceType::DocumentReference;
  const Concept* type = nullptr;
  std::int64_t start = 0, end = 0;  // the visit the note is about
  std::string text;                 // inline text/plain note, or
  std::string url;                  // a PDF held elsewhere
  const Handle* author = nullptr;
  const Handle* custodian = nullptr;
};

struct GoalFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Goal;
  const GoalDef* goal = nullptr;
  std::int64_t start = 0;
  const Handle* condition = nullptr;
  const Concept* condition_code = nullptr;
};

struct CarePlanFact : FactBase {
  static constexpr ResourceType kType = ResourceType::CarePlan;
  const CarePlanDef* plan = nullptr;
  std::int64_t start = 0;
  std::int64_t end = kNever;  // set only when it ended before now
  const Handle* condition = nullptr;
  const Concept* condition_code = nullptr;
  const Handle* goal = nullptr;
  const char* goal_display = nullptr;
};

// Billing, as Synthea-like exports carry it.
struct ClaimFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Claim;
  Visit visit = Visit::wellness;
  std::int64_t start = 0, end = 0;
  std::vector<const Concept*> items;  // the visit type, then procedures and vaccines
  std::vector<std::pair<Handle, const char*>> diagnoses;  // Conditions found at the visit
  std::int64_t total_cents = 0;
  const char* payer = nullptr;
  const Handle* provider = nullptr;
};

struct ExplanationOfBenefitFact : FactBase {
  static constexpr ResourceType kType = ResourceType::ExplanationOfBenefit;
  const ClaimFact* claim_fact = nullptr;
  const Handle* claim = nullptr;
  std::int64_t paid_cents = 0;
};

struct ProvenanceFact : FactBase {
  static constexpr ResourceType kType = ResourceType::Provenance;
  std::int64_t recorded = 0;
  const Handle* target = nullptr;
  const Handle* author = nullptr;
  const Handle* organization = nullptr;
};

template <class Fact>
ResourceType resource_type(const Fact&) {
  return Fact::kType;
}
inline ResourceType resource_type(const PrescriptionFact& fact) { return fact.type(); }

}  // namespace chartlock::synth
