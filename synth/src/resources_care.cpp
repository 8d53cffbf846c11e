// SPDX-License-Identifier: Apache-2.0
#include "base64.hpp"
#include "fhir_types.hpp"
#include "resources.hpp"

namespace chartlock::synth {

void write_body(JsonWriter& w, const DocumentFact& f, const RenderContext& ctx) {
  w.field("status", "current").field("docStatus", "final").key("type");
  write_concept(w, *f.type);
  w.key("category");
  write_code_list(w, "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                  "clinical-note", "Clinical Note");
  ctx.subject(w);
  w.field("date", ctx.instant(f.end).view());
  w.key("author").begin_array();
  ctx.reference_value(w, f.author, ctx.origin.practitioner_display.c_str());
  w.end_array();
  ctx.reference(w, "custodian", f.custodian, ctx.origin.organization.c_str());
  w.key("content").begin_array().begin_object().key("attachment").begin_object();
  if (f.url.empty()) {
    w.field("contentType", "text/plain").field("data", base64(f.text));
    w.key("size").integer(static_cast<std::int64_t>(f.text.size()));
  } else {
    w.field("contentType", "application/pdf").field("url", f.url);
  }
  w.field("title", f.type->text()).field("creation", ctx.date_time(f.end).view());
  w.end_object().end_object().end_array();
  w.key("context").begin_object();
  if (ctx.has(f.encounter)) {
    w.key("encounter").begin_array();
    ctx.reference_value(w, f.encounter, nullptr);
    w.end_array();
  }
  w.key("period");
  write_period(w, ctx, f.start, f.end);
  w.end_object();
}

void write_body(JsonWriter& w, const GoalFact& f, const RenderContext& ctx) {
  const Measure& m = measure(f.goal->measure);
  w.field("lifecycleStatus", "active").key("description").begin_object();
  w.field("text", f.goal->description).end_object();
  ctx.subject(w);
  w.field("startDate", ctx.date(f.start).view());
  w.key("target").begin_array().begin_object().key("measure");
  write_concept(w, m.code);
  w.key("detailQuantity");
  write_quantity(w, Quantity{f.goal->value, m.decimals, m.unit}, f.goal->comparator);
  w.end_object().end_array();
  w.key("addresses").begin_array();
  ctx.reference_value(w, f.condition, f.condition_code->text());
  w.end_array();
}

void write_body(JsonWriter& w, const CarePlanFact& f, const RenderContext& ctx) {
  const bool over = f.end != kNever;
  w.field("status", over ? "completed" : "active").field("intent", "plan");
  w.key("category").begin_array();
  write_concept(w, f.plan->category);
  w.end_array();
  ctx.subject(w);
  ctx.reference(w, "encounter", f.encounter);
  w.key("period");
  write_period(w, ctx, f.start, f.end);
  if (f.condition_code != nullptr) {
    w.key("addresses").begin_array();
    ctx.reference_value(w, f.condition, f.condition_code->text());
    w.end_array();
  }
  if (f.goal_display != nullptr) {
    w.key("goal").begin_array();
    ctx.reference_value(w, f.goal, f.goal_display);
    w.end_array();
  }
  w.key("activity").begin_array();
  for (int i = 0; i < f.plan->activity_count; ++i) {
    w.begin_object().key("detail").begin_object().key("code");
    write_concept(w, f.plan->activities[i]);
    w.field("status", over ? "completed" : "in-progress").end_object().end_object();
  }
  w.end_array();
}

}  // namespace chartlock::synth
