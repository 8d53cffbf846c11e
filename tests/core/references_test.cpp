// SPDX-License-Identifier: Apache-2.0
// References in every form FHIR allows, resolved within their source.
#include <catch2/catch.hpp>

#include "ingest_support.hpp"

using chartlock::DiagnosticCode;

namespace {
std::string entry(const std::string& full_url, const std::string& resource) {
  return R"({"fullUrl":")" + full_url + R"(","resource":)" + resource + "}";
}
std::string bundle_of(const std::vector<std::string>& entries) {
  std::string out = R"({"resourceType":"Bundle","type":"transaction","entry":[)";
  for (std::size_t i = 0; i < entries.size(); ++i) out += (i ? "," : "") + entries[i];
  return out + "]}";
}
std::string encounter(const std::string& id) {
  return R"({"resourceType":"Encounter","id":")" + id +
         R"(","status":"finished","class":{"code":"AMB"},"period":{"start":"2020-01-0)" +
         id.substr(id.size() - 1) + R"("}})";
}
std::string obs_with_encounter(const std::string& id, const std::string& ref) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","code":{"text":"x"},"valueString":")" + id +
         R"(","encounter":{"reference":")" + ref + R"("}})";
}
}  // namespace

TEST_CASE("urn:uuid, relative, absolute and versioned references resolve", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("urn:uuid:0f6c1a5e-0000-4000-8000-000000000001", encounter("e1")),
      entry("https://ehr.example/fhir/Encounter/e2", encounter("e2")),
      entry("", encounter("e3")),
      entry("", obs_with_encounter("o1", "urn:uuid:0f6c1a5e-0000-4000-8000-000000000001")),
      entry("", obs_with_encounter("o2", "Encounter/e2")),
      entry("", obs_with_encounter("o3", "https://ehr.example/fhir/Encounter/e3/_history/2")),
      entry("", obs_with_encounter("o4", "Encounter/e1/_history/1")),
      entry("", obs_with_encounter("o5", "https://ehr.example/fhir/Encounter/e2"))}));
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());
  REQUIRE(r.encounters.size() == 3);
  REQUIRE(r.observations.size() == 5);
  CHECK(r.observations[0].encounter == r.encounters[0].key);
  CHECK(r.observations[1].encounter == r.encounters[1].key);
  CHECK(r.observations[2].encounter == r.encounters[2].key);
  CHECK(r.observations[3].encounter == r.encounters[0].key);
  CHECK(r.observations[4].encounter == r.encounters[1].key);
}

TEST_CASE("a reference may point forward in the source", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("", obs_with_encounter("o1", "Encounter/e9")), entry("", encounter("e9"))}));
  CHECK(r.warnings.empty());
  CHECK(r.observations.at(0).encounter == r.encounters.at(0).key);
}

TEST_CASE("dangling references are warnings with the reference's pointer", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("", obs_with_encounter("o1", "Encounter/missing")),
      entry("", obs_with_encounter("o2", "urn:uuid:00000000-0000-4000-8000-00000000dead")),
      entry("", obs_with_encounter("o3", "#contained"))}));
  CHECK(r.observations.size() == 3);
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/0/resource/encounter"));
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/1/resource/encounter"));
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/2/resource/encounter"));
  for (const auto& o : r.observations) CHECK(o.encounter.empty());
}

TEST_CASE("conditional references (transactions) are not dangling", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("", obs_with_encounter("o1", "Encounter?identifier=https://x|123"))}));
  CHECK(r.warnings.empty());
}

TEST_CASE("a reference to the wrong resource type is reported", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("", R"({"resourceType":"Patient","id":"p"})"),
      entry("", obs_with_encounter("o1", "Patient/p"))}));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/1/resource/encounter"));
}

