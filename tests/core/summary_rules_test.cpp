// SPDX-License-Identifier: Apache-2.0
// The summary's rules one at a time: flags against ranges and critical limits,
// the source's interpretation, report ranges, trends, dates and numbers.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "summary/civil_date.hpp"
#include "summary/flags.hpp"
#include "summary/number_text.hpp"
#include "summary/plain_text.hpp"
#include "summary/ranges.hpp"
#include "summary/trend.hpp"

using chartlock::Flag;
using chartlock::knowledge::Bounds;
using chartlock::knowledge::CriticalLimits;
namespace s = chartlock::summary;

TEST_CASE("flags from an inclusive range, with comparators", "[summary][flags]") {
  const Bounds r{70.0, 99.0};
  CHECK(s::flag_in_range(69.9, "", r) == Flag::low);
  CHECK(s::flag_in_range(70, "", r) == Flag::normal);
  CHECK(s::flag_in_range(99, "", r) == Flag::normal);
  CHECK(s::flag_in_range(99.5, "", r) == Flag::high);
  CHECK(s::flag_in_range(5, "<", r) == Flag::low);        // "<5": surely below 70
  CHECK(s::flag_in_range(80, "<", r) == Flag::unknown);   // "<80" could be below 70
  CHECK(s::flag_in_range(120, ">", r) == Flag::high);
  CHECK(s::flag_in_range(60, ">", Bounds{60.0, std::nullopt}) == Flag::normal);  // eGFR ">60"
  CHECK(s::flag_in_range(0.5, "<", Bounds{std::nullopt, 9.9}) == Flag::normal);  // CRP "<0.5"
  CHECK(s::flag_in_range(45, "", Bounds{60.0, std::nullopt}) == Flag::low);
}

TEST_CASE("critical limits, strict or inclusive", "[summary][flags]") {
  const CriticalLimits k{3.0, 6.1, false, false};
  CHECK(s::critical_flag(2.9, "", k) == Flag::critical_low);
  CHECK_FALSE(s::critical_flag(3.0, "", k));
  CHECK(s::critical_flag(6.2, "", k) == Flag::critical_high);
  const CriticalLimits inclusive{7.0, std::nullopt, true, false};
  CHECK(s::critical_flag(7.0, "", inclusive) == Flag::critical_low);
  CHECK_FALSE(s::critical_flag(6.0, ">", inclusive));  // ">6" may be fine
}

TEST_CASE("the source's interpretation codes, and when they disagree", "[summary][flags]") {
  CHECK(s::flag_from_interpretation("H") == Flag::high);
  CHECK(s::flag_from_interpretation("LL") == Flag::critical_low);
  CHECK(s::flag_from_interpretation("POS") == Flag::abnormal);
  CHECK(s::flag_from_interpretation("N") == Flag::normal);
  CHECK_FALSE(s::flag_from_interpretation("S"));
  CHECK(s::agrees(Flag::high, "H"));
  CHECK(s::agrees(Flag::critical_high, "H"));
  CHECK_FALSE(s::agrees(Flag::normal, "H"));
  CHECK_FALSE(s::agrees(Flag::low, "H"));
  CHECK(s::agrees(Flag::high, "A"));
  CHECK_FALSE(s::agrees(Flag::normal, "A"));
}

namespace {
chartlock::Quantity qty(double v, const std::string& unit) {
  chartlock::Quantity q;
  q.value = v;
  q.unit = unit;
  q.code = unit;
  return q;
}
chartlock::ReferenceRange rr(std::optional<double> low, std::optional<double> high, const std::string& unit) {
  chartlock::ReferenceRange r;
  if (low) r.low = qty(*low, unit);
  if (high) r.high = qty(*high, unit);
  return r;
}
const chartlock::knowledge::LabTest& lab(const char* loinc) { return *chartlock::knowledge::get().lab(loinc); }
}  // namespace

