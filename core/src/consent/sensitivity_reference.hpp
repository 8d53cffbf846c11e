// SPDX-License-Identifier: Apache-2.0
// The sensitivity lists of the knowledge base read the plain way, word by
// word and list by list: slow, and not used by the core. The tests
// (tests/core/sensitivity_scan_test.cpp) and fuzz_note_text check
// SensitivityScan's one-pass text scan and code index against it.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/code_systems.hpp"
#include "chartlock/knowledge.hpp"
#include "consent/sensitivity.hpp"
#include "text/fold.hpp"

namespace chartlock::consent::reference {

// A category's phrase starts at a text word when each of its words begins
// the text's word in turn; a whole word must equal the text's word.
inline SensitiveSet text(std::string_view s, const std::vector<knowledge::SensitiveCategory>& sensitive) {
  const std::vector<std::string> words = text::fold_words(s);
  SensitiveSet found = 0;
  for (std::size_t c = 0; c < sensitive.size(); ++c) {
    const knowledge::SensitiveCategory& cat = sensitive[c];
    for (std::size_t i = 0; i < words.size(); ++i) {
      bool in = std::find(cat.whole_words.begin(), cat.whole_words.end(), words[i]) != cat.whole_words.end();
      for (const std::vector<std::string>& phrase : cat.words) {
        if (in || phrase.empty() || i + phrase.size() > words.size()) continue;
        bool all = true;
        for (std::size_t j = 0; j < phrase.size() && all; ++j) {
          all = words[i + j].compare(0, phrase[j].size(), phrase[j]) == 0;
        }
        in = all;
      }
      if (in) found |= SensitiveSet{1} << c;
    }
  }
  return found;
}

inline SensitiveSet text(std::string_view s) { return text(s, knowledge::get().sensitive); }

inline SensitiveSet coding(std::string_view system, std::string_view code) {
  if (code.empty()) return 0;
  CodeableConcept one;
  one.codings.push_back(Coding{std::string(system), std::string(code), {}});
  auto has = [&](const std::vector<std::string>& list) {
    return std::find(list.begin(), list.end(), code) != list.end();
  };
  const auto& sensitive = knowledge::get().sensitive;
  SensitiveSet found = 0;
  for (std::size_t c = 0; c < sensitive.size(); ++c) {
    const knowledge::SensitiveCategory& cat = sensitive[c];
    if (cat.codes.matches(one) || (system == systems::loinc && has(cat.loinc)) ||
        (system == systems::act_code && has(cat.security_labels))) {
      found |= SensitiveSet{1} << c;
    }
  }
  return found;
}

}  // namespace chartlock::consent::reference
