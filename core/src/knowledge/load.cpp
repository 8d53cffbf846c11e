// SPDX-License-Identifier: Apache-2.0
// Parsing the compiled-in knowledge base: small, trusted JSON read once with
// simdjson's DOM, which the core links for records anyway (nlohmann here cost
// ~21 M instructions per module instance and its own template code). The
// files leave out what does not apply, so a missing member is its default,
// but a member of the wrong type is a build mistake, reported by file and key.
#include "knowledge/load.hpp"

#include <simdjson.h>

#include <algorithm>
#include <stdexcept>

#include "chartlock/units.hpp"
#include "json/duplicate_keys.hpp"
#include "json/json_parse.hpp"
#include "knowledge/embedded.hpp"
#include "text/fold.hpp"

namespace chartlock::knowledge {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// A file's shape is wrong; parse() adds the file's name.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void wrong(std::string_view key, element e, const char* expected) {
  throw Malformed("\"" + std::string(key) + "\" is " + json::describe(e.type()) + ", not " + expected);
}

// A member; nullopt when it is missing. A null is there, and of no type a
// reader takes: a bad edit ("withinMonths": null) fails rather than quietly
// becoming the default. Only texts and numbers read null as missing (str(),
// number()), as the nlohmann loader before this one did.
std::optional<element> find(object o, std::string_view key) {
  element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return std::nullopt;
  return e;
}

std::optional<element> find_not_null(object o, std::string_view key) {
  std::optional<element> e = find(o, key);
  if (e && e->is_null()) return std::nullopt;
  return e;
}

element at(object o, std::string_view key) {
  std::optional<element> e = find(o, key);
  if (!e) throw Malformed("\"" + std::string(key) + "\" is missing");
  return *e;
}

object as_object(element e, std::string_view key) {
  object o;
  if (e.get(o) != simdjson::SUCCESS) wrong(key, e, "an object");
  return o;
}

array as_array(element e, std::string_view key) {
  array a;
  if (e.get(a) != simdjson::SUCCESS) wrong(key, e, "an array");
  return a;
}

object object_at(object o, std::string_view key) { return as_object(at(o, key), key); }

// An optional object member: nullopt when missing (a null fails, as above).
std::optional<object> object_if(object o, std::string_view key) {
  std::optional<element> e = find(o, key);
  if (!e) return std::nullopt;
  return as_object(*e, key);
}

// The objects of a required array member.
std::vector<object> objects(object o, std::string_view key) {
  std::vector<object> out;
  for (element e : as_array(at(o, key), key)) out.push_back(as_object(e, key));
  return out;
}

// The objects of an optional array member: none when it is missing.
std::vector<object> objects_if(object o, std::string_view key) {
  return find(o, key) ? objects(o, key) : std::vector<object>{};
}

std::string as_string(element e, std::string_view key) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) wrong(key, e, "a string");
  return std::string(s);
}

std::string str(object o, std::string_view key) {
  std::optional<element> e = find_not_null(o, key);
  return e ? as_string(*e, key) : std::string();
}

std::vector<std::string> strings(object o, std::string_view key) {
  std::vector<std::string> out;
  if (std::optional<element> e = find(o, key)) {
    for (element s : as_array(*e, key)) out.push_back(as_string(s, key));
  }
  return out;
}

double as_number(element e, std::string_view key) {
  double d = 0;
  if (e.get(d) != simdjson::SUCCESS) wrong(key, e, "a number");  // integers convert
  return d;
}

std::optional<double> number(object o, std::string_view key) {
  std::optional<element> e = find_not_null(o, key);
  if (!e) return std::nullopt;
  return as_number(*e, key);
}

std::optional<int> integer(object o, std::string_view key) {
  std::optional<element> e = find(o, key);
  if (!e) return std::nullopt;
  std::int64_t i = 0;
  if (e->get(i) != simdjson::SUCCESS || i < INT32_MIN || i > INT32_MAX) wrong(key, *e, "an integer");
  return static_cast<int>(i);
}

int integer(object o, std::string_view key, int missing) { return integer(o, key).value_or(missing); }

bool boolean(object o, std::string_view key) {
  std::optional<element> e = find(o, key);
  if (!e) return false;
  bool b = false;
  if (e->get(b) != simdjson::SUCCESS) wrong(key, *e, "true or false");
  return b;
}

Bounds bounds(object o) { return Bounds{number(o, "low"), number(o, "high")}; }

std::map<std::string, std::string> aliases(object o) {
  std::map<std::string, std::string> out;
  if (std::optional<object> written = object_if(o, "unitAliases")) {
    // Keys are matched after canonicalization, like the units they meet.
    for (auto field : *written) {
      std::string to = units::canonical(as_string(field.value, field.key));
      auto [it, added] = out.try_emplace(units::canonical(field.key), to);
      // Two spellings of one unit sent two ways: which wins would be the
      // file's order, a choice nobody made.
      if (!added && it->second != to) {
        throw Malformed("\"" + std::string(field.key) + "\" is another spelling of an alias already read, with another unit");
      }
    }
  }
  return out;
}

