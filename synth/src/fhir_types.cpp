// SPDX-License-Identifier: Apache-2.0
#include "fhir_types.hpp"

namespace chartlock::synth {

void write_coding(JsonWriter& w, const Coding& c) {
  w.begin_object().field("system", c.system).field("code", c.code);
  if (c.display != nullptr) w.field("display", c.display);
  w.end_object();
}

void write_concept(JsonWriter& w, const Concept& concept) {
  w.begin_object().key("coding").begin_array();
  write_coding(w, concept.coding);
  if (concept.also.system != nullptr) write_coding(w, concept.also);
  w.end_array().field("text", concept.text()).end_object();
}

void write_code(JsonWriter& w, const char* system, const char* code, const char* display) {
  w.begin_object().key("coding").begin_array();
  write_coding(w, Coding{system, code, display});
  w.end_array().end_object();
}

void write_code_list(JsonWriter& w, const char* system, const char* code, const char* display) {
  w.begin_array();
  write_code(w, system, code, display);
  w.end_array();
}

void write_quantity(JsonWriter& w, const Quantity& q, const char* comparator) {
  w.begin_object().key("value").decimal(q.value, q.decimals);
  if (comparator != nullptr) w.field("comparator", comparator);
  w.field("unit", q.unit.display).field("system", system::ucum).field("code", q.unit.code).end_object();
}

void write_period(JsonWriter& w, const RenderContext& ctx, std::int64_t start, std::int64_t end) {
  w.begin_object().field("start", ctx.date_time(start).view());
  if (end != kNever) w.field("end", ctx.date_time(end).view());
  w.end_object();
}

void write_money(JsonWriter& w, std::int64_t cents) {
  w.begin_object().key("value").decimal(cents, 2).field("currency", "USD").end_object();
}

}  // namespace chartlock::synth
