// SPDX-License-Identifier: Apache-2.0
#include "chartlock/synth/truth.hpp"

namespace chartlock::synth {

std::uint64_t ProviderTruth::total_resources() const {
  std::uint64_t n = 0;
  for (const auto& [type, count] : resources) n += count;
  return n;
}

TypeCounts GenerationTruth::total_resources() const {
  TypeCounts total;
  for (const ProviderTruth& p : providers) {
    for (const auto& [type, count] : p.resources) total[type] += count;
  }
  return total;
}

TypeCounts GenerationTruth::expected_merged() const {
  TypeCounts merged = total_resources();
  for (const auto& [type, count] : duplicates) merged[type] -= count;
  return merged;
}

nlohmann::json to_json(const GenerationTruth& t) {
  using nlohmann::json;
  json providers = json::array();
  for (const ProviderTruth& p : t.providers) {
    providers.push_back({{"name", p.name},
                         {"organization", p.organization},
                         {"baseUrl", p.base_url},
                         {"references", p.references},
                         {"bytes", p.bytes},
                         {"totalResources", p.total_resources()},
                         {"resources", p.resources}});
  }
  const GeneratorOptions& o = t.options;
  json options = {{"seed", o.seed},
                  {"targetBytes", o.target_bytes},
                  {"providers", o.providers},
                  {"format", to_string(o.format)},
                  {"overlapPercent", o.overlap_percent},
                  {"now", o.now}};
  if (o.format == GeneratorOptions::Format::bundle) options["bundleType"] = o.bundle_type;
  return {{"options", options},
          {"patient",
           {{"given", t.patient.given},
            {"family", t.patient.family},
            {"birthDate", t.patient.birth_date},
            {"gender", t.patient.gender}}},
          {"visits", t.visits},
          {"historyStart", t.history_start},
          {"historyEnd", t.history_end},
          {"providers", providers},
          {"shared", t.shared},
          {"duplicates", t.duplicates},
          {"totalResources", t.total_resources()},
          {"expectedMerged", t.expected_merged()}};
}

}  // namespace chartlock::synth