Concern concern(const std::string& s) {
  if (s == "high") return Concern::high;
  if (s == "low") return Concern::low;
  if (s == "none") return Concern::none;
  return Concern::both;
}

ConditionCodes condition_codes(object o) { return ConditionCodes{strings(o, "snomed"), strings(o, "icd10")}; }

LabTest lab(object o) {
  LabTest t;
  t.loinc = str(o, "loinc");
  t.name = str(o, "name");
  t.group = str(o, "group");
  t.plain = str(o, "plain");
  t.unit = units::canonical(str(o, "unit"));
  t.decimals = integer(o, "decimals", -1);
  if (!t.unit.empty() && t.decimals < 0) throw std::runtime_error("labs.json: " + t.loinc + " has a unit but no decimals");
  t.same_as = str(o, "sameAs");
  t.method = str(o, "method");
  if (std::optional<object> range = object_if(o, "range")) t.range = bounds(*range);
  if (std::optional<object> by_sex = object_if(o, "rangeBySex")) {
    t.female = bounds(object_at(*by_sex, "female"));
    t.male = bounds(object_at(*by_sex, "male"));
  }
  t.range_source = str(o, "rangeSource");
  if (std::optional<object> c = object_if(o, "critical")) {
    t.critical.low = number(*c, "low");
    t.critical.high = number(*c, "high");
    t.critical.low_inclusive = boolean(*c, "lowInclusive");
    t.critical.high_inclusive = boolean(*c, "highInclusive");
  }
  t.critical_source = str(o, "criticalSource");
  t.concerning = concern(str(o, "concerning"));
  if (std::optional<object> a = object_if(o, "analyte")) {
    t.analyte.molar_mass = number(*a, "molarMass").value_or(0.0);
    t.analyte.charge = integer(*a, "charge", 0);
    t.analyte.fraction = boolean(*a, "fraction");
    t.analyte.hba1c = str(*a, "formula") == "hba1c";
  }
  t.unit_aliases = aliases(o);
  if (std::optional<object> a = object_if(o, "answers")) {
    t.normal_answers = strings(*a, "normal");
    t.abnormal_answers = strings(*a, "abnormal");
  }
  t.note = str(o, "note");
  return t;
}

VitalSign vital(object o) {
  VitalSign v;
  v.id = str(o, "id");
  v.name = str(o, "name");
  v.plain = str(o, "plain");
  v.unit = units::canonical(str(o, "unit"));
  v.decimals = integer(o, "decimals", -1);
  if (v.decimals < 0) throw std::runtime_error("vitals.json: " + v.id + " has no decimals");
  v.note = str(o, "note");
  v.codes = strings(o, "codes");
  if (std::optional<object> c = object_if(o, "components")) {
    v.systolic_codes = strings(*c, "systolic");
    v.diastolic_codes = strings(*c, "diastolic");
  }
  if (std::optional<object> range = object_if(o, "range")) v.range = bounds(*range);
  v.range_source = str(o, "rangeSource");
  for (object c : objects_if(o, "categories")) {
    VitalCategory cat{str(c, "id"), str(c, "label"), str(c, "flag"), str(c, "source"), {}};
    for (object t : objects(c, "any")) {
      VitalCategory::Test test;
      test.component = str(t, "component");
      for (const char* op : {"above", "atLeast", "below"}) {
        if (std::optional<element> value = find(t, op)) {  // a null threshold fails
          test.op = op;
          test.value = as_number(*value, op);
        }
      }
      cat.any.push_back(test);
    }
    v.categories.push_back(std::move(cat));
  }
  v.unit_aliases = aliases(o);
  return v;
}

Evidence evidence(object o) {
  Evidence e;
  e.vaccines = strings(o, "vaccines");
  e.loinc = strings(o, "loinc");
  e.procedures = strings(o, "procedures");
  e.vitals = strings(o, "vitals");
  e.count = integer(o, "count", 1);
  e.within_months = integer(o, "withinMonths");
  e.season_start = str(o, "seasonStart");
  return e;
}

// One parser for all the files: each is read whole before the next is parsed.
void parse(simdjson::dom::parser& parser, Knowledge& k, std::string_view name, std::string_view text,
           void (*read)(Knowledge&, object)) {
  try {
    element root;
    // The compiled-in bytes have no padding after them: simdjson copies them.
    if (const auto error = parser.parse(text.data(), text.size(), true).get(root)) {
      throw Malformed(std::string("not valid JSON (") + simdjson::error_message(error) + ")");
    }
    // A repeated key is read as its first here and was its last in the
    // loader before: neither is a choice, so the file is refused.
    if (std::optional<std::string> duplicate = json::find_duplicate_key_deep(root, json::Path())) {
      throw Malformed("a key appears twice, at \"" + *duplicate + "\"");
    }
    object o;
    if (root.get(o) != simdjson::SUCCESS) {
      throw Malformed(std::string("the file is ") + json::describe(root.type()) + ", not an object");
    }
    read(k, o);
  } catch (const Malformed& e) {
    throw std::runtime_error("knowledge base " + std::string(name) + ": " + e.what());
  }
}

}  // namespace

