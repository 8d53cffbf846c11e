// SPDX-License-Identifier: Apache-2.0
// The timeline: the patient's history as dated events, newest first. Visits,
// conditions beginning and resolving, procedures, vaccines, medicines started
// and stopped, allergies recorded, and lab results — one event per report, or
// per day for results no report holds, never one per value.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

// Reuses the summary's lists and lab series (their plain names and flags), so
// it runs after them. Items without a usable date are left out.
std::vector<TimelineEvent> timeline(const Context& ctx, const Summary& s);

}  // namespace chartlock::summary
