// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the core test files.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "chartlock/ingest.hpp"
#include "chartlock/record_json.hpp"

namespace test {

inline chartlock::Record ingest_one(const std::string& json, const std::string& name = "test",
                                    chartlock::IngestOptions options = {}) {
  return chartlock::ingest({chartlock::Source{name, json}}, options);
}

inline chartlock::Record ingest_all(const std::vector<std::pair<std::string, std::string>>& inputs,
                                    chartlock::IngestOptions options = {}) {
  std::vector<chartlock::Source> sources;
  for (const auto& [name, json] : inputs) sources.push_back({name, json});
  return chartlock::ingest(sources, options);
}

// A Bundle of the given type around resources given as JSON object texts.
inline std::string bundle(const std::vector<std::string>& resources,
                          const std::string& type = "collection") {
  std::string out = R"({"resourceType":"Bundle","type":")" + type + R"(","entry":[)";
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (i) out += ",";
    out += R"({"resource":)" + resources[i] + "}";
  }
  return out + "]}";
}

inline bool has_warning(const chartlock::Record& r, chartlock::DiagnosticCode code,
                        const std::string& pointer) {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const chartlock::Diagnostic& d) {
    return d.code == code && d.pointer == pointer;
  });
}

inline std::string warnings_text(const chartlock::Record& r) {
  std::string out;
  for (const auto& d : r.warnings) out += std::string(to_string(d.code)) + " " + d.to_string() + "\n";
  return out;
}

// The error an input throws, or "" when it does not.
inline std::string ingest_error(const std::string& json, chartlock::IngestOptions options = {}) {
  try {
    ingest_one(json, "test", options);
  } catch (const chartlock::IngestError& e) {
    return std::string(to_string(e.diagnostic().code)) + ": " + e.what();
  }
  return {};
}

}  // namespace test
