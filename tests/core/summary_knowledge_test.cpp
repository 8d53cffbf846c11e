// SPDX-License-Identifier: Apache-2.0
// The knowledge base is data we wrote by hand: check it is complete and
// consistent, so a typo in a JSON file fails a test rather than a patient.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "chartlock/knowledge.hpp"
#include "chartlock/units.hpp"

namespace kb = chartlock::knowledge;

namespace {
std::size_t sentences(const std::string& text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ')) ++n;
  }
  return n;
}
bool ok_range(const kb::Bounds& b) { return !b.low || !b.high || *b.low <= *b.high; }
}  // namespace

TEST_CASE("lab tests: at least 120, each explained, sourced and consistent", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  REQUIRE(k.labs.size() >= 120);
  std::set<std::string> loincs;
  for (const kb::LabTest& t : k.labs) {
    INFO(t.loinc);
    CHECK(loincs.insert(t.loinc).second);
    CHECK(t.loinc.find('-') != std::string::npos);
    CHECK_FALSE(t.name.empty());
    CHECK_FALSE(t.group.empty());
    CHECK(sentences(t.plain) == 2);  // what it measures, why it matters
    CHECK(t.unit == chartlock::units::canonical(t.unit));
    const bool has_range = !t.range.empty() || t.female || t.male;
    if (has_range) CHECK_FALSE(t.range_source.empty());
    CHECK(ok_range(t.range));
    if (t.female) CHECK(ok_range(*t.female));
    if (t.male) CHECK(ok_range(*t.male));
    CHECK(t.female.has_value() == t.male.has_value());
    if (!t.critical.empty()) {
      CHECK_FALSE(t.critical_source.empty());
      // Critical limits lie outside the usual range.
      for (const auto& r : {t.range, t.female.value_or(t.range), t.male.value_or(t.range)}) {
        if (t.critical.low && r.low) CHECK(*t.critical.low < *r.low);
        if (t.critical.high && r.high) CHECK(*t.critical.high > *r.high);
      }
    }
    for (const auto& [from, to] : t.unit_aliases) CHECK(to == t.unit);
    if (t.unit.empty()) CHECK((t.normal_answers.size() + t.abnormal_answers.size() > 0 || !has_range));
  }
}

// lab() looks codes up in a hash table (Knowledge::index_labs): each test by
// its own code, nothing for a code one byte off, and the first of two tests
// with one code, as the binary search it replaced answered.
TEST_CASE("lab(): every test by its code, no other code", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  std::set<std::string> loincs;
  for (const kb::LabTest& t : k.labs) loincs.insert(t.loinc);
  for (const kb::LabTest& t : k.labs) {
    INFO(t.loinc);
    CHECK(k.lab(t.loinc) == &t);
    std::vector<std::string> near{t.loinc.substr(1), t.loinc.substr(0, t.loinc.size() - 1), t.loinc + "0",
                                  "0" + t.loinc};
    for (std::size_t i = 0; i < t.loinc.size(); ++i) {
      std::string other = t.loinc;
      other[i] = static_cast<char>(other[i] ^ 1);
      near.push_back(other);
    }
    for (const std::string& code : near) {
      if (loincs.count(code) == 0) CHECK(k.lab(code) == nullptr);
    }
  }
  CHECK(k.lab("") == nullptr);

  kb::Knowledge own;
  CHECK(own.lab("2345-7") == nullptr);  // no table built yet
  for (int i = 0; i < 40; ++i) own.labs.push_back(kb::LabTest{});
  for (int i = 0; i < 40; ++i) own.labs[i].loinc = std::to_string(1000 + i % 20) + "-" + std::to_string(i % 20 % 10);
  own.index_labs();
  for (int i = 0; i < 40; ++i) CHECK(own.lab(own.labs[i].loinc) == &own.labs[i % 20]);
  CHECK(own.lab("1020-0") == nullptr);
}

