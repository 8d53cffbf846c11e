// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a C-CDA document as a patient's "download my record"
// file (core/src/ccda): the safety scan, pugixml, the reader, then what runs
// on every ingest — the summary, the record as JSON, the consent catalog and
// a share. The seeds are HL7's examples (tests/fixtures/ccda) and hostile
// shapes (fuzz/seeds/ccda).
//
// Bad input must end in IngestError or a warning in the record; any other
// exception escapes and libFuzzer reports it as a crash. Text the reader
// keeps must be UTF-8 (the record's JSON would throw otherwise).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ccda/safe_xml.hpp"
#include "chartlock/diagnostic.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/record_json.hpp"
#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // Small limits, so the fuzzer reaches them with small inputs.
  chartlock::IngestOptions options;
  options.xml.max_depth = 48;
  options.xml.max_text_bytes = 4096;
  options.xml.max_elements = 20000;
  try {
    chartlock::ccda::check_xml(input, options.xml, "scan");
  } catch (const chartlock::IngestError&) {
  }
  chartlock::Record record;
  try {
    // As the CLI and the widget read a file: by content (XML by its '<').
    record = chartlock::ingest({chartlock::Source{"document.xml", input}}, options);
  } catch (const chartlock::IngestError&) {
    return 0;  // refused as a whole: the documented outcome
  }
  chartlock::SummaryOptions summary_options;
  summary_options.today = "2026-06-01";  // fixed: date rules must not depend on the run
  const chartlock::Summary summary = chartlock::summarize(record, summary_options);
  (void)chartlock::summary_to_json_text(summary);
  (void)chartlock::summary_to_markdown(summary);
  (void)chartlock::record_to_json_text(record, chartlock::RecordJsonOptions{true});
  const std::vector<chartlock::ConsentItem> catalog = chartlock::consent_catalog(record);
  (void)chartlock::to_json(catalog);
  chartlock::ShareRequest request;
  request.consent = chartlock::default_consent({"patient/*.rs"});
  request.today = summary_options.today;
  (void)chartlock::build_share(record, request);
  return 0;
}
