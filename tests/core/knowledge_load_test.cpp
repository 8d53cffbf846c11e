// SPDX-License-Identifier: Apache-2.0
// The knowledge base's loader: every member of the files reaches Knowledge
// (counted here from the files themselves with a plain walk, so a member the
// loader drops or a key misspelled in a file fails), and a malformed file
// fails loudly, by file and key.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "chartlock/knowledge.hpp"
#include "knowledge/load.hpp"

namespace kb = chartlock::knowledge;
using simdjson::dom::element;

namespace {

std::string_view text(element e) {
  std::string_view s;
  REQUIRE(e.get(s) == simdjson::SUCCESS);
  return s;
}

std::int64_t whole(element e) {
  std::int64_t i = 0;
  REQUIRE(e.get(i) == simdjson::SUCCESS);
  return i;
}

// One file, parsed, and the member paths ("labs[].range.low") the test has
// counted, for the check that a file holds no other.
struct File {
  explicit File(std::string_view bytes) : json(bytes) { REQUIRE(parser.parse(json).get(root) == simdjson::SUCCESS); }
  simdjson::padded_string json;
  simdjson::dom::parser parser;
  element root;
  std::set<std::string> counted;

  // The values at `path`: "." descends into a member, "[]" into each element.
  std::vector<element> values(const std::string& path) {
    for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1)) {
      counted.insert(path.substr(0, dot));
    }
    counted.insert(path);
    std::vector<element> at{root};
    std::size_t from = 0;
    while (from <= path.size()) {
      std::size_t end = path.find('.', from);
      if (end == std::string::npos) end = path.size();
      std::string key = path.substr(from, end - from);
      const bool each = key.size() > 2 && key.compare(key.size() - 2, 2, "[]") == 0;
      if (each) key.resize(key.size() - 2);
      std::vector<element> next;
      for (element e : at) {
        element v;
        if (e.at_key(key).get(v) != simdjson::SUCCESS || v.is_null()) continue;
        if (!each) {
          next.push_back(v);
          continue;
        }
        simdjson::dom::array a;
        REQUIRE(v.get(a) == simdjson::SUCCESS);
        for (element x : a) next.push_back(x);
      }
      at = std::move(next);
      from = end + 1;
    }
    return at;
  }
  // How many values `path` has (for "…[]": array elements, summed).
  std::size_t n(const std::string& path) { return values(path).size(); }
  std::size_t n(const std::string& path, const std::function<bool(element)>& pred) {
    const std::vector<element> v = values(path);
    return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), pred));
  }
  std::size_t nonempty(const std::string& path) {
    return n(path, [](element e) { return !text(e).empty(); });
  }
  std::size_t is_true(const std::string& path) {
    return n(path, [](element e) { bool b = false;
      return e.get(b) == simdjson::SUCCESS && b; });
  }

  // Member paths in the file that no count above looked at: keys the loader
  // does not read (a misspelling, or a new member without its code).
  // `maps`: objects keyed by data (units), `prose`: documentation only.
  std::vector<std::string> unread(const std::set<std::string>& maps, const std::set<std::string>& prose) const {
    std::vector<std::string> out;
    std::function<void(element, const std::string&)> walk = [&](element e, const std::string& path) {
      simdjson::dom::object o;
      simdjson::dom::array a;
      if (e.get(a) == simdjson::SUCCESS) {
        for (element x : a) walk(x, path + "[]");
      } else if (e.get(o) == simdjson::SUCCESS) {
        for (auto field : o) {
          std::string key = std::string(field.key);
          const std::string at = path.empty() ? key : path + "." + key;
          simdjson::dom::array inner;
          const bool array = field.value.get(inner) == simdjson::SUCCESS;
          const std::string named = array ? at + "[]" : at;
          if (prose.count(at)) continue;
          if (!counted.count(named) && !counted.count(at)) out.push_back(at);
          if (!maps.count(at)) walk(field.value, at);
        }
      }
    };
    walk(root, "");
    return out;
  }
};

template <typename T, typename Pred>
std::size_t count(const std::vector<T>& v, Pred pred) {
  return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), pred));
}

template <typename T, typename Size>
std::size_t sum(const std::vector<T>& v, Size size) {
  std::size_t n = 0;
  for (const T& x : v) n += size(x);
  return n;
}

