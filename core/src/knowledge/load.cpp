// SPDX-License-Identifier: Apache-2.0
// Parsing the compiled-in knowledge base: small, trusted JSON read once with
// nlohmann. A malformed file is a build mistake, reported by name.
#include <algorithm>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "chartlock/knowledge.hpp"
#include "chartlock/units.hpp"
#include "knowledge/embedded.hpp"
#include "text/fold.hpp"

namespace chartlock::knowledge {
namespace {

using json = nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

std::vector<std::string> strings(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() ? std::vector<std::string>{} : it->get<std::vector<std::string>>();
}

std::optional<double> number(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<double>();
}

Bounds bounds(const json& j) { return Bounds{number(j, "low"), number(j, "high")}; }

std::map<std::string, std::string> aliases(const json& j) {
  std::map<std::string, std::string> out;
  if (auto it = j.find("unitAliases"); it != j.end()) {
    // Keys are matched after canonicalization, like the units they meet.
    for (const auto& [k, v] : it->items()) out[units::canonical(k)] = units::canonical(v.get<std::string>());
  }
  return out;
}

Concern concern(const std::string& s) {
  if (s == "high") return Concern::high;
  if (s == "low") return Concern::low;
  if (s == "none") return Concern::none;
  return Concern::both;
}

ConditionCodes condition_codes(const json& j) {
  return ConditionCodes{strings(j, "snomed"), strings(j, "icd10")};
}

LabTest lab(const json& j) {
  LabTest t;
  t.loinc = str(j, "loinc");
  t.name = str(j, "name");
  t.group = str(j, "group");
  t.plain = str(j, "plain");
  t.unit = units::canonical(str(j, "unit"));
  t.decimals = j.value("decimals", -1);
  if (!t.unit.empty() && t.decimals < 0) throw std::runtime_error("labs.json: " + t.loinc + " has a unit but no decimals");
  t.same_as = str(j, "sameAs");
  t.method = str(j, "method");
  if (auto it = j.find("range"); it != j.end()) t.range = bounds(*it);
  if (auto it = j.find("rangeBySex"); it != j.end()) {
    t.female = bounds(it->at("female"));
    t.male = bounds(it->at("male"));
  }
  t.range_source = str(j, "rangeSource");
  if (auto it = j.find("critical"); it != j.end()) {
    t.critical.low = number(*it, "low");
    t.critical.high = number(*it, "high");
    t.critical.low_inclusive = it->value("lowInclusive", false);
    t.critical.high_inclusive = it->value("highInclusive", false);
  }
  t.critical_source = str(j, "criticalSource");
  t.concerning = concern(str(j, "concerning"));
  if (auto it = j.find("analyte"); it != j.end()) {
    t.analyte.molar_mass = it->value("molarMass", 0.0);
    t.analyte.charge = it->value("charge", 0);
    t.analyte.fraction = it->value("fraction", false);
    t.analyte.hba1c = it->value("formula", std::string()) == "hba1c";
  }
  t.unit_aliases = aliases(j);
  if (auto it = j.find("answers"); it != j.end()) {
    t.normal_answers = strings(*it, "normal");
    t.abnormal_answers = strings(*it, "abnormal");
  }
  t.note = str(j, "note");
  return t;
}

VitalSign vital(const json& j) {
  VitalSign v;
  v.id = str(j, "id");
  v.name = str(j, "name");
  v.plain = str(j, "plain");
  v.unit = units::canonical(str(j, "unit"));
  v.decimals = j.value("decimals", -1);
  if (v.decimals < 0) throw std::runtime_error("vitals.json: " + v.id + " has no decimals");
  v.note = str(j, "note");
  v.codes = strings(j, "codes");
  if (auto it = j.find("components"); it != j.end()) {
    v.systolic_codes = strings(*it, "systolic");
    v.diastolic_codes = strings(*it, "diastolic");
  }
  if (auto it = j.find("range"); it != j.end()) v.range = bounds(*it);
  v.range_source = str(j, "rangeSource");
  for (const json& c : j.value("categories", json::array())) {
    VitalCategory cat{str(c, "id"), str(c, "label"), str(c, "flag"), str(c, "source"), {}};
    for (const json& t : c.at("any")) {
      VitalCategory::Test test;
      test.component = str(t, "component");
      for (const char* op : {"above", "atLeast", "below"}) {
        if (t.contains(op)) {
          test.op = op;
          test.value = t.at(op).get<double>();
        }
      }
      cat.any.push_back(test);
    }
    v.categories.push_back(std::move(cat));
  }
  v.unit_aliases = aliases(j);
  return v;
}

Evidence evidence(const json& j) {
  Evidence e;
  e.vaccines = strings(j, "vaccines");
  e.loinc = strings(j, "loinc");
  e.procedures = strings(j, "procedures");
  e.vitals = strings(j, "vitals");
  e.count = j.value("count", 1);
  if (j.contains("withinMonths")) e.within_months = j.at("withinMonths").get<int>();
  e.season_start = str(j, "seasonStart");
  return e;
}

void parse(Knowledge& k, std::string_view name, std::string_view text, void (*read)(Knowledge&, const json&)) {
  try {
    read(k, json::parse(text.begin(), text.end()));
  } catch (const json::exception& e) {
    throw std::runtime_error("knowledge base " + std::string(name) + ": " + e.what());
  }
}

// "name1,has_nickname,name2" lines after a header.
void read_nicknames(Knowledge& k, std::string_view csv) {
  std::size_t at = csv.find('\n');
  while (at != std::string_view::npos && at + 1 < csv.size()) {
    const std::size_t next = csv.find('\n', at + 1);
    std::string_view line = csv.substr(at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1);
    at = next;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::size_t c1 = line.find(','), c2 = line.rfind(',');
    if (c1 == std::string_view::npos || c1 == c2 || line.substr(c1 + 1, c2 - c1 - 1) != "has_nickname") {
      throw std::runtime_error("knowledge base nicknames.csv: a line is not name,has_nickname,name");
    }
    const std::vector<std::string> formal = text::fold_words(line.substr(0, c1));
    const std::vector<std::string> nick = text::fold_words(line.substr(c2 + 1));
    if (formal.size() != 1 || nick.size() != 1) continue;  // multi-word entries are not given names to compare
    auto add = [&](const std::string& name, const std::string& root) {
      std::vector<std::string>& roots = k.name_roots[name];
      if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
    };
    add(formal[0], formal[0]);
    add(nick[0], formal[0]);
  }
}

Knowledge load() {
  Knowledge k;
  parse(k, "labs.json", embedded::labs(), [](Knowledge& kb, const json& j) {
    for (const json& e : j.at("labs")) kb.labs.push_back(lab(e));
  });
  parse(k, "vitals.json", embedded::vitals(), [](Knowledge& kb, const json& j) {
    for (const json& e : j.at("vitals")) kb.vitals.push_back(vital(e));
  });
  parse(k, "conditions.json", embedded::conditions(), [](Knowledge& kb, const json& j) {
    for (const json& e : j.at("conditions")) {
      kb.conditions.push_back(ConditionInfo{str(e, "plain"), str(e, "group"), str(e, "source"),
                                            e.value("chronic", false), condition_codes(e)});
    }
  });
  parse(k, "medications.json", embedded::medications(), [](Knowledge& kb, const json& j) {
    for (const json& e : j.at("classes")) kb.drug_classes.push_back(DrugClass{str(e, "id"), str(e, "plain")});
    for (const json& e : j.at("ingredients")) {
      kb.ingredients.push_back(Ingredient{str(e, "name"), str(e, "rxnorm"), strings(e, "classes"),
                                          strings(e, "products"), strings(e, "alsoKnownAs"), {}});
    }
    kb.index_ingredient_names();
    for (const json& e : j.at("allergyGroups")) {
      kb.allergy_groups.push_back(AllergyGroup{str(e, "id"), str(e, "plain"), str(e, "source"),
                                               strings(e, "allergySnomed"), strings(e, "allergyWords"),
                                               strings(e, "conflictsWith")});
    }
  });
  parse(k, "vaccines.json", embedded::vaccines(), [](Knowledge& kb, const json& j) {
    for (const json& e : j.at("vaccines")) {
      kb.vaccines.push_back(VaccineGroup{str(e, "group"), str(e, "plain"), strings(e, "cvx")});
    }
  });
  parse(k, "preventive-care.json", embedded::preventive_care(), [](Knowledge& kb, const json& j) {
    const json& s = j.at("smokingStatus");
    kb.smoking = SmokingStatus{strings(s, "loinc"), strings(s, "current"), strings(s, "former"), strings(s, "never")};
    for (const json& e : j.at("rules")) {
      PreventiveRule r;
      r.id = str(e, "id");
      r.kind = str(e, "kind");
      r.title = str(e, "title");
      r.sex = str(e, "sex");
      r.due = str(e, "due");
      r.question = str(e, "question");
      r.source = str(e, "source");
      if (e.contains("minAge")) r.min_age = e.at("minAge").get<int>();
      if (e.contains("maxAge")) r.max_age = e.at("maxAge").get<int>();
      for (const json& q : e.value("requires", json::array())) {
        r.requires.push_back(Requirement{str(q, "vital"), number(q, "atLeast"), strings(q, "smoking")});
      }
      if (e.contains("unlessConditions")) r.unless = condition_codes(e.at("unlessConditions"));
      for (const json& ev : e.at("evidence")) r.evidence.push_back(evidence(ev));
      kb.rules.push_back(std::move(r));
    }
    for (const json& e : j.at("monitoring")) {
      MonitoringRule m;
      m.id = str(e, "id");
      m.title = str(e, "title");
      m.text = str(e, "text");
      m.none = str(e, "none");
      m.question = str(e, "question");
      m.source = str(e, "source");
      const json& when = e.at("when");
      if (when.contains("conditions")) m.conditions = condition_codes(when.at("conditions"));
      m.medication_classes = strings(when, "medicationClasses");
      m.ingredients = strings(when, "ingredients");
      m.loinc = strings(e, "loinc");
      m.vitals = strings(e, "vitals");
      if (e.contains("everyMonths")) m.every_months = e.at("everyMonths").get<int>();
      kb.monitoring.push_back(std::move(m));
    }
  });
  parse(k, "sensitive.json", embedded::sensitive(), [](Knowledge& kb, const json& j) {
    kb.sensitive_source = str(j, "source");
    for (const json& e : j.at("categories")) {
      SensitiveCategory c{str(e, "id"), str(e, "plain"), condition_codes(e), strings(e, "loinc"),
                          strings(e, "drugClasses"), {}, {}, strings(e, "securityLabels")};
      for (const std::string& phrase : strings(e, "words")) c.words.push_back(text::fold_words(phrase));
      for (const std::string& word : strings(e, "wholeWords")) {
        std::vector<std::string> folded = text::fold_words(word);
        if (folded.size() != 1) throw std::runtime_error("sensitive.json: a whole word must be one word: " + word);
        c.whole_words.push_back(std::move(folded.front()));
      }
      kb.sensitive.push_back(std::move(c));
    }
  });
  read_nicknames(k, embedded::nicknames());
  k.index_labs();
  // One series holds both tests: they must measure in one unit at one precision.
  for (const LabTest& t : k.labs) {
    if (t.same_as.empty()) continue;
    const LabTest* other = k.lab(t.same_as);
    if (!other || !other->same_as.empty() || other->unit != t.unit || other->decimals != t.decimals) {
      throw std::runtime_error("labs.json: " + t.loinc + " is sameAs " + t.same_as +
                               ", which is not a test of the same unit and precision");
    }
  }
  return k;
}

}  // namespace

const Knowledge& get() {
  static const Knowledge k = load();  // thread-safe one-time initialization
  return k;
}

}  // namespace chartlock::knowledge
