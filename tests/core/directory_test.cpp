// SPDX-License-Identifier: Apache-2.0
// The provider directory: SMART User-access Brands bundles in, typo-tolerant search out.
#include <catch2/catch.hpp>

#include <set>

#include "chartlock/diagnostic.hpp"
#include "chartlock/directory.hpp"
#include "directory/word_match.hpp"
#include "text/fold.hpp"

using chartlock::Directory;

namespace {

std::string org(const std::string& id, const std::string& name, const std::string& city,
                const std::string& state, const std::string& extra = "") {
  return R"({"resource":{"resourceType":"Organization","id":")" + id + R"(","name":")" + name +
         R"(","address":[{"city":")" + city + R"(","state":")" + state + R"("}])" + extra + "}}";
}
std::string endpoint(const std::string& id, const std::string& address) {
  return R"({"fullUrl":"urn:uuid:)" + id + R"(","resource":{"resourceType":"Endpoint","id":")" + id +
         R"(","status":"active","connectionType":{"code":"hl7-fhir-rest"},"address":")" + address + R"("}})";
}
std::string bundle(const std::vector<std::string>& entries) {
  std::string out = R"({"resourceType":"Bundle","type":"collection","entry":[)";
  for (std::size_t i = 0; i < entries.size(); ++i) out += (i ? "," : "") + entries[i];
  return out + "]}";
}
std::vector<std::string> names(const chartlock::DirectorySearch& found) {
  std::vector<std::string> out;
  for (const auto& m : found.matches) out.push_back(m.entry->name);
  return out;
}
// "Name, City" for each match: what tells same-named providers apart.
std::vector<std::string> places(const chartlock::DirectorySearch& found) {
  std::vector<std::string> out;
  for (const auto& m : found.matches) out.push_back(m.entry->name + ", " + m.entry->city);
  return out;
}
// A brand with one endpoint of its own.
std::string brand(const std::string& id, const std::string& name, const std::string& city, const std::string& state,
                  const std::string& fhir_base = "") {
  return org(id, name, city, state, R"(,"endpoint":[{"reference":"Endpoint/ep-)" + id + R"("}])") + "," +
         endpoint("ep-" + id, fhir_base.empty() ? "https://" + id + ".example/fhir" : fhir_base);
}

const std::string directory_json = bundle({
    org("rfm", "Riverside Family Medicine", "Springfield", "IL", R"(,"endpoint":[{"reference":"Endpoint/ep1"}],"alias":["RFM"])"),
    endpoint("ep1", "https://rfm.example/fhir"),
    org("smh", "St. Mary's Hospital", "Rochester", "MN",
        R"(,"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/organization-portal","extension":[
           {"url":"portalName","valueString":"MyMary Portal"},{"url":"portalUrl","valueUrl":"https://mymary.example"},
           {"url":"portalEndpoint","valueReference":{"reference":"urn:uuid:ep2"}}]},
           {"url":"http://hl7.org/fhir/StructureDefinition/organization-brand","extension":[{"url":"brandLogo","valueUrl":"https://smh.example/logo.svg"}]}])"),
    endpoint("ep2", "https://smh.example/r4"),
    org("lak", "Lakeview Clínica Pediátrica", "San José", "CA", R"(,"endpoint":[{"reference":"Endpoint/ep3"},{"reference":"Endpoint/ep4"}])"),
    endpoint("ep3", "https://lakeview.example/adult/fhir"),
    endpoint("ep4", "https://lakeview.example/peds/fhir"),
    org("none", "Orphan Clinic", "Nowhere", "NV"),
    org("dangling", "Dangling Clinic", "Nowhere", "NV", R"(,"endpoint":[{"reference":"Endpoint/missing"}])"),
});

}  // namespace

TEST_CASE("directory: brands with their FHIR endpoints become entries", "[directory]") {
  const Directory d = Directory::load(directory_json);
  REQUIRE(d.entries().size() == 4);  // Lakeview has two endpoints
  CHECK(d.skipped() == 2);
  const auto& rfm = d.entries()[0];
  CHECK(rfm.name == "Riverside Family Medicine");
  CHECK(rfm.fhirBase == "https://rfm.example/fhir");
  CHECK(rfm.city == "Springfield");
  CHECK(rfm.aliases == std::vector<std::string>{"RFM"});
  const auto& smh = d.entries()[1];
  CHECK(smh.portalName == "MyMary Portal");
  CHECK(smh.portalUrl == "https://mymary.example");
  CHECK(smh.logo == "https://smh.example/logo.svg");
  CHECK(smh.fhirBase == "https://smh.example/r4");
  CHECK(d.entries()[2].id != d.entries()[3].id);
}