TEST_CASE("vital signs: blood pressure categories and the other vitals", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  const kb::VitalSign* bp = k.vital("blood-pressure");
  REQUIRE(bp);
  CHECK(bp->categories.size() == 6);
  CHECK(bp->categories.back().any.empty());  // the default comes last
  for (const auto& c : bp->categories) CHECK_FALSE(c.source.empty());
  for (const char* id : {"bmi", "heart-rate", "respiratory-rate", "oxygen-saturation", "temperature", "weight", "height"}) {
    INFO(id);
    const kb::VitalSign* v = k.vital(id);
    REQUIRE(v);
    if (!v->range.empty()) CHECK_FALSE(v->range_source.empty());
  }
  CHECK(k.vital_for_code("8867-4") == k.vital("heart-rate"));
}

TEST_CASE("conditions, medicines, vaccines: every entry sourced and linked", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  CHECK(k.conditions.size() >= 60);
  for (const auto& c : k.conditions) {
    INFO(c.plain);
    CHECK_FALSE(c.source.empty());
    CHECK_FALSE(c.codes.snomed.empty());
  }
  CHECK(k.ingredients.size() >= 80);
  for (const auto& i : k.ingredients) {
    INFO(i.name);
    for (const std::string& id : i.classes) CHECK(k.drug_class(id));
  }
  for (const auto& g : k.allergy_groups) {
    INFO(g.id);
    CHECK_FALSE(g.source.empty());
    for (const std::string& id : g.conflicts_with) CHECK(k.drug_class(id));
  }
  std::set<std::string> cvx;
  for (const auto& v : k.vaccines) {
    for (const std::string& code : v.cvx) CHECK(cvx.insert(code).second);  // one group per code
  }
}

TEST_CASE("preventive-care and monitoring rules cite a source and point at known things", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  CHECK(k.rules.size() >= 15);
  for (const auto& r : k.rules) {
    INFO(r.id);
    CHECK_FALSE(r.source.empty());
    CHECK_FALSE(r.due.empty());
    CHECK_FALSE(r.question.empty());
    CHECK((r.kind == "immunization" || r.kind == "screening"));
    REQUIRE_FALSE(r.evidence.empty());
    for (const auto& e : r.evidence) {
      for (const std::string& g : e.vaccines) {
        CHECK(std::any_of(k.vaccines.begin(), k.vaccines.end(), [&](const kb::VaccineGroup& v) { return v.group == g; }));
      }
      for (const std::string& v : e.vitals) CHECK(k.vital(v));
    }
  }
  for (const auto& m : k.monitoring) {
    INFO(m.id);
    CHECK_FALSE(m.source.empty());
    for (const std::string& loinc : m.loinc) CHECK(k.lab(loinc));
    for (const std::string& id : m.medication_classes) CHECK(k.drug_class(id));
  }
}

TEST_CASE("lookups: codes, products and names", "[summary][knowledge]") {
  const kb::Knowledge& k = kb::get();
  chartlock::CodeableConcept amox{{{chartlock::systems::rxnorm, "999999", "Amoxicillin 500 MG Oral Capsule"}}, ""};
  const auto m = k.ingredients_of(amox);
  REQUIRE(m.size() == 1);
  CHECK(m[0].ingredient->name == "amoxicillin");
  CHECK(m[0].by == "name");
  chartlock::CodeableConcept lisinopril{{{chartlock::systems::rxnorm, "314076", "lisinopril 10 MG Oral Tablet"}}, ""};
  CHECK(k.ingredients_of(lisinopril).at(0).by == "product");
  // Whole words only: "penicillin" is not found inside "benzylpenicillinase".
  chartlock::CodeableConcept odd{{}, "benzylpenicillinase"};
  CHECK(k.ingredients_of(odd).empty());
  chartlock::CodeableConcept icd{{{chartlock::systems::icd10cm, "E11.65", ""}}, ""};
  REQUIRE(k.condition(icd));
  CHECK(k.condition(icd)->plain == "Type 2 diabetes");
  CHECK(k.vaccine("08")->group == "hepatitis-b");
}
