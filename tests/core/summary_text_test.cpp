// SPDX-License-Identifier: Apache-2.0
// The summary's compact text is written without building its DOM; it must be
// byte for byte what dumping the DOM (to_json) gives, for every input.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

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

TEST_CASE("the summary text checks UTF-8 as the DOM's dump does, at every edge", "[summary][json]") {
  // The text writer passes well-formed UTF-8 through itself and hands the
  // rest to nlohmann: each edge of well-formedness must land on the same side.
  chartlock::Summary s;
  s.sources = {"\xc2\x80", "\xc1\xbf",                      // smallest 2-byte; overlong
               "\xdf\xbf", "\xe0\xa0\x80", "\xe0\x9f\xbf",  // largest 2-byte; smallest 3-byte; overlong
               "\xed\x9f\xbf", "\xed\xa0\x80",              // last before the surrogates; a surrogate
               "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x8f\xbf\xbf",  // overlong 4-byte
               "\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",  // U+10FFFF; past it
               "\x80 lone continuation", "\xe2\x82", "\xf0\x9f\x98", "tail \xc3",
               "mixed \xc2\xb5g/mL \"quoted\" \\ \x01", "\xc2\xb5\xff"};
  chartlock::LabSeries lab;
  lab.name = "x";
  lab.unit = "ug/mL";
  lab.latest.value = 5.4;
  lab.latest.unit = "ug/mL";
  lab.latest.range = chartlock::RangeUsed{1.25, 1e-7, "ug/mL", "report", ""};
  chartlock::HistoryPoint other = lab.latest;  // a point in another unit than its series
  other.value = 123456.789;
  other.unit = "10*3/uL";
  other.range = chartlock::RangeUsed{std::nullopt, 4.5e15, "10*3/uL", "report", ""};
  chartlock::HistoryPoint small = lab.latest;
  small.value = -2.5e-5;
  lab.history = {other, small, lab.latest};
  s.labs.push_back(lab);
  CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
}

TEST_CASE("the summary text escapes a character at every place in a word of eight", "[summary][json]") {
  // The text writer passes eight plain bytes at a time: a character to escape
  // or check, at each offset of strings of every length around that stride,
  // must come out as the DOM's dump writes it.
  const std::vector<std::string> specials = {"\"", "\\", std::string(1, '\0'), "\x01", "\x1f", " ", "!", "#",
                                             "[", "]", "\x7f", "\xc3\xa9", "\xe2\x9c\x93", "\xff", "\xc3"};
  chartlock::Summary s;
  for (const std::string& special : specials) {
    for (std::size_t length = 0; length <= 26; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        s.sources.push_back(std::string(at, 'a') + special + std::string(length - at, 'b'));
      }
    }
  }
  CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
}

TEST_CASE("the summary text grows its buffer in the middle of a long text", "[summary][json]") {
  // Room is made for a text as it is; each escape asks for more, which may
  // move the buffer mid-text: texts of escapes only (six bytes out for
  // each), escapes sparse in a long text, and both after invalid UTF-8.
  chartlock::Summary s;
  s.sources.push_back(std::string(20000, '\x01'));
  std::string sparse(300000, 'a');
  for (std::size_t i = 0; i < sparse.size(); i += 4093) sparse[i] = '"';
  s.sources.push_back(sparse);
  s.sources.push_back(std::string(5000, '\\') + "\xff" + std::string(5000, '\n'));
  s.narrative = std::string(70000, '\t');
  CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
}

TEST_CASE("the summary text writes displays in pieces and numbers again as the DOM's dump does", "[summary][json]") {
  // A point's display and its range's are copied in pieces (comparator,
  // number, unit words), escaped or checked when a piece needs it; numbers
  // already written are copied from a small table of the last ones; a range
  // the point before had is copied as that point's range was written, and so
  // are its sources and the display of a value (at a precision) the series
  // had before. Units
  // whose words are plain, non-ASCII (µ, °, ²), quoted or not well-formed;
  // the same few numbers again and again among many others, so that the
  // table's slots are reused by numbers of the same slot.
  const char* units[] = {"mg/dL", "ug/mL", "Cel", "kg/m2", "%", "", "m\"g", "a\\b", "bad\xff", "{score}", "10*3/uL"};
  const char* comparators[] = {"", "<", ">=", "<="};
  chartlock::Summary s;
  std::uint64_t state = 17;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (const char* unit : units) {
    chartlock::LabSeries lab;
    lab.name = std::string("test in ") + unit;
    lab.unit = unit;
    lab.decimals = static_cast<int>(next() % 4) - 1;
    chartlock::RangeUsed range;
    std::vector<std::string> sources{"a.json"};
    for (int i = 0; i < 400; ++i) {
      chartlock::HistoryPoint p;
      p.date = "2024-01-01";
      const double repeated[] = {5.4, 0.1, 140.5, 1e-7, -2.25};
      p.value = i % 3 == 0 ? repeated[next() % 5] : static_cast<double>(next() % 2000000) / 997.0 - 500.0;
      p.decimals = lab.decimals;
      p.comparator = comparators[next() % 4];
      p.unit = i % 17 == 0 ? std::string("mmol/L") : lab.unit;  // now and then not the series' unit
      if (i % 29 == 0) p.value.reset(), p.text = "Positive \"strongly\"";
      // Ranges in runs (a series' points share one; its text is copied),
      // changed now and then in a bound, a text, its unit or the precision.
      if (i == 0 || next() % 5 == 0) {
        range = chartlock::RangeUsed{};
        range.unit = next() % 7 == 0 ? std::string("ug/mL") : lab.unit;
        if (next() % 4 != 0) range.low = next() % 9 == 0 ? -0.0 : repeated[next() % 5];
        if (next() % 4 != 0) range.high = next() % 9 == 0 ? -0.0 : static_cast<double>(next() % 1000) / 7.0;
        range.source = next() % 2 ? "report" : "knowledge-base";
        range.reference = next() % 3 ? "a lab's \"range\" \xc2\xb5" : "";
      }
      p.range = range;
      if (next() % 11 == 0) p.range.low = 0.0;  // one point's bound changed (after -0.0: other bits, same text)
      if (next() % 13 == 0) p.decimals = lab.decimals + 1;
      // Sources in runs too (their text is copied), now and then others,
      // one more, or none.
      if (next() % 6 == 0) {
        static const std::vector<std::string> kSources[] = {
            {}, {"a.json"}, {"a.json", "b.json"}, {"b.json"}, {"b.json", "a.json"}, {"needs \"escaping\".json"}};
        sources = kSources[next() % 6];
      }
      p.sources = chartlock::to_interned(sources);
      lab.history.push_back(p);
    }
    lab.latest = lab.history.back();
    s.labs.push_back(lab);
  }
  CHECK(chartlock::summary_to_json_text(s) == dom_text(s));
}