// How many of `v` have `member` non-empty, set, true; its lists' lengths summed.
template <typename T, typename M>
std::size_t filled(const std::vector<T>& v, M T::*member) {
  return count(v, [&](const T& x) { return !(x.*member).empty(); });
}

template <typename T, typename X>
std::size_t present(const std::vector<T>& v, std::optional<X> T::*member) {
  return count(v, [&](const T& x) { return (x.*member).has_value(); });
}

template <typename T>
std::size_t truths(const std::vector<T>& v, bool T::*member) {
  return count(v, [&](const T& x) { return x.*member; });
}

template <typename T, typename M>
std::size_t items(const std::vector<T>& v, M T::*member) {
  return sum(v, [&](const T& x) { return (x.*member).size(); });
}

const kb::Texts& texts() {
  static const kb::Texts t = kb::embedded_texts();
  return t;
}

}  // namespace

TEST_CASE("knowledge load: the members check finds a key nothing reads", "[knowledge][load]") {
  File f(R"({"about": "", "labs": [{"loinc": "1-1", "rangeSoruce": "x", "unitAliases": {"mg": "mg"}}]})");
  CHECK(f.n("labs[].loinc") == 1);
  CHECK(f.n("labs[].unitAliases") == 1);
  CHECK(f.unread({"labs[].unitAliases"}, {"about"}) == std::vector<std::string>{"labs[].rangeSoruce"});
}

TEST_CASE("knowledge load: every lab member in labs.json is read", "[knowledge][load]") {
  const kb::Knowledge& k = kb::get();
  File f(texts().labs);
  const auto& L = k.labs;
  CHECK(f.n("labs[]") == L.size());
  CHECK(f.nonempty("labs[].loinc") == filled(L, &kb::LabTest::loinc));
  CHECK(f.nonempty("labs[].name") == filled(L, &kb::LabTest::name));
  CHECK(f.nonempty("labs[].group") == filled(L, &kb::LabTest::group));
  CHECK(f.nonempty("labs[].plain") == filled(L, &kb::LabTest::plain));
  CHECK(f.nonempty("labs[].unit") == filled(L, &kb::LabTest::unit));
  CHECK(f.n("labs[].decimals") == count(L, [](const kb::LabTest& t) { return t.decimals >= 0; }));
  CHECK(f.nonempty("labs[].sameAs") == filled(L, &kb::LabTest::same_as));
  CHECK(f.nonempty("labs[].method") == filled(L, &kb::LabTest::method));
  CHECK(f.n("labs[].range.low") == count(L, [](const kb::LabTest& t) { return t.range.low.has_value(); }));
  CHECK(f.n("labs[].range.high") == count(L, [](const kb::LabTest& t) { return t.range.high.has_value(); }));
  for (const char* sex : {"female", "male"}) {
    const auto bound = [&](const kb::LabTest& t, bool low) {
      const std::optional<kb::Bounds>& b = std::string(sex) == "female" ? t.female : t.male;
      return b && (low ? b->low : b->high).has_value();
    };
    CHECK(f.n(std::string("labs[].rangeBySex.") + sex + ".low") == count(L, [&](const kb::LabTest& t) { return bound(t, true); }));
    CHECK(f.n(std::string("labs[].rangeBySex.") + sex + ".high") == count(L, [&](const kb::LabTest& t) { return bound(t, false); }));
  }
  CHECK(f.nonempty("labs[].rangeSource") == filled(L, &kb::LabTest::range_source));
  CHECK(f.n("labs[].critical.low") == count(L, [](const kb::LabTest& t) { return t.critical.low.has_value(); }));
  CHECK(f.n("labs[].critical.high") == count(L, [](const kb::LabTest& t) { return t.critical.high.has_value(); }));
  CHECK(f.is_true("labs[].critical.lowInclusive") == count(L, [](const kb::LabTest& t) { return t.critical.low_inclusive; }));
  CHECK(f.is_true("labs[].critical.highInclusive") == count(L, [](const kb::LabTest& t) { return t.critical.high_inclusive; }));
  CHECK(f.nonempty("labs[].criticalSource") == filled(L, &kb::LabTest::critical_source));
  CHECK(f.n("labs[].concerning", [](element e) { return text(e) != "both"; }) ==
        count(L, [](const kb::LabTest& t) { return t.concerning != kb::Concern::both; }));
  CHECK(f.n("labs[].analyte.molarMass") == count(L, [](const kb::LabTest& t) { return t.analyte.molar_mass != 0; }));
  CHECK(f.n("labs[].analyte.charge", [](element e) { return whole(e) != 0; }) ==
        count(L, [](const kb::LabTest& t) { return t.analyte.charge != 0; }));
  CHECK(f.is_true("labs[].analyte.fraction") == count(L, [](const kb::LabTest& t) { return t.analyte.fraction; }));
  CHECK(f.n("labs[].analyte.formula", [](element e) { return text(e) == "hba1c"; }) ==
        count(L, [](const kb::LabTest& t) { return t.analyte.hba1c; }));
  CHECK(f.n("labs[].unitAliases") == filled(L, &kb::LabTest::unit_aliases));
  CHECK(f.n("labs[].answers.normal[]") == items(L, &kb::LabTest::normal_answers));
  CHECK(f.n("labs[].answers.abnormal[]") == items(L, &kb::LabTest::abnormal_answers));
  CHECK(f.nonempty("labs[].note") == filled(L, &kb::LabTest::note));
  CHECK(f.unread({"labs[].unitAliases"}, {"about", "schema"}) == std::vector<std::string>{});
}

