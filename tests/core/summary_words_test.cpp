// SPDX-License-Identifier: Apache-2.0
// What the patient reads is true and plain: units in words, tests by plain
// names, values at the precision they are reported in, one test per row
// whatever the method, trends over a recent window, "current" medicines as a
// patient means it, dates in the reader's style, and the important first.
#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"
#include "summary/civil_date.hpp"
#include "summary/plain_text.hpp"
#include "summary/trend.hpp"

using chartlock::DateStyle;
using chartlock::Flag;
using chartlock::Summary;
namespace s = chartlock::summary;

namespace {

const std::string kPatient =
    R"j({"resourceType":"Patient","id":"p","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1960-03-02"})j";

std::string lab(const std::string& loinc, const std::string& date, double value, const std::string& unit) {
  return R"j({"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":")j" +
         loinc + R"j("}]},"effectiveDateTime":")j" + date + R"j(","valueQuantity":{"value":)j" + std::to_string(value) +
         R"j(,"unit":")j" + unit + R"j(","system":"http://unitsofmeasure.org","code":")j" + unit + "\"}}";
}

std::string prescription(const std::string& name, const std::string& status, const std::string& date) {
  return R"j({"resourceType":"MedicationRequest","status":")j" + status +
         R"j(","intent":"order","medicationCodeableConcept":{"text":")j" + name + R"j("},"authoredOn":")j" + date + "\"}";
}

Summary summary_of(const std::vector<std::string>& resources, const std::string& today = "2025-06-01",
                   DateStyle style = DateStyle::iso) {
  std::vector<std::string> all = {kPatient};
  all.insert(all.end(), resources.begin(), resources.end());
  chartlock::SummaryOptions o;
  o.today = today;
  o.date_style = style;
  return chartlock::summarize(test::ingest_all({{"a.json", test::bundle(all)}}), o);
}

