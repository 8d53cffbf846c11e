// SPDX-License-Identifier: Apache-2.0
// The truth is exact: it matches what is in the output, resource for
// resource, and its shared facts really are identical across providers.
#include <catch2/catch.hpp>

#include "synth/synth_test_util.hpp"

using namespace synth_test;
using Format = GeneratorOptions::Format;

namespace {

// Every reference in `j` resolves within the output: "#id" to a contained
// resource, "urn:uuid:…" to an entry's fullUrl, "Type/id" to a resource.
void check_references(const json& j, const json& resource, const std::set<std::string>& targets,
                      bool urn_style, std::uint64_t& checked) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "reference" && it->is_string()) {
        const std::string ref = *it;
        ++checked;
        if (ref.rfind('#', 0) == 0) {
          bool found = false;
          for (const json& c : resource.value("contained", json::array())) {
            found = found || "#" + c.at("id").get<std::string>() == ref;
          }
          CHECK(found);
        } else {
          CAPTURE(ref);
          CHECK(ref.rfind("urn:uuid:", 0) == (urn_style ? 0u : std::string::npos));
          CHECK(targets.count(ref) == 1);
        }
      } else {
        check_references(*it, resource, targets, urn_style, checked);
      }
    }
  } else if (j.is_array()) {
    for (const json& e : j) check_references(e, resource, targets, urn_style, checked);
  }
}

void check_output_references(const std::string& text, Format format, bool urn_style) {
  std::set<std::string> targets;
  std::vector<json> all;
  if (format == Format::bundle) {
    const json bundle = json::parse(text);
    for (const json& entry : bundle.at("entry")) {
      targets.insert(entry.at("fullUrl").get<std::string>());
      all.push_back(entry.at("resource"));
    }
  } else {
    all = resources(text, format);
  }
  for (const json& r : all) {
    targets.insert(r.at("resourceType").get<std::string>() + "/" + r.at("id").get<std::string>());
  }
  std::uint64_t checked = 0;
  for (const json& r : all) check_references(r, r, targets, urn_style, checked);
  CHECK(checked > all.size());
}

}  // namespace

TEST_CASE("truth counts equal the resources in each output", "[synth]") {
  for (const Format format : {Format::bundle, Format::ndjson}) {
    GeneratorOptions o = options(21, 200 * 1024, 3, "transaction");
    o.format = format;
    const Run r = run(o);
    REQUIRE(r.truth.providers.size() == 3);
    for (std::size_t p = 0; p < 3; ++p) {
      const auto& pt = r.truth.providers[p];
      CHECK(pt.bytes == r.outputs[p].size());
      CHECK(pt.name == "provider-" + std::to_string(p + 1));
      const auto actual = count_types(resources(r.outputs[p], format));
      CHECK(actual == pt.resources);
    }
  }
}

TEST_CASE("shared facts are identical across providers; nothing else is", "[synth]") {
  GeneratorOptions o = options(22, 300 * 1024, 3);
  o.overlap_percent = 40;
  const Run r = run(o);
  // For each fact (normalized), the providers holding it.
  std::map<std::string, std::map<std::string, int>> holders;  // type → key → providers
  for (const std::string& text : r.outputs) {
    std::set<std::string> seen;
    for (const json& res : resources(text, Format::bundle)) {
      const std::string type = res.at("resourceType");
      // Patients differ by record number; Medication resources are each
      // provider's own drug-list entries (the same drug reads the same).
      if (type == "Patient" || type == "Medication") continue;
      const std::string key = fact_key(res);
      INFO(type << " " << key);
      CHECK(seen.insert(key).second);  // no fact twice in one output
      ++holders[type][key];
    }
  }
  std::map<std::string, std::uint64_t> shared, duplicates;
  for (const auto& [type, keys] : holders) {
    for (const auto& [key, n] : keys) {
      if (n < 2) continue;
      ++shared[type];
      duplicates[type] += static_cast<std::uint64_t>(n - 1);
    }
  }
  auto truth_shared = r.truth.shared;
  auto truth_duplicates = r.truth.duplicates;
  CHECK(truth_shared["Patient"] == 1);
  CHECK(truth_duplicates["Patient"] == 2);
  truth_shared.erase("Patient");
  truth_duplicates.erase("Patient");
  CHECK(shared == truth_shared);
  CHECK(duplicates == truth_duplicates);
  CHECK(shared["Observation"] > 20);
  CHECK(shared["Encounter"] > 0);

  // What a merging reader should count.
  const auto merged = r.truth.expected_merged();
  const auto total = r.truth.total_resources();
  CHECK(merged.at("Patient") == 1);
  CHECK(merged.at("Observation") == total.at("Observation") - r.truth.duplicates.at("Observation"));
}

