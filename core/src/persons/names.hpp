// SPDX-License-Identifier: Apache-2.0
// Names as a matcher reads them: folded (case, accents), split on hyphens,
// apostrophes and spaces, without titles, suffixes and family-name particles.
#pragma once

#include <string>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock::persons {

struct FoldedName {
  std::vector<std::string> given;   // first given name first, then middle names
  std::vector<std::string> family;  // significant family-name words
  bool former = false;              // use old or maiden, or its period has ended
  std::string shown_given, shown_family;  // as written, for the comparison shown to the patient
};

std::vector<FoldedName> folded_names(const Patient& p);

// A name or address the person no longer uses: `old` (or `maiden`), or its period has ended.
inline bool is_former(const Patient::Name& n) { return n.use == "old" || n.use == "maiden" || !n.end.empty(); }
inline bool is_former(const Patient::Address& a) { return a.use == "old" || !a.end.empty(); }

// A single letter: an initial ("J." in "John J. Smith").
inline bool is_initial(const std::string& word) { return word.size() == 1; }

}  // namespace chartlock::persons
