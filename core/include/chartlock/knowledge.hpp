// SPDX-License-Identifier: Apache-2.0
// The knowledge base the summary explains a record with: lab tests, vital
// signs, conditions, medication classes, vaccines and preventive-care rules.
// Written by us as JSON under core/knowledge/ (each fact with its source),
// compiled into the library, and parsed once on first use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"
#include "chartlock/units.hpp"

namespace chartlock::knowledge {

// An inclusive interval; either side may be open.
struct Bounds {
  std::optional<double> low;
  std::optional<double> high;
  bool empty() const { return !low && !high; }
};

// Values beyond these need prompt attention. Strict unless marked inclusive.
struct CriticalLimits {
  std::optional<double> low;
  std::optional<double> high;
  bool low_inclusive = false;
  bool high_inclusive = false;
  bool empty() const { return !low && !high; }
};

// Which way a result is worrying.
enum class Concern { high, low, both, none };

struct LabTest {
  std::string loinc;
  std::string name;   // plain name
  std::string group;  // panel or body system, for ordering
  std::string plain;  // what it measures and why it matters
  std::string unit;   // usual unit (UCUM); empty for coded results
  int decimals = -1;  // places results are reported with, in `unit`
  // Another way of measuring the same thing (LDL calculated or measured;
  // eGFR by each equation): one series under that test's LOINC, this
  // test's `method` noted on each result.
  std::string same_as, method;
  Bounds range;                        // adults, when it does not differ by sex
  std::optional<Bounds> female, male;  // when it does
  std::string range_source;
  CriticalLimits critical;
  std::string critical_source;
  Concern concerning = Concern::both;
  units::Analyte analyte;
  std::map<std::string, std::string> unit_aliases;  // canonical written unit → unit
  std::vector<std::string> normal_answers;    // coded/text results: lower-case text or SNOMED codes
  std::vector<std::string> abnormal_answers;
  std::string note;

