// SPDX-License-Identifier: Apache-2.0
// What the patient keeps back must not travel inside the text that is shared
// either: their name and birth date when they do not share who they are (a
// note that starts "Ana Silva, born 02/03/1980, …"), and every written date
// when they hide exact dates. Applied to the free text of the shared items
// before resources are built from them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock::share {

class Redactor {
 public:
  // `mask_dates`: every date written in text becomes "[date]" too.
  Redactor(const Patient& patient, bool mask_dates);

  std::string text(std::string_view s) const;
  // The free text of every item: notes, values written as text, dosage,
  // conclusions, descriptions, attachment text, care plan titles…
  void record(Record& r) const;

 private:
  std::vector<std::string> words_;  // lower case; matched whole, case-insensitively
  std::vector<std::string> dates_;  // the birth date as people write it
  bool mask_dates_;
};

}  // namespace chartlock::share