TEST_CASE("knowledge load: every vital sign member in vitals.json is read", "[knowledge][load]") {
  const auto& V = kb::get().vitals;
  File f(texts().vitals);
  CHECK(f.n("vitals[]") == V.size());
  CHECK(f.nonempty("vitals[].id") == filled(V, &kb::VitalSign::id));
  CHECK(f.nonempty("vitals[].name") == filled(V, &kb::VitalSign::name));
  CHECK(f.nonempty("vitals[].plain") == filled(V, &kb::VitalSign::plain));
  CHECK(f.nonempty("vitals[].unit") == filled(V, &kb::VitalSign::unit));
  CHECK(f.nonempty("vitals[].note") == filled(V, &kb::VitalSign::note));
  CHECK(f.n("vitals[].decimals") == count(V, [](const kb::VitalSign& v) { return v.decimals >= 0; }));
  CHECK(f.n("vitals[].codes[]") == items(V, &kb::VitalSign::codes));
  CHECK(f.n("vitals[].components.systolic[]") == items(V, &kb::VitalSign::systolic_codes));
  CHECK(f.n("vitals[].components.diastolic[]") == items(V, &kb::VitalSign::diastolic_codes));
  CHECK(f.n("vitals[].range.low") == count(V, [](const kb::VitalSign& v) { return v.range.low.has_value(); }));
  CHECK(f.n("vitals[].range.high") == count(V, [](const kb::VitalSign& v) { return v.range.high.has_value(); }));
  CHECK(f.nonempty("vitals[].rangeSource") == filled(V, &kb::VitalSign::range_source));
  CHECK(f.n("vitals[].unitAliases") == filled(V, &kb::VitalSign::unit_aliases));
  std::vector<kb::VitalCategory> cats;
  for (const kb::VitalSign& v : V) cats.insert(cats.end(), v.categories.begin(), v.categories.end());
  CHECK(f.n("vitals[].categories[]") == cats.size());
  for (const char* m : {"id", "label", "flag", "source"}) {
    const std::string member = m;
    CHECK(f.nonempty("vitals[].categories[]." + member) == count(cats, [&](const kb::VitalCategory& c) {
            return !(member == "id" ? c.id : member == "label" ? c.label : member == "flag" ? c.flag : c.source).empty();
          }));
  }
  std::vector<kb::VitalCategory::Test> tests;
  for (const kb::VitalCategory& c : cats) tests.insert(tests.end(), c.any.begin(), c.any.end());
  CHECK(f.n("vitals[].categories[].any[]") == tests.size());
  CHECK(f.nonempty("vitals[].categories[].any[].component") ==
        filled(tests, &kb::VitalCategory::Test::component));
  for (const char* op : {"above", "atLeast", "below"}) {
    CHECK(f.n(std::string("vitals[].categories[].any[].") + op) ==
          count(tests, [&](const kb::VitalCategory::Test& t) { return t.op == op; }));
  }
  CHECK(f.unread({"vitals[].unitAliases"}, {"about", "schema"}) == std::vector<std::string>{});
}

