// SPDX-License-Identifier: Apache-2.0
#include "fhir_types.hpp"
#include "resources.hpp"

namespace chartlock::synth {
namespace {

const char* const kCategoryCode[] = {"vital-signs", "laboratory", "social-history"};
const char* const kCategoryDisplay[] = {"Vital Signs", "Laboratory", "Social History"};

void write_interval(JsonWriter& w, const Interval& range, const Quantity& like) {
  w.key("referenceRange").begin_array().begin_object();
  if (range.low != kOpen) {
    w.key("low");
    write_quantity(w, Quantity{range.low, like.decimals, like.unit});
  }
  if (range.high != kOpen) {
    w.key("high");
    write_quantity(w, Quantity{range.high, like.decimals, like.unit});
  }
  w.end_object().end_array();
}

void write_component(JsonWriter& w, const Measure& m, const Quantity& q) {
  w.begin_object().key("code");
  write_concept(w, m.code);
  w.key("valueQuantity");
  write_quantity(w, q);
  w.end_object();
}

}  // namespace

void write_body(JsonWriter& w, const EncounterFact& f, const RenderContext& ctx) {
  const VisitDef& def = visit_def(f.visit);
  w.field("status", "finished");  // every visit ends before `now`
  w.key("class");
  write_coding(w, Coding{system::act_code, def.class_code, def.class_display});
  w.key("type").begin_array();
  write_concept(w, def.type);
  w.end_array();
  ctx.subject(w);
  w.key("participant").begin_array().begin_object().key("type");
  write_code_list(w, "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF", "primary performer");
  ctx.reference(w, "individual", f.practitioner, ctx.origin.practitioner_display.c_str());
  w.end_object().end_array();
  w.key("period");
  write_period(w, ctx, f.start, f.end);
  if (f.reason != nullptr) {
    w.key("reasonCode").begin_array();
    write_concept(w, *f.reason);
    w.end_array();
  }
  if (f.visit == Visit::inpatient) {
    w.key("hospitalization").begin_object().key("dischargeDisposition");
    write_code(w, "http://terminology.hl7.org/CodeSystem/discharge-disposition", "home", "Home");
    w.end_object();
  }
  ctx.reference(w, "serviceProvider", f.organization, ctx.origin.organization.c_str());
}

void write_body(JsonWriter& w, const ObservationFact& f, const RenderContext& ctx) {
  const Measure& m = *f.measure;
  const auto category = static_cast<std::size_t>(m.category);
  w.field("status", "final").key("category");
  write_code_list(w, system::obs_category, kCategoryCode[category], kCategoryDisplay[category]);
  w.key("code");
  write_concept(w, *f.code);
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.field("effectiveDateTime", ctx.date_time(f.effective).view());
  w.field("issued", ctx.instant(f.issued).view());
  switch (m.kind) {
    case ValueKind::quantity:
      w.key("valueQuantity");
      write_quantity(w, f.quantity);
      break;
    case ValueKind::concept:
      w.key("valueCodeableConcept");
      write_concept(w, *f.answer);
      break;
    case ValueKind::text:
      w.field("valueString", f.text);
      break;
    case ValueKind::blood_pressure:
      w.key("component").begin_array();
      write_component(w, measure(MeasureId::systolic), f.systolic);
      write_component(w, measure(MeasureId::diastolic), f.diastolic);
      w.end_array();
      break;
  }
  if (f.interpretation != 0) {
    const bool high = f.interpretation == 'H';
    w.key("interpretation").begin_array();
    write_code(w, system::interpretation, high ? "H" : "L", high ? "High" : "Low");
    w.end_array();
  }
  if (!f.range.empty()) write_interval(w, f.range, f.quantity);
}

void write_body(JsonWriter& w, const ReportFact& f, const RenderContext& ctx) {
  w.field("status", "final").key("category");
  write_code_list(w, "http://terminology.hl7.org/CodeSystem/v2-0074", "LAB", "Laboratory");
  w.key("code");
  write_concept(w, *f.code);
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.field("effectiveDateTime", ctx.date_time(f.effective).view());
  w.field("issued", ctx.instant(f.issued).view());
  w.key("performer").begin_array();
  ctx.reference_value(w, f.performer, ctx.origin.organization.c_str());
  w.end_array();
  w.key("result").begin_array();
  for (const ReportResult& r : *f.results) ctx.reference_value(w, &r.observation, r.display);
  w.end_array();
}

void write_body(JsonWriter& w, const ConditionFact& f, const RenderContext& ctx) {
  const bool resolved = f.abatement != kNever;
  w.key("clinicalStatus");
  write_code(w, "http://terminology.hl7.org/CodeSystem/condition-clinical", resolved ? "resolved" : "active");
  w.key("verificationStatus");
  write_code(w, "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed");
  w.key("category");
  if (f.problem_list) {
    write_code_list(w, "http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item",
                    "Problem List Item");
  } else {
    write_code_list(w, "http://terminology.hl7.org/CodeSystem/condition-category", "encounter-diagnosis",
                    "Encounter Diagnosis");
  }
  w.key("code");
  write_concept(w, *f.code);
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.field("onsetDateTime", ctx.date_time(f.onset).view());
  if (resolved) w.field("abatementDateTime", ctx.date_time(f.abatement).view());
  w.field("recordedDate", ctx.date_time(f.recorded).view());
}

void write_body(JsonWriter& w, const AllergyFact& f, const RenderContext& ctx) {
  const AllergyDef& a = *f.allergy;
  w.key("clinicalStatus");
  write_code(w, "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active");
  w.key("verificationStatus");
  write_code(w, "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed");
  w.field("type", "allergy");
  w.key("category").begin_array().string(a.category).end_array();
  w.field("criticality", a.criticality);
  w.key("code");
  write_concept(w, a.code);
  ctx.subject(w, "patient");
  ctx.reference(w, "encounter", f.encounter);
  w.field("recordedDate", ctx.date_time(f.recorded).view());
  w.key("reaction").begin_array().begin_object().key("manifestation").begin_array();
  write_concept(w, a.reaction);
  w.end_array().field("severity", a.severity).end_object().end_array();
}

void write_body(JsonWriter& w, const ImmunizationFact& f, const RenderContext& ctx) {
  w.field("status", "completed").key("vaccineCode");
  write_concept(w, *f.vaccine);
  ctx.subject(w, "patient");
  ctx.reference(w, "encounter", f.encounter);
  w.field("occurrenceDateTime", ctx.date_time(f.time).view());
  w.key("primarySource").boolean(f.primary_source);
  if (!f.primary_source) {
    w.key("reportOrigin");
    write_code(w, "http://terminology.hl7.org/CodeSystem/immunization-origin", "record", "Written Record");
  }
  if (!f.lot.empty()) w.field("lotNumber", f.lot);
}

void write_body(JsonWriter& w, const ProcedureFact& f, const RenderContext& ctx) {
  w.field("status", "completed").key("code");
  write_concept(w, *f.code);
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.key("performedPeriod");
  write_period(w, ctx, f.start, f.end);
  if (f.reason_code != nullptr) {
    w.key("reasonReference").begin_array();
    ctx.reference_value(w, f.reason, f.reason_code->text());
    w.end_array();
  }
}

}  // namespace chartlock::synth
