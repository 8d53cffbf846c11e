// SPDX-License-Identifier: Apache-2.0
// Duplicate object keys. JSON parsers disagree on which of two equal keys
// counts (simdjson and this core read the first, JavaScript's JSON.parse the
// last), so a resource holding one could be read one way here and another
// way by the tool that receives it raw in a share bundle.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "json/json_path.hpp"

namespace chartlock::json {

// Pointers here pass through keys taken from the input, which may be anything:
// a key that is not shaped like a FHIR element name (letters, digits, '_', at
// most 64) is never written into one, so no input value reaches a message.
// The pointer then stops at the deepest object reached through such names.

// Whether a key repeats within `obj` itself, for walks that visit every
// object anyway (fhir/resource_scan.cpp); the pointer is the functions' below.
bool has_repeated_key(simdjson::dom::object obj);

// The JSON Pointer of a key that repeats within `obj` itself.
std::optional<std::string> find_duplicate_key(simdjson::dom::object obj, const Path& at);

// The same for `value` and every object nested in it (depth-first, the
// first found). Recursion is bounded by the parser's depth limit.
std::optional<std::string> find_duplicate_key_deep(simdjson::dom::element value, const Path& at);

}  // namespace chartlock::json
