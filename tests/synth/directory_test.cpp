// SPDX-License-Identifier: Apache-2.0
// The generated provider directory: valid brands bundles that the core's
// directory reads back, with the demo listings findable through typos.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "chartlock/directory.hpp"
#include "chartlock/synth/directory.hpp"

namespace {
std::string generate(std::uint64_t count, std::uint64_t seed = 1,
                     std::vector<chartlock::synth::DirectoryListing> listings = {}) {
  chartlock::synth::DirectoryOptions o;
  o.count = count;
  o.seed = seed;
  o.listings = std::move(listings);
  std::ostringstream out;
  CHECK(chartlock::synth::generate_directory(o, out) == count + o.listings.size());
  return out.str();
}
}  // namespace

TEST_CASE("generated directories are deterministic and read back whole", "[synth][directory]") {
  const std::string a = generate(500, 4);
  CHECK(a == generate(500, 4));
  CHECK(a != generate(500, 5));
  const auto d = chartlock::Directory::load(a);
  CHECK(d.entries().size() == 500);
  CHECK(d.skipped() == 0);
  std::set<std::string> seen;
  for (const auto& e : d.entries()) {
    CHECK(seen.insert(e.name + "|" + e.city).second);  // no two brands alike
    CHECK(e.fhirBase.rfind("https://fhir.", 0) == 0);
    CHECK(!e.portalName.empty());
    CHECK(!e.logo.empty());
  }
}

TEST_CASE("listings come first, stay unique, and are found despite typos among 10,000", "[synth][directory]") {
  const std::string json = generate(10000, 1, {{"Riverside Family Medicine", "Springfield", "IL", "http://127.0.0.1:1/fhir"},
                                               {"Lakeview Clínica", "San José", "CA", "http://127.0.0.1:2/fhir"}});
  const auto d = chartlock::Directory::load(json);
  REQUIRE(d.entries().size() == 10002);
  CHECK(d.entries()[0].fhirBase == "http://127.0.0.1:1/fhir");
  const auto m = d.search("rivrside famly springfeld", 5).matches;
  REQUIRE(!m.empty());
  CHECK(m[0].entry->fhirBase == "http://127.0.0.1:1/fhir");
  const auto l = d.search("lakeview clinica san jose", 5).matches;
  REQUIRE(!l.empty());
  CHECK(l[0].entry->fhirBase == "http://127.0.0.1:2/fhir");
}
