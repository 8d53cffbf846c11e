// SPDX-License-Identifier: Apache-2.0
// The summary as JSON (`chartlock summary`, wasm `summarize()`); schema in
// docs/summary-schema.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/summary.hpp"

namespace chartlock {

nlohmann::ordered_json to_json(const Summary& summary);

// Deterministic text: the same bytes natively and in wasm.
std::string summary_to_json_text(const Summary& summary, int indent = -1);

}  // namespace chartlock
