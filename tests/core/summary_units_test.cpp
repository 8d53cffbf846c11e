// SPDX-License-Identifier: Apache-2.0
// Unit conversions: every analyte-specific factor, the HbA1c formula, and the
// refusals (never a conversion that is not commensurable).
#include <catch2/catch.hpp>

#include "chartlock/knowledge.hpp"
#include "chartlock/units.hpp"

using chartlock::units::Analyte;
using chartlock::units::canonical;
using chartlock::units::convert;

namespace {
const Analyte& analyte(const char* loinc) { return chartlock::knowledge::get().lab(loinc)->analyte; }
}  // namespace

TEST_CASE("canonical UCUM spellings of units as records write them", "[summary][units]") {
  CHECK(canonical(" mg/dl ") == "mg/dL");
  CHECK(canonical("MG/DL") == "mg/dL");
  CHECK(canonical("mmHg") == "mm[Hg]");
  CHECK(canonical("K/uL") == "10*3/uL");
  CHECK(canonical("x10E3/uL") == "10*3/uL");
  CHECK(canonical("mEq/L") == "meq/L");
  CHECK(canonical("µmol/L") == "umol/L");
  CHECK(canonical("lbs") == "[lb_av]");
  CHECK(canonical("°F") == "[degF]");
  CHECK(canonical("mIU/L") == "m[IU]/L");
  CHECK(canonical("{score}") == "{score}");  // unknown: as written
}

TEST_CASE("glucose, cholesterol and triglycerides: mg/dL and mmol/L", "[summary][units]") {
  CHECK(*convert(100, "mg/dL", "mmol/L", analyte("2345-7")) == Approx(100 / 18.016).epsilon(1e-4));
  CHECK(*convert(5.55, "mmol/L", "mg/dL", analyte("2345-7")) == Approx(5.55 * 18.016).epsilon(1e-4));
  CHECK(*convert(200, "mg/dL", "mmol/L", analyte("2093-3")) == Approx(200 / 38.67).epsilon(1e-3));
  CHECK(*convert(3.0, "mmol/L", "mg/dL", analyte("18262-6")) == Approx(3.0 * 38.67).epsilon(1e-3));
  CHECK(*convert(150, "mg/dL", "mmol/L", analyte("2571-8")) == Approx(150 / 88.57).epsilon(1e-4));
}

TEST_CASE("creatinine, urea, calcium, bilirubin, iron, vitamins: molar conversions", "[summary][units]") {
  CHECK(*convert(1.0, "mg/dL", "umol/L", analyte("2160-0")) == Approx(88.4).epsilon(1e-3));
  CHECK(*convert(88.42, "umol/L", "mg/dL", analyte("2160-0")) == Approx(1.0).epsilon(1e-3));
  CHECK(*convert(14, "mg/dL", "mmol/L", analyte("3094-0")) == Approx(5.0).epsilon(1e-3));  // BUN ×0.357
  CHECK(*convert(10, "mg/dL", "mmol/L", analyte("17861-6")) == Approx(2.495).epsilon(1e-3));
  CHECK(*convert(1.0, "mg/dL", "umol/L", analyte("1975-2")) == Approx(17.1).epsilon(1e-3));
  CHECK(*convert(100, "ug/dL", "umol/L", analyte("2498-4")) == Approx(17.9).epsilon(1e-3));
  CHECK(*convert(30, "ng/mL", "nmol/L", analyte("62292-8")) == Approx(74.9).epsilon(1e-3));
  CHECK(*convert(400, "pg/mL", "pmol/L", analyte("2132-9")) == Approx(295.1).epsilon(1e-3));
  CHECK(*convert(6, "mg/dL", "umol/L", analyte("3084-1")) == Approx(356.9).epsilon(1e-3));
}

TEST_CASE("HbA1c: NGSP percent and IFCC mmol/mol by the master equation", "[summary][units]") {
  CHECK(*convert(7.0, "%", "mmol/mol", analyte("4548-4")) == Approx(53.0).margin(0.1));
  CHECK(*convert(6.5, "%", "mmol/mol", analyte("4548-4")) == Approx(47.5).margin(0.1));
  CHECK(*convert(48, "mmol/mol", "%", analyte("4548-4")) == Approx(6.54).margin(0.01));
  // Without the analyte, % is a fraction and mmol/mol is not one.
  CHECK_FALSE(convert(7.0, "%", "mmol/mol"));
}

TEST_CASE("hemoglobin and proteins: g/dL, g/L and mmol/L", "[summary][units]") {
  CHECK(*convert(14, "g/dL", "g/L") == Approx(140));
  CHECK(*convert(140, "g/L", "g/dL") == Approx(14));
  CHECK(*convert(14, "g/dL", "mmol/L", analyte("718-7")) == Approx(8.69).epsilon(1e-3));
  CHECK(*convert(4.0, "g/dL", "g/L") == Approx(40));
}

TEST_CASE("counts, electrolytes, fractions, vitals", "[summary][units]") {
  CHECK(*convert(7.2, "10*9/L", "10*3/uL") == Approx(7.2));
  CHECK(*convert(4.5, "10*12/L", "10*6/uL") == Approx(4.5));
  CHECK(*convert(140, "meq/L", "mmol/L", analyte("2951-2")) == Approx(140));
  CHECK(*convert(5, "meq/L", "mmol/L", analyte("17861-6")) == Approx(2.5));  // calcium is divalent
  CHECK(*convert(0.42, "L/L", "%") == Approx(42));
  CHECK(*convert(98.6, "[degF]", "Cel") == Approx(37.0));
  CHECK(*convert(37.0, "Cel", "[degF]") == Approx(98.6));
  CHECK(*convert(150, "[lb_av]", "kg") == Approx(68.0389).epsilon(1e-5));
  CHECK(*convert(70, "[in_i]", "cm") == Approx(177.8));
  CHECK(*convert(2.5, "u[IU]/mL", "m[IU]/L") == Approx(2.5));
}

TEST_CASE("units that are not commensurable are refused, never guessed", "[summary][units]") {
  CHECK_FALSE(convert(100, "mg/dL", "mmol/L"));  // no molar mass known
  CHECK_FALSE(convert(1, "mg/dL", "kg"));
  CHECK_FALSE(convert(1, "U/L", "[IU]/L"));      // enzyme units vs arbitrary units
  CHECK_FALSE(convert(1, "furlong", "mg/dL"));
  CHECK_FALSE(convert(140, "meq/L", "mmol/L"));  // the charge is not known
  CHECK(*convert(5, "mmol/L", "mmol/L") == 5);   // the same unit needs nothing
}