// The links are kept in the references' own array, over those that give
// none (ingest.cpp, take_links): each must still land on its own item.
TEST_CASE("links after references that give none land on their own items", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("", encounter("e1")),
      entry("", R"({"resourceType":"Patient","id":"p"})"),
      entry("", obs_with_encounter("o1", "Encounter/missing")),
      entry("", obs_with_encounter("o2", "Patient/p")),
      entry("", obs_with_encounter("o3", "Encounter/e2")),
      entry("", obs_with_encounter("o4", "Encounter?identifier=x|1")),
      entry("", obs_with_encounter("o5", "Encounter/e1")),
      entry("", encounter("e2"))}));
  REQUIRE(r.observations.size() == 5);
  REQUIRE(r.encounters.size() == 2);
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/2/resource/encounter"));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/3/resource/encounter"));
  CHECK(r.observations[0].encounter.empty());
  CHECK(r.observations[1].encounter.empty());
  CHECK(r.observations[2].encounter == r.encounters[1].key);
  CHECK(r.observations[3].encounter.empty());
  CHECK(r.observations[4].encounter == r.encounters[0].key);
}

TEST_CASE("references are per source: the same id in another source is another resource", "[ingest][references]") {
  const auto r = test::ingest_all({
      {"a", bundle_of({entry("", encounter("e1"))})},
      {"b", bundle_of({entry("", obs_with_encounter("o1", "Encounter/e1"))})}});
  CHECK(test::has_warning(r, DiagnosticCode::dangling_reference, "/entry/0/resource/encounter"));
}

TEST_CASE("DiagnosticReport results and Observation members become item keys", "[ingest][references]") {
  const auto r = test::ingest_one(bundle_of({
      entry("urn:uuid:r", R"({"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"24323-8"}]},
          "effectiveDateTime":"2020-01-01","result":[{"reference":"urn:uuid:a"},{"reference":"urn:uuid:b"},{"reference":"urn:uuid:a"},{"display":"no reference"}],"conclusion":"normal"})"),
      entry("urn:uuid:a", obs_with_encounter("a", "")),
      entry("urn:uuid:b", R"({"resourceType":"Observation","status":"final","code":{"text":"panel"},"hasMember":[{"reference":"urn:uuid:a"}]})")}));
  INFO(test::warnings_text(r));
  REQUIRE(r.reports.size() == 1);
  REQUIRE(r.observations.size() == 2);
  CHECK(r.reports[0].results == std::vector<chartlock::ShortText>{r.observations[0].key, r.observations[1].key});
  CHECK(r.reports[0].conclusion == "normal");
  CHECK(r.observations[1].members == std::vector<chartlock::ShortText>{r.observations[0].key});
}

// What the widget's fetch brings besides the records (fhir-fetch.js,
// CHASED_TYPES): the Practitioner, Organization or Location a note's author
// or a visit's service provider points at gives the name shown.
TEST_CASE("authors and service providers named by reference get the target's name", "[ingest][references][names]") {
  const std::string note_base =
      R"({"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"contentType":"text/plain","data":"aGk="}}],)";
  const auto r = test::ingest_one(bundle_of({
      entry("https://ehr.example/fhir/Practitioner/dr",
            R"({"resourceType":"Practitioner","id":"dr","name":[{"use":"old","family":"Smith"},)"
            R"({"use":"official","prefix":["Dr."],"given":["Ada","B."],"family":"Lee","suffix":["MD","PhD"]}]})"),
      entry("", R"({"resourceType":"Practitioner","id":"np","name":[{"text":"Sam Ortiz, NP"}]})"),
      entry("", R"({"resourceType":"Practitioner","id":"nameless","name":[{"use":"official"}]})"),
      entry("urn:uuid:0f6c1a5e-0000-4000-8000-0000000000aa",
            R"({"resourceType":"Organization","id":"org","name":"Riverside Clinic"})"),
      entry("", note_base + R"("id":"n1","author":[{"reference":"Practitioner/dr"},{"display":"Front desk"},)"
                             R"({"reference":"https://ehr.example/fhir/Practitioner/np"},{"reference":"Practitioner/nameless"},)"
                             R"({"reference":"Practitioner/not-fetched"},{"reference":"urn:uuid:0f6c1a5e-0000-4000-8000-0000000000aa"}]})"),
      entry("", R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},)"
                R"("period":{"start":"2020-01-01"},"serviceProvider":{"reference":"urn:uuid:0f6c1a5e-0000-4000-8000-0000000000aa"}})"),
      entry("", R"({"resourceType":"Encounter","id":"e2","status":"finished","class":{"code":"AMB"},)"
                R"("period":{"start":"2020-01-02"},"serviceProvider":{"reference":"Organization/elsewhere","display":"Its own words"}})")}));
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());  // a name not in the source is not a problem of the record
  REQUIRE(r.documents.size() == 1);
  CHECK(r.documents[0].authors ==
        std::vector<std::string>{"Dr. Ada B. Lee, MD PhD", "Front desk", "Sam Ortiz, NP", "Riverside Clinic"});
  REQUIRE(r.encounters.size() == 2);
  CHECK(r.encounters[0].serviceProvider == "Riverside Clinic");
  CHECK(r.encounters[1].serviceProvider == "Its own words");
}

