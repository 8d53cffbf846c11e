// SPDX-License-Identifier: Apache-2.0
// The golden test: every output a record leads to — the record JSON with
// each resource's original, the summary (JSON and Markdown), the consent
// catalog, shares under several consents and their IPS — over the committed
// fixtures and generated multi-provider patients, compared byte for byte
// (SHA-256) with tests/golden/outputs.sha256. It guards changes to how the
// record is held (docs/performance.md): they must not change one byte.
//
// After a change that is meant to change outputs, rewrite the digests with
//   CHARTLOCK_GOLDEN_UPDATE=1 build/tests/chartlock_synth_tests '[golden]'
// and say in the commit why they changed. CHARTLOCK_GOLDEN_DUMP=DIR also
// writes every output to DIR (to diff two builds).
#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "chartlock/consent.hpp"
#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/jws.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/ips.hpp"
#include "chartlock/record_json.hpp"
#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "synth_test_util.hpp"

namespace {

const std::string kToday = "2026-03-15";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fixture(const std::string& name) { return read_file(std::string(CHARTLOCK_FIXTURES) + "/" + name); }

// The one fixture stored gzipped (tests/fixtures/synthea-r4/README.md).
std::string gunzip(const std::string& in) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 16 + MAX_WBITS) == Z_OK);
  std::string out;
  char buffer[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  inflateEnd(&z);
  REQUIRE(rc == Z_STREAM_END);
  return out;
}

std::string hex_sha256(const std::string& text) {
  const auto digest = chartlock::crypto::jws::sha256(text);
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : digest) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

struct Input {
  std::string name;  // as provenance shows it: a file name, never a path of this machine
  std::string bytes;
};

struct Case {
  std::string name;
  std::vector<Input> inputs;
  chartlock::IngestOptions options;
};

// The consents the shares are built under: everything a broad scope allows;
// narrow scopes with every sensitive category on and a date range; and
// hidden name and dates, categories off, items removed one by one and a
// chosen list that also names a key the record lacks.
std::vector<std::pair<std::string, chartlock::ShareRequest>> requests(const chartlock::Record& record) {
  std::vector<std::pair<std::string, chartlock::ShareRequest>> out;
  chartlock::ShareRequest all;
  all.consent = chartlock::default_consent({"patient/*.rs"});
  all.today = kToday;
  out.emplace_back("all", all);

  chartlock::ShareRequest narrow;
  narrow.consent = chartlock::default_consent({"patient/Condition.rs", "patient/Observation.rs?category=laboratory",
                                               "patient/MedicationRequest.rs", "patient/Patient.rs",
                                               "patient/Immunization.rs"});
  narrow.consent.sensitive = {"mental-health", "substance-use", "reproductive-sexual-health"};
  narrow.consent.from = "2018-01-01";
  narrow.consent.to = "2024-12-31";
  narrow.today = kToday;
  out.emplace_back("narrow", narrow);

  chartlock::ShareRequest hidden;
  hidden.consent = chartlock::default_consent({"patient/*.rs"});
  hidden.consent.categories.erase(chartlock::Category::patient);
  hidden.consent.categories.erase(chartlock::Category::documents);
  hidden.consent.sensitive = {"mental-health"};
  hidden.consent.shift_days = -41;
  hidden.consent.from = "2010-06-01";
  const auto catalog = chartlock::consent_catalog(record);
  std::set<std::string> chosen{"cond-0000000000000000"};
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    if (i % 7 == 3) hidden.consent.exclude.insert(catalog[i].key);
    if (i % 2 == 0) chosen.insert(catalog[i].key);
  }
  hidden.keys = chosen;
  hidden.today = kToday;
  out.emplace_back("hidden", hidden);
  return out;
}

std::string share_text(const chartlock::ShareContent& share) {
  std::string out = chartlock::parts_to_json(share).dump();
  auto list = [&](const char* label, const std::vector<std::string>& values) {
    out += "\n";
    out += label;
    for (const auto& v : values) out += " " + v;
  };
  list("keys", share.keys);
  list("ids", share.ids);
  list("sources", share.sources);
  out += share.patient ? "\npatient" : "\nno patient";
  for (const auto& [type, n] : share.counts) out += "\ncount " + type + " " + std::to_string(n);
  for (const auto& [category, n] : share.by_category) out += "\ncategory " + category + " " + std::to_string(n);
  for (const auto& r : share.refused) out += "\nrefused " + r.key + " " + chartlock::to_string(r.why);
  return out;
}

// Every output of one case, by name.
std::map<std::string, std::string> outputs(const Case& c) {
  std::vector<chartlock::Source> sources;
  for (const auto& in : c.inputs) sources.push_back({in.name, in.bytes});
  const chartlock::Record record = chartlock::ingest(sources, c.options);

  std::map<std::string, std::string> out;
  chartlock::RecordJsonOptions with_raw;
  with_raw.include_raw = true;
  out["record.json"] = chartlock::record_to_json_text(record, with_raw);
  chartlock::SummaryOptions summary_options;
  summary_options.today = kToday;
  const chartlock::Summary summary = chartlock::summarize(record, summary_options);
  out["summary.json"] = chartlock::summary_to_json_text(summary);
  out["summary.md"] = chartlock::summary_to_markdown(summary);
  out["catalog.json"] = chartlock::to_json(chartlock::consent_catalog(record)).dump();
  for (const auto& [name, request] : requests(record)) {
    out["share-" + name] = share_text(chartlock::build_share(record, request));
    const auto ips = chartlock::build_ips(record, request);
    std::string ips_text = ips.json;
    for (const auto& k : ips.keys) ips_text += "\n" + k;
    for (const auto& s : ips.sources) ips_text += "\n" + s;
    out["ips-" + name] = ips_text;
  }
  return out;
}

