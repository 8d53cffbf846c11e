// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: what the browser does with a provider's download. The
// input is one or more sources (split at kSourceSeparator, so merging across
// sources is fuzzed too), each read with format detection (Bundle, single
// resource or NDJSON). A readable record then goes through everything that
// runs on every ingest: the summary (JSON and Markdown), the record as JSON
// with the original resources, the consent catalog and a share.
//
// The first source is also read in chunks (RecordBuilder::add_chunked, a
// chunk size taken from the input) and must give the same record or error.
//
// Bad input must end in IngestError (the whole source) or a warning in the
// record; any other exception escapes and libFuzzer reports it as a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/diagnostic.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/record_json.hpp"
#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"

namespace {

// Also in fuzz/fhir.dict, so the fuzzer splits and joins sources on its own.
constexpr std::string_view kSourceSeparator = "\n--8<--\n";
constexpr std::size_t kMaxSources = 4;

std::vector<std::string_view> split_sources(std::string_view input) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < kMaxSources) {
    const std::size_t at = input.find(kSourceSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kSourceSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

void explain(const chartlock::Record& record) {
  chartlock::SummaryOptions summary_options;
  summary_options.today = "2026-06-01";  // fixed: date rules must not depend on the run
  const chartlock::Summary summary = chartlock::summarize(record, summary_options);
  (void)chartlock::summary_to_json_text(summary);
  (void)chartlock::summary_to_markdown(summary);
  (void)chartlock::record_to_json_text(record, chartlock::RecordJsonOptions{true});

  // Share every other catalog item, plus a key the record does not have.
  const std::vector<chartlock::ConsentItem> catalog = chartlock::consent_catalog(record);
  (void)chartlock::to_json(catalog);
  chartlock::ShareRequest request;
  request.consent = chartlock::default_consent({"patient/*.rs"});
  request.consent.sensitive = {"mental-health"};
  request.consent.from = "2010-01-01";
  request.today = summary_options.today;
  request.keys.emplace();
  for (std::size_t i = 0; i < catalog.size(); i += 2) request.keys->insert(catalog[i].key);
  request.keys->insert("Observation/not-in-the-record");
  (void)chartlock::build_share(record, request);
  request.keys.reset();
  request.consent.categories.erase(chartlock::Category::patient);  // the redacting path
  (void)chartlock::build_share(record, request);
  request.consent.shift_days = -45;  // names and dates hidden
  (void)chartlock::build_share(record, request);
}

struct Chunks : chartlock::ChunkReader {
  explicit Chunks(std::string_view b) : all(b), bytes(b) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = bytes.copy(buffer, capacity);
    bytes.remove_prefix(n);
    return n;
  }
  bool rewind() override {
    bytes = all;
    return true;
  }
  std::string_view all, bytes;
};

std::string read_one(std::string_view bytes, bool chunked) {
  chartlock::RecordBuilder builder;
  try {
    if (chunked) {
      Chunks chunks(bytes);
      builder.add_chunked({"provider-1", bytes.size(), chartlock::Source::Format::detect, 1 + bytes.size() % 29},
                          chunks);
    } else {
      builder.add(chartlock::Source{"provider-1", bytes});
    }
    return chartlock::record_to_json_text(builder.finish(), chartlock::RecordJsonOptions{true});
  } catch (const chartlock::IngestError& e) {
    return std::string("error ") + to_string(e.diagnostic().code) + ": " + e.what();
  } catch (const chartlock::DifferentPersons&) {
    return "different persons";
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> parts = split_sources(input);

  std::vector<chartlock::Source> sources;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    chartlock::Source source;
    source.name = "provider-" + std::to_string(i + 1);
    source.bytes = parts[i];
    sources.push_back(source);
  }

  if (read_one(parts[0], false) != read_one(parts[0], true)) __builtin_trap();

  try {
    explain(chartlock::ingest(sources));
  } catch (const chartlock::IngestError&) {
    return 0;  // a source that cannot be read at all: the documented refusal
  } catch (const chartlock::DifferentPersons& e) {
    // Several persons: the documented refusal, then each person read alone.
    for (const chartlock::Person& p : e.persons()) {
      chartlock::IngestOptions options;
      options.person = p.key;
      explain(chartlock::ingest(sources, options));
    }
  }
  return 0;
}