TEST_CASE("ids and fullUrls longer than the draft's text blocks resolve, among many", "[ingest][references][arena]") {
  // The draft keeps its texts in 64 KiB blocks; a text over 16 KiB gets one
  // of its own. Thousands of small ones around them fill many blocks.
  const std::string long_id = "e" + std::string(70000, 'x') + "1";
  const std::string long_url = "urn:uuid:" + std::string(20000, 'u');
  std::vector<std::string> entries{entry("", encounter(long_id)), entry(long_url, encounter("e2"))};
  for (int i = 0; i < 3000; ++i) {
    entries.push_back(entry("", obs_with_encounter("o" + std::to_string(i), i % 2 ? "Encounter/" + long_id : long_url)));
  }
  const auto r = test::ingest_one(bundle_of(entries));
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());
  REQUIRE(r.encounters.size() == 2);
  REQUIRE(r.observations.size() == 3000);
  for (int i = 0; i < 3000; ++i) {
    REQUIRE(r.observations[static_cast<std::size_t>(i)].encounter == r.encounters[i % 2 ? 0 : 1].key);
  }
}

namespace {
// Hands out a text's bytes `size` at a time.
struct Pieces : chartlock::ChunkReader {
  Pieces(const std::string& t, std::size_t n) : text(t), size(n) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min({capacity, size, text.size() - at});
    text.copy(buffer, n, at);
    at += n;
    return n;
  }
  const std::string& text;
  std::size_t size;
  std::size_t at = 0;
};
std::string with_subject(std::string resource, const std::string& patient) {
  resource.insert(resource.size() - 1, R"(,"subject":{"reference":"Patient/)" + patient + R"("})");
  return resource;
}
}  // namespace

