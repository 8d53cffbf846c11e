// SPDX-License-Identifier: Apache-2.0
// The labs and vital signs sections: one series per test, with ranges, flags
// and trends.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

std::vector<LabSeries> lab_results(const Context& ctx);
std::vector<VitalSeries> vital_signs(const Context& ctx);

}  // namespace chartlock::summary