TEST_CASE("directory: search by name, alias, portal or place", "[directory]") {
  const Directory d = Directory::load(directory_json);
  CHECK(names(d.search("riverside")) == std::vector<std::string>{"Riverside Family Medicine"});
  CHECK(names(d.search("rfm")) == std::vector<std::string>{"Riverside Family Medicine"});
  CHECK(names(d.search("mymary")) == std::vector<std::string>{"St. Mary's Hospital"});
  CHECK(names(d.search("rochester mn")) == std::vector<std::string>{"St. Mary's Hospital"});
  CHECK(names(d.search("St. Mary's")) == std::vector<std::string>{"St. Mary's Hospital"});
  CHECK(d.search("springfield family").matches.size() == 1);
  CHECK(d.search("").matches.empty());
  CHECK(d.search("").total == 0);
  CHECK(d.search("cardiology").matches.empty());
}

TEST_CASE("directory: typos, accents and words still being typed", "[directory]") {
  const Directory d = Directory::load(directory_json);
  CHECK(names(d.search("rivreside")) == std::vector<std::string>{"Riverside Family Medicine"});    // swap
  CHECK(names(d.search("riversde famly")) == std::vector<std::string>{"Riverside Family Medicine"});
  CHECK(names(d.search("hospitl")) == std::vector<std::string>{"St. Mary's Hospital"});
  CHECK(names(d.search("river")) == std::vector<std::string>{"Riverside Family Medicine"});         // prefix
  CHECK(d.search("clinica pediatrica").matches.size() == 2);                                                // accents folded
  CHECK(d.search("san jose").matches.size() == 2);
  CHECK(d.search("lakevew pedi").matches.size() == 2);
  CHECK(d.search("river hospital").total == 0);  // every word must match
}

TEST_CASE("directory: better matches come first; the limit holds", "[directory]") {
  const Directory d = Directory::load(bundle({
      org("a", "Mercy Heart Institute", "Denver", "CO", R"(,"endpoint":[{"reference":"Endpoint/e1"}])"), endpoint("e1", "https://a.example"),
      org("b", "Mercy", "Denver", "CO", R"(,"endpoint":[{"reference":"Endpoint/e2"}])"), endpoint("e2", "https://b.example"),
      org("c", "Mercie Clinic", "Denver", "CO", R"(,"endpoint":[{"reference":"Endpoint/e3"}])"), endpoint("e3", "https://c.example")}));
  const auto m = d.search("mercy").matches;
  REQUIRE(m.size() == 3);
  CHECK(m[0].entry->name == "Mercy");               // exact, the whole name
  CHECK(m[1].entry->name == "Mercy Heart Institute");
  CHECK(m[2].entry->name == "Mercie Clinic");       // one typo
  CHECK(m[0].score > m[2].score);
  CHECK(d.search("mercy", 1).matches.size() == 1);
  CHECK(d.search("mercy", 1).total == 3);  // how many there are beyond the limit
  CHECK(d.search("denver", 2).matches.size() == 2);
  CHECK(d.search("denver", 0).total == 3);  // a count alone
}

TEST_CASE("directory: every query word counts, exact > prefix > typo", "[directory]") {
  const Directory d = Directory::load(bundle({
      brand("typo", "Mercie Hospital", "Denver", "CO"), brand("prefix", "Mercyhurst Hospital", "Denver", "CO"),
      brand("exact", "Mercy Hospital", "Denver", "CO"), brand("city-typo", "Mercy Hospital", "Denvr", "CO"),
      brand("other", "Mercy Clinic", "Denver", "CO")}));
  // The last word may still be being typed: a prefix counts for it only.
  const auto found = d.search("hospital mercy");
  CHECK(names(found) == std::vector<std::string>{"Mercy Hospital", "Mercy Hospital", "Mercyhurst Hospital", "Mercie Hospital"});
  REQUIRE(found.matches.size() == 4);
  CHECK(found.matches[0].score > found.matches[2].score);  // exact beats prefix
  CHECK(found.matches[2].score > found.matches[3].score);  // prefix beats a typo
  // The sum over the words: a typo in one word ranks below none.
  CHECK(places(d.search("mercy hospital denver")).front() == "Mercy Hospital, Denver");
  CHECK(places(d.search("mercy hospital denver")).at(1) == "Mercy Hospital, Denvr");
  // "mercy" typed in full: not Mercyhurst (a prefix counts for the last word
  // only), not Mercie (two letters off a short word).
  CHECK(d.search("mercy hospital denver").total == 2);
}

TEST_CASE("directory: a typo over many same-named providers shows each name before repeating one", "[directory]") {
  std::vector<std::string> entries;
  const char* cities[] = {"Austin", "Boise", "Denver", "Fresno", "Omaha", "Tulsa"};
  for (const char* city : cities) entries.push_back(brand(std::string("clinic-") + city, "Riverside Clinic", city, "XX"));
  for (const char* city : {"Austin", "Boise", "Denver"}) entries.push_back(brand(std::string("hospital-") + city, "Riverside Hospital", city, "XX"));
  for (const char* city : {"Omaha", "Tulsa"}) entries.push_back(brand(std::string("rfm-") + city, "Riverside Family Medicine", city, "XX"));
  entries.push_back(brand("rrmc", "Riverside Regional Medical Center", "Austin", "XX"));
  const Directory d = Directory::load(bundle(entries));
  const auto found = d.search("Riversde", 5);
  CHECK(found.total == 12);
  // Equally well matched: one of each name first, fewer words left
  // unmatched first, then a second of each; places tell them apart.
  CHECK(places(found) == std::vector<std::string>{"Riverside Clinic, Austin", "Riverside Hospital, Austin",
                                                  "Riverside Family Medicine, Omaha",
                                                  "Riverside Regional Medical Center, Austin", "Riverside Clinic, Boise"});
  // Every match is still there past the first page, each once.
  const auto all = d.search("Riversde", 100);
  CHECK(all.matches.size() == 12);
  std::set<const chartlock::DirectoryEntry*> distinct;
  for (const auto& m : all.matches) distinct.insert(m.entry);
  CHECK(distinct.size() == 12);
  // More words typed: the names that have them, and only those.
  CHECK(names(d.search("riversde family")) == std::vector<std::string>{"Riverside Family Medicine", "Riverside Family Medicine"});
}

