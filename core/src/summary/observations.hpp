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
  ObservationClass() = default;
  // `time` may point into another class of the same vector: kept in place.
  ObservationClass(const ObservationClass&) = delete;
  ObservationClass& operator=(const ObservationClass&) = delete;

  std::string loinc;                          // loinc_of its code
  ObservationKind kind = ObservationKind::other;
  const knowledge::LabTest* lab = nullptr;    // kb.lab(loinc)
  const knowledge::VitalSign* vital = nullptr;  // kb.vital_for_code(loinc), when not a known lab
  // time_key(when(o)), for sorting its series: this class's own_time, or the
  // one before it when both have one time (a panel's members).
  const std::string* time = &own_time;
  std::string own_time;
};

// Each observation's class, in the record's order. The vector is only ever
// moved whole (its classes point into each other).
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
const ShortText& when(const Observation& o);

// A key that sorts observations by time across time zones.
std::string time_key(std::string_view fhir_time);

// Source names without directories, once each.
std::vector<std::string> source_names(const std::vector<Provenance>& sources);

// source_names for one value after another: nearly every result of a test
// comes from the same input, so the names are made once for a run of values
// with the same sources (known by their names' addresses, the record's
// strings; equal names at other addresses are only made again). Interned:
// a point copies pointers, not a string a name (past wasm's 10 characters
// inline, "provider-1.json" was a heap block a point).
class SourceNames {
 public:
  const std::vector<Interned>& of(const std::vector<Provenance>& sources) {
    bool same = sources.size() == seen_.size();
    for (std::size_t i = 0; same && i < sources.size(); ++i) same = &sources[i].source.str() == seen_[i];
    if (!same) {
      seen_.clear();
      for (const Provenance& p : sources) seen_.push_back(&p.source.str());
      names_ = to_interned(source_names(sources));
    }
    return names_;
  }

 private:
  std::vector<const std::string*> seen_;
  std::vector<Interned> names_;
};

}  // namespace chartlock::summary
