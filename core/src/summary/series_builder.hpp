// SPDX-License-Identifier: Apache-2.0
// Turning one test's observations into series: values converted to one unit,
// each judged against the range that applies to it, sorted by date, with a
// trend. Values whose unit cannot be converted form a separate series.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "chartlock/summary.hpp"
#include "summary/observations.hpp"
#include "summary/ranges.hpp"

namespace chartlock::summary {

struct SeriesSpec {
  std::string unit;  // the series unit; "" → the first unit seen
  int decimals = -1; // reported precision in `unit`: values and ranges are rounded to it
  units::Analyte analyte;
  std::map<std::string, std::string> aliases;
  std::optional<knowledge::Bounds> kb_range;  // in `unit`
  Interned kb_range_source;  // each point's range.reference copies it: a pointer, not a string
  std::string kb_range_note;  // why there is no knowledge-base range, when that matters
  knowledge::CriticalLimits critical;  // in `unit`
  std::vector<std::string> normal_answers, abnormal_answers;
  const std::vector<knowledge::VitalCategory>* categories = nullptr;  // labels (BMI)
};

struct BuiltSeries {
  std::string unit;
  int decimals = -1;
  bool separate = false;
  std::vector<HistoryPoint> history;  // oldest first
  std::vector<std::string> notes;
  Trend trend;
  std::string category, category_label;  // of the latest value, when the spec has categories
};

class SeriesBuilder {
 public:
  SeriesBuilder(SeriesSpec spec, std::string gender);
  SeriesBuilder(const SeriesBuilder&) = delete;  // units_ refers to this spec_
  SeriesBuilder& operator=(const SeriesBuilder&) = delete;
  // Room for `n` values in the main series, when the caller knows how many come.
  void reserve(std::size_t n) {
    drafts_.front().points.reserve(n);
    drafts_.front().times.reserve(n);
  }
  // `time`: time_key(when(o)), which the caller has made once; kept by
  // reference, so it must outlive finish(). `method`, `loinc`: how this result
  // was measured and its own code, when the series holds several methods.
  void add(const Observation& o, const std::string& time, const std::string& method = {},
           const std::string& loinc = {});
  // A temporary time key would dangle before finish().
  void add(const Observation& o, std::string&& time, const std::string& method = {},
           const std::string& loinc = {}) = delete;
  // The main series first, then separate ones in the order their units appeared.
  std::vector<BuiltSeries> finish();

 private:
  struct Draft {
    std::string unit;
    bool separate = false;
    std::vector<HistoryPoint> points;        // in order added
    std::vector<const std::string*> times;   // each point's time key (the caller's)
    std::vector<std::string> notes;
  };
  // The position in drafts_ of the series for `unit` (0: the main series).
  std::size_t series_for(const std::string& unit, bool separate);
  // `codes`: interpretation_codes(o.interpretation).
  void judge_number(HistoryPoint& p, const Reading& r, const Observation& o, const std::vector<std::string>& codes,
                    bool in_spec_unit) const;
  void judge_text(HistoryPoint& p, const Reading& r) const;

  SeriesSpec spec_;
  mutable UnitReader units_{spec_.aliases};  // a cache; after spec_, whose aliases it reads
  std::string gender_;
  SourceNames source_names_;
  bool unit_fixed_;
  std::vector<Draft> drafts_;  // [0] is the main series
};

// Adds a note once.
void add_note(std::vector<std::string>& notes, const std::string& note);

// The category label for a value (first category any of whose tests holds).
const knowledge::VitalCategory* category_for(const std::vector<knowledge::VitalCategory>& categories,
                                             std::optional<double> value, std::optional<double> systolic,
                                             std::optional<double> diastolic);

}  // namespace chartlock::summary