TEST_CASE("directory: the whole name typed ranks first, same-named providers by place", "[directory]") {
  const Directory d = Directory::load(bundle({
      brand("annex", "Riverside Clinic Annex", "Austin", "TX"), brand("b", "Riverside Clinic", "Denver", "CO"),
      brand("c", "Riverside Clinic", "Aspen", "CO"), brand("a", "Riverside Clinic", "Boise", "ID")}));
  // Better whole-name matches first (all three are the name typed), by
  // state then city; the longer name after them.
  CHECK(places(d.search("riverside clinic")) == std::vector<std::string>{
            "Riverside Clinic, Aspen", "Riverside Clinic, Denver", "Riverside Clinic, Boise", "Riverside Clinic Annex, Austin"});
  // The order does not depend on the order of the directory file.
  const Directory reversed = Directory::load(bundle({
      brand("a", "Riverside Clinic", "Boise", "ID"), brand("c", "Riverside Clinic", "Aspen", "CO"),
      brand("b", "Riverside Clinic", "Denver", "CO"), brand("annex", "Riverside Clinic Annex", "Austin", "TX")}));
  CHECK(places(reversed.search("riverside clinic")) == places(d.search("riverside clinic")));
  CHECK(places(reversed.search("clinic")) == places(d.search("clinic")));
}

TEST_CASE("directory: one provider listed twice is found once", "[directory]") {
  const Directory d = Directory::load(bundle({
      brand("one", "Riverside Clinic", "Austin", "TX", "https://riverside.example/fhir"),
      brand("again", "Riverside Clinic", "Austin", "TX", "https://riverside.example/fhir/"),  // the same endpoint
      brand("elsewhere", "Riverside Clinic", "Omaha", "NE", "https://riverside-omaha.example/fhir"),
      brand("other", "Riverside Hospital", "Austin", "TX", "https://riverside.example/fhir")}));
  REQUIRE(d.entries().size() == 4);
  const auto found = d.search("riverside");
  CHECK(found.total == 3);
  CHECK(places(found) == std::vector<std::string>{"Riverside Clinic, Omaha", "Riverside Hospital, Austin", "Riverside Clinic, Austin"});
}

TEST_CASE("directory: input that is not a Bundle is an error", "[directory]") {
  CHECK_THROWS_AS(Directory::load("{"), chartlock::IngestError);
  CHECK_THROWS_AS(Directory::load(R"({"resourceType":"Organization"})"), chartlock::IngestError);
  CHECK(Directory::load(R"({"resourceType":"Bundle"})").entries().empty());
  // Wrong shapes inside are skipped, not fatal.
  const Directory d = Directory::load(
      R"({"resourceType":"Bundle","entry":[1,{"resource":7},{"resource":{"resourceType":"Endpoint"}},{"resource":{"resourceType":"Organization","name":5,"endpoint":"x"}}]})");
  CHECK(d.entries().empty());
  CHECK(d.skipped() == 1);
}

TEST_CASE("word matching and folding", "[directory]") {
  using chartlock::directory::edit_distance;
  using chartlock::directory::word_score;
  CHECK(edit_distance("kitten", "sitting", 5) == 3);
  CHECK(edit_distance("kitten", "sitting", 2) == 3);  // stops past the bound
  CHECK(edit_distance("ab", "ba", 2) == 1);           // a swap is one typo
  CHECK(edit_distance("", "abc", 5) == 3);
  CHECK(word_score("mary", "mary", false) == 100);
  CHECK(word_score("mar", "mary", true) == 80);
  CHECK(word_score("mar", "mary", false) == 0);
  CHECK(word_score("mass", "mary", true) == 0);       // two letters off a short word
  CHECK(word_score("hospitl", "hospital", false) == 60);
  CHECK(word_score("hsopit", "hospital", true) == 50);
  CHECK(word_score("pediatrcs", "pediatrics", false) == 60);
  CHECK(word_score("pedaitrcs", "pediatrics", false) == 40);
  CHECK(chartlock::text::fold_words("St. Mary's — Clínica Ñandú, Łódź ß") ==
        std::vector<std::string>{"st", "marys", "clinica", "nandu", "lodz", "ss"});
}
