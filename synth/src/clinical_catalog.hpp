// SPDX-License-Identifier: Apache-2.0
// The clinical vocabulary the timeline draws from: conditions (SNOMED with
// ICD-10-CM), drugs (RxNorm), vaccines (CVX), procedures, allergies, visit
// types, note types, care plans and goals. Real codes, short lists.
#pragma once

#include "codes.hpp"
#include "measures.hpp"

namespace chartlock::synth {

constexpr Concept snomed(const char* code, const char* display, const char* icd10 = nullptr,
                         const char* icd10_display = nullptr) {
  return Concept{{system::snomed, code, display},
                 icd10 ? Coding{system::icd10cm, icd10, icd10_display} : Coding{}};
}

namespace condition {
inline constexpr Concept hypertension = snomed("38341003", "Hypertension", "I10", "Essential (primary) hypertension");
inline constexpr Concept diabetes = snomed("44054006", "Diabetes mellitus type 2 (disorder)", "E11.9",
                                           "Type 2 diabetes mellitus without complications");
inline constexpr Concept prediabetes = snomed("15777000", "Prediabetes", "R73.03", "Prediabetes");
inline constexpr Concept hyperlipidemia = snomed("55822004", "Hyperlipidemia", "E78.5",
                                                 "Hyperlipidemia, unspecified");
inline constexpr Concept obesity = snomed("162864005", "Body mass index 30+ - obesity (finding)", "E66.9",
                                          "Obesity, unspecified");
inline constexpr Concept hypothyroidism = snomed("40930008", "Hypothyroidism (disorder)", "E03.9",
                                                 "Hypothyroidism, unspecified");
inline constexpr Concept asthma = snomed("195967001", "Asthma", "J45.909", "Unspecified asthma, uncomplicated");
inline constexpr Concept anemia = snomed("271737000", "Anemia (disorder)", "D64.9", "Anemia, unspecified");
inline constexpr Concept viral_sinusitis = snomed("444814009", "Viral sinusitis (disorder)", "J01.90",
                                                  "Acute sinusitis, unspecified");
inline constexpr Concept viral_pharyngitis = snomed("195662009", "Acute viral pharyngitis (disorder)", "J02.9",
                                                    "Acute pharyngitis, unspecified");
inline constexpr Concept strep_throat = snomed("43878008", "Streptococcal sore throat (disorder)", "J02.0",
                                               "Streptococcal pharyngitis");
inline constexpr Concept bronchitis = snomed("10509002", "Acute bronchitis (disorder)", "J20.9",
                                             "Acute bronchitis, unspecified");
inline constexpr Concept ankle_sprain =
    snomed("44465007", "Sprain of ankle", "S93.409A",
           "Sprain of unspecified ligament of unspecified ankle, initial encounter");
inline constexpr Concept laceration =
    snomed("370247008", "Facial laceration", "S01.81XA",
           "Laceration without foreign body of other part of head, initial encounter");
inline constexpr Concept chest_pain = snomed("29857009", "Chest pain (finding)", "R07.9", "Chest pain, unspecified");
inline constexpr Concept pneumonia = snomed("233604007", "Pneumonia (disorder)", "J18.9",
                                            "Pneumonia, unspecified organism");
}  // namespace condition

struct Drug {
  Concept code;
  const char* dosage;  // dosageInstruction text
};

constexpr Concept rxnorm(const char* code, const char* display) {
  return Concept{{system::rxnorm, code, display}};
}

namespace drug {
inline constexpr Drug lisinopril{rxnorm("314076", "lisinopril 10 MG Oral Tablet"),
                                 "Take 1 tablet by mouth once daily"};
inline constexpr Drug amlodipine{rxnorm("197361", "amlodipine 5 MG Oral Tablet"),
                                 "Take 1 tablet by mouth once daily"};
inline constexpr Drug metformin{rxnorm("860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"),
                                "Take 1 tablet by mouth once daily with the evening meal"};
inline constexpr Drug atorvastatin{rxnorm("259255", "Atorvastatin 80 MG Oral Tablet"),
                                   "Take 1 tablet by mouth once daily at bedtime"};
inline constexpr Drug levothyroxine{rxnorm("966222", "Levothyroxine Sodium 0.075 MG Oral Tablet"),
                                    "Take 1 tablet by mouth every morning on an empty stomach"};
inline constexpr Drug albuterol{rxnorm("745679", "200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler"),
                                "Inhale 2 puffs every 4 to 6 hours as needed for wheezing"};
inline constexpr Drug fluticasone{
    rxnorm("895994", "120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler"),
                                  "Inhale 2 puffs twice daily; rinse mouth after use"};
inline constexpr Drug amoxicillin_clavulanate{rxnorm("562251", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet"),
                                              "Take 1 tablet by mouth every 8 hours for 10 days"};
inline constexpr Drug penicillin_v{rxnorm("834102", "Penicillin V Potassium 500 MG Oral Tablet"),
                                   "Take 1 tablet by mouth twice daily for 10 days"};
inline constexpr Drug ibuprofen{rxnorm("310965", "Ibuprofen 200 MG Oral Tablet"),
                                "Take 1 to 2 tablets by mouth every 6 hours as needed for pain"};
inline constexpr Drug naproxen{rxnorm("198014", "Naproxen 500 MG Oral Tablet"),
                               "Take 1 tablet by mouth twice daily with food as needed"};
inline constexpr Drug acetaminophen{rxnorm("313782", "Acetaminophen 325 MG Oral Tablet"),
                                    "Take 2 tablets by mouth every 6 hours as needed"};
inline constexpr Drug epinephrine{rxnorm("1870230", "NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector"),
                                  "Inject 0.3 mL into the thigh once for anaphylaxis; call 911"};
}  // namespace drug

constexpr Concept cvx(const char* code, const char* display) { return Concept{{system::cvx, code, display}}; }

namespace vaccine {
inline constexpr Concept influenza = cvx("140", "Influenza, seasonal, injectable, preservative free");
inline constexpr Concept influenza_older = cvx("141", "Influenza, seasonal, injectable");
inline constexpr Concept td = cvx("113", "Td (adult) preservative free");
inline constexpr Concept tdap = cvx("115", "Tdap");
inline constexpr Concept covid_pfizer = cvx(
    "208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose");
inline constexpr Concept covid_moderna = cvx(
    "207", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 100 mcg/0.5mL dose");
inline constexpr Concept covid_unspecified = cvx("213", "SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED FORMULATION");
inline constexpr Concept pneumococcal_ppsv23 = cvx("33", "pneumococcal polysaccharide vaccine, 23 valent");
inline constexpr Concept pneumococcal_pcv13 = cvx("133", "Pneumococcal conjugate PCV 13");
inline constexpr Concept zoster = cvx("187", "zoster vaccine recombinant");
inline constexpr Concept hepatitis_b = cvx("43", "Hep B, adult");
}  // namespace vaccine

namespace procedure {
inline constexpr Concept medication_documentation = snomed("428191000124101", "Documentation of current medications");
inline constexpr Concept depression_screening = snomed("171207006", "Depression screening");
inline constexpr Concept colonoscopy = snomed("73761001", "Colonoscopy");
inline constexpr Concept mammography = snomed("24623002", "Screening mammography (procedure)");
inline constexpr Concept spirometry = snomed("127783003", "Spirometry (procedure)");
inline constexpr Concept chest_xray = snomed("399208008", "Plain chest X-ray (procedure)");
inline constexpr Concept ecg = snomed("29303009", "Electrocardiographic procedure");
inline constexpr Concept suture = snomed("288086009", "Suture open wound");
}  // namespace procedure

struct AllergyDef {
  Concept code;
  const char* category;     // medication | food | environment | biologic
  const char* criticality;  // low | high
  Concept reaction;
  const char* severity;  // mild | moderate | severe
};

inline constexpr AllergyDef kAllergies[] = {
    {snomed("91936005", "Allergy to penicillin"), "medication", "high",
     snomed("247472004", "Wheal (finding)"), "moderate"},
    {snomed("91935009", "Allergy to peanuts"), "food", "high", snomed("39579001", "Anaphylaxis (disorder)"),
     "severe"},
    {snomed("424213003", "Allergy to bee venom"), "environment", "high",
     snomed("39579001", "Anaphylaxis (disorder)"), "severe"},
    {snomed("300913006", "Shellfish allergy"), "food", "low", snomed("271807003", "Eruption of skin (disorder)"),
     "mild"},
    {snomed("418689008", "Allergy to grass pollen"), "environment", "low", snomed("49727002", "Cough (finding)"),
     "mild"},
    {snomed("232350006", "House dust mite allergy"), "environment", "low",
     snomed("267036007", "Dyspnea (finding)"), "mild"},
};
inline constexpr int kPenicillinAllergy = 0;  // index in kAllergies

enum class Visit { wellness, follow_up, acute, emergency, inpatient };

struct VisitDef {
  const char* class_code;     // v3-ActCode
  const char* class_display;
  Concept type;
};
const VisitDef& visit_def(Visit visit);

constexpr Concept loinc_concept(const char* code, const char* display) {
  return Concept{{system::loinc, code, display}};
}

namespace note {
inline constexpr Concept history_and_physical = loinc_concept("34117-2", "History and physical note");
inline constexpr Concept progress = loinc_concept("11506-3", "Progress note");
inline constexpr Concept emergency = loinc_concept("34111-5", "Emergency department Note");
inline constexpr Concept discharge = loinc_concept("18842-5", "Discharge summary");
}  // namespace note

struct CarePlanDef {
  Concept category;
  Concept activities[3];
  int activity_count;
};

namespace careplan {
inline constexpr CarePlanDef diabetes{snomed("698360004", "Diabetes self management plan"),
                                      {snomed("160670007", "Diabetic diet"), snomed("229065009", "Exercise therapy")},
                                      2};
inline constexpr CarePlanDef hypertension{
    snomed("443402002", "Lifestyle education regarding hypertension (procedure)"),
    {snomed("386463000", "Prescribed activity/exercise education (procedure)"),
     snomed("413473000", "Counseling about alcohol consumption (procedure)")},
    2};
inline constexpr CarePlanDef asthma{snomed("699728000", "Asthma self management"),
                                    {snomed("710818004", "Inhaled steroid therapy"),
                                     snomed("229298005", "Breathing control")},
                                    2};
inline constexpr CarePlanDef respiratory{snomed("53950000", "Respiratory therapy"),
                                         {snomed("304510005", "Recommendation to avoid exercise"),
                                          snomed("371605008", "Deep breathing and coughing exercises")},
                                         2};
inline constexpr CarePlanDef musculoskeletal{snomed("872781000000100", "Musculoskeletal care"),
                                             {snomed("229580007", "Ice therapy"),
                                              snomed("183051005", "Recommendation to rest")},
                                             2};
}  // namespace careplan

struct GoalDef {
  const char* description;
  MeasureId measure;
  const char* comparator;  // of the target: "<"
  std::int64_t value;      // scaled by the measure's decimals
};

namespace goal {
inline constexpr GoalDef a1c{"Hemoglobin A1c total in Blood < 7.0", MeasureId::a1c, "<", 70};
inline constexpr GoalDef blood_pressure{"Systolic blood pressure below 140 mm[Hg]", MeasureId::systolic, "<", 140};
inline constexpr GoalDef ldl{"LDL cholesterol below 100 mg/dL", MeasureId::ldl, "<", 100};
}  // namespace goal

}  // namespace chartlock::synth