const chartlock::LabSeries* lab_series(const Summary& s, const std::string& loinc) {
  for (const auto& l : s.labs) {
    if (l.loinc == loinc) return &l;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("units are written in words, never as UCUM codes", "[summary][words]") {
  CHECK(s::unit_text("10*3/uL") == "thousand per microliter");
  CHECK(s::unit_text("10*6/uL") == "million per microliter");
  CHECK(s::unit_text("10*9/L") == "billion per liter");
  CHECK(s::unit_text("mm[Hg]") == "mmHg");
  CHECK(s::unit_text("m[IU]/L") == "mIU/L");
  CHECK(s::unit_text("u[IU]/mL") == "µIU/mL");
  CHECK(s::unit_text("mL/min/{1.73_m2}") == "mL/min per 1.73 m²");
  CHECK(s::unit_text("{score}").empty());
  CHECK(s::unit_text("{ratio}").empty());
  CHECK(s::unit_text("ug/dL") == "µg/dL");
  CHECK(s::unit_text("/min") == "per minute");
  CHECK(s::unit_text("[lb_av]") == "lb");
  CHECK(s::unit_text("mg/dL") == "mg/dL");
  CHECK(s::unit_text("%") == "%");
  // Units no table lists lose their notation too.
  CHECK(s::unit_text("10*3/mL") == "thousand per milliliter");
  CHECK(s::unit_text("[iU]/g{Hb}") == "iU/g");
  CHECK(s::unit_text("mL/10*3") == "mL/thousand");
  // Every unit the knowledge base uses.
  const std::regex code(R"([\[\]{}*^])");
  for (const auto& t : chartlock::knowledge::get().labs) {
    INFO(t.loinc << " " << t.unit);
    CHECK_FALSE(std::regex_search(s::unit_text(t.unit), code));
  }
  for (const auto& v : chartlock::knowledge::get().vitals) {
    INFO(v.id << " " << v.unit);
    CHECK_FALSE(std::regex_search(s::unit_text(v.unit), code));
  }
}

TEST_CASE("a LOINC long name reads as the test's name", "[summary][words]") {
  CHECK(s::plain_test_name("Thyrotropin [Units/volume] in Serum or Plasma") == "Thyrotropin");
  CHECK(s::plain_test_name("Lipid 1996 panel - Serum or Plasma") == "Lipid panel");
  CHECK(s::plain_test_name("Comprehensive metabolic 2000 panel - Serum or Plasma") == "Comprehensive metabolic panel");
  CHECK(s::plain_test_name("Complete blood count (hemogram) panel - Blood by Automated count") ==
        "Complete blood count (hemogram) panel");
  CHECK(s::plain_test_name("Hemoglobin A1c/Hemoglobin.total in Blood") == "Hemoglobin A1c/Hemoglobin.total");
  CHECK(s::plain_test_name("Glucose") == "Glucose");
  CHECK(s::plain_test_name("Vitamin B12") == "Vitamin B12");
}

TEST_CASE("values, ranges and trends at the precision the test is reported in", "[summary][words]") {
  const Summary sum = summary_of({lab("2345-7", "2024-01-10", 84.68, "mg/dL"), lab("2345-7", "2025-01-10", 151.3, "mg/dL"),
                                  lab("2160-0", "2025-01-10", 0.9234, "mg/dL"), lab("4548-4", "2025-01-10", 6.14, "%")});
  const auto* glucose = lab_series(sum, "2345-7");
  REQUIRE(glucose);
  CHECK(glucose->decimals == 0);
  CHECK(s::value_text(glucose->latest) == "151 mg/dL");
  CHECK(s::value_text(glucose->history.front()) == "85 mg/dL");
  CHECK(s::range_text(glucose->latest.range, glucose->decimals) == "70 to 99 mg/dL");
  REQUIRE(glucose->trend.change);
  CHECK(*glucose->trend.change == 66);
  CHECK(s::trend_text(glucose->trend, glucose->unit, glucose->decimals) == "up 66 mg/dL since 2024-01-10 (2 results)");
  CHECK(s::value_text(lab_series(sum, "2160-0")->latest) == "0.92 mg/dL");
  CHECK(s::value_text(lab_series(sum, "4548-4")->latest) == "6.1%");
  // What is judged is what is shown: 99.4 shows as 99, within 70 to 99.
  const Summary edge = summary_of({lab("2345-7", "2025-01-10", 99.4, "mg/dL")});
  CHECK(lab_series(edge, "2345-7")->latest.flag == Flag::normal);
  // Insight texts carry the same numbers.
  for (const auto& in : sum.insights) CHECK(in.text.find("151.3") == std::string::npos);
}

TEST_CASE("one test whatever the method, each result's method noted", "[summary][words]") {
  const Summary sum = summary_of({lab("13457-7", "2024-01-10", 120, "mg/dL"), lab("18262-6", "2025-01-10", 131, "mg/dL"),
                                  lab("33914-3", "2023-01-10", 70, "mL/min/{1.73_m2}"),
                                  lab("62238-1", "2025-01-10", 58, "mL/min/{1.73_m2}")});
  int ldl_rows = 0, egfr_rows = 0;
  for (const auto& l : sum.labs) {
    if (l.name.find("LDL") != std::string::npos) ++ldl_rows;
    if (l.name.find("eGFR") != std::string::npos) ++egfr_rows;
  }
  CHECK(ldl_rows == 1);
  CHECK(egfr_rows == 1);
  const auto* ldl = lab_series(sum, "2089-1");
  REQUIRE(ldl);
  REQUIRE(ldl->history.size() == 2);
  CHECK(ldl->history[0].method == "calculated");
  CHECK(ldl->history[1].method == "measured directly");
  // Two equations differ by equation: the trend reads the latest method's results only.
  const auto* egfr = lab_series(sum, "69405-9");
  REQUIRE(egfr);
  CHECK(egfr->history.size() == 2);
  CHECK(egfr->trend.points == 1);
  CHECK(egfr->trend.note.find("measured another way") != std::string::npos);
  const std::string md = chartlock::summary_to_markdown(sum);
  CHECK(md.find("LOINC 13457-7 and 18262-6") != std::string::npos);
}

TEST_CASE("a trend reads the recent results, not the oldest on record", "[summary][words]") {
  std::vector<s::TrendPoint> points = {{"1999-05-01", 90}, {"2021-01-01", 130}, {"2023-06-01", 131}, {"2024-06-01", 132}};
  const chartlock::Trend t = s::trend_of(points, chartlock::RangeUsed{70.0, 99.0, "mg/dL", "", ""}, 0);
  CHECK(t.since == "2023-06-01");
  CHECK(t.points == 2);
  CHECK(t.direction == "stable");  // 131 → 132: under 5% of the range's width
  // Two results years apart still make a trend, said from the older one.
  const chartlock::Trend two = s::trend_of({{"2010-01-01", 5.1}, {"2020-01-01", 6.3}}, chartlock::RangeUsed{}, 1);
  CHECK(two.since == "2010-01-01");
  CHECK(two.direction == "up");
  // A change that rounds to nothing at the reported precision is stable.
  const chartlock::Trend none = s::trend_of({{"2024-01-01", 4.04}, {"2025-01-01", 4.01}}, chartlock::RangeUsed{}, 1);
  CHECK(none.direction == "stable");
}

TEST_CASE("current medicines: active, or prescribed in the last year; the rest are past", "[summary][words]") {
  const Summary sum = summary_of({
      prescription("Metformin 500 mg", "completed", "2025-03-01"),   // prescribed again recently
      prescription("Metformin 500 mg", "completed", "2024-09-01"),
      prescription("Atorvastatin 20 mg", "active", "2016-01-01"),    // listed as active
      prescription("Lisinopril 10 mg", "stopped", "2025-04-01"),     // stopped: past, however recent
      prescription("Amoxicillin 500 mg", "completed", "2022-02-01"), // long ago
      prescription("Warfarin 5 mg", "entered-in-error", "2025-05-01"),
  });
  auto names = [](const std::vector<chartlock::MedicationItem>& list) {
    std::vector<std::string> out;
    for (const auto& m : list) out.push_back(m.name + ":" + m.current);
    return out;
  };
  CHECK(names(sum.active_medications) ==
        std::vector<std::string>{"Metformin 500 mg:prescribed-recently", "Atorvastatin 20 mg:active"});
  CHECK(names(sum.past_medications) == std::vector<std::string>{"Lisinopril 10 mg:", "Amoxicillin 500 mg:"});
  CHECK(sum.narrative.find("No medicine") == std::string::npos);
  CHECK(sum.narrative.find("prescribed in the last 12 months") != std::string::npos);
  // Nothing current: said, with what was (and the rule).
  const Summary past = summary_of({prescription("Amoxicillin 500 mg", "completed", "2022-02-01")});
  CHECK(past.active_medications.empty());
  CHECK(past.narrative.find("1 past medicine is on record") != std::string::npos);
  const std::string md = chartlock::summary_to_markdown(past);
  CHECK(md.find("## Past medicines") != std::string::npos);
}

TEST_CASE("the flag's words never contradict the range", "[summary][words]") {
  CHECK(s::flag_text(Flag::normal, "range") == "In range");
  CHECK(s::flag_text(Flag::normal, "interpretation") == "Normal, as the lab marked it");
  CHECK(s::flag_text(Flag::unknown, "none") == "No usual range");
  CHECK(s::flag_text(Flag::high, "critical-limit") == "High");
  CHECK(s::flag_text(Flag::critical_low, "critical-limit") == "Very low");
}

TEST_CASE("dates in sentences in the reader's style; fields stay ISO", "[summary][words]") {
  CHECK(s::day_text("2023-06-13", DateStyle::month_day_year) == "June 13, 2023");
  CHECK(s::day_text("2023-06-13T10:00:00Z", DateStyle::day_month_year) == "13 June 2023");
  CHECK(s::day_text("2023-06", DateStyle::month_day_year) == "June 2023");
  CHECK(s::day_text("2023", DateStyle::day_month_year) == "2023");
  CHECK(s::day_text("2023-06-13", DateStyle::iso) == "2023-06-13");
  CHECK(s::day_text("not a date", DateStyle::month_day_year) == "not a date");
  const Summary sum = summary_of({lab("2345-7", "2025-01-10", 151, "mg/dL")}, "2025-06-01", DateStyle::month_day_year);
  const std::regex iso(R"(\b\d{4}-\d{2}-\d{2}\b)");
  CHECK_FALSE(std::regex_search(sum.narrative, iso));
  for (const auto& in : sum.insights) {
    INFO(in.text);
    CHECK_FALSE(std::regex_search(in.text, iso));
  }
  for (const auto& q : sum.questions) CHECK_FALSE(std::regex_search(q.text, iso));
  CHECK(lab_series(sum, "2345-7")->latest.date == "2025-01-10");
}

TEST_CASE("what matters now comes first: old results rank after recent ones", "[summary][words]") {
  const Summary sum = summary_of({lab("2345-7", "2012-01-10", 180, "mg/dL"), lab("2823-3", "2025-03-01", 5.6, "mmol/L")});
  std::vector<std::string> ids;
  for (const auto& in : sum.insights) ids.push_back(in.id);
  const auto potassium = std::find(ids.begin(), ids.end(), "out-of-range:2823-3");
  const auto glucose = std::find(ids.begin(), ids.end(), "out-of-range:2345-7");
  REQUIRE(potassium != ids.end());
  REQUIRE(glucose != ids.end());
  CHECK(potassium < glucose);
  // The old one says how old it is.
  const auto& old = sum.insights[static_cast<std::size_t>(glucose - ids.begin())];
  CHECK(old.text.find("13 years old") != std::string::npos);
}

namespace {

// clean_display as it was written before it read views (a string per tag).
std::string clean_display_reference(std::string_view display) {
  static const char* const kTags[] = {"(disorder)", "(finding)", "(procedure)", "(situation)",
                                      "(regime/therapy)", "(observable entity)", "(morphologic abnormality)",
                                      "(qualifier value)", "(substance)", "(product)", "(event)"};
  std::string s(display);
  for (const char* tag : kTags) {
    const std::string t(tag);
    if (s.size() > t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0) {
      s.erase(s.size() - t.size());
      while (!s.empty() && s.back() == ' ') s.pop_back();
      break;
    }
  }
  return s;
}

}  // namespace

TEST_CASE("a display loses its semantic tag as it always did", "[summary][words]") {
  // Every tag (and one that is not) after names with and without spaces,
  // alone, twice, cut short, in another case; the result must not change.
  const std::vector<std::string> tags = {"(disorder)", "(finding)", "(procedure)", "(situation)", "(regime/therapy)",
                                         "(observable entity)", "(morphologic abnormality)", "(qualifier value)",
                                         "(substance)", "(product)", "(event)", "(Disorder)", "(person)", ")", "()"};
  const std::vector<std::string> names = {"", " ", "Anemia", "Anemia ", "Anemia   ", "   ", "a (finding) b",
                                          "(disorder)", "x)", "Cough (finding)"};
  int compared = 0;
  for (const std::string& name : names) {
    for (const std::string& tag : tags) {
      for (const std::string& text : {name + tag, name + tag + " ", name + tag.substr(1), tag + name}) {
        INFO(text);
        CHECK(s::clean_display(text) == clean_display_reference(text));
        ++compared;
      }
    }
  }
  CHECK(compared == 600);
  CHECK(s::clean_display("Anemia (disorder)") == "Anemia");
  CHECK(s::clean_display("(disorder)") == "(disorder)");
}