TEST_CASE("report ranges: converted, by sex, conflicting, malformed", "[summary][ranges]") {
  const auto& glucose = lab("2345-7");
  // mmol/L range on a mmol/L value, judged in the series unit mg/dL.
  auto c = s::report_range({rr(3.9, 5.5, "mmol/L")}, "mmol/L", "mg/dL", glucose.analyte, {}, "female");
  REQUIRE(c.bounds);
  CHECK(*c.bounds->low == Approx(70.26).epsilon(1e-3));
  CHECK(*c.bounds->high == Approx(99.09).epsilon(1e-3));

  // Two different normal ranges: none is used, and the note says why.
  c = s::report_range({rr(135, 145, "mmol/L"), rr(130, 150, "mmol/L")}, "mmol/L", "mmol/L", {}, {}, "male");
  CHECK_FALSE(c.bounds);
  CHECK(c.note.find("more than one range") != std::string::npos);

  // Low above high.
  c = s::report_range({rr(10, 5, "mg/dL")}, "mg/dL", "mg/dL", {}, {}, "");
  CHECK_FALSE(c.bounds);
  CHECK_FALSE(c.note.empty());

  // A bound in a unit that does not convert.
  c = s::report_range({rr(1, 2, "furlong")}, "mg/dL", "mg/dL", {}, {}, "");
  CHECK_FALSE(c.bounds);

  // Sex-specific entries: the one for this patient.
  auto female = rr(12.1, 15.1, "g/dL");
  female.appliesTo.push_back(chartlock::CodeableConcept{{}, "Female"});
  auto male = rr(13.8, 17.2, "g/dL");
  male.appliesTo.push_back(chartlock::CodeableConcept{{}, "Male"});
  c = s::report_range({female, male}, "g/dL", "g/dL", {}, {}, "male");
  REQUIRE(c.bounds);
  CHECK(*c.bounds->low == 13.8);

  // Text only.
  chartlock::ReferenceRange text;
  text.text = "70 - 99";
  c = s::report_range({text}, "mg/dL", "mg/dL", {}, {}, "");
  REQUIRE(c.bounds);
  CHECK(*c.bounds->high == 99);
}

TEST_CASE("trends: direction, the stable threshold, not enough data", "[summary][trend]") {
  chartlock::RangeUsed range;
  range.low = 70;
  range.high = 99;  // width 29: stable under 1.45
  auto t = s::trend_of({{"2020-01-01", 90}, {"2021-01-01", 91}}, range);
  CHECK(t.direction == "stable");
  CHECK(t.points == 2);
  CHECK(t.since == "2020-01-01");
  t = s::trend_of({{"2020-01-01", 90}, {"2021-01-01", 110}}, range);
  CHECK(t.direction == "up");
  CHECK(*t.change == 20);
  t = s::trend_of({{"2020-01-01", 90}, {"2021-01-01", 80}}, range);
  CHECK(t.direction == "down");
  t = s::trend_of({{"2020-01-01", 90}}, range);
  CHECK(t.direction.empty());
  CHECK(t.note.find("not enough data") != std::string::npos);
  // Without a two-sided range the threshold is 5% of the first value.
  t = s::trend_of({{"2020-01-01", 100}, {"2021-01-01", 104}}, chartlock::RangeUsed{});
  CHECK(t.direction == "stable");
}

TEST_CASE("dates: parsing, ages, months back", "[summary][dates]") {
  CHECK(s::parse_date("2019-05-02T13:00:00-05:00") == s::CivilDate{2019, 5, 2});
  CHECK(s::parse_date("2019") == s::CivilDate{2019, 1, 1});
  CHECK_FALSE(s::parse_date("2019-02-30"));
  CHECK_FALSE(s::parse_day("2019-05"));
  CHECK(s::years_between({1970, 6, 15}, {2025, 6, 14}) == 54);
  CHECK(s::years_between({1970, 6, 15}, {2025, 6, 15}) == 55);
  CHECK(s::add_months({2025, 3, 31}, -1) == s::CivilDate{2025, 2, 28});
  CHECK(s::add_months({2025, 1, 15}, -120) == s::CivilDate{2015, 1, 15});
  CHECK(s::add_months({2024, 2, 29}, 12) == s::CivilDate{2025, 2, 28});
  CHECK(s::day_number({1970, 1, 1}) == 0);
}

