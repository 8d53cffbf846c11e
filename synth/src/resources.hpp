// SPDX-License-Identifier: Apache-2.0
// Facts → FHIR R4 resources. Each write_body writes a resource's members
// after resourceType, id and meta (which the distributor writes, as they
// belong to the output, not the fact).
#pragma once

#include "facts.hpp"
#include "json_writer.hpp"
#include "render_context.hpp"

namespace chartlock::synth {

// resources_clinical.cpp
void write_body(JsonWriter& w, const EncounterFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ObservationFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ReportFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ConditionFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const AllergyFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ImmunizationFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ProcedureFact& f, const RenderContext& ctx);

// resources_medication.cpp
void write_body(JsonWriter& w, const PrescriptionFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const MedicationFact& f, const RenderContext& ctx);

// resources_care.cpp
void write_body(JsonWriter& w, const DocumentFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const GoalFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const CarePlanFact& f, const RenderContext& ctx);

// resources_admin.cpp
void write_body(JsonWriter& w, const PatientFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const OrganizationFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const PractitionerFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ClaimFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ExplanationOfBenefitFact& f, const RenderContext& ctx);
void write_body(JsonWriter& w, const ProvenanceFact& f, const RenderContext& ctx);

}  // namespace chartlock::synth
