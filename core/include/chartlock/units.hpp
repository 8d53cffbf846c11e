// SPDX-License-Identifier: Apache-2.0
// Units of measure as real records write them (UCUM codes, and the common
// non-UCUM spellings labs still send), and conversions between the units labs
// use for the same analyte, so results from two providers form one series.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chartlock::units {

// What a conversion needs to know about the substance measured. Without it,
// only units of one dimension convert (mg/dL ↔ g/L, mmol/L ↔ umol/L…).
struct Analyte {
  double molar_mass = 0;  // g/mol: mass ↔ substance concentration (0: unknown)
  int charge = 0;         // valence: mmol ↔ meq (0: unknown)
  bool fraction = false;  // a fraction: % ↔ 1 (L/L)
  bool hba1c = false;     // HbA1c: NGSP % ↔ IFCC mmol/mol, a formula rather than a factor
};

// The UCUM code for a unit as written: trims blanks, fixes case slips
// ("mg/dl" → "mg/dL"), and maps common non-UCUM spellings ("mmHg" → "mm[Hg]",
// "K/uL" → "10*3/uL", "mEq/L" → "meq/L", "lbs" → "[lb_av]"). Units it does not
// know come back trimmed but otherwise as written.
std::string canonical(std::string_view written);

// `value` in `from`, expressed in `to` (both canonicalized first); nullopt
// when the two are not commensurable for this analyte. Never guesses.
std::optional<double> convert(double value, std::string_view from, std::string_view to,
                              const Analyte& analyte = {});

// The factor f such that value_in_to = value_in_from × f, when the conversion
// is a plain factor (everything but temperature and HbA1c).
std::optional<double> factor(std::string_view from, std::string_view to, const Analyte& analyte = {});

}  // namespace chartlock::units
