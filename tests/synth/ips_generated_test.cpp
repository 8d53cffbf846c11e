// SPDX-License-Identifier: Apache-2.0
// The IPS of generated multi-provider patients (several seeds, sizes and
// provider counts) passes the structural check (tests/core/ips_check.hpp),
// and holds only what the consent allows.
#include <catch2/catch.hpp>

#include <set>

#include "chartlock/ingest.hpp"
#include "chartlock/ips.hpp"
#include "core/ips_check.hpp"
#include "synth_test_util.hpp"

namespace {

chartlock::Record ingest_run(const synth_test::Run& run) {
  std::vector<chartlock::Source> sources;
  for (std::size_t i = 0; i < run.outputs.size(); ++i) sources.push_back({run.truth.providers[i].name, run.outputs[i]});
  return chartlock::ingest(sources);
}

chartlock::IpsDocument make(const chartlock::Record& record, const std::string& consent) {
  chartlock::ShareRequest request;
  request.consent = chartlock::consent_from_json(consent);
  request.today = "2025-06-01";
  return chartlock::build_ips(record, request);
}

}  // namespace

TEST_CASE("the IPS of generated multi-provider patients passes the structural check", "[synth][ips]") {
  struct Case {
    std::uint64_t seed, bytes;
    int providers;
  };
  for (const Case c : {Case{3, 150 * 1024, 2}, Case{11, 300 * 1024, 3}, Case{29, 60 * 1024, 1}}) {
    const chartlock::Record record = ingest_run(synth_test::run(synth_test::options(c.seed, c.bytes, c.providers)));
    const chartlock::IpsDocument doc = make(record, R"({"scopes":["patient/*.rs"],"sensitive":["mental-health","substance-use","reproductive-sexual-health"]})");
    const nlohmann::json bundle = nlohmann::json::parse(doc.json);
    const ips_check::Report report = ips_check::check(bundle);
    INFO("seed " << c.seed << "\n" << report.text());
    CHECK(report.problems.empty());
    CHECK(doc.sources.size() == static_cast<std::size_t>(c.providers));
    CHECK_FALSE(doc.keys.empty());
    // The same bytes again.
    CHECK(make(record, R"({"scopes":["patient/*.rs"],"sensitive":["mental-health","substance-use","reproductive-sexual-health"]})").json == doc.json);
  }
}

TEST_CASE("the IPS of a generated patient leaves out a category the consent leaves out", "[synth][ips]") {
  const chartlock::Record record = ingest_run(synth_test::run(synth_test::options(5, 200 * 1024, 2)));
  const chartlock::IpsDocument all = make(record, R"({"scopes":["patient/*.rs"]})");
  const chartlock::IpsDocument no_labs = make(record, R"({"scopes":["patient/*.rs"],"categories":["patient","conditions","medications","allergies","vitals"]})");
  const nlohmann::json bundle = nlohmann::json::parse(no_labs.json);
  INFO(ips_check::check(bundle).text());
  CHECK(ips_check::check(bundle).problems.empty());
  const nlohmann::json everything = nlohmann::json::parse(all.json);  // named: a temporary would die before the loop
  std::size_t labs_before = 0;
  for (const nlohmann::json& e : everything["entry"]) labs_before += ips_check::has_category(e["resource"], "laboratory");
  CHECK(labs_before > 0);
  std::set<std::string> types;
  for (const nlohmann::json& e : bundle["entry"]) {
    CHECK_FALSE(ips_check::has_category(e["resource"], "laboratory"));
    types.insert(e["resource"]["resourceType"].get<std::string>());
  }
  CHECK(types.count("Immunization") == 0);
  CHECK(types.count("Procedure") == 0);
  // Every key of the smaller IPS is in the larger one.
  for (const std::string& key : no_labs.keys) CHECK(std::find(all.keys.begin(), all.keys.end(), key) != all.keys.end());
}
