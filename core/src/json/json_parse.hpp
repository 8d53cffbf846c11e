// SPDX-License-Identifier: Apache-2.0
// Parsing untrusted bytes with simdjson under Chartlock's limits, turning every
// failure into an IngestError that names the source and says what is wrong.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "chartlock/json_limits.hpp"

namespace chartlock::json {

// Parses one JSON text. The returned element lives until the next parse with
// the same parser. `padding` is how many readable bytes follow `bytes` (with
// at least SIMDJSON_PADDING the input is parsed in place, without a copy).
// Throws IngestError (too_large, too_deep, malformed_json), naming `source`
// and, for NDJSON, the 1-based `line`.
simdjson::dom::element parse(simdjson::dom::parser& parser, std::string_view bytes,
                             std::size_t padding, const JsonLimits& limits,
                             const std::string& source, std::uint64_t line = 0);

// Human words for a JSON type: "a string", "an object"…
const char* describe(simdjson::dom::element_type type);

}  // namespace chartlock::json
