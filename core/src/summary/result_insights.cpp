// SPDX-License-Identifier: Apache-2.0
// Results worth a conversation: the latest value of each test or vital sign
// outside its range, and those moving the worrying way.
#include "summary/civil_date.hpp"
#include "summary/flags.hpp"
#include "summary/insights.hpp"
#include "summary/number_text.hpp"
#include "summary/plain_text.hpp"

namespace chartlock::summary {
namespace {

bool high_side(Flag f) { return f == Flag::high || f == Flag::critical_high; }
bool low_side(Flag f) { return f == Flag::low || f == Flag::critical_low; }
bool critical(Flag f) { return f == Flag::critical_high || f == Flag::critical_low; }

// Whether the concerning direction of a test includes the side a flag is on.
bool concerning(const std::string& concern, Flag f) {
  if (concern == "none") return false;
  if (high_side(f)) return concern == "high" || concern == "both";
  if (low_side(f)) return concern == "low" || concern == "both";
  return f == Flag::abnormal;
}

std::string range_source(const RangeUsed& r) {
  if (r.source == "report") return "Reference range from the lab report";
  if (r.source == "knowledge-base") return "Typical adult range: " + r.reference;
  return "The lab's own flag on the result";
}

const HistoryPoint* point_on(const std::vector<HistoryPoint>& history, const std::string& date) {
  for (const HistoryPoint& p : history) {
    if (p.value && p.comparator.empty() && p.date == date) return &p;
  }
  return nullptr;
}

// An old result speaks for its day: say how old, so it is read as history.
std::string age_note(const Context& ctx, const std::string& date) {
  if (!ctx.today) return {};
  const std::optional<CivilDate> d = parse_date(date);
  if (!d || *ctx.today < *d) return {};
  const int years = years_between(*d, *ctx.today);
  if (years < kOldResultYears) return {};
  return " This result is " + std::to_string(years) + " years old; a newer test would show where it stands now.";
}

void series_insight(const Context& ctx, const std::string& kind_of_result, const std::string& ref, const std::string& name,
                    const std::string& concern, const HistoryPoint& latest, const Trend& trend,
                    const std::vector<HistoryPoint>& history, const std::string& critical_source,
                    std::vector<Insight>& out) {
  const Flag f = latest.flag;
  if (!is_outside(f)) return;
  const std::string age_note = summary::age_note(ctx, latest.date);
  const std::string lname = lower_first(name);
  const std::string value = value_text(latest);
  const std::string range = range_text(latest.range, latest.decimals);
  Insight in;
  in.evidence.push_back(EvidenceRef{kind_of_result, ref, name, latest.date, value});
  in.source = critical(f) && !critical_source.empty() ? critical_source : range_source(latest.range);
  const bool worrying = concerning(concern, f);
  in.severity = critical(f) ? "urgent" : worrying ? "important" : "info";

  const bool worse = worrying && !critical(f) && trend.points >= 2 &&
                     ((high_side(f) && trend.direction == "up") || (low_side(f) && trend.direction == "down"));
  const HistoryPoint* first = worse ? point_on(history, trend.since) : nullptr;
  if (first && first->key != latest.key) {
    in.kind = "worsening-trend";
    in.id = "worsening-trend:" + ref;
    in.title = upper_first(lname) + (high_side(f) ? " going up" : " going down");
    in.evidence.insert(in.evidence.begin(), EvidenceRef{kind_of_result, ref, name, first->date, value_text(*first)});
    in.text = "Over your last " + std::to_string(trend.points) + " results, " + lname + " went " +
              (high_side(f) ? "up" : "down") + " from " + value_text(*first) + " on " + ctx.day(first->date) + " to " + value +
              " on " + ctx.day(latest.date) + ", " + (high_side(f) ? "above" : "below") + " the usual range" +
              (range.empty() ? "" : " (" + range + ")") + "." + age_note;
    in.question = "My results for " + lname + " have been going " + (high_side(f) ? "up" : "down") + " since " +
                  ctx.day(first->date) + ". What could explain this, and should anything change?";
    out.push_back(std::move(in));
    return;
  }
  in.kind = "out-of-range";
  in.id = "out-of-range:" + ref;
  if (f == Flag::abnormal) {
    in.title = upper_first(lname) + " outside the usual result";
    in.text = "Your " + lname + " result on " + ctx.day(latest.date) + " was " + lower_first(value) +
              ", which is not the usual result. Your care team can explain what it means for you." + age_note;
    in.question = "My " + lname + " result on " + ctx.day(latest.date) + " was flagged. What does it mean, and do I need a follow-up test?";
  } else if (critical(f)) {
    in.title = upper_first(lname) + " far " + (high_side(f) ? "above" : "below") + " the usual range";
    in.text = "Your " + lname + " result on " + ctx.day(latest.date) + " was " + value + ", far " + (high_side(f) ? "above" : "below") +
              " the usual range" + (range.empty() ? "" : " (" + range + ")") +
              ". Results like this usually need prompt attention; if it has not been followed up, please contact your care team soon." +
              age_note;
    in.question = "My " + lname + " result on " + ctx.day(latest.date) + " was far outside the usual range. Has this been followed up, and what should I do now?";
  } else {
    const char* side = high_side(f) ? "above" : "below";
    in.title = upper_first(lname) + (high_side(f) ? " above" : " below") + " the usual range";
    in.text = "Your " + lname + " result on " + ctx.day(latest.date) + " was " + value + ", " + side + " the usual range" +
              (range.empty() ? "" : " (" + range + ")") + "." +
              (worrying ? "" : " A result on this side is often not a concern, but you can ask about it.") + age_note;
    in.question = "My " + lname + " result on " + ctx.day(latest.date) + " was " + side + " the usual range" +
                  ". What might cause this, and do I need to do anything?";
  }
  out.push_back(std::move(in));
}

void pressure_insight(const Context& ctx, const VitalSeries& v, std::vector<Insight>& out) {
  const PressurePoint& p = *v.latest_pressure;
  if (!is_outside(p.flag)) return;
  const std::string reading = pressure_text(p, v.decimals);
  Insight in;
  in.evidence.push_back(EvidenceRef{"vital", v.id, v.name, p.date, reading});
  in.source = v.range_source;
  in.severity = p.flag == Flag::critical_high ? "urgent" : p.category == "elevated" || p.flag == Flag::low ? "info" : "important";
  const bool rising = p.flag == Flag::high && v.trend.direction == "up" && v.trend.points >= 2 && v.pressures.size() >= 2;
  const std::string category = lower_first(p.category_label);
  if (rising) {
    const PressurePoint& first = [&]() -> const PressurePoint& {
      for (const PressurePoint& q : v.pressures) {
        if (q.date == v.trend.since && q.systolic) return q;
      }
      return v.pressures.front();
    }();
    in.kind = "worsening-trend";
    in.id = "worsening-trend:" + v.id;
    in.title = "Blood pressure going up";
    in.evidence.insert(in.evidence.begin(), EvidenceRef{"vital", v.id, v.name, first.date, pressure_text(first, v.decimals)});
    in.text = "Your top blood pressure number went up from " + display_number(*first.systolic, v.decimals) + " on " +
              ctx.day(first.date) + " to " + display_number(*p.systolic, v.decimals) + " on " + ctx.day(p.date) + ". Your latest reading, " + reading +
              ", is in the \"" + category + "\" category. One reading is not a diagnosis, but the trend is worth discussing.";
    in.question = "My blood pressure has been going up. Should I check it at home, and is my plan still right?";
  } else {
    in.kind = "out-of-range";
    in.id = "out-of-range:" + v.id;
    in.title = "Blood pressure: " + category;
    in.text = "Your blood pressure was " + reading + " on " + ctx.day(p.date) + ", which the 2017 ACC/AHA guideline puts in the \"" +
              category + "\" category" +
              (p.flag == Flag::critical_high
                   ? ". A reading this high needs prompt attention; if you have chest pain, shortness of breath, or trouble speaking or seeing, call 911."
                   : ". One reading is not a diagnosis; readings on several days tell more.");
    in.question = p.flag == Flag::low ? "My blood pressure was on the low side. Is that a concern for me?"
                  : p.flag == Flag::critical_high
                      ? "My blood pressure was " + reading + " on " + ctx.day(p.date) + ". Has this been followed up, and what should my target be?"
                      : "My blood pressure reading was " + reading + ". What should my target be, and how do I get there?";
  }
  out.push_back(std::move(in));
}

}  // namespace

void result_insights(const Context& ctx, const std::vector<LabSeries>& labs,
                     const std::vector<VitalSeries>& vitals, std::vector<Insight>& out) {
  for (const LabSeries& lab : labs) {
    if (lab.separate_series) continue;  // its main series speaks for the test
    const std::string ref = lab.loinc.empty() ? lab.code.code.str() : lab.loinc;
    std::string critical_source;
    if (lab.latest.flag_basis == "critical-limit") {
      if (const knowledge::LabTest* test = ctx.kb.lab(lab.loinc)) critical_source = "Critical limit: " + test->critical_source;
    }
    series_insight(ctx, "lab", ref, lab.name, lab.concerning, lab.latest, lab.trend, lab.history, critical_source, out);
  }
  for (const VitalSeries& v : vitals) {
    if (v.blood_pressure) {
      if (v.latest_pressure) pressure_insight(ctx, v, out);
      continue;
    }
    if (v.separate_series || !v.known) continue;
    series_insight(ctx, "vital", v.id, v.name, "both", v.latest, v.trend, v.history, "", out);
  }
}

}  // namespace chartlock::summary
