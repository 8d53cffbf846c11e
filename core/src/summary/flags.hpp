// SPDX-License-Identifier: Apache-2.0
// Judging one value: against a range, against critical limits, and against
// the source's own interpretation codes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "chartlock/summary.hpp"

namespace chartlock::summary {

// low / normal / high for a value (with its comparator) against an inclusive
// range; unknown when the comparator leaves it open (e.g. "<5" against 10–20).
Flag flag_in_range(double value, const std::string& comparator, const knowledge::Bounds& range);

// critical-low / critical-high when beyond the limits; nullopt otherwise.
std::optional<Flag> critical_flag(double value, const std::string& comparator,
                                  const knowledge::CriticalLimits& limits);

// The source's interpretation codes (v3 ObservationInterpretation): the first
// code of each concept, e.g. "H", "LL", "POS".
std::vector<std::string> interpretation_codes(const std::vector<CodeableConcept>& interpretation);

// What an interpretation code says, as a flag; nullopt for codes that say
// nothing about the value's place (e.g. "S", "R" for susceptibility).
std::optional<Flag> flag_from_interpretation(const std::string& code);

// Whether a computed flag and the source's code say the same thing.
bool agrees(Flag flag, const std::string& code);

// A plain word for an interpretation code: "H" → "high".
std::string interpretation_words(const std::string& code);

bool is_outside(Flag flag);  // anything but normal and unknown

}  // namespace chartlock::summary