TEST_CASE("knowledge load: conditions, medications and vaccines are read whole", "[knowledge][load]") {
  const kb::Knowledge& k = kb::get();
  File c(texts().conditions);
  CHECK(c.n("conditions[]") == k.conditions.size());
  CHECK(c.nonempty("conditions[].plain") == count(k.conditions, [](const kb::ConditionInfo& i) { return !i.plain.empty(); }));
  CHECK(c.nonempty("conditions[].group") == count(k.conditions, [](const kb::ConditionInfo& i) { return !i.group.empty(); }));
  CHECK(c.nonempty("conditions[].source") == count(k.conditions, [](const kb::ConditionInfo& i) { return !i.source.empty(); }));
  CHECK(c.is_true("conditions[].chronic") == count(k.conditions, [](const kb::ConditionInfo& i) { return i.chronic; }));
  CHECK(c.n("conditions[].snomed[]") == sum(k.conditions, [](const kb::ConditionInfo& i) { return i.codes.snomed.size(); }));
  CHECK(c.n("conditions[].icd10[]") == sum(k.conditions, [](const kb::ConditionInfo& i) { return i.codes.icd10.size(); }));
  CHECK(c.unread({}, {"about", "schema"}) == std::vector<std::string>{});

  File m(texts().medications);
  CHECK(m.n("classes[]") == k.drug_classes.size());
  CHECK(m.nonempty("classes[].id") == count(k.drug_classes, [](const kb::DrugClass& d) { return !d.id.empty(); }));
  CHECK(m.nonempty("classes[].plain") == count(k.drug_classes, [](const kb::DrugClass& d) { return !d.plain.empty(); }));
  const auto& I = k.ingredients;
  CHECK(m.n("ingredients[]") == I.size());
  CHECK(m.nonempty("ingredients[].name") == filled(I, &kb::Ingredient::name));
  CHECK(m.nonempty("ingredients[].rxnorm") == filled(I, &kb::Ingredient::rxnorm));
  CHECK(m.n("ingredients[].classes[]") == items(I, &kb::Ingredient::classes));
  CHECK(m.n("ingredients[].products[]") == items(I, &kb::Ingredient::products));
  CHECK(m.n("ingredients[].alsoKnownAs[]") == items(I, &kb::Ingredient::also_known_as));
  const auto& A = k.allergy_groups;
  CHECK(m.n("allergyGroups[]") == A.size());
  CHECK(m.nonempty("allergyGroups[].id") == filled(A, &kb::AllergyGroup::id));
  CHECK(m.nonempty("allergyGroups[].plain") == filled(A, &kb::AllergyGroup::plain));
  CHECK(m.nonempty("allergyGroups[].source") == filled(A, &kb::AllergyGroup::source));
  CHECK(m.n("allergyGroups[].allergySnomed[]") == items(A, &kb::AllergyGroup::snomed));
  CHECK(m.n("allergyGroups[].allergyWords[]") == items(A, &kb::AllergyGroup::words));
  CHECK(m.n("allergyGroups[].conflictsWith[]") == items(A, &kb::AllergyGroup::conflicts_with));
  CHECK(m.unread({}, {"about", "schema", "source"}) == std::vector<std::string>{});

  File v(texts().vaccines);
  CHECK(v.n("vaccines[]") == k.vaccines.size());
  CHECK(v.nonempty("vaccines[].group") == count(k.vaccines, [](const kb::VaccineGroup& g) { return !g.group.empty(); }));
  CHECK(v.nonempty("vaccines[].plain") == count(k.vaccines, [](const kb::VaccineGroup& g) { return !g.plain.empty(); }));
  CHECK(v.n("vaccines[].cvx[]") == sum(k.vaccines, [](const kb::VaccineGroup& g) { return g.cvx.size(); }));
  CHECK(v.unread({}, {"about", "schema", "source"}) == std::vector<std::string>{});
}

