// SPDX-License-Identifier: Apache-2.0
#include "summary/series_builder.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "chartlock/units.hpp"
#include "summary/civil_date.hpp"
#include "summary/flags.hpp"
#include "summary/number_text.hpp"
#include "summary/positions.hpp"
#include "summary/ranges.hpp"
#include "summary/trend.hpp"

namespace chartlock::summary {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string unit_words(const std::string& unit) { return unit.empty() ? "no unit" : unit; }

// A point's range source and flag basis, interned once: each point copies a
// pointer (interning a literal per point would look it up each time).
struct Basis {
  const Interned report{"report"}, knowledge_base{"knowledge-base"};
  const Interned range{"range"}, critical_limit{"critical-limit"}, interpretation{"interpretation"},
      answer{"answer"}, none{"none"};
};
const Basis& basis_texts() {
  static const Basis texts;
  return texts;
}

}  // namespace

void add_note(std::vector<std::string>& notes, const std::string& note) {
  if (!note.empty() && std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
}

const knowledge::VitalCategory* category_for(const std::vector<knowledge::VitalCategory>& categories,
                                             std::optional<double> value, std::optional<double> systolic,
                                             std::optional<double> diastolic) {
  bool all_known = true;
  for (const knowledge::VitalCategory& c : categories) {
    if (c.any.empty()) return all_known ? &c : nullptr;  // the default needs every number
    for (const knowledge::VitalCategory::Test& t : c.any) {
      const std::optional<double> v =
          t.component == "systolic" ? systolic : t.component == "diastolic" ? diastolic : value;
      if (!v) {
        all_known = false;
        continue;
      }
      if ((t.op == "above" && *v > t.value) || (t.op == "atLeast" && *v >= t.value) ||
          (t.op == "below" && *v < t.value)) {
        return &c;
      }
    }
  }
  return nullptr;
}

SeriesBuilder::SeriesBuilder(SeriesSpec spec, std::string gender)
    : spec_(std::move(spec)), gender_(std::move(gender)), unit_fixed_(!spec_.unit.empty()) {
  drafts_.push_back(Draft{spec_.unit, false, {}, {}, {}});
}

std::size_t SeriesBuilder::series_for(const std::string& unit, bool separate) {
  if (!separate) return 0;
  for (std::size_t i = 0; i < drafts_.size(); ++i) {
    if (drafts_[i].separate && drafts_[i].unit == unit) return i;
  }
  drafts_.push_back(Draft{unit, true, {}, {}, {}});
  Draft& d = drafts_.back();
  if (unit.empty()) {
    add_note(d.notes, "No unit was given for these values, so they are kept apart and not compared with a range.");
  } else {
    add_note(d.notes, "These values are in " + unit + ", which cannot be converted to " +
                          unit_words(drafts_.front().unit) + ", so they are kept as their own series.");
  }
  return drafts_.size() - 1;
}

void SeriesBuilder::add(const Observation& o, const std::string& time, const std::string& method,
                        const std::string& loinc) {
  const Reading r = read_value(o.value, o.dataAbsentReason, units_);
  // Made where the main series keeps its points, not moved there (a point is
  // a dozen strings: a move cost ~450 instructions); one for a separate
  // series moves there at the end. The draft's vector holds it through
  // drafts_ growing: a moved vector keeps its buffer.
  static_assert(std::is_nothrow_move_constructible_v<Draft>,
                "drafts_ growing must move each draft's points, not copy them (p below must stay valid)");
  HistoryPoint& p = drafts_.front().points.emplace_back();
  if (!method.empty()) p.method = method;
  if (!loinc.empty()) p.loinc = loinc;
  p.date = date_part(when(o));
  p.key = o.key;
  p.sources = source_names_.of(o.sources);
  // Read once for the point and its judgement (each read made a vector).
  const std::vector<std::string> codes = interpretation_codes(o.interpretation);
  for (const std::string& code : codes) {
    if (!p.interpretation.empty()) p.interpretation += ',';
    p.interpretation += code;
  }
  std::size_t target = 0;
  if (r.value) {
    if (!unit_fixed_ && r.unit_given) {  // the first unit seen sets an unknown test's series
      drafts_.front().unit = r.unit;
      unit_fixed_ = true;
    }
    std::optional<double> value = r.value;
    if (!r.unit_given) {
      target = series_for("", true);
    } else if (r.unit != drafts_.front().unit) {
      value = units::convert(*r.value, r.unit, drafts_.front().unit, spec_.analyte);
      if (value) {
        p.original_value = r.value;
        p.original_unit = r.unit;
        value = round_significant(*value, 4);
      } else {
        value = r.value;
        target = series_for(r.unit, true);
      }
    }
    // At the precision the test is reported in: what is shown is what is judged.
    if (target == 0 && spec_.decimals >= 0) {
      p.decimals = spec_.decimals;
      value = round_decimals(*value, p.decimals);
    }
    p.value = value;
    p.comparator = r.comparator;
    p.unit = drafts_[target].unit;
    judge_number(p, r, o, codes, target == 0);
  } else {
    p.text = r.text;
    if (r.absent) p.note = "No value was reported.";
    judge_text(p, r);
  }
  Draft& main = drafts_.front();
  if (target != 0) {
    drafts_[target].points.push_back(std::move(p));
    drafts_[target].times.push_back(&time);
    main.points.pop_back();
  } else {
    main.times.push_back(&time);
  }
}

void SeriesBuilder::judge_number(HistoryPoint& p, const Reading& r, const Observation& o,
                                 const std::vector<std::string>& codes, bool main_series) const {
  const Basis& texts = basis_texts();
  p.range.unit = p.unit;
  std::string note;
  if (!p.unit.empty()) {
    const RangeChoice report = report_range(o.referenceRange, r.unit, p.unit, spec_.analyte, units_, gender_);
    note = report.note;
    if (report.bounds) {
      auto bound = [&](std::optional<double> b) -> std::optional<double> {
        if (!b) return std::nullopt;
        return p.decimals >= 0 ? round_decimals(*b, p.decimals) : round_significant(*b, 4);
      };
      p.range.low = bound(report.bounds->low);
      p.range.high = bound(report.bounds->high);
      p.range.source = texts.report;
      // The report's own words are the input's: not pooled (interned.hpp).
      p.range.reference = report.text.empty() ? Interned("the report's reference range") : Interned::unpooled(report.text);
    } else if (!note.empty()) {
      // The report's range was there but unusable: judging by another range would be a guess.
    } else if (main_series && p.unit == spec_.unit && spec_.kb_range) {
      p.range.low = spec_.kb_range->low;
      p.range.high = spec_.kb_range->high;
      p.range.source = texts.knowledge_base;
      p.range.reference = spec_.kb_range_source;
    } else if (main_series) {
      note = spec_.kb_range_note;
    }
  }
  // The basis kept aside until it is known, written once.
  const Interned* basis = nullptr;
  if (!p.range.source.empty()) {
    p.flag = flag_in_range(*p.value, p.comparator, knowledge::Bounds{p.range.low, p.range.high});
    basis = &texts.range;
  }
  if (main_series && p.unit == spec_.unit) {
    if (auto critical = critical_flag(*p.value, p.comparator, spec_.critical)) {
      p.flag = *critical;
      basis = &texts.critical_limit;
    }
  }
  if (basis) {  // by a range or a limit: the lab's own flag may disagree
    for (const std::string& code : codes) {
      if (!agrees(p.flag, code)) {
        note = "The lab marked this " + interpretation_words(code) + ", but against the range used it is " +
               to_string(p.flag) + ".";
      }
    }
  } else {
    for (const std::string& code : codes) {
      if (auto f = flag_from_interpretation(code)) {
        p.flag = *f;
        basis = &texts.interpretation;
        break;
      }
    }
  }
  p.flag_basis = basis ? *basis : texts.none;
  p.note = std::move(note);
}

void SeriesBuilder::judge_text(HistoryPoint& p, const Reading& r) const {
  const std::string text = lower(r.text);
  auto listed = [&](const std::vector<std::string>& answers) {
    if (contains(answers, text)) return true;
    for (const std::string& code : r.answer_codes) {
      if (contains(answers, code)) return true;
    }
    return false;
  };
  const Basis& texts = basis_texts();
  p.flag_basis = texts.none;
  if (!r.absent && listed(spec_.normal_answers)) {
    p.flag = Flag::normal;
    p.flag_basis = texts.answer;
  } else if (!r.absent && listed(spec_.abnormal_answers)) {
    p.flag = Flag::abnormal;
    p.flag_basis = texts.answer;
  }
  if (p.flag_basis == texts.none) {
    for (const std::string& code : [&] {
           std::vector<std::string> out;
           std::size_t start = 0;
           while (start < p.interpretation.size()) {
             const std::size_t comma = p.interpretation.find(',', start);
             out.push_back(p.interpretation.substr(start, comma - start));
             if (comma == std::string::npos) break;
             start = comma + 1;
           }
           return out;
         }()) {
      if (auto f = flag_from_interpretation(code)) {
        p.flag = *f;
        p.flag_basis = texts.interpretation;
        break;
      }
    }
  }
}

std::vector<BuiltSeries> SeriesBuilder::finish() {
  std::vector<BuiltSeries> out;
  for (Draft& d : drafts_) {
    if (d.points.empty()) continue;
    BuiltSeries s;
    s.unit = d.unit;
    s.decimals = d.separate ? -1 : spec_.decimals;
    s.separate = d.separate;
    s.notes = std::move(d.notes);
    // A record lists a test's results oldest first, as a rule: then the points
    // are taken whole. Else sorted as positions (the same stable sort by time
    // key), each point then moved once.
    auto earlier = [](const std::string* a, const std::string* b) { return *a < *b; };
    if (std::is_sorted(d.times.begin(), d.times.end(), earlier)) {
      s.history = std::move(d.points);
    } else {
      s.history.reserve(d.points.size());
      for (std::size_t i : stable_order(d.times, earlier)) s.history.push_back(std::move(d.points[i]));
    }
    std::vector<TrendPoint> trend_points;
    int inexact = 0, other_method = 0;
    // Results of two methods differ by method as much as by health (eGFR by
    // two equations): a trend compares the latest method's results only.
    std::string method;
    for (auto it = s.history.rbegin(); it != s.history.rend(); ++it) {
      if (it->value) {
        method = it->method;
        break;
      }
    }
    for (const HistoryPoint& point : s.history) {
      if (point.value && point.method != method) {
        ++other_method;
      } else if (point.value && point.comparator.empty() && !point.date.empty()) {
        trend_points.push_back(TrendPoint{point.date, *point.value});
      } else if (point.value) {
        ++inexact;
      }
    }
    s.trend = trend_of(trend_points, s.history.back().range, s.decimals);
    if (inexact > 0) {
      s.trend.note += std::string(s.trend.note.empty() ? "" : "; ") +
                      "values reported as above or below a limit (or undated) are left out of the trend";
    }
    if (other_method > 0) {
      s.trend.note += std::string(s.trend.note.empty() ? "" : "; ") + "results measured another way than the latest" +
                      (method.empty() ? std::string() : " (" + method + ")") + " are left out of the trend";
    }
    if (spec_.categories && !s.separate) {
      if (const auto* c = category_for(*spec_.categories, s.history.back().value, std::nullopt, std::nullopt)) {
        s.category = c->id;
        s.category_label = c->label;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace chartlock::summary
