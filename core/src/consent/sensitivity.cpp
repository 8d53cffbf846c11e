#include "consent/sensitivity.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "chartlock/knowledge.hpp"
#include "text/fold.hpp"

namespace chartlock::consent {

namespace {

constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

struct Phrase {
  const std::vector<std::string>* words;  // words[0] is the index key
  SensitiveSet category;
};

// The knowledge base's words, indexed so that one text word costs a few hash
// look-ups however many phrases there are: phrases by their first word (a
// prefix of the text's word, so by each prefix length that occurs), whole
// words by themselves.
struct Index {
  std::unordered_map<std::string_view, std::vector<Phrase>> by_first;
  std::vector<std::size_t> first_lengths;  // ascending
  std::unordered_map<std::string_view, SensitiveSet> whole;
  const knowledge::Knowledge* kb = nullptr;

  Index() {
    kb = &knowledge::get();
    for (std::size_t i = 0; i < kb->sensitive.size(); ++i) {
      const knowledge::SensitiveCategory& c = kb->sensitive[i];
      const SensitiveSet bit = SensitiveSet{1} << i;
      for (const std::vector<std::string>& phrase : c.words) {
        if (phrase.empty()) continue;
        by_first[phrase.front()].push_back(Phrase{&phrase, bit});
        if (std::find(first_lengths.begin(), first_lengths.end(), phrase.front().size()) == first_lengths.end()) {
          first_lengths.push_back(phrase.front().size());
        }
      }
      for (const std::string& w : c.whole_words) whole[w] |= bit;
    }
    std::sort(first_lengths.begin(), first_lengths.end());
  }
};

const Index& index() {
  static_assert(sizeof(SensitiveSet) * 8 >= 8, "room for the knowledge base's categories");
  static const Index i;
  return i;
}

bool has(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

void SensitivityScan::text(std::string_view s) {
  if (s.empty()) return;
  const Index& ix = index();
  words_ = text::fold_words(s);
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::string& w = words_[i];
    if (auto it = ix.whole.find(w); it != ix.whole.end()) found_ |= it->second;
    for (std::size_t len : ix.first_lengths) {
      if (len > w.size()) break;
      auto it = ix.by_first.find(std::string_view(w).substr(0, len));
      if (it == ix.by_first.end()) continue;
      for (const Phrase& p : it->second) {
        if ((found_ & p.category) != 0) continue;
        const std::vector<std::string>& pw = *p.words;
        if (i + pw.size() > words_.size()) continue;
        bool all = true;
        for (std::size_t j = 1; j < pw.size() && all; ++j) all = words_[i + j].compare(0, pw[j].size(), pw[j]) == 0;
        if (all) found_ |= p.category;
      }
    }
  }
}

void SensitivityScan::coding(std::string_view system, std::string_view code) {
  if (code.empty()) return;
  const knowledge::Knowledge& kb = *index().kb;
  CodeableConcept one;
  one.codings.push_back(Coding{std::string(system), std::string(code), {}});
  for (std::size_t i = 0; i < kb.sensitive.size(); ++i) {
    const knowledge::SensitiveCategory& c = kb.sensitive[i];
    const bool in = c.codes.matches(one) || (system == systems::loinc && has(c.loinc, code)) ||
                    (system == kActCode && has(c.security_labels, code));
    if (in) found_ |= SensitiveSet{1} << i;
  }
}

void SensitivityScan::concept(const CodeableConcept& c) {
  text(c.text);
  for (const Coding& coding : c.codings) {
    this->coding(coding.system, coding.code);
    text(coding.display);
  }
}

void SensitivityScan::medication(const CodeableConcept& c) {
  concept(c);
  const knowledge::Knowledge& kb = *index().kb;
  for (const knowledge::IngredientMatch& m : kb.ingredients_of(c)) {
    for (std::size_t i = 0; i < kb.sensitive.size(); ++i) {
      for (const std::string& cls : m.ingredient->classes) {
        if (has(kb.sensitive[i].drug_classes, cls)) found_ |= SensitiveSet{1} << i;
      }
    }
  }
}

std::vector<std::string> sensitive_ids(SensitiveSet set) {
  const knowledge::Knowledge& kb = knowledge::get();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kb.sensitive.size(); ++i) {
    if ((set & (SensitiveSet{1} << i)) != 0) out.push_back(kb.sensitive[i].id);
  }
  return out;
}

}  // namespace chartlock::consent