TEST_CASE("knowledge load: preventive care and sensitive categories are read whole", "[knowledge][load]") {
  const kb::Knowledge& k = kb::get();
  File p(texts().preventive_care);
  for (const char* list : {"loinc", "current", "former", "never"}) {
    const std::string l = list;
    const auto& s = k.smoking;
    CHECK(p.n("smokingStatus." + l + "[]") ==
          (l == "loinc" ? s.loinc : l == "current" ? s.current : l == "former" ? s.former : s.never).size());
  }
  const auto& R = k.rules;
  CHECK(p.n("rules[]") == R.size());
  for (const char* m : {"id", "kind", "title", "sex", "due", "question", "source"}) {
    const std::string member = m;
    const auto field = [&](const kb::PreventiveRule& r) -> const std::string& {
      return member == "id" ? r.id : member == "kind" ? r.kind : member == "title" ? r.title : member == "sex" ? r.sex
           : member == "due" ? r.due : member == "question" ? r.question : r.source;
    };
    CHECK(p.nonempty("rules[]." + member) == count(R, [&](const kb::PreventiveRule& r) { return !field(r).empty(); }));
  }
  CHECK(p.n("rules[].minAge") == present(R, &kb::PreventiveRule::min_age));
  CHECK(p.n("rules[].maxAge") == present(R, &kb::PreventiveRule::max_age));
  std::vector<kb::Requirement> req;
  std::vector<kb::Evidence> ev;
  for (const kb::PreventiveRule& r : R) {
    req.insert(req.end(), r.requires.begin(), r.requires.end());
    ev.insert(ev.end(), r.evidence.begin(), r.evidence.end());
  }
  CHECK(p.n("rules[].requires[]") == req.size());
  CHECK(p.nonempty("rules[].requires[].vital") == filled(req, &kb::Requirement::vital));
  CHECK(p.n("rules[].requires[].atLeast") == present(req, &kb::Requirement::at_least));
  CHECK(p.n("rules[].requires[].smoking[]") == items(req, &kb::Requirement::smoking));
  CHECK(p.n("rules[].unlessConditions.snomed[]") == sum(R, [](const kb::PreventiveRule& r) { return r.unless.snomed.size(); }));
  CHECK(p.n("rules[].unlessConditions.icd10[]") == sum(R, [](const kb::PreventiveRule& r) { return r.unless.icd10.size(); }));
  CHECK(p.n("rules[].evidence[]") == ev.size());
  CHECK(p.n("rules[].evidence[].vaccines[]") == items(ev, &kb::Evidence::vaccines));
  CHECK(p.n("rules[].evidence[].loinc[]") == items(ev, &kb::Evidence::loinc));
  CHECK(p.n("rules[].evidence[].procedures[]") == items(ev, &kb::Evidence::procedures));
  CHECK(p.n("rules[].evidence[].vitals[]") == items(ev, &kb::Evidence::vitals));
  CHECK(p.n("rules[].evidence[].count", [](element e) { return whole(e) != 1; }) ==
        count(ev, [](const kb::Evidence& e) { return e.count != 1; }));
  CHECK(p.n("rules[].evidence[].withinMonths") == present(ev, &kb::Evidence::within_months));
  CHECK(p.nonempty("rules[].evidence[].seasonStart") == filled(ev, &kb::Evidence::season_start));
  const auto& M = k.monitoring;
  CHECK(p.n("monitoring[]") == M.size());
  for (const char* m : {"id", "title", "text", "none", "question", "source"}) {
    const std::string member = m;
    const auto field = [&](const kb::MonitoringRule& r) -> const std::string& {
      return member == "id" ? r.id : member == "title" ? r.title : member == "text" ? r.text : member == "none" ? r.none
           : member == "question" ? r.question : r.source;
    };
    CHECK(p.nonempty("monitoring[]." + member) == count(M, [&](const kb::MonitoringRule& r) { return !field(r).empty(); }));
  }
  CHECK(p.n("monitoring[].when.conditions.snomed[]") == sum(M, [](const kb::MonitoringRule& r) { return r.conditions.snomed.size(); }));
  CHECK(p.n("monitoring[].when.conditions.icd10[]") == sum(M, [](const kb::MonitoringRule& r) { return r.conditions.icd10.size(); }));
  CHECK(p.n("monitoring[].when.medicationClasses[]") == items(M, &kb::MonitoringRule::medication_classes));
  CHECK(p.n("monitoring[].when.ingredients[]") == items(M, &kb::MonitoringRule::ingredients));
  CHECK(p.n("monitoring[].loinc[]") == items(M, &kb::MonitoringRule::loinc));
  CHECK(p.n("monitoring[].vitals[]") == items(M, &kb::MonitoringRule::vitals));
  CHECK(p.n("monitoring[].everyMonths") == present(M, &kb::MonitoringRule::every_months));
  CHECK(p.unread({}, {"about", "schema", "rules[].note"}) == std::vector<std::string>{});

  File s(texts().sensitive);
  const auto& S = k.sensitive;
  CHECK(s.nonempty("source") == (k.sensitive_source.empty() ? 0u : 1u));
  CHECK(s.n("categories[]") == S.size());
  CHECK(s.nonempty("categories[].id") == filled(S, &kb::SensitiveCategory::id));
  CHECK(s.nonempty("categories[].plain") == filled(S, &kb::SensitiveCategory::plain));
  CHECK(s.n("categories[].snomed[]") == sum(S, [](const kb::SensitiveCategory& c) { return c.codes.snomed.size(); }));
  CHECK(s.n("categories[].icd10[]") == sum(S, [](const kb::SensitiveCategory& c) { return c.codes.icd10.size(); }));
  CHECK(s.n("categories[].loinc[]") == items(S, &kb::SensitiveCategory::loinc));
  CHECK(s.n("categories[].drugClasses[]") == items(S, &kb::SensitiveCategory::drug_classes));
  CHECK(s.n("categories[].words[]") == items(S, &kb::SensitiveCategory::words));
  CHECK(s.n("categories[].wholeWords[]") == items(S, &kb::SensitiveCategory::whole_words));
  CHECK(s.n("categories[].securityLabels[]") == items(S, &kb::SensitiveCategory::security_labels));
  CHECK(s.unread({}, {"about", "schema"}) == std::vector<std::string>{});
}

