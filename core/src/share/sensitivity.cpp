#include "share/sensitivity.hpp"

#include <algorithm>

#include "chartlock/knowledge.hpp"
#include "text/fold.hpp"

namespace chartlock::share {

namespace {

// A phrase matches when its words appear in order in the label, each phrase
// word a prefix of the label's word ("pregnan" in "pregnancy test").
bool has_phrase(const std::vector<std::string>& label, const std::vector<std::string>& phrase) {
  if (phrase.empty() || phrase.size() > label.size()) return false;
  for (std::size_t i = 0; i + phrase.size() <= label.size(); ++i) {
    bool all = true;
    for (std::size_t j = 0; j < phrase.size() && all; ++j) {
      all = label[i + j].compare(0, phrase[j].size(), phrase[j]) == 0;
    }
    if (all) return true;
  }
  return false;
}

bool in_category(const knowledge::SensitiveCategory& c, const CodeableConcept& code,
                 const std::vector<std::string>& label_words, const std::vector<std::string>& classes) {
  if (c.codes.matches(code)) return true;
  for (const Coding& coding : code.codings) {
    if (coding.system == systems::loinc &&
        std::find(c.loinc.begin(), c.loinc.end(), coding.code) != c.loinc.end()) {
      return true;
    }
  }
  for (const std::string& cls : classes) {
    if (std::find(c.drug_classes.begin(), c.drug_classes.end(), cls) != c.drug_classes.end()) return true;
  }
  for (const std::vector<std::string>& phrase : c.words) {
    if (has_phrase(label_words, phrase)) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> sensitive_categories(const std::vector<const CodeableConcept*>& concepts,
                                              bool is_medication) {
  const knowledge::Knowledge& kb = knowledge::get();
  std::vector<std::string> out;
  for (const CodeableConcept* code : concepts) {
    if (code == nullptr || code->empty()) continue;
    std::vector<std::string> words = text::fold_words(code->text);
    for (const Coding& c : code->codings) {
      for (std::string& w : text::fold_words(c.display)) words.push_back(std::move(w));
    }
    std::vector<std::string> classes;
    if (is_medication) {
      for (const knowledge::IngredientMatch& m : kb.ingredients_of(*code)) {
        classes.insert(classes.end(), m.ingredient->classes.begin(), m.ingredient->classes.end());
      }
    }
    for (const knowledge::SensitiveCategory& cat : kb.sensitive) {
      if (std::find(out.begin(), out.end(), cat.id) == out.end() && in_category(cat, *code, words, classes)) {
        out.push_back(cat.id);
      }
    }
  }
  return out;
}

}  // namespace chartlock::share
