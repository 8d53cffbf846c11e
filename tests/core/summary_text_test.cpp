// SPDX-License-Identifier: Apache-2.0
// The summary's compact text is written without building its DOM; it must be
// byte for byte what dumping the DOM (to_json) gives, for every input.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "ingest_support.hpp"

namespace {

std::string dom_text(const chartlock::Summary& s) {
  return chartlock::to_json(s).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("the summary text equals the DOM's dump for every fixture", "[summary][json]") {
  chartlock::SummaryOptions options;
  options.today = "2025-06-01";
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CHARTLOCK_FIXTURES) + "/fhir")) {
    if (entry.path().filename() == "malformed.json") continue;
    CAPTURE(entry.path().filename().string());
    chartlock::Record record;
    try {
      record = test::ingest_one(read(entry.path()), entry.path().filename().string());
    } catch (const chartlock::IngestError&) {
      continue;  // inputs that are rejected have no summary
    }
    const chartlock::Summary s = chartlock::summarize(record, options);
    CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
    ++compared;
  }
  CHECK(compared >= 4);  // clinic-a, clinic-b, export.ndjson, with-warnings
}

TEST_CASE("the summary text escapes and formats as the DOM's dump does", "[summary][json]") {
  chartlock::Summary s;
  s.patient.name = std::string("quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f nul ") +
                   std::string(1, '\0') + " \x01 \x1f \x7f";
  s.patient.age = -3;
  s.sources = {"caf\xc3\xa9 \xe2\x9c\x93", "bad \xff utf-8", "cut \xe2\x9c", ""};
  s.narrative = "\xf0\x9f\x98\x80 emoji";
  chartlock::LabSeries lab;
  lab.name = "x";
  lab.latest.value = 0.1;
  lab.latest.range.low = 1e20;
  lab.latest.range.high = -0.0;
  lab.trend.change = std::numeric_limits<double>::quiet_NaN();
  chartlock::HistoryPoint p = lab.latest;
  p.original_value = 140.0;
  p.value = std::numeric_limits<double>::infinity();
  lab.history = {p, lab.latest};
  s.labs.push_back(lab);
  chartlock::VitalSeries bp;
  bp.blood_pressure = true;
  bp.latest_pressure = chartlock::PressurePoint{};
  bp.pressures.push_back(*bp.latest_pressure);
  s.vitals = {bp, chartlock::VitalSeries{}};
  s.insights.push_back(chartlock::Insight{});
  s.insights[0].evidence.push_back(chartlock::EvidenceRef{"lab", "1", "x", "", "5"});
  s.questions.push_back(chartlock::Question{"why?", "", "lab:1"});
  CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
  CHECK(chartlock::summary_to_json_text(chartlock::Summary{}) == dom_text(chartlock::Summary{}));
}