TEST_CASE("knowledge load: a malformed file fails, naming the file and what is wrong", "[knowledge][load]") {
  const auto fails = [](std::string_view kb::Texts::*file, std::string_view text, const std::string& message) {
    kb::Texts t = texts();
    t.*file = text;
    REQUIRE_THROWS_WITH(kb::load(t), Catch::Contains(message));
  };
  CHECK_NOTHROW(kb::load(texts()));
  fails(&kb::Texts::labs, R"({"labs": [)", "knowledge base labs.json: not valid JSON");
  fails(&kb::Texts::labs, R"([])", "knowledge base labs.json: the file is an array, not an object");
  fails(&kb::Texts::labs, R"({"lab": []})", "knowledge base labs.json: \"labs\" is missing");
  fails(&kb::Texts::labs, R"({"labs": {}})", "knowledge base labs.json: \"labs\" is an object, not an array");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "decimals": "1"}]})",
        "knowledge base labs.json: \"decimals\" is a string, not an integer");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "decimals": 1.5}]})", "\"decimals\" is a number, not an integer");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": 11}]})", "\"loinc\" is a number, not a string");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "range": [1, 2]}]})", "\"range\" is an array, not an object");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "range": {"low": "1"}}]})", "\"low\" is a string, not a number");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "rangeBySex": {"female": {}}}]})", "\"male\" is missing");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "critical": {"lowInclusive": 1}}]})",
        "\"lowInclusive\" is a number, not true or false");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "unitAliases": {"mg": 1}}]})", "\"mg\" is a number, not a string");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "answers": {"normal": ["a", 2]}}]})",
        "\"normal\" is a number, not a string");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "unit": "mg/dL"}]})", "labs.json: 1-1 has a unit but no decimals");
  fails(&kb::Texts::labs,
        R"({"labs": [{"loinc": "1-1", "unit": "mg/dL", "decimals": 1}, {"loinc": "2-2", "unit": "g/L", "decimals": 1, "sameAs": "1-1"}]})",
        "labs.json: 2-2 is sameAs 1-1, which is not a test of the same unit and precision");
  fails(&kb::Texts::vitals, R"({"vitals": [{"id": "bp"}]})", "vitals.json: bp has no decimals");
  fails(&kb::Texts::vitals, R"({"vitals": [{"id": "bp", "decimals": 0, "categories": [{"id": "x"}]}]})",
        "knowledge base vitals.json: \"any\" is missing");
  fails(&kb::Texts::conditions, R"({"conditions": [{"chronic": "yes"}]})",
        "knowledge base conditions.json: \"chronic\" is a string, not true or false");
  fails(&kb::Texts::medications, R"({"classes": [], "ingredients": [7], "allergyGroups": []})",
        "knowledge base medications.json: \"ingredients\" is a number, not an object");
  fails(&kb::Texts::vaccines, R"({"vaccines": [{"cvx": "08"}]})", "knowledge base vaccines.json: \"cvx\" is a string, not an array");
  fails(&kb::Texts::preventive_care, R"({"smokingStatus": {}, "rules": [{"id": "x", "evidence": [{"count": 2.5}]}], "monitoring": []})",
        "knowledge base preventive-care.json: \"count\" is a number, not an integer");
  fails(&kb::Texts::preventive_care, R"({"smokingStatus": {}, "rules": [], "monitoring": [{"id": "x"}]})",
        "knowledge base preventive-care.json: \"when\" is missing");
  fails(&kb::Texts::sensitive, R"({"categories": [{"wholeWords": ["two words"]}]})",
        "sensitive.json: a whole word must be one word: two words");
  // A null is not a default: a rule's window or a list set to null fails.
  fails(&kb::Texts::preventive_care, R"({"smokingStatus": {}, "rules": [{"id": "x", "evidence": [{"withinMonths": null}]}], "monitoring": []})",
        "knowledge base preventive-care.json: \"withinMonths\" is null, not an integer");
  fails(&kb::Texts::vitals, R"({"vitals": [{"id": "bp", "decimals": 0, "categories": [{"id": "x", "any": [{"below": null}]}]}]})",
        "knowledge base vitals.json: \"below\" is null, not a number");
  fails(&kb::Texts::conditions, R"({"conditions": [{"chronic": null}]})",
        "knowledge base conditions.json: \"chronic\" is null, not true or false");
  fails(&kb::Texts::vaccines, R"({"vaccines": [{"cvx": null}]})", "knowledge base vaccines.json: \"cvx\" is null, not an array");
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "range": null}]})", "\"range\" is null, not an object");
  // Texts and numbers read null as missing, as the loader before did.
  {
    kb::Texts t = texts();
    t.labs = R"({"labs": [{"loinc": "1-1", "name": null, "range": {"low": null, "high": 5}}]})";
    const kb::Knowledge k = kb::load(t);
    REQUIRE(k.labs.size() == 1);
    CHECK(k.labs[0].name.empty());
    CHECK(!k.labs[0].range.low);
    CHECK(k.labs[0].range.high == 5);
  }
  // Neither the first nor the last of two equal keys is a choice.
  fails(&kb::Texts::labs, R"({"labs": [{"loinc": "1-1", "loinc": "2-2"}]})",
        "knowledge base labs.json: a key appears twice, at \"/labs/0/loinc\"");
  fails(&kb::Texts::vitals, R"({"vitals": [], "vitals": []})", "knowledge base vitals.json: a key appears twice");
  // Two spellings of one unit sent to two units.
  fails(&kb::Texts::labs,
        R"({"labs": [{"loinc": "1-1", "unit": "mg/dL", "decimals": 1, "unitAliases": {"mg/dl": "mg/dL", "mg/dL": "g/L"}}]})",
        "is another spelling of an alias already read, with another unit");
}

