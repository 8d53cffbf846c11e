// SPDX-License-Identifier: Apache-2.0
// The summary on generated patients: every lab observation with a number
// lands in some series, every flag agrees with the range it was judged by,
// and the molar glucose some providers report joins the mg/dL series.
#include <catch2/catch.hpp>

#include <set>

#include "chartlock/ingest.hpp"
#include "chartlock/summary.hpp"
#include "synth_test_util.hpp"

namespace {

using chartlock::Flag;

chartlock::Record ingest_run(const synth_test::Run& run) {
  std::vector<chartlock::Source> sources;
  for (std::size_t i = 0; i < run.outputs.size(); ++i) sources.push_back({run.truth.providers[i].name, run.outputs[i]});
  return chartlock::ingest(sources);
}

bool is_lab(const chartlock::Observation& o) {
  for (const std::string& c : o.category) {
    if (c == "laboratory") return true;
  }
  return false;
}

// The flag a value must have against a range; Flag::unknown when the range leaves it open.
Flag expected(const chartlock::HistoryPoint& p) {
  const bool at_most = p.comparator == "<" || p.comparator == "<=";
  const bool at_least = p.comparator == ">" || p.comparator == ">=";
  const double v = *p.value;
  if (p.range.low && (v < *p.range.low || (p.comparator == "<" && v <= *p.range.low))) return at_least ? Flag::unknown : Flag::low;
  if (p.range.high && (v > *p.range.high || (p.comparator == ">" && v >= *p.range.high))) return at_most ? Flag::unknown : Flag::high;
  if ((at_most && p.range.low) || (at_least && p.range.high)) return Flag::unknown;
  return Flag::normal;
}

}  // namespace

TEST_CASE("summary of a generated two-provider patient: complete, consistent, one glucose series", "[synth][summary]") {
  auto options = synth_test::options(21, 400 * 1024, 2, "collection");
  const synth_test::Run run = synth_test::run(options);
  const chartlock::Record record = ingest_run(run);
  chartlock::SummaryOptions summary_options;
  summary_options.today = "2025-06-01";
  const chartlock::Summary s = chartlock::summarize(record, summary_options);

  std::set<std::string> in_history;
  std::size_t judged = 0;
  for (const auto& lab : s.labs) {
    for (const auto& p : lab.history) {
      in_history.insert(p.key);
      if (!p.value) continue;
      INFO(lab.name << " " << p.date << " " << *p.value << " " << p.unit << " basis " << p.flag_basis.view());
      if (p.flag_basis == "range") {
        CHECK(p.flag == expected(p));
        ++judged;
      } else if (p.flag_basis == "critical-limit" && !p.range.source.empty()) {
        CHECK(((p.flag == Flag::critical_high && expected(p) == Flag::high) ||
               (p.flag == Flag::critical_low && expected(p) == Flag::low)));
      } else {
        CHECK(p.range.source.empty());
      }
    }
  }
  CHECK(judged > 0);
  std::size_t numeric_labs = 0;
  for (const auto& o : record.observations) {
    if (!is_lab(o) || !o.value.quantity.value) continue;
    if (o.value.kind != chartlock::ObservationValue::Kind::quantity) continue;
    ++numeric_labs;
    INFO(o.key.view());
    CHECK(in_history.count(o.key) == 1);
  }
  CHECK(numeric_labs > 20);

  // Provider 2 reports some glucose in mmol/L: converted into the mg/dL series, never a second one.
  const chartlock::LabSeries* glucose = nullptr;
  for (const auto& lab : s.labs) {
    if (lab.loinc == "2345-7") {
      CHECK_FALSE(lab.separate_series);
      glucose = &lab;
    }
  }
  REQUIRE(glucose);
  CHECK(glucose->unit == "mg/dL");
  std::size_t molar = 0, report_ranges = 0;
  for (const auto& p : glucose->history) {
    if (p.original_unit == "mmol/L") {
      ++molar;
      CHECK(p.unit == "mg/dL");
      CHECK(*p.value > 30);  // mg/dL magnitudes, not mmol/L
    }
    if (p.range.source == "report") ++report_ranges;
  }
  CHECK(molar > 0);
  CHECK(report_ranges > 0);
  CHECK(s.questions.size() >= 3);
  CHECK(s.questions.size() <= 10);
}