  // The adult range for "female" / "male"; nullopt when it differs by sex and
  // the sex is not one of those, or when the test has no range.
  std::optional<Bounds> range_for(const std::string& gender) const;
};

struct VitalCategory {
  struct Test {
    std::string component;  // "systolic" / "diastolic", or "" for the value itself
    std::string op;         // "above", "atLeast", "below"
    double value = 0;
  };
  std::string id, label, flag, source;
  std::vector<Test> any;  // the first category any of whose tests holds wins; none: the default
};

struct VitalSign {
  std::string id, name, plain, unit, note;
  int decimals = -1;  // places readings are written with, in `unit`
  std::vector<std::string> codes;  // LOINC codes that are this vital sign
  std::vector<std::string> systolic_codes, diastolic_codes;  // blood pressure components
  Bounds range;
  std::string range_source;
  std::vector<VitalCategory> categories;
  std::map<std::string, std::string> unit_aliases;
};

// A set of condition codes: SNOMED CT codes, ICD-10-CM prefixes.
struct ConditionCodes {
  std::vector<std::string> snomed;
  std::vector<std::string> icd10;
  bool empty() const { return snomed.empty() && icd10.empty(); }
  bool matches(const CodeableConcept& code) const;
  // The systems whose codes `icd10`'s prefixes are matched against.
  static bool is_icd10_system(std::string_view system);
};

struct ConditionInfo {
  std::string plain, group, source;
  bool chronic = false;
  ConditionCodes codes;
};

struct DrugClass {
  std::string id, plain;
};

struct Ingredient {
  std::string name, rxnorm;
  std::vector<std::string> classes, products, also_known_as;
  // The name and each also_known_as, lower-cased once at load: what
  // Knowledge::ingredients_of looks for in a medication's labels.
  std::vector<std::string> match_names;
};

struct AllergyGroup {
  std::string id, plain, source;
  std::vector<std::string> snomed, words, conflicts_with;  // conflicts_with: class ids
};

struct VaccineGroup {
  std::string group, plain;
  std::vector<std::string> cvx;
};

// One way a preventive-care rule is met.
struct Evidence {
  std::vector<std::string> vaccines;    // vaccine groups
  std::vector<std::string> loinc;       // observations
  std::vector<std::string> procedures;  // SNOMED CT procedures
  std::vector<std::string> vitals;      // vital sign ids
  int count = 1;                        // distinct dates needed
  std::optional<int> within_months;     // before today
  std::string season_start;             // "MM-DD": since the latest such day
};

struct Requirement {
  std::string vital;                // a vital sign id whose latest value…
  std::optional<double> at_least;   // …is at least this
  std::vector<std::string> smoking; // or: the latest smoking status is one of these
};

struct PreventiveRule {
  std::string id, kind, title, sex, due, question, source;  // kind: immunization | screening
  std::optional<int> min_age, max_age;
  std::vector<Requirement> requires;
  ConditionCodes unless;
  std::vector<Evidence> evidence;
};

struct MonitoringRule {
  std::string id, title, text, none, question, source;
  ConditionCodes conditions;                   // any active condition…
  std::vector<std::string> medication_classes; // …or any current medicine of these classes
  std::vector<std::string> ingredients;        // …or with these ingredients
  std::vector<std::string> loinc, vitals;      // what should have been measured
  std::optional<int> every_months;             // none: at least once
};

struct SmokingStatus {
  std::vector<std::string> loinc, current, former, never;
};

// A category of records many patients hold especially private (mental
// health, substance use, reproductive and sexual health): left out of a
// share unless the patient turns it on.
struct SensitiveCategory {
  std::string id, plain;
  ConditionCodes codes;                   // SNOMED CT codes and ICD-10-CM prefixes
  std::vector<std::string> loinc;         // tests whose very presence is sensitive
  std::vector<std::string> drug_classes;  // medication classes (medications.json ids)
  std::vector<std::vector<std::string>> words;  // folded phrases; each word a prefix
  std::vector<std::string> whole_words;         // folded single words matched whole ("hiv", not "hives")
  std::vector<std::string> security_labels;     // HL7 v3 ActCode codes (meta.security)
};

// How a medication was matched to an ingredient.
struct IngredientMatch {
  const Ingredient* ingredient = nullptr;
  std::string by;  // "rxnorm" | "product" | "name"
};

struct Knowledge {
  std::vector<LabTest> labs;
  std::vector<VitalSign> vitals;
  std::vector<ConditionInfo> conditions;
  std::vector<DrugClass> drug_classes;
  std::vector<Ingredient> ingredients;
  std::vector<AllergyGroup> allergy_groups;
  std::vector<VaccineGroup> vaccines;
  std::vector<PreventiveRule> rules;
  std::vector<MonitoringRule> monitoring;
  SmokingStatus smoking;
  std::vector<SensitiveCategory> sensitive;
  std::string sensitive_source;
  // lab()'s hash table by LOINC (it is asked once per observation): slots
  // holding a position in `labs` + 1, 0 when empty, at most half full, the
  // first of equal codes kept. Built by index_labs(); `labs` keeps the file's
  // order, which the summary lists follow.
  std::vector<std::size_t> labs_by_loinc;
  // Each ingredient match name's first word with the ingredient's position,
  // ordered by word, for ingredients_of: a label's words name the few
  // ingredients worth a phrase search. A name that does not start with a
  // letter or digit is keyed "" and always searched. Built by
  // index_ingredient_names().
  std::vector<std::pair<std::string, std::size_t>> ingredients_by_first_word;

  const LabTest* lab(std::string_view loinc) const;
  const VitalSign* vital(std::string_view id) const;
  const VitalSign* vital_for_code(std::string_view loinc) const;
  const ConditionInfo* condition(const CodeableConcept& code) const;
  const DrugClass* drug_class(std::string_view id) const;
  const VaccineGroup* vaccine(std::string_view cvx) const;
  // The group of a vaccine by the concept's CVX coding; null when it has none.
  const VaccineGroup* vaccine_of(const CodeableConcept& code) const;
  // The ingredients a medication contains, matched by RxNorm code, known
  // product code, or name as a whole word in its label; in knowledge order.
  std::vector<IngredientMatch> ingredients_of(const CodeableConcept& medication) const;
  // Fills each ingredient's match_names and ingredients_by_first_word (the
  // loader calls it once).
  void index_ingredient_names();
  // Builds labs_by_loinc (the loader calls it once, after reading labs).
  void index_labs();
  // The allergy groups an allergy belongs to, by SNOMED code or a word of its label.
  std::vector<const AllergyGroup*> allergy_groups_of(const CodeableConcept& allergy) const;
};

// The compiled-in knowledge base, parsed on first use. Throws std::runtime_error
// if a file is malformed (a build-time mistake; tests load it).
const Knowledge& get();

// Whether two folded given names can be one person's: the same, a name and
// its nickname (robert, bob), or two nicknames of one name (bob, rob). The
// nicknames (nicknames.csv) are read on the first call that needs them, apart
// from get(): only comparing two Patients asks, never a summary, and reading
// them was half of the load. Throws std::runtime_error if the file is malformed.
bool same_given_name(std::string_view a, std::string_view b);

}  // namespace chartlock::knowledge
