// SPDX-License-Identifier: Apache-2.0
// The plain-language history and the questions for the next appointment.
#pragma once

#include <string>
#include <vector>

#include "chartlock/summary.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

// Who, active conditions, current medicines, allergies, recent visits; kind,
// in the second person, and never a diagnosis.
std::string narrative(const Context& ctx, const Summary& s);

// 3 to 10 questions, each tied to the insight or item it comes from: the
// insights' own first, then about conditions, medicines and results.
std::vector<Question> questions(const Context& ctx, const Summary& s);

}  // namespace chartlock::summary
