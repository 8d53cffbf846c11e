// SPDX-License-Identifier: Apache-2.0
// Finding a record's codes in the knowledge base. Linear scans (the lists are
// a few hundred entries and stay in cache), except lab(), asked once per
// observation, which looks in a hash table by LOINC, and ingredients_of(),
// which searches only the names a label's words start.
#include <algorithm>
#include <cctype>
#include <cstdint>

#include "chartlock/code_systems.hpp"
#include "chartlock/knowledge.hpp"
#include "json/same_key.hpp"
#include "knowledge/load.hpp"
#include "text/fnv1a.hpp"

namespace chartlock::knowledge {
namespace {

// same_key: lengths first, then a few loads, no memcmp call per entry (in
// wasm a call into the module's own): the codes' lists are walked whole.
bool contains(const std::vector<std::string>& list, std::string_view s) {
  for (const std::string& entry : list) {
    if (json::same_key(entry, s)) return true;
  }
  return false;
}

// lab()'s slot for a code: FNV-1a over its few bytes. The codes compared in
// a slot are the knowledge base's own, so a crafted code can only lengthen
// its own probe over a table of a few hundred.
std::size_t loinc_hash(std::string_view code) {
  const std::uint64_t h = text::fnv1a(code);
  return static_cast<std::size_t>(h ^ h >> 32);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// `phrase` occurs in `text` (both lower case) with no letter or digit on either side.
bool has_phrase(const std::string& text, const std::string& phrase) {
  if (phrase.empty()) return false;
  for (std::size_t at = text.find(phrase); at != std::string::npos; at = text.find(phrase, at + 1)) {
    const bool left = at == 0 || !word_char(text[at - 1]);
    const std::size_t end = at + phrase.size();
    const bool right = end == text.size() || !word_char(text[end]);
    if (left && right) return true;
  }
  return false;
}

// A name's leading run of letters and digits; "" when it starts with neither.
std::string first_word(const std::string& name) {
  std::size_t end = 0;
  while (end < name.size() && word_char(name[end])) ++end;
  return name.substr(0, end);
}

struct FirstWordOrder {
  bool operator()(const std::pair<std::string, std::size_t>& a, std::string_view b) const { return a.first < b; }
  bool operator()(std::string_view a, const std::pair<std::string, std::size_t>& b) const { return a < b.first; }
};

// Every label a concept carries, lower-cased and joined: its text and each display.
std::string labels(const CodeableConcept& c) {
  std::string out = lower(c.text);
  for (const Coding& coding : c.codings) out += " | " + lower(coding.display);
  return out;
}

}  // namespace

std::optional<Bounds> LabTest::range_for(const std::string& gender) const {
  if (female || male) {
    if (gender == "female" && female) return female;
    if (gender == "male" && male) return male;
    return std::nullopt;
  }
  if (range.empty()) return std::nullopt;
  return range;
}

bool ConditionCodes::is_icd10_system(std::string_view system) {
  return system == systems::icd10cm || system == "http://hl7.org/fhir/sid/icd-10";
}

bool ConditionCodes::matches(const CodeableConcept& code) const {
  for (const Coding& c : code.codings) {
    if (c.system == systems::snomed && contains(snomed, c.code)) return true;
    if (is_icd10_system(c.system)) {
      for (const std::string& prefix : icd10) {
        if (c.code.str().compare(0, prefix.size(), prefix) == 0) return true;
      }
    }
  }
  return false;
}

// A hash table, not a binary search: the search's string compares were a
// memcmp call each, in wasm a call into the module's own (docs/performance.md,
// "Wasm against native, a third time"). same_key compares the lengths first.
const LabTest* Knowledge::lab(std::string_view loinc) const {
  if (labs_by_loinc.empty()) return nullptr;
  const std::size_t mask = labs_by_loinc.size() - 1;
  for (std::size_t s = loinc_hash(loinc) & mask; labs_by_loinc[s] != 0; s = (s + 1) & mask) {
    const LabTest& test = labs[labs_by_loinc[s] - 1];
    if (json::same_key(test.loinc, loinc)) return &test;
  }
  return nullptr;
}

void Knowledge::index_labs() {
  std::size_t slots = 16;
  while (slots < 2 * labs.size()) slots *= 2;
  labs_by_loinc.assign(slots, 0);
  for (std::size_t i = 0; i < labs.size(); ++i) {
    if (lab(labs[i].loinc) != nullptr) continue;  // the first of equal codes answers
    std::size_t s = loinc_hash(labs[i].loinc) & (slots - 1);
    while (labs_by_loinc[s] != 0) s = (s + 1) & (slots - 1);
    labs_by_loinc[s] = i + 1;
  }
}

const VitalSign* Knowledge::vital(std::string_view id) const {
  for (const VitalSign& v : vitals) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

const VitalSign* Knowledge::vital_for_code(std::string_view loinc) const {
  for (const VitalSign& v : vitals) {
    if (contains(v.codes, loinc)) return &v;
  }
  return nullptr;
}

const ConditionInfo* Knowledge::condition(const CodeableConcept& code) const {
  // SNOMED CT first: it is the more specific of the two.
  for (const ConditionInfo& c : conditions) {
    for (const Coding& coding : code.codings) {
      if (coding.system == systems::snomed && contains(c.codes.snomed, coding.code)) return &c;
    }
  }
  for (const ConditionInfo& c : conditions) {
    if (ConditionCodes{{}, c.codes.icd10}.matches(code)) return &c;
  }
  return nullptr;
}

const DrugClass* Knowledge::drug_class(std::string_view id) const {
  for (const DrugClass& c : drug_classes) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const VaccineGroup* Knowledge::vaccine(std::string_view cvx) const {
  // CVX codes are numbers; records write "08" and "8" alike.
  std::string_view code = cvx;
  while (code.size() > 1 && code.front() == '0') code.remove_prefix(1);
  for (const VaccineGroup& v : vaccines) {
    if (contains(v.cvx, code)) return &v;
  }
  return nullptr;
}

const VaccineGroup* Knowledge::vaccine_of(const CodeableConcept& code) const {
  // Only a CVX coding: another system's number could name some other thing.
  const Coding* cvx = code.primary({systems::cvx});
  return cvx && cvx->system == systems::cvx ? vaccine(cvx->code) : nullptr;
}

std::vector<IngredientMatch> Knowledge::ingredients_of(const CodeableConcept& medication) const {
  const std::string text = labels(medication);
  // A name found as a whole phrase starts at a whole word of the label that
  // is its own first word, so only the ingredients the label's words name
  // (and those keyed "") are searched; the search itself is unchanged.
  std::vector<char> named(ingredients.size(), 0);
  auto mark = [&](std::string_view word) {
    auto [from, to] = std::equal_range(ingredients_by_first_word.begin(), ingredients_by_first_word.end(), word,
                                       FirstWordOrder{});
    for (auto it = from; it != to; ++it) named[it->second] = 1;
  };
  mark("");
  for (std::size_t i = 0; i < text.size();) {
    if (!word_char(text[i])) { ++i; continue; }
    const std::size_t start = i;
    while (i < text.size() && word_char(text[i])) ++i;
    mark(std::string_view(text).substr(start, i - start));
  }

  std::vector<IngredientMatch> out;
  for (std::size_t i = 0; i < ingredients.size(); ++i) {
    const Ingredient& ing = ingredients[i];
    std::string by;
    for (const Coding& c : medication.codings) {
      if (c.system != systems::rxnorm || c.code.empty()) continue;
      if (c.code == ing.rxnorm) by = "rxnorm";
      else if (by.empty() && contains(ing.products, c.code)) by = "product";
    }
    for (const std::string& name : ing.match_names) {
      if (!by.empty() || !named[i]) break;
      if (has_phrase(text, name)) by = "name";
    }
    if (!by.empty()) out.push_back(IngredientMatch{&ing, by});
  }
  return out;
}

void Knowledge::index_ingredient_names() {
  ingredients_by_first_word.clear();
  for (std::size_t i = 0; i < ingredients.size(); ++i) {
    Ingredient& ing = ingredients[i];
    ing.match_names.clear();
    ing.match_names.push_back(lower(ing.name));
    for (const std::string& other : ing.also_known_as) ing.match_names.push_back(lower(other));
    for (const std::string& name : ing.match_names) {
      ingredients_by_first_word.emplace_back(first_word(name), i);
    }
  }
  std::sort(ingredients_by_first_word.begin(), ingredients_by_first_word.end());
}

std::vector<const AllergyGroup*> Knowledge::allergy_groups_of(const CodeableConcept& allergy) const {
  std::vector<const AllergyGroup*> out;
  const std::string text = labels(allergy);
  for (const AllergyGroup& g : allergy_groups) {
    bool match = false;
    for (const Coding& c : allergy.codings) {
      if (c.system == systems::snomed && contains(g.snomed, c.code)) match = true;
    }
    for (const std::string& w : g.words) {
      if (!match && has_phrase(text, lower(w))) match = true;
    }
    if (match) out.push_back(&g);
  }
  return out;
}

bool same_given_name(std::string_view a, std::string_view b) {
  if (a == b) return true;
  const NameRoots& roots = name_roots();
  auto ra = roots.find(std::string(a)), rb = roots.find(std::string(b));
  if (ra == roots.end() || rb == roots.end()) return false;
  for (const std::string& x : ra->second) {
    if (std::find(rb->second.begin(), rb->second.end(), x) != rb->second.end()) return true;
  }
  return false;
}

}  // namespace chartlock::knowledge
