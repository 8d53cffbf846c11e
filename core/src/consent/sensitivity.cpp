// SPDX-License-Identifier: Apache-2.0
#include "consent/sensitivity.hpp"

#include <algorithm>
#include <string>
#include <array>
#include <cstdint>

#include "chartlock/knowledge.hpp"
#include "text/fold.hpp"

namespace chartlock::consent {

namespace {

constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

struct Phrase {
  const std::vector<std::string>* words;  // words[0] ends at the trie node holding it
  SensitiveSet category;
};

// The knowledge base's words in a trie of folded letters, so that one text
// word costs one walk down it however many phrases there are: a phrase whose
// first word is a prefix of the text's word sits on the way; a whole word
// where the walk ends.
struct Index {
  struct Node {
    std::array<std::int32_t, 36> next;  // a-z, 0-9; -1: none
    std::vector<Phrase> phrases;
    SensitiveSet whole = 0;
    Node() { next.fill(-1); }
  };
  std::vector<Node> nodes{Node()};
  const knowledge::Knowledge* kb = nullptr;

  static int slot(char c) {
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '0' && c <= '9') return 26 + (c - '0');
    return -1;
  }

  std::size_t insert(const std::string& word) {
    std::size_t n = 0;
    for (char c : word) {
      const int s = slot(c);
      if (s < 0) break;  // folded words hold letters and digits only
      if (nodes[n].next[static_cast<std::size_t>(s)] < 0) {
        nodes[n].next[static_cast<std::size_t>(s)] = static_cast<std::int32_t>(nodes.size());
        nodes.emplace_back();
      }
      n = static_cast<std::size_t>(nodes[n].next[static_cast<std::size_t>(s)]);
    }
    return n;
  }

  Index() {
    kb = &knowledge::get();
    for (std::size_t i = 0; i < kb->sensitive.size(); ++i) {
      const knowledge::SensitiveCategory& c = kb->sensitive[i];
      const SensitiveSet bit = SensitiveSet{1} << i;
      for (const std::vector<std::string>& phrase : c.words) {
        if (!phrase.empty()) nodes[insert(phrase.front())].phrases.push_back(Phrase{&phrase, bit});
      }
      for (const std::string& w : c.whole_words) nodes[insert(w)].whole |= bit;
    }
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
  text::fold_words_into(s, folded_, words_);
  auto word = [&](std::size_t i) {
    return std::string_view(folded_).substr(words_[i].begin, words_[i].end - words_[i].begin);
  };
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::string_view w = word(i);
    std::size_t n = 0;
    for (std::size_t at = 0; at < w.size(); ++at) {
      const int slot = Index::slot(w[at]);
      if (slot < 0 || ix.nodes[n].next[static_cast<std::size_t>(slot)] < 0) {
        n = 0;
        break;
      }
      n = static_cast<std::size_t>(ix.nodes[n].next[static_cast<std::size_t>(slot)]);
      for (const Phrase& p : ix.nodes[n].phrases) {
        if ((found_ & p.category) != 0) continue;
        const std::vector<std::string>& pw = *p.words;
        if (i + pw.size() > words_.size()) continue;
        bool all = true;
        for (std::size_t j = 1; j < pw.size() && all; ++j) all = word(i + j).substr(0, pw[j].size()) == pw[j];
        if (all) found_ |= p.category;
      }
    }
    if (n != 0) found_ |= ix.nodes[n].whole;  // the walk ended exactly at the word's end
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
