// SPDX-License-Identifier: Apache-2.0
#include "fhir_types.hpp"
#include "resources.hpp"

namespace chartlock::synth {
namespace {

// medication[x] in its three real-world forms: a CodeableConcept, a
// reference to a contained Medication, or to a Medication in the bundle.
void write_medication(JsonWriter& w, const PrescriptionFact& f, const RenderContext& ctx) {
  const Concept& code = f.drug->code;
  switch (f.form) {
    case MedicationForm::concept:
      w.key("medicationCodeableConcept");
      write_concept(w, code);
      break;
    case MedicationForm::contained:
      w.key("medicationReference").begin_object().field("reference", "#med1").field("display", code.text());
      w.end_object();
      break;
    case MedicationForm::resource:
      ctx.reference(w, "medicationReference", f.medication, code.text());
      break;
  }
}

}  // namespace

void write_body(JsonWriter& w, const PrescriptionFact& f, const RenderContext& ctx) {
  if (f.form == MedicationForm::contained) {
    w.key("contained").begin_array().begin_object().field("resourceType", "Medication").field("id", "med1");
    w.key("code");
    write_concept(w, f.drug->code);
    w.field("status", "active").end_object().end_array();
  }
  w.field("status", f.status);
  if (f.statement) {
    write_medication(w, f, ctx);
    ctx.subject(w);
    ctx.reference(w, "context", f.encounter);
    w.key("effectivePeriod");
    write_period(w, ctx, f.start, f.end);
    w.field("dateAsserted", ctx.date_time(f.start).view());
    ctx.reference(w, "informationSource", &ctx.patient);
    w.key("dosage").begin_array().begin_object().field("text", f.drug->dosage).end_object().end_array();
    return;
  }
  w.field("intent", "order");
  write_medication(w, f, ctx);
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.field("authoredOn", ctx.date_time(f.start).view());
  ctx.reference(w, "requester", f.requester, ctx.origin.practitioner_display.c_str());
  if (f.reason_code != nullptr) {
    w.key("reasonReference").begin_array();
    ctx.reference_value(w, f.reason, f.reason_code->text());
    w.end_array();
  }
  w.key("dosageInstruction").begin_array().begin_object();
  w.key("sequence").integer(1).field("text", f.drug->dosage).end_object().end_array();
  w.key("dispenseRequest").begin_object().key("validityPeriod");
  write_period(w, ctx, f.start, f.end);
  w.key("numberOfRepeatsAllowed").integer(f.refills).end_object();
}

void write_body(JsonWriter& w, const MedicationFact& f, const RenderContext&) {
  w.key("code");
  write_concept(w, f.drug->code);
  w.field("status", "active");
}

}  // namespace chartlock::synth
