// SPDX-License-Identifier: Apache-2.0
// FHIR data types, written the same way everywhere.
#pragma once

#include <cstdint>
#include <string_view>

#include "codes.hpp"
#include "facts.hpp"
#include "json_writer.hpp"
#include "render_context.hpp"

namespace chartlock::synth {

void write_coding(JsonWriter& w, const Coding& coding);
// CodeableConcept: its codings and the primary display as text.
void write_concept(JsonWriter& w, const Concept& concept);
// A CodeableConcept holding one coding of a FHIR code system, no text:
// statuses, categories, interpretations.
void write_code(JsonWriter& w, const char* system, const char* code, const char* display = nullptr);
// [ CodeableConcept ] of one such coding: the usual `category`.
void write_code_list(JsonWriter& w, const char* system, const char* code, const char* display = nullptr);
void write_quantity(JsonWriter& w, const Quantity& q, const char* comparator = nullptr);
// { "start": …, "end": … } as date-times; end omitted when kNever.
void write_period(JsonWriter& w, const RenderContext& ctx, std::int64_t start, std::int64_t end);
void write_money(JsonWriter& w, std::int64_t cents);

}  // namespace chartlock::synth