namespace {

// number_text as it was first written (a string per part): the plain reading
// the one-buffer version must match.
std::string number_text_reference(double v) {
  if (!std::isfinite(v)) return "?";
  if (std::fabs(v) >= 1e12) return std::to_string(static_cast<long long>(std::llround(v)));
  const long long scaled = std::llround(v * 1e6);
  const bool negative = scaled < 0;
  const unsigned long long u = static_cast<unsigned long long>(negative ? -scaled : scaled);
  std::string whole = std::to_string(u / 1000000ULL);
  std::string frac = std::to_string(u % 1000000ULL);
  frac.insert(frac.begin(), 6 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  std::string out = (negative ? "-" : "") + whole;
  if (!frac.empty()) out += "." + frac;
  return out == "-0" ? "0" : out;
}

}  // namespace

TEST_CASE("number_text matches its plain reading over many values", "[summary][numbers]") {
  std::mt19937_64 random(17);
  std::uniform_int_distribution<int> exponent(-9, 13);
  std::uniform_real_distribution<double> mantissa(-10.0, 10.0);
  std::vector<double> values = {0.0, -0.0, 1e-7, -1e-7, 4e-7, 5e-7, -5e-7, 0.1, 0.000001, 0.0000015, 999999.9999995,
                                1e12 - 1, 1e12, -1e12, 123456789012.345678, std::nan(""), HUGE_VAL, -HUGE_VAL};
  for (int i = 0; i < 200000; ++i) values.push_back(mantissa(random) * std::pow(10.0, exponent(random)));
  for (int i = 0; i < 20000; ++i) values.push_back(std::round(mantissa(random) * 1e5) / 1e3);  // few decimals
  for (double v : values) {
    INFO(v);
    REQUIRE(s::number_text(v) == number_text_reference(v));
  }
}

namespace {

// display_number, value_text and range_text as they were written before they
// wrote into a buffer (a string per part): the readings the buffer versions
// must match.
std::string display_number_reference(double v, int decimals) {
  if (!std::isfinite(v)) return "?";
  if (decimals < 0) return number_text_reference(std::fabs(v) >= 100 ? std::round(v) : s::round_significant(v, 3));
  decimals = decimals > 6 ? 6 : decimals;
  std::string out = number_text_reference(s::round_decimals(v, decimals));
  if (decimals == 0) return out;
  std::size_t dot = out.find('.');
  if (dot == std::string::npos) {
    out += '.';
    dot = out.size() - 1;
  }
  // (It asked for a negative count, and threw, when a large number printed
  // more places than asked for; the buffer version writes it as it is.)
  const std::size_t have = out.size() - dot - 1;
  if (have < static_cast<std::size_t>(decimals)) out.append(static_cast<std::size_t>(decimals) - have, '0');
  return out;
}

std::string with_unit_reference(std::string out, const std::string& unit) {
  if (unit.empty()) return out;
  if (unit != "%") out += ' ';
  return out + unit;
}

std::string value_text_reference(const chartlock::HistoryPoint& p, const std::string& unit_words) {
  if (!p.value) return p.text;
  return with_unit_reference(p.comparator + display_number_reference(*p.value, p.decimals), unit_words);
}

std::string range_text_reference(const chartlock::RangeUsed& r, int decimals, const std::string& unit) {
  auto bound = [decimals](double v) {
    return decimals < 0 ? display_number_reference(v, -1) : number_text_reference(s::round_decimals(v, decimals));
  };
  if (r.low && r.high) return with_unit_reference(bound(*r.low) + " to " + bound(*r.high), unit);
  if (r.high || r.low) return with_unit_reference(bound(r.high ? *r.high : *r.low), unit) + (r.high ? " or less" : " or more");
  return {};
}

}  // namespace

TEST_CASE("display numbers, values and ranges match their plain reading over many values", "[summary][numbers]") {
  std::mt19937_64 random(23);
  std::uniform_int_distribution<int> exponent(-9, 13), places(-1, 8), pick(0, 5);
  std::uniform_real_distribution<double> mantissa(-10.0, 10.0);
  // Rounding edges (x.5 at each precision, 99.95, 999.5), zeros of both signs,
  // the 1e12 switch, numbers that are not finite.
  std::vector<double> values = {0.0,   -0.0,   0.05,   -0.05, 0.5,    -0.5,    0.005,  1.015, 2.675, 99.95, 99.5,
                                999.5, 1e-7,   -4e-7,  0.9,   6,      84.68,   -0.04,  1e12 - 0.5, 1e12, -1e12,
                                1e15,  -1e15,  1e300,  std::nan(""), HUGE_VAL, -HUGE_VAL, 123.737345, 0.034567};
  for (int i = 0; i < 100000; ++i) values.push_back(mantissa(random) * std::pow(10.0, exponent(random)));
  for (int i = 0; i < 20000; ++i) values.push_back(std::round(mantissa(random) * 1e4) / 1e3 + 0.0005);  // ties
  const std::string units[] = {"", "%", "mg/dL", "µg/mL", "thousand per microliter", "a \"quoted\" unit"};
  const char* comparators[] = {"", "<", ">=", "", "<=", ">"};
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    const int decimals = places(random);
    INFO(v << " at " << decimals);
    char buf[s::kNumberRoom];
    REQUIRE(std::string(buf, s::write_display_number(buf, v, decimals)) == display_number_reference(v, decimals));
    REQUIRE(std::string(buf, s::write_number(buf, v)) == number_text_reference(v));
    REQUIRE(s::display_number(v, decimals) == display_number_reference(v, decimals));

    chartlock::HistoryPoint p;
    if (pick(random) != 0) p.value = v;
    p.decimals = decimals;
    p.comparator = comparators[pick(random)];
    p.text = "Negative";
    const std::string& unit = units[pick(random)];
    REQUIRE(s::value_text(p, unit) == value_text_reference(p, unit));

    chartlock::RangeUsed r;
    const int bounds = pick(random) % 4;
    if (bounds & 1) r.low = v;
    if (bounds & 2) r.high = values[(i * 7919) % values.size()];
    REQUIRE(s::range_text(r, decimals, unit) == range_text_reference(r, decimals, unit));
  }
}

TEST_CASE("numbers print the same everywhere", "[summary][numbers]") {
  CHECK(s::number_text(5.55) == "5.55");
  CHECK(s::number_text(140) == "140");
  CHECK(s::number_text(-1.2) == "-1.2");
  CHECK(s::number_text(0.0300001) == "0.03");
  // Precision not known: three significant digits, whole numbers from 100 up.
  CHECK(s::display_number(123.737345) == "124");
  CHECK(s::display_number(4.196583) == "4.2");
  CHECK(s::display_number(0.034567) == "0.0346");
  CHECK(s::display_number(12345.6) == "12346");
  // At the test's reported precision, trailing zeros kept: they are the precision.
  CHECK(s::display_number(84.68, 0) == "85");
  CHECK(s::display_number(0.9, 2) == "0.90");
  CHECK(s::display_number(6, 1) == "6.0");
  CHECK(s::display_number(-0.04, 1) == "0.0");
  CHECK(s::display_number(1.015, 3) == "1.015");
  CHECK(s::round_significant(5.5506, 3) == 5.55);
  CHECK(s::round_significant(0.0012345, 2) == 0.0012);
}