TEST_CASE("knowledge load: nicknames, read apart on first use", "[knowledge][load]") {
  const kb::NameRoots& roots = kb::name_roots();
  REQUIRE(roots.size() > 1000);
  const std::vector<std::string>& bob = roots.at("bob");
  CHECK(std::find(bob.begin(), bob.end(), "robert") != bob.end());
  CHECK(kb::same_given_name("bob", "rob"));
  CHECK(!kb::same_given_name("robert", "mary"));
  // A header, then name,has_nickname,name; multi-word names are left out.
  const kb::NameRoots small = kb::read_nicknames("name1,relationship,name2\r\nElizabeth,has_nickname,Beth\r\nmary ann,has_nickname,mary\r\n");
  CHECK(small.size() == 2);
  CHECK(small.at("beth") == std::vector<std::string>{"elizabeth"});
  CHECK(small.at("elizabeth") == std::vector<std::string>{"elizabeth"});
  REQUIRE_THROWS_WITH(kb::read_nicknames("name1,relationship,name2\nrobert;bob\n"),
                      "knowledge base nicknames.csv: a line is not name,has_nickname,name");
  REQUIRE_THROWS_WITH(kb::read_nicknames("name1,relationship,name2\nrobert,is,bob\n"),
                      "knowledge base nicknames.csv: a line is not name,has_nickname,name");
}
