// SPDX-License-Identifier: Apache-2.0
// Helpers for the generator tests: run it into memory, read its output back
// with nlohmann::json, and normalize resources so copies can be compared.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/synth/generate.hpp"

namespace synth_test {

using chartlock::synth::GenerationTruth;
using chartlock::synth::GeneratorOptions;
using nlohmann::json;

struct Run {
  GenerationTruth truth;
  std::vector<std::string> outputs;  // one per provider
};

inline Run run(const GeneratorOptions& options) {
  std::vector<std::ostringstream> streams(static_cast<std::size_t>(options.providers));
  std::vector<std::ostream*> outs;
  for (auto& s : streams) outs.push_back(&s);
  Run r;
  r.truth = chartlock::synth::generate(options, outs);
  for (auto& s : streams) r.outputs.push_back(s.str());
  return r;
}

inline GeneratorOptions options(std::uint64_t seed, std::uint64_t bytes, int providers = 1,
                                const std::string& bundle_type = "collection") {
  GeneratorOptions o;
  o.seed = seed;
  o.target_bytes = bytes;
  o.providers = providers;
  o.bundle_type = bundle_type;
  return o;
}

// The top-level resources of one output, Bundle or NDJSON.
inline std::vector<json> resources(const std::string& text, GeneratorOptions::Format format) {
  std::vector<json> out;
  if (format == GeneratorOptions::Format::ndjson) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line));
    return out;
  }
  const json bundle = json::parse(text);  // named: a temporary would die before the loop
  for (const json& entry : bundle.at("entry")) out.push_back(entry.at("resource"));
  return out;
}

inline std::map<std::string, std::uint64_t> count_types(const std::vector<json>& resources) {
  std::map<std::string, std::uint64_t> counts;
  for (const json& r : resources) ++counts[r.at("resourceType").get<std::string>()];
  return counts;
}

// Drops what belongs to an output rather than to the fact: ids, meta, every
// reference (a shared copy references its own provider's resources, or has
// only the display), then containers left empty.
inline void strip(json& j) {
  if (j.is_object()) {
    j.erase("reference");
    for (auto it = j.begin(); it != j.end();) {
      strip(*it);
      const bool empty = (it->is_object() || it->is_array()) && it->empty();
      it = empty ? j.erase(it) : std::next(it);
    }
  } else if (j.is_array()) {
    for (auto it = j.begin(); it != j.end();) {
      strip(*it);
      const bool empty = (it->is_object() || it->is_array()) && it->empty();
      it = empty ? j.erase(it) : std::next(it);
    }
  }
}

inline std::string fact_key(json resource) {
  resource.erase("id");
  resource.erase("meta");
  strip(resource);
  return resource.dump();
}

// Seconds since 1970 of "YYYY-MM-DDThh:mm:ss(Z|±hh:mm)", to compare times
// written with different offsets.
inline std::int64_t parse_time(const std::string& s) {
  auto num = [&](std::size_t pos, std::size_t len) { return std::stoll(s.substr(pos, len)); };
  std::int64_t y = num(0, 4);
  const std::int64_t m = num(5, 2), d = num(8, 2);
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  std::int64_t t = days * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
  if (s.size() > 19 && s[19] != 'Z') {
    const std::int64_t offset = num(20, 2) * 3600 + num(23, 2) * 60;
    t += s[19] == '+' ? -offset : offset;
  }
  return t;
}

}  // namespace synth_test
