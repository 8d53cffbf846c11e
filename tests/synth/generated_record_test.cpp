// SPDX-License-Identifier: Apache-2.0
// The generator and the core against each other: a generated patient seen by
// several providers, read and merged, gives exactly the items the generator
// knows it wrote (truth.expected_merged), with no warnings.
#include <catch2/catch.hpp>

#include <set>

#include "chartlock/ingest.hpp"
#include "synth_test_util.hpp"

namespace {

using chartlock::Record;
using chartlock::synth::TypeCounts;

Record ingest_run(const synth_test::Run& run) {
  std::vector<chartlock::Source> sources;
  for (std::size_t i = 0; i < run.outputs.size(); ++i) {
    sources.push_back({run.truth.providers[i].name, run.outputs[i]});
  }
  return chartlock::ingest(sources);
}

std::uint64_t count(const TypeCounts& c, const std::string& type) {
  auto it = c.find(type);
  return it == c.end() ? 0 : it->second;
}

// Items per list, as the generator counts them by resourceType.
void check_items(const Record& r, const TypeCounts& expected) {
  CHECK(r.conditions.size() == count(expected, "Condition"));
  CHECK(r.observations.size() == count(expected, "Observation"));
  CHECK(r.medications.size() ==
        count(expected, "MedicationRequest") + count(expected, "MedicationStatement"));
  CHECK(r.allergies.size() == count(expected, "AllergyIntolerance"));
  CHECK(r.immunizations.size() == count(expected, "Immunization"));
  CHECK(r.procedures.size() == count(expected, "Procedure"));
  CHECK(r.encounters.size() == count(expected, "Encounter"));
  CHECK(r.reports.size() == count(expected, "DiagnosticReport"));
  CHECK(r.documents.size() == count(expected, "DocumentReference"));
  CHECK(r.carePlans.size() == count(expected, "CarePlan"));
  CHECK(r.goals.size() == count(expected, "Goal"));
  std::uint64_t other = 0;
  for (const char* type : {"Medication", "Organization", "Practitioner", "Claim",
                           "ExplanationOfBenefit", "Provenance"}) {
    other += count(expected, type);
  }
  CHECK(r.other.size() == other);
}

}  // namespace

TEST_CASE("a generated multi-provider patient merges to exactly the known facts", "[synth][ingest]") {
  for (int providers : {2, 3}) {
    for (auto format : {chartlock::synth::GeneratorOptions::Format::bundle,
                        chartlock::synth::GeneratorOptions::Format::ndjson}) {
      auto options = synth_test::options(static_cast<std::uint64_t>(11 + providers), 200 * 1024,
                                         providers, "transaction");
      options.format = format;
      INFO("providers " << providers << ", " << to_string(format));
      const synth_test::Run run = synth_test::run(options);
      const Record r = ingest_run(run);
      INFO(r.warnings.size() << " warnings; first: "
                             << (r.warnings.empty() ? "" : r.warnings.front().to_string()));
      CHECK(r.warnings.empty());
      CHECK(r.counts == run.truth.total_resources());
      check_items(r, run.truth.expected_merged());
      CHECK(r.patient.given.at(0) == run.truth.patient.given);
      CHECK(r.patient.family == run.truth.patient.family);
      CHECK(r.patient.birthDate == run.truth.patient.birth_date);
      CHECK(r.patient.gender == run.truth.patient.gender);
      CHECK(r.patient.sources.size() == static_cast<std::size_t>(providers));
    }
  }
}

TEST_CASE("merged items name each provider once", "[synth][ingest]") {
  const synth_test::Run run = synth_test::run(synth_test::options(5, 300 * 1024, 2, "searchset"));
  const Record r = ingest_run(run);
  std::size_t merged = 0;
  for (const auto& o : r.observations) {
    std::set<std::string> names;
    for (const auto& p : o.sources) names.insert(p.source);
    CHECK(names.size() == o.sources.size());
    if (o.sources.size() > 1) ++merged;
  }
  CHECK(merged == count(run.truth.shared, "Observation"));
  CHECK(merged > 0);
}

TEST_CASE("without overlap nothing merges", "[synth][ingest]") {
  auto options = synth_test::options(9, 150 * 1024, 2);
  options.overlap_percent = 0;
  const synth_test::Run run = synth_test::run(options);
  const Record r = ingest_run(run);
  for (const auto& o : r.observations) CHECK(o.sources.size() == 1);
  CHECK(r.observations.size() == count(run.truth.total_resources(), "Observation"));
}
