// SPDX-License-Identifier: Apache-2.0
#include "persons/names.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "text/fold.hpp"

namespace chartlock::persons {

namespace {

bool is_one_of(const std::string& w, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// Titles and generational suffixes say nothing about who this is among people
// of one family — the birth date does.
bool is_title_or_suffix(const std::string& w) {
  return is_one_of(w, {"mr", "mrs", "ms", "miss", "mx", "dr", "jr", "sr", "ii", "iii", "iv"});
}

bool is_particle(const std::string& w) {
  return is_one_of(w, {"van", "von", "der", "den", "de", "del", "della", "di", "da", "la", "le", "du", "dos", "das", "st"});
}

std::vector<std::string> words(const std::string& s, bool family) {
  std::vector<std::string> out;
  for (std::string& w : text::fold_words(s)) {
    if (is_title_or_suffix(w) || (family && is_particle(w))) continue;
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

std::vector<FoldedName> folded_names(const Patient& p) {
  std::vector<FoldedName> out;
  auto add = [&](const Patient::Name& n) {
    FoldedName f;
    for (const std::string& g : n.given) {
      for (std::string& w : words(g, false)) f.given.push_back(std::move(w));
    }
    f.family = words(n.family, true);
    if (f.given.empty() && f.family.empty() && !n.text.empty()) {
      // Text only ("Ana Maria Silva"): the last word is taken as the family name.
      std::vector<std::string> all = words(n.text, false);
      if (!all.empty()) {
        f.family.push_back(all.back());
        all.pop_back();
        f.given = std::move(all);
      }
    }
    f.former = is_former(n);
    for (const std::string& g : n.given) f.shown_given += (f.shown_given.empty() ? "" : " ") + g;
    f.shown_family = n.family;
    if (f.shown_given.empty() && f.shown_family.empty()) f.shown_given = n.text;  // the text, whole
    if (!f.given.empty() || !f.family.empty()) out.push_back(std::move(f));
  };
  for (const Patient::Name& n : p.names) add(n);
  if (out.empty() && (!p.family.empty() || !p.given.empty() || !p.name.empty())) {
    add(Patient::Name{"", p.family, p.given, p.given.empty() && p.family.empty() ? p.name : "", ""});
  }
  return out;
}

}  // namespace chartlock::persons
