// SPDX-License-Identifier: Apache-2.0
// The record as JSON (what `chartlock record` prints and the wasm module
// returns). Schema in docs/record-schema.md.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"

namespace chartlock {

struct RecordJsonOptions {
  bool include_raw = false;  // add each item's original resource under "resource"
};

nlohmann::ordered_json to_json(const Record& record, const RecordJsonOptions& options = {});

// Compact, deterministic text: the same bytes natively and in wasm.
std::string record_to_json_text(const Record& record, const RecordJsonOptions& options = {},
                                int indent = -1);

}  // namespace chartlock
