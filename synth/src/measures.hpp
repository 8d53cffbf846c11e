// SPDX-License-Identifier: Apache-2.0
// What can be measured: vital signs, labs and a few coded or text results,
// each with its LOINC code, UCUM unit, precision and adult reference
// interval, and the panels labs are ordered in.
#pragma once

#include <cstddef>
#include <cstdint>

#include "codes.hpp"

namespace chartlock::synth {

enum class MeasureId {
  // vital signs
  height, weight, bmi, heart_rate, respiratory_rate, temperature, spo2, blood_pressure,
  systolic, diastolic, pain,
  // social history
  smoking,
  // chemistry
  glucose, urea_nitrogen, creatinine, calcium, sodium, potassium, chloride, carbon_dioxide,
  egfr, albumin, protein, bilirubin, alkaline_phosphatase, alt, ast,
  cholesterol, hdl, ldl, triglycerides, a1c, tsh,
  // hematology
  wbc, rbc, hemoglobin, hematocrit, mcv, mch, mchc, platelets,
  // urinalysis
  urine_color, urine_appearance, urine_ph, urine_specific_gravity, urine_protein, urine_glucose,
  urine_ketones,
  count
};
inline constexpr std::size_t kMeasureCount = static_cast<std::size_t>(MeasureId::count);

enum class Category { vital_signs, laboratory, social_history };
enum class ValueKind { quantity, concept, text, blood_pressure };

struct Unit {
  const char* code = nullptr;     // UCUM
  const char* display = nullptr;  // as shown to people
};

inline constexpr std::int64_t kOpen = -1;  // no bound on this side

// Scaled by 10^decimals, like the values.
struct Interval {
  std::int64_t low = kOpen;
  std::int64_t high = kOpen;
  bool empty() const { return low == kOpen && high == kOpen; }
};

struct Measure {
  MeasureId id;
  Concept code;
  Concept alt_code;  // the same quantity under another code; coding.system null if none
  Category category;
  ValueKind kind;
  Unit unit;
  int decimals;
  Interval female;  // adult reference intervals
  Interval male;
  // Molar alternative some labs report (glucose, lipids): unit, precision,
  // and mg per mmol × 1000.
  Unit si_unit{};
  int si_decimals = 0;
  std::int64_t mg_per_mmol_x1000 = 0;
};

const Measure& measure(MeasureId id);

// Answers of the coded and text results, indexed by the measured value.
const Concept& qualitative_answer(std::int64_t index);  // urine protein/glucose/ketones
const Concept& smoking_answer(std::int64_t index);
const char* text_answer(MeasureId id, std::int64_t index);  // urine color, appearance

// A value in mg/dL, converted to the measure's molar unit (rounded).
std::int64_t to_si(const Measure& m, std::int64_t scaled);

enum class PanelId { basic_metabolic, comprehensive_metabolic, lipid, cbc, a1c, tsh, urinalysis };

struct Panel {
  PanelId id;
  Concept code;
  Concept alt_code;  // lipid panel by calculated LDL; coding.system null if none
  const MeasureId* members;
  std::size_t size;
};

const Panel& panel(PanelId id);

}  // namespace chartlock::synth