TEST_CASE("no overlap: nothing but the patient is shared", "[synth]") {
  GeneratorOptions o = options(23, 64 * 1024, 2);
  o.overlap_percent = 0;
  const Run r = run(o);
  CHECK(r.truth.shared == chartlock::synth::TypeCounts{{"Patient", 1}});
}

TEST_CASE("references resolve within each provider's output", "[synth]") {
  const Run bundles = run(options(24, 400 * 1024, 3, "transaction"));
  for (std::size_t p = 0; p < 3; ++p) check_output_references(bundles.outputs[p], Format::bundle, p != 1);

  GeneratorOptions o = options(24, 200 * 1024, 2);
  o.format = Format::ndjson;
  const Run ndjson = run(o);
  for (const std::string& text : ndjson.outputs) check_output_references(text, Format::ndjson, false);
}

TEST_CASE("out-of-range lab results carry H or L", "[synth]") {
  const Run r = run(options(25, 600 * 1024, 2));
  std::uint64_t with_range = 0, flagged = 0;
  for (std::size_t p = 0; p < 2; ++p) {
    for (const json& res : resources(r.outputs[p], Format::bundle)) {
      if (res.at("resourceType") != "Observation") continue;
      const bool lab = res.at("category")[0].at("coding")[0].at("code") == "laboratory";
      if (!res.contains("referenceRange")) {
        CHECK_FALSE(res.contains("interpretation"));
        continue;
      }
      REQUIRE(lab);
      ++with_range;
      const json& range = res.at("referenceRange")[0];
      const json& value = res.at("valueQuantity");
      const double v = value.at("value");
      std::string expected;
      if (range.contains("low")) {
        CHECK(range.at("low").at("code") == value.at("code"));
        if (v < range.at("low").at("value").get<double>()) expected = "L";
      }
      if (range.contains("high") && v > range.at("high").at("value").get<double>()) expected = "H";
      std::string actual;
      if (res.contains("interpretation")) actual = res.at("interpretation")[0].at("coding")[0].at("code");
      CAPTURE(res.dump());
      CHECK(actual == expected);
      flagged += !expected.empty();
    }
  }
  CHECK(with_range > 100);
  CHECK(flagged > 0);
}

TEST_CASE("provider 2 reports some unshared glucose and lipids in mmol/L", "[synth]") {
  const Run r = run(options(26, 600 * 1024, 2));
  const std::set<std::string> mass_measured = {"2345-7", "2093-3", "2085-9", "18262-6", "13457-7", "2571-8"};
  auto molar = [&](const json& res) {
    return res.at("resourceType") == "Observation" && res.contains("valueQuantity") &&
           mass_measured.count(res.at("code").at("coding")[0].at("code").get<std::string>()) == 1 &&
           res.at("valueQuantity").at("code") == "mmol/L";
  };
  std::set<std::string> provider1_keys;
  for (const json& res : resources(r.outputs[0], Format::bundle)) {
    CHECK_FALSE(molar(res));  // Synthea-like: mg/dL only
    provider1_keys.insert(fact_key(res));
  }
  std::uint64_t molar_count = 0;
  for (const json& res : resources(r.outputs[1], Format::bundle)) {
    if (!molar(res)) continue;
    ++molar_count;
    CHECK(provider1_keys.count(fact_key(res)) == 0);  // never a shared fact
  }
  CHECK(molar_count > 0);
}

TEST_CASE("visits are in chronological order and in the past", "[synth]") {
  const Run r = run(options(27, 300 * 1024, 2));
  for (const std::string& text : r.outputs) {
    std::int64_t previous = 0;
    for (const json& res : resources(text, Format::bundle)) {
      if (res.at("resourceType") != "Encounter") continue;
      const std::int64_t start = parse_time(res.at("period").at("start"));
      CHECK(start > previous);
      CHECK(start < r.truth.options.now);
      previous = start;
    }
  }
}

TEST_CASE("HbA1c and LDL drift over the years for some patients", "[synth]") {
  int rising = 0;
  for (std::uint64_t seed = 30; seed < 36; ++seed) {
    const Run r = run(options(seed, 512 * 1024));
    std::vector<double> a1c;
    for (const json& res : resources(r.outputs[0], Format::bundle)) {
      if (res.at("resourceType") == "Observation" && res.at("code").at("coding")[0].at("code") == "4548-4") {
        a1c.push_back(res.at("valueQuantity").at("value"));
      }
    }
    if (a1c.size() >= 2 && a1c.back() - a1c.front() >= 0.5) ++rising;
  }
  CHECK(rising >= 1);
}
