// SPDX-License-Identifier: Apache-2.0
// The output is valid-shaped FHIR: Bundles of the requested type with the
// entry parts that type needs, or NDJSON; the same person in every provider.
#include <catch2/catch.hpp>

#include <regex>

#include "synth/synth_test_util.hpp"

using namespace synth_test;
using Format = GeneratorOptions::Format;

namespace {

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

void check_resource_basics(const json& r, const GenerationTruth& truth) {
  REQUIRE(r.at("resourceType").is_string());
  REQUIRE(r.at("id").is_string());
  const std::string updated = r.at("meta").at("lastUpdated").get<std::string>();
  CHECK(parse_time(updated) <= truth.options.now);
}

}  // namespace

TEST_CASE("each supported bundle type is written with its entry parts", "[synth]") {
  for (const std::string& type : chartlock::synth::supported_bundle_types()) {
    DYNAMIC_SECTION(type) {
      const Run r = run(options(11, 48 * 1024, 2, type));
      for (std::size_t p = 0; p < r.outputs.size(); ++p) {
        const json bundle = json::parse(r.outputs[p]);
        CHECK(bundle.at("resourceType") == "Bundle");
        CHECK(bundle.at("type") == type);
        CHECK(bundle.at("id").is_string());
        const bool urn = p == 0;  // provider-1 is Synthea-like, provider-2 a FHIR server
        std::uint64_t matches = 0;
        for (const json& entry : bundle.at("entry")) {
          const json& resource = entry.at("resource");
          check_resource_basics(resource, r.truth);
          const std::string rtype = resource.at("resourceType");
          const std::string id = resource.at("id");
          const std::string full_url = entry.at("fullUrl");
          if (urn) {
            CHECK(full_url == "urn:uuid:" + id);
            CHECK(std::regex_match(id, kUuid));
          } else {
            CHECK(full_url == "https://provider-2.example/fhir/" + rtype + "/" + id);
          }
          if (type == "transaction") {
            CHECK(entry.at("request").at("method") == (urn ? "POST" : "PUT"));
            CHECK(entry.at("request").at("url") == (urn ? rtype : rtype + "/" + id));
          } else {
            CHECK_FALSE(entry.contains("request"));
          }
          if (type == "searchset") {
            const std::string mode = entry.at("search").at("mode");
            CHECK((mode == "match" || mode == "include"));
            matches += mode == "match";
          }
          if (type == "batch-response") {
            CHECK(entry.at("response").at("status") == "201 Created");
            CHECK(entry.at("response").at("location") == rtype + "/" + id + "/_history/1");
          }
        }
        if (type == "searchset") CHECK(bundle.at("total") == matches);
      }
    }
  }
}

TEST_CASE("NDJSON is one resource per line, no Bundle", "[synth]") {
  GeneratorOptions o = options(12, 48 * 1024, 2);
  o.format = Format::ndjson;
  const Run r = run(o);
  for (const std::string& text : r.outputs) {
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    const auto all = resources(text, Format::ndjson);
    CHECK(all.front().at("resourceType") == "Patient");
    for (const json& resource : all) {
      CHECK(resource.at("resourceType") != "Bundle");
      check_resource_basics(resource, r.truth);
    }
  }
}

TEST_CASE("every provider has its own Patient for the same person", "[synth]") {
  const Run r = run(options(13, 32 * 1024, 3));
  std::set<std::string> ids, record_numbers;
  for (const std::string& text : r.outputs) {
    const auto all = resources(text, Format::bundle);
    REQUIRE(count_types(all)["Patient"] == 1);
    const json& patient = all.front();
    REQUIRE(patient.at("resourceType") == "Patient");
    CHECK(patient.at("name")[0].at("family") == r.truth.patient.family);
    CHECK(patient.at("name")[0].at("given")[0] == r.truth.patient.given);
    CHECK(patient.at("birthDate") == r.truth.patient.birth_date);
    CHECK(patient.at("gender") == r.truth.patient.gender);
    CHECK(patient.at("extension")[0].at("url") == "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race");
    ids.insert(patient.at("id").get<std::string>());
    record_numbers.insert(patient.at("identifier")[0].at("value").get<std::string>());
  }
  CHECK(ids.size() == 3);
  CHECK(record_numbers.size() == 3);
}

TEST_CASE("the history holds the kinds of records real exports carry", "[synth]") {
  const Run r = run(options(14, 1024 * 1024, 2));
  const auto totals = r.truth.total_resources();
  for (const char* type : {"Encounter", "Observation", "DiagnosticReport", "Condition", "MedicationRequest",
                           "Immunization", "Procedure", "DocumentReference", "Organization", "Practitioner",
                           "Claim", "ExplanationOfBenefit", "Provenance"}) {
    CAPTURE(type);
    CHECK(totals.count(type) == 1);
  }
  // Lab results of several shapes.
  std::set<std::string> value_kinds;
  for (const std::string& text : r.outputs) {
    for (const json& res : resources(text, Format::bundle)) {
      if (res.at("resourceType") != "Observation") continue;
      for (const char* kind : {"valueQuantity", "valueCodeableConcept", "valueString", "component"}) {
        if (res.contains(kind)) value_kinds.insert(kind);
      }
    }
  }
  CHECK(value_kinds.size() == 4);
}
