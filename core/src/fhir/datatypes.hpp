// SPDX-License-Identifier: Apache-2.0
// Readers for FHIR R4 general-purpose datatypes (Coding, CodeableConcept,
// Quantity, Period, Reference…) and the [x] choice elements built on them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chartlock/record.hpp"
#include "fhir/read_context.hpp"

namespace chartlock::fhir {

// Each reads every field it knows in one walk of the object (no table of
// its members: json::find_members), with the warnings that reading them one
// by one, in the order listed, would give.
Coding read_coding(Diagnostics& d, object obj, const Path& at);
CodeableConcept read_codeable_concept(Diagnostics& d, object obj, const Path& at);
Quantity read_quantity(Diagnostics& d, object obj, const Path& at);
Period read_period(Diagnostics& d, object obj, const Path& at);
ReferenceRange read_reference_range(Diagnostics& d, const Fields& obj, const Path& at);

// Field forms: absent → empty.
Coding get_coding(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at);
CodeableConcept get_concept(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at);
std::vector<CodeableConcept> get_concepts(Diagnostics& d, const Fields& obj, std::string_view key,
                                          const Path& at);
std::optional<Quantity> get_quantity(Diagnostics& d, const Fields& obj, std::string_view key,
                                     const Path& at);
Period get_period(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at);

// The code of a status-like CodeableConcept (Condition.clinicalStatus…):
// its first coding's code, else its text.
// A view into the parsed input, for an Interned field: no string copied.
std::string_view get_concept_code(Diagnostics& d, const Fields& obj, std::string_view key,
                                  const Path& at);
// Codes of each concept in array field `key` (Observation.category…).
std::vector<Interned> get_concept_codes(Diagnostics& d, const Fields& obj, std::string_view key,
                                        const Path& at);

// A FHIR date, dateTime or instant field; an ill-formed value is kept as
// written with an invalid_value warning (never silently dropped).
std::string get_date_time(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at);
// The same as a view into the parsed input.
std::string_view view_date_time(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at);
// The same of an object asked for this one member (meta.lastUpdated): found
// by walking the object, no table built.
std::string_view view_member_date_time(Diagnostics& d, object obj, std::string_view key, const Path& at);

// `<prefix>DateTime | <prefix>Period | <prefix>Instant | <prefix>String…` as
// a Period (a single time goes to start). Returns true when one was present.
struct TimeChoice {
  Period period;
  std::string text;  // <prefix>String / <prefix>Age rendered
};
TimeChoice get_time_choice(Diagnostics& d, const Fields& obj, std::string_view prefix, const Path& at);

// The `reference` string of Reference field `key`, when present and not
// empty; no pointer is built (a subject is read on every resource), nothing
// copied: a view into the parsed input.
std::optional<std::string_view> get_reference_text(Diagnostics& d, const Fields& obj,
                                                   std::string_view key, const Path& at);
// Visits the `reference` string of each Reference in array field `key`
// (those present and not empty) with its element's path:
// f(std::string_view reference, const Path& element). Views, not copies: the
// draft copies what it keeps into its arena.
template <class F>
void for_each_reference(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at,
                        F&& f) {
  // A Reference is asked for its "reference" only: no table of its members.
  for_each_plain_object(d, obj, key, at, [&](object o, const Path& p) {
    auto ref = get_member_string(d, o, "reference", p);
    if (ref && !ref->empty()) f(*ref, p);
  });
}

}  // namespace chartlock::fhir