// After a header line.
NameRoots read_nicknames(std::string_view csv) {
  NameRoots name_roots;
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
      std::vector<std::string>& roots = name_roots[name];
      if (std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
    };
    add(formal[0], formal[0]);
    add(nick[0], formal[0]);
  }
  return name_roots;
}

Texts embedded_texts() {
  return Texts{embedded::labs(),        embedded::vitals(),   embedded::conditions(),
               embedded::medications(), embedded::vaccines(), embedded::preventive_care(),
               embedded::sensitive()};
}

Knowledge load(const Texts& texts) {
  Knowledge k;
  simdjson::dom::parser parser;
  parse(parser, k, "labs.json", texts.labs, [](Knowledge& kb, object j) {
    for (object e : objects(j, "labs")) kb.labs.push_back(lab(e));
  });
  parse(parser, k, "vitals.json", texts.vitals, [](Knowledge& kb, object j) {
    for (object e : objects(j, "vitals")) kb.vitals.push_back(vital(e));
  });
  parse(parser, k, "conditions.json", texts.conditions, [](Knowledge& kb, object j) {
    for (object e : objects(j, "conditions")) {
      kb.conditions.push_back(ConditionInfo{str(e, "plain"), str(e, "group"), str(e, "source"),
                                            boolean(e, "chronic"), condition_codes(e)});
    }
  });
  parse(parser, k, "medications.json", texts.medications, [](Knowledge& kb, object j) {
    for (object e : objects(j, "classes")) kb.drug_classes.push_back(DrugClass{str(e, "id"), str(e, "plain")});
    for (object e : objects(j, "ingredients")) {
      kb.ingredients.push_back(Ingredient{str(e, "name"), str(e, "rxnorm"), strings(e, "classes"),
                                          strings(e, "products"), strings(e, "alsoKnownAs"), {}});
    }
    kb.index_ingredient_names();
    for (object e : objects(j, "allergyGroups")) {
      kb.allergy_groups.push_back(AllergyGroup{str(e, "id"), str(e, "plain"), str(e, "source"),
                                               strings(e, "allergySnomed"), strings(e, "allergyWords"),
                                               strings(e, "conflictsWith")});
    }
  });
  parse(parser, k, "vaccines.json", texts.vaccines, [](Knowledge& kb, object j) {
    for (object e : objects(j, "vaccines")) {
      kb.vaccines.push_back(VaccineGroup{str(e, "group"), str(e, "plain"), strings(e, "cvx")});
    }
  });
  parse(parser, k, "preventive-care.json", texts.preventive_care, [](Knowledge& kb, object j) {
    const object s = object_at(j, "smokingStatus");
    kb.smoking = SmokingStatus{strings(s, "loinc"), strings(s, "current"), strings(s, "former"), strings(s, "never")};
    for (object e : objects(j, "rules")) {
      PreventiveRule r;
      r.id = str(e, "id");
      r.kind = str(e, "kind");
      r.title = str(e, "title");
      r.sex = str(e, "sex");
      r.due = str(e, "due");
      r.question = str(e, "question");
      r.source = str(e, "source");
      r.min_age = integer(e, "minAge");
      r.max_age = integer(e, "maxAge");
      for (object q : objects_if(e, "requires")) {
        r.requires.push_back(Requirement{str(q, "vital"), number(q, "atLeast"), strings(q, "smoking")});
      }
      if (std::optional<object> unless = object_if(e, "unlessConditions")) r.unless = condition_codes(*unless);
      for (object ev : objects(e, "evidence")) r.evidence.push_back(evidence(ev));
      kb.rules.push_back(std::move(r));
    }
    for (object e : objects(j, "monitoring")) {
      MonitoringRule m;
      m.id = str(e, "id");
      m.title = str(e, "title");
      m.text = str(e, "text");
      m.none = str(e, "none");
      m.question = str(e, "question");
      m.source = str(e, "source");
      const object when = object_at(e, "when");
      if (std::optional<object> c = object_if(when, "conditions")) m.conditions = condition_codes(*c);
      m.medication_classes = strings(when, "medicationClasses");
      m.ingredients = strings(when, "ingredients");
      m.loinc = strings(e, "loinc");
      m.vitals = strings(e, "vitals");
      m.every_months = integer(e, "everyMonths");
      kb.monitoring.push_back(std::move(m));
    }
  });
  parse(parser, k, "sensitive.json", texts.sensitive, [](Knowledge& kb, object j) {
    kb.sensitive_source = str(j, "source");
    for (object e : objects(j, "categories")) {
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

const Knowledge& get() {
  static const Knowledge k = load(embedded_texts());  // thread-safe one-time initialization
  return k;
}

const NameRoots& name_roots() {
  static const NameRoots roots = read_nicknames(embedded::nicknames());
  return roots;
}

}  // namespace chartlock::knowledge
