// SPDX-License-Identifier: Apache-2.0
// What a generator run wrote, known by construction: enough for a test to
// predict exactly what a merging reader should end up with.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/synth/options.hpp"

namespace chartlock::synth {

using TypeCounts = std::map<std::string, std::uint64_t>;  // by resourceType

struct PatientTruth {
  std::string given;   // first given name
  std::string family;
  std::string birth_date;  // YYYY-MM-DD
  std::string gender;      // "female" | "male"
};

struct ProviderTruth {
  std::string name;          // "provider-1"
  std::string organization;  // its Organization.name
  std::string base_url;      // https://provider-1.example/fhir
  std::string references;    // "urn:uuid" or "relative"
  std::uint64_t bytes = 0;   // exactly what was written to its stream
  TypeCounts resources;      // top-level resources (contained ones not counted)
  std::uint64_t total_resources() const;
};

struct GenerationTruth {
  GeneratorOptions options;
  PatientTruth patient;
  std::vector<ProviderTruth> providers;
  std::uint64_t visits = 0;   // visits simulated (the last ones may be cut short by the size target)
  std::string history_start;  // date of the first visit (UTC), empty if none
  std::string history_end;    // date of the last visit

  // A fact is shared when it was written to two or more providers with the
  // same content (codes, times, values, units, statuses) and only ids,
  // references and meta differing. `shared` counts such facts, `duplicates`
  // the copies beyond the first. The Patient counts as one shared fact (the
  // same person in every provider) although each provider has its own ids
  // and identifiers. Organization, Practitioner, Medication, Claim,
  // ExplanationOfBenefit and Provenance are never shared.
  TypeCounts shared;
  TypeCounts duplicates;

  // Resources summed over providers.
  TypeCounts total_resources() const;
  // What a reader that merges identical facts should count:
  // total_resources() − duplicates.
  TypeCounts expected_merged() const;
};

nlohmann::json to_json(const GenerationTruth& truth);

}  // namespace chartlock::synth
