// SPDX-License-Identifier: Apache-2.0
// What every part of the summary needs to know about the patient and the day.
#pragma once

#include <optional>
#include <string>

#include "chartlock/knowledge.hpp"
#include "chartlock/record.hpp"
#include "chartlock/summary.hpp"
#include "summary/civil_date.hpp"
#include "summary/observations.hpp"

namespace chartlock::summary {

struct Context {
  const Record& record;
  const SummaryOptions& options;
  const knowledge::Knowledge& kb;
  std::optional<CivilDate> today;
  std::optional<CivilDate> birth;
  std::optional<int> age;  // on `today`
  std::string gender;      // "female", "male", or other/unknown
  bool deceased = false;
  std::vector<ObservationClass> observations;  // record.observations', classified once

  // A date inside a sentence, in the reader's style (options.date_style).
  std::string day(std::string_view fhir) const { return day_text(fhir, options.date_style); }
};

}  // namespace chartlock::summary
