// SPDX-License-Identifier: Apache-2.0
// Reading observations for the summary: which are labs and which vital
// signs, their LOINC code, value, date and sources.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "chartlock/record.hpp"
#include "summary/ranges.hpp"

namespace chartlock::summary {

enum class ObservationKind { lab, vital, other };

// The LOINC code to key on: the first LOINC coding the knowledge base knows,
// else the first LOINC coding; "" when there is none.
std::string loinc_of(const CodeableConcept& code, const knowledge::Knowledge& kb);

// Labs: category laboratory, or a LOINC code the lab knowledge knows.
// Vital signs: category vital-signs, or a LOINC code a vital sign has.
ObservationKind kind_of(const Observation& o, const std::string& loinc, const knowledge::Knowledge& kb);

// What lab_results and vital_signs both ask of each observation, asked once.
struct ObservationClass {
  std::string loinc;                          // loinc_of its code
  ObservationKind kind = ObservationKind::other;
  const knowledge::LabTest* lab = nullptr;    // kb.lab(loinc)
  const knowledge::VitalSign* vital = nullptr;  // kb.vital_for_code(loinc), when not a known lab
  std::string time;                           // time_key(when(o)), for sorting its series
};

// Each observation's class, in the record's order.
std::vector<ObservationClass> classify(const std::vector<Observation>& observations, const knowledge::Knowledge& kb);

// A panel: no value of its own, only members or components.
bool is_panel(const Observation& o);

struct Reading {
  std::optional<double> value;  // quantity and integer values
  std::string comparator;
  std::string unit;      // canonical, after the test's aliases
  bool unit_given = false;
  std::string text;      // coded, string and other values, as words
  std::vector<std::string> answer_codes;  // codes of a coded value
  bool absent = false;   // no value at all
};

// `units`: the series' reader of units (its aliases applied).
Reading read_value(const ObservationValue& v, const CodeableConcept& data_absent, UnitReader& units);

// The date an observation counts on (effective start, else issued), as written.
const std::string& when(const Observation& o);

// A key that sorts observations by time across time zones.
std::string time_key(const std::string& fhir_time);

// Source names without directories, once each.
std::vector<std::string> source_names(const std::vector<Provenance>& sources);

}  // namespace chartlock::summary