// The references of a source are resolved once it is read, before the
// other sources and the persons are known: forward and backward across
// chunks, dangling, of the wrong type, and to another person's resource.
TEST_CASE("an export read in chunks resolves references across chunks, each person's alone",
          "[ingest][references][chunked]") {
  const std::string patient_a =
      R"({"resourceType":"Patient","id":"pa","name":[{"family":"Alpha","given":["Ann"]}],"gender":"female","birthDate":"1950-01-01"})";
  const std::string patient_b =
      R"({"resourceType":"Patient","id":"pb","name":[{"family":"Beta","given":["Bob"]}],"gender":"male","birthDate":"1960-02-02"})";
  const std::vector<std::string> lines = {
      patient_a,
      with_subject(obs_with_encounter("o1", "Encounter/e2"), "pa"),  // forward, chunks later
      with_subject(encounter("e1"), "pa"),
      with_subject(obs_with_encounter("o2", "Encounter/e1"), "pa"),  // backward
      with_subject(obs_with_encounter("o3", "Encounter/missing"), "pa"),
      with_subject(obs_with_encounter("o4", "Patient/pa"), "pa"),  // not an Encounter
      patient_b,
      with_subject(encounter("e3"), "pb"),
      with_subject(obs_with_encounter("o5", "Encounter/e3"), "pa"),  // the other person's
      with_subject(encounter("e2"), "pa"),
      with_subject(obs_with_encounter("o6", "Encounter/e3"), "pb"),
  };
  std::string ndjson;
  for (const std::string& line : lines) ndjson += line + "\n";

  const auto read = [&](std::size_t chunk, std::size_t person) {
    chartlock::RecordBuilder builder;
    if (chunk == 0) {
      builder.add(chartlock::Source{"export.ndjson", ndjson});
    } else {
      Pieces pieces(ndjson, chunk);
      builder.add_chunked(chartlock::ChunkedSource{"export.ndjson", ndjson.size(), chartlock::Source::Format::detect, chunk},
                          pieces);
    }
    const std::vector<chartlock::Person> persons = builder.persons();
    REQUIRE(persons.size() == 2);
    const auto it = std::find_if(persons.begin(), persons.end(), [&](const chartlock::Person& p) {
      return p.patient.family == (person == 0 ? "Alpha" : "Beta");
    });
    REQUIRE(it != persons.end());
    return builder.finish(it->key);
  };
  const chartlock::Record a = read(7, 0);
  INFO(test::warnings_text(a));
  REQUIRE(a.observations.size() == 5);
  REQUIRE(a.encounters.size() == 2);
  const auto key_of = [](const chartlock::Record& r, const std::string& id) {
    for (const auto& e : r.encounters) {
      if (e.sources.front().id() == id) return e.key.str();
    }
    return std::string("none");
  };
  const auto obs = [](const chartlock::Record& r, const std::string& id) {
    for (const auto& o : r.observations) {
      if (o.sources.front().id() == id) return o;
    }
    FAIL("no observation " << id);
    return chartlock::Observation{};
  };
  CHECK(obs(a, "o1").encounter == key_of(a, "e2"));
  CHECK(obs(a, "o2").encounter == key_of(a, "e1"));
  CHECK(obs(a, "o3").encounter.empty());
  CHECK(obs(a, "o4").encounter.empty());
  CHECK(obs(a, "o5").encounter.empty());
  // o3's reference dangles, o4's names a Patient, in that order; o5's, to
  // the other person's Encounter, is left out quietly. (An NDJSON line's
  // pointer is within the line: every one here is "/encounter".)
  std::vector<DiagnosticCode> said;
  for (const auto& w : a.warnings) said.push_back(w.code);
  CHECK(said == std::vector<DiagnosticCode>{DiagnosticCode::dangling_reference, DiagnosticCode::invalid_value});
  CHECK(test::has_warning(a, DiagnosticCode::dangling_reference, "/encounter"));
  // An entry's type is read from its item: the Patient's was moved into the
  // record (merge_patients) before the links were checked, and is still named.
  CHECK(std::any_of(a.warnings.begin(), a.warnings.end(), [](const chartlock::Diagnostic& w) {
    return w.message == "reference points at a Patient, expected Encounter";
  }));
  const chartlock::Record b = read(7, 1);
  REQUIRE(b.observations.size() == 1);
  CHECK(b.observations[0].encounter == key_of(b, "e3"));
  // Read whole, and in chunks of every size around a line's: the same records and warnings.
  for (std::size_t person : {0, 1}) {
    const std::string whole = chartlock::record_to_json_text(read(0, person));
    for (std::size_t chunk : {1, 7, 64, 300, 100000}) {
      INFO("chunk " << chunk << ", person " << person);
      CHECK(chartlock::record_to_json_text(read(chunk, person)) == whole);
    }
  }
}

// Links are written from blocks of 8,192, each freed once written: runs
// and links across a block's end are written as within one.
TEST_CASE("links across the blocks they are written from all land, an item's run sized once", "[ingest][references]") {
  constexpr int n = 9000;  // encounter links 0..8999, then the panel's 9,000 members: three blocks
  std::string ndjson = encounter("e1") + "\n";
  std::string members;
  for (int i = 0; i < n; ++i) {
    ndjson += obs_with_encounter("m" + std::to_string(i), "Encounter/e1") + "\n";
    members += std::string(i ? "," : "") + R"({"reference":"Observation/m)" + std::to_string(i) + R"("})";
  }
  ndjson += R"({"resourceType":"Observation","id":"panel","status":"final","code":{"text":"panel"},"hasMember":[)" +
            members + "]}\n";
  const chartlock::Record r = test::ingest_one(ndjson, "export.ndjson");
  INFO(test::warnings_text(r));
  REQUIRE(r.encounters.size() == 1);
  REQUIRE(r.observations.size() == n + 1);
  const chartlock::Observation* panel = nullptr;
  std::size_t with_encounter = 0;
  for (const auto& o : r.observations) {
    if (o.sources.front().id() == "panel") panel = &o;
    else if (o.encounter == r.encounters[0].key) ++with_encounter;
  }
  CHECK(with_encounter == static_cast<std::size_t>(n));
  REQUIRE(panel != nullptr);
  CHECK(panel->members.size() == static_cast<std::size_t>(n));
  CHECK(panel->members.capacity() == static_cast<std::size_t>(n));  // reserved once, across blocks
}
