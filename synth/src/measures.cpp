// SPDX-License-Identifier: Apache-2.0
#include "measures.hpp"

namespace chartlock::synth {
namespace {

constexpr Concept loinc(const char* code, const char* display) {
  return Concept{{system::loinc, code, display}};
}

constexpr Unit cm{"cm", "cm"}, kg{"kg", "kg"}, kg_m2{"kg/m2", "kg/m2"}, per_min{"/min", "/min"},
    cel{"Cel", "Cel"}, percent{"%", "%"}, mm_hg{"mm[Hg]", "mm[Hg]"}, score{"{score}", "{score}"},
    mg_dl{"mg/dL", "mg/dL"}, g_dl{"g/dL", "g/dL"}, mmol_l{"mmol/L", "mmol/L"}, u_l{"U/L", "U/L"},
    egfr_unit{"mL/min/{1.73_m2}", "mL/min/{1.73_m2}"}, miu_l{"m[IU]/L", "mIU/L"},
    k_ul{"10*3/uL", "10*3/uL"}, m_ul{"10*6/uL", "10*6/uL"}, fl{"fL", "fL"}, pg{"pg", "pg"},
    ph{"[pH]", "[pH]"}, sg{"{SG}", "{SG}"}, none{};

constexpr auto vital = Category::vital_signs;
constexpr auto lab = Category::laboratory;
constexpr auto qty = ValueKind::quantity;

// One row per MeasureId, in enum order (checked below).
constexpr Measure kMeasures[] = {
    {MeasureId::height, loinc("8302-2", "Body height"), {}, vital, qty, cm, 1, {}, {}},
    {MeasureId::weight, loinc("29463-7", "Body weight"), {}, vital, qty, kg, 1, {}, {}},
    {MeasureId::bmi, loinc("39156-5", "Body mass index (BMI) [Ratio]"), {}, vital, qty, kg_m2, 1, {}, {}},
    {MeasureId::heart_rate, loinc("8867-4", "Heart rate"), {}, vital, qty, per_min, 0, {}, {}},
    {MeasureId::respiratory_rate, loinc("9279-1", "Respiratory rate"), {}, vital, qty, per_min, 0, {}, {}},
    {MeasureId::temperature, loinc("8310-5", "Body temperature"), {}, vital, qty, cel, 1, {}, {}},
    // US Core pulse oximetry carries both codes; Synthea only the arterial one.
    {MeasureId::spo2, loinc("2708-6", "Oxygen saturation in Arterial blood"),
     {{system::loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"},
      {system::loinc, "2708-6", "Oxygen saturation in Arterial blood"}},
     vital, qty, percent, 0, {}, {}},
    {MeasureId::blood_pressure, loinc("85354-9", "Blood pressure panel with all children optional"), {},
     vital, ValueKind::blood_pressure, none, 0, {}, {}},
    {MeasureId::systolic, loinc("8480-6", "Systolic blood pressure"), {}, vital, qty, mm_hg, 0, {}, {}},
    {MeasureId::diastolic, loinc("8462-4", "Diastolic blood pressure"), {}, vital, qty, mm_hg, 0, {}, {}},
    {MeasureId::pain, loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"), {},
     vital, qty, score, 0, {}, {}},
    {MeasureId::smoking, loinc("72166-2", "Tobacco smoking status"), {}, Category::social_history,
     ValueKind::concept, none, 0, {}, {}},

    {MeasureId::glucose, loinc("2345-7", "Glucose [Mass/volume] in Serum or Plasma"), {}, lab, qty, mg_dl, 0,
     {70, 99}, {70, 99}, mmol_l, 1, 18016},
    {MeasureId::urea_nitrogen, loinc("3094-0", "Urea nitrogen [Mass/volume] in Serum or Plasma"), {}, lab,
     qty, mg_dl, 0, {7, 20}, {7, 20}},
    {MeasureId::creatinine, loinc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"), {}, lab, qty,
     mg_dl, 2, {59, 104}, {74, 135}},
    {MeasureId::calcium, loinc("17861-6", "Calcium [Mass/volume] in Serum or Plasma"), {}, lab, qty, mg_dl, 1,
     {86, 103}, {86, 103}},
    {MeasureId::sodium, loinc("2951-2", "Sodium [Moles/volume] in Serum or Plasma"), {}, lab, qty, mmol_l, 0,
     {136, 145}, {136, 145}},
    {MeasureId::potassium, loinc("2823-3", "Potassium [Moles/volume] in Serum or Plasma"), {}, lab, qty,
     mmol_l, 1, {35, 51}, {35, 51}},
    {MeasureId::chloride, loinc("2075-0", "Chloride [Moles/volume] in Serum or Plasma"), {}, lab, qty, mmol_l,
     0, {98, 107}, {98, 107}},
    {MeasureId::carbon_dioxide, loinc("2028-9", "Carbon dioxide, total [Moles/volume] in Serum or Plasma"),
     {}, lab, qty, mmol_l, 0, {22, 29}, {22, 29}},
    // MDRD until labs moved to CKD-EPI (alt_code, from 2012).
    {MeasureId::egfr,
     loinc("33914-3", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or "
                      "Plasma by Creatinine-based formula (MDRD)"),
     loinc("62238-1", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or "
                      "Plasma by Creatinine-based formula (CKD-EPI)"),
     lab, qty, egfr_unit, 0, {60, kOpen}, {60, kOpen}},
    {MeasureId::albumin, loinc("1751-7", "Albumin [Mass/volume] in Serum or Plasma"), {}, lab, qty, g_dl, 1,
     {35, 50}, {35, 50}},
    {MeasureId::protein, loinc("2885-2", "Protein [Mass/volume] in Serum or Plasma"), {}, lab, qty, g_dl, 1,
     {60, 83}, {60, 83}},
    {MeasureId::bilirubin, loinc("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma"), {}, lab, qty,
     mg_dl, 1, {1, 12}, {1, 12}},
    {MeasureId::alkaline_phosphatase,
     loinc("6768-6", "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma"), {}, lab, qty,
     u_l, 0, {44, 147}, {44, 147}},
    {MeasureId::alt, loinc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"),
     {}, lab, qty, u_l, 0, {7, 56}, {7, 56}},
    {MeasureId::ast,
     loinc("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma"), {}, lab,
     qty, u_l, 0, {10, 40}, {10, 40}},
    {MeasureId::cholesterol, loinc("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"), {}, lab, qty,
     mg_dl, 0, {kOpen, 199}, {kOpen, 199}, mmol_l, 2, 38670},
    {MeasureId::hdl, loinc("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma"), {}, lab, qty,
     mg_dl, 0, {50, kOpen}, {40, kOpen}, mmol_l, 2, 38670},
    // Direct assay (Synthea) or calculated (alt_code).
    {MeasureId::ldl, loinc("18262-6", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay"),
     loinc("13457-7", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation"), lab, qty, mg_dl,
     0, {kOpen, 99}, {kOpen, 99}, mmol_l, 2, 38670},
    {MeasureId::triglycerides, loinc("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"), {}, lab, qty,
     mg_dl, 0, {kOpen, 149}, {kOpen, 149}, mmol_l, 2, 88570},
    {MeasureId::a1c, loinc("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"), {}, lab, qty, percent, 1,
     {40, 56}, {40, 56}},
    {MeasureId::tsh, loinc("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"), {}, lab, qty, miu_l, 2,
     {45, 450}, {45, 450}},

    {MeasureId::wbc, loinc("6690-2", "Leukocytes [#/volume] in Blood by Automated count"), {}, lab, qty, k_ul,
     1, {45, 110}, {45, 110}},
    {MeasureId::rbc, loinc("789-8", "Erythrocytes [#/volume] in Blood by Automated count"), {}, lab, qty, m_ul,
     2, {410, 510}, {450, 590}},
    {MeasureId::hemoglobin, loinc("718-7", "Hemoglobin [Mass/volume] in Blood"), {}, lab, qty, g_dl, 1,
     {120, 155}, {135, 175}},
    {MeasureId::hematocrit, loinc("4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count"), {},
     lab, qty, percent, 1, {355, 449}, {410, 500}},
    {MeasureId::mcv, loinc("787-2", "MCV [Entitic volume] by Automated count"), {}, lab, qty, fl, 1,
     {800, 1000}, {800, 1000}},
    {MeasureId::mch, loinc("785-6", "MCH [Entitic mass] by Automated count"), {}, lab, qty, pg, 1, {270, 330},
     {270, 330}},
    {MeasureId::mchc, loinc("786-4", "MCHC [Mass/volume] by Automated count"), {}, lab, qty, g_dl, 1,
     {320, 360}, {320, 360}},
    {MeasureId::platelets, loinc("777-3", "Platelets [#/volume] in Blood by Automated count"), {}, lab, qty,
     k_ul, 0, {150, 450}, {150, 450}},

    {MeasureId::urine_color, loinc("5778-6", "Color of Urine"), {}, lab, ValueKind::text, none, 0, {}, {}},
    {MeasureId::urine_appearance, loinc("5767-9", "Appearance of Urine"), {}, lab, ValueKind::text, none, 0,
     {}, {}},
    {MeasureId::urine_ph, loinc("5803-2", "pH of Urine by Test strip"), {}, lab, qty, ph, 1, {50, 80},
     {50, 80}},
    {MeasureId::urine_specific_gravity, loinc("5811-5", "Specific gravity of Urine by Test strip"), {}, lab,
     qty, sg, 3, {1005, 1030}, {1005, 1030}},
    {MeasureId::urine_protein, loinc("20454-5", "Protein [Presence] in Urine by Test strip"), {}, lab,
     ValueKind::concept, none, 0, {}, {}},
    {MeasureId::urine_glucose, loinc("25428-4", "Glucose [Presence] in Urine by Test strip"), {}, lab,
     ValueKind::concept, none, 0, {}, {}},
    {MeasureId::urine_ketones, loinc("2514-8", "Ketones [Presence] in Urine by Test strip"), {}, lab,
     ValueKind::concept, none, 0, {}, {}},
};
template <class Row, std::size_t N>
constexpr bool in_enum_order(const Row (&rows)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(rows[i].id) != i) return false;
  }
  return true;
}
static_assert(sizeof(kMeasures) / sizeof(kMeasures[0]) == kMeasureCount, "one row per MeasureId");
static_assert(in_enum_order(kMeasures), "rows in MeasureId order");

constexpr Concept snomed_qualifier(const char* code, const char* display) {
  return Concept{{system::snomed, code, display}};
}
const Concept kQualitative[] = {snomed_qualifier("260385009", "Negative (qualifier value)"),
                                snomed_qualifier("260405006", "Trace (qualifier value)"),
                                snomed_qualifier("10828004", "Positive (qualifier value)")};
const Concept kSmoking[] = {snomed_qualifier("266919005", "Never smoked tobacco (finding)"),
                            snomed_qualifier("8517006", "Ex-smoker (finding)"),
                            snomed_qualifier("449868002", "Smokes tobacco daily (finding)")};
const char* const kUrineColor[] = {"Yellow", "Straw", "Amber"};
const char* const kUrineAppearance[] = {"Clear", "Slightly cloudy"};

using M = MeasureId;
constexpr MeasureId kBasic[] = {M::glucose,  M::urea_nitrogen, M::creatinine,     M::calcium, M::sodium,
                            M::potassium, M::chloride,     M::carbon_dioxide, M::egfr};
constexpr MeasureId kComprehensive[] = {M::glucose,  M::urea_nitrogen, M::creatinine,     M::calcium,
                                    M::sodium,   M::potassium,     M::chloride,       M::carbon_dioxide,
                                    M::egfr,     M::albumin,       M::protein,        M::bilirubin,
                                    M::alkaline_phosphatase,       M::alt,            M::ast};
constexpr MeasureId kLipid[] = {M::cholesterol, M::triglycerides, M::hdl, M::ldl};
constexpr MeasureId kCbc[] = {M::wbc, M::rbc, M::hemoglobin, M::hematocrit, M::mcv, M::mch, M::mchc, M::platelets};
constexpr MeasureId kA1c[] = {M::a1c};
constexpr MeasureId kTsh[] = {M::tsh};
constexpr MeasureId kUrinalysis[] = {M::urine_color,   M::urine_appearance, M::urine_ph,
                                 M::urine_specific_gravity, M::urine_protein, M::urine_glucose,
                                 M::urine_ketones};

template <std::size_t N>
constexpr Panel make_panel(PanelId id, Concept code, Concept alt, const MeasureId (&members)[N]) {
  return Panel{id, code, alt, members, N};
}

constexpr Panel kPanels[] = {
    make_panel(PanelId::basic_metabolic, loinc("51990-0", "Basic metabolic panel - Blood"), {}, kBasic),
    make_panel(PanelId::comprehensive_metabolic,
               loinc("24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"), {}, kComprehensive),
    make_panel(PanelId::lipid, loinc("57698-3", "Lipid panel with direct LDL - Serum or Plasma"),
               loinc("24331-1", "Lipid 1996 panel - Serum or Plasma"), kLipid),
    make_panel(PanelId::cbc, loinc("58410-2", "CBC panel - Blood by Automated count"), {}, kCbc),
    make_panel(PanelId::a1c, loinc("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"), {}, kA1c),
    make_panel(PanelId::tsh, loinc("3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"), {}, kTsh),
    make_panel(PanelId::urinalysis, loinc("24357-6", "Urinalysis macro (dipstick) panel - Urine"), {},
               kUrinalysis),
};

static_assert(in_enum_order(kPanels), "rows in PanelId order");

template <class T, std::size_t N>
const T& at(const T (&items)[N], std::int64_t index) {
  return items[static_cast<std::size_t>(index) % N];
}

}  // namespace

const Measure& measure(MeasureId id) { return kMeasures[static_cast<std::size_t>(id)]; }
const Panel& panel(PanelId id) { return kPanels[static_cast<std::size_t>(id)]; }

const Concept& qualitative_answer(std::int64_t index) { return at(kQualitative, index); }
const Concept& smoking_answer(std::int64_t index) { return at(kSmoking, index); }
const char* text_answer(MeasureId id, std::int64_t index) {
  return id == MeasureId::urine_color ? at(kUrineColor, index) : at(kUrineAppearance, index);
}

std::int64_t to_si(const Measure& m, std::int64_t scaled) {
  // value_si = value_mg / (mg_per_mmol), both scaled by their decimals.
  std::int64_t num = scaled * 1000;
  for (int i = 0; i < m.si_decimals; ++i) num *= 10;
  std::int64_t den = m.mg_per_mmol_x1000;
  for (int i = 0; i < m.decimals; ++i) den *= 10;
  return (num + den / 2) / den;
}

}  // namespace chartlock::synth