Case generated(const std::string& name, std::uint64_t seed, std::uint64_t bytes_each,
               chartlock::synth::GeneratorOptions::Format format, const std::string& bundle_type) {
  auto options = synth_test::options(seed, bytes_each, 3, bundle_type);
  options.format = format;
  options.overlap_percent = 40;
  const auto run = synth_test::run(options);
  Case c{name, {}, {}};
  for (std::size_t i = 0; i < run.outputs.size(); ++i) {
    c.inputs.push_back({run.truth.providers[i].name, run.outputs[i]});
  }
  return c;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({"clinic-a+b", {{"clinic-a.json", fixture("fhir/clinic-a.json")},
                                {"clinic-b.json", fixture("fhir/clinic-b.json")}}, {}});
  out.push_back({"export.ndjson", {{"export.ndjson", fixture("fhir/export.ndjson")}}, {}});
  out.push_back({"with-warnings", {{"with-warnings.json", fixture("fhir/with-warnings.json")}}, {}});
  out.push_back({"ips-minimal", {{"Bundle-bundle-minimal.json", fixture("ips/Bundle-bundle-minimal.json")}}, {}});
  for (const char* f : {"Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json",
                        "Kermit_Trantow_f1a650a5-737e-4fd7-828e-03c3348b9524.json",
                        "Laticia_Dibbert_b23f172c-8c92-4757-87a8-7f64c13639d3.json",
                        "Raul_Fernandez_a464d81c-9711-436b-a0e9-a3c9f65dbda9.json"}) {
    out.push_back({std::string("synthea-") + f, {{f, fixture(std::string("synthea-r4/") + f)}}, {}});
  }
  out.push_back({"synthea-Juliette_Padberg",
                 {{"Juliette_Padberg.json",
                   gunzip(fixture("synthea-r4/Juliette_Padberg_4acd4ca8-d54b-47f4-bd13-051276711265.json.gz"))}},
                 {}});
  for (const char* f : {"ccd.xml", "discharge-summary.xml", "progress-note.xml"}) {
    out.push_back({std::string("ccda-") + f, {{f, fixture(std::string("ccda/") + f)}}, {}});
  }
  chartlock::IngestOptions cards;
  cards.card_keys.push_back({"", fixture("shc/issuer.jwks.json")});
  out.push_back({"shc-00", {{"example-00.smart-health-card", fixture("shc/example-00-e-file.smart-health-card")}}, cards});
  out.push_back({"shc-02", {{"example-02.smart-health-card", fixture("shc/example-02-e-file.smart-health-card")}}, cards});
  using Format = chartlock::synth::GeneratorOptions::Format;
  out.push_back(generated("generated-1mb-ndjson", 1701, 350 * 1024, Format::ndjson, "collection"));
  out.push_back(generated("generated-5mb-transaction", 1702, 1700 * 1024, Format::bundle, "transaction"));
  return out;
}

std::string golden_path() { return std::string(CHARTLOCK_GOLDEN) + "/outputs.sha256"; }

// "<sha256>  <bytes>  <case>/<output>" per line, sorted by name.
std::map<std::string, std::string> read_expected() {
  std::map<std::string, std::string> out;
  std::istringstream lines(read_file(golden_path()));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string digest, bytes, name;
    fields >> digest >> bytes >> name;
    out[name] = digest + "  " + bytes;
  }
  return out;
}

}  // namespace

TEST_CASE("every output is byte-identical to the committed digests", "[golden]") {
  const char* dump = std::getenv("CHARTLOCK_GOLDEN_DUMP");
  std::map<std::string, std::string> actual;
  for (const Case& c : cases()) {
    INFO("case " << c.name);
    for (const auto& [name, text] : outputs(c)) {
      actual[c.name + "/" + name] = hex_sha256(text) + "  " + std::to_string(text.size());
      if (dump) {
        std::ofstream(std::string(dump) + "/" + c.name + "." + name, std::ios::binary) << text;
      }
    }
  }
  if (std::getenv("CHARTLOCK_GOLDEN_UPDATE")) {
    std::ofstream file(golden_path(), std::ios::binary);
    file << "# SHA-256, bytes and name of every output of tests/synth/golden_outputs_test.cpp.\n"
            "# Rewritten only with CHARTLOCK_GOLDEN_UPDATE=1 (see that file); a commit that does says why.\n";
    for (const auto& [name, line] : actual) file << line << "  " << name << "\n";
    WARN("rewrote " << golden_path());
    return;
  }
  const auto expected = read_expected();
  for (const auto& [name, line] : actual) {
    INFO(name);
    auto it = expected.find(name);
    CHECK(it != expected.end());
    if (it != expected.end()) CHECK(line == it->second);
  }
  for (const auto& [name, line] : expected) {
    INFO(name << " is expected but was not produced");
    CHECK(actual.count(name) == 1);
  }
}
