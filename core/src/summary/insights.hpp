// SPDX-License-Identifier: Apache-2.0
// Insights: what in the record deserves attention, each with the evidence it
// rests on and its source, and a question to bring to the next appointment.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
#include "summary/civil_date.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

// Latest results outside their range, and those getting worse.
void result_insights(const Context& ctx, const std::vector<LabSeries>& labs,
                     const std::vector<VitalSeries>& vitals, std::vector<Insight>& out);

// A current medicine in a class a recorded allergy conflicts with.
void allergy_conflicts(const Context& ctx, const std::vector<MedicationItem>& medications,
                       const std::vector<AllergyItem>& allergies, std::vector<Insight>& out);

// Immunizations, screenings and monitoring that seem due. Needs today and an age.
void preventive_insights(const Context& ctx, const std::vector<VitalSeries>& vitals,
                         const std::vector<MedicationItem>& medications, std::vector<Insight>& out,
                         std::vector<std::string>& notes);

// A result older than this many years is said to be old, and ranks after
// recent ones of its severity.
inline constexpr int kOldResultYears = 2;

// Most important first: by severity; within one, what rests on recent
// results (or on no result) before what rests on old ones; then by kind.
// Stable otherwise. Readers show the first few: the order is the ranking.
void order_insights(std::vector<Insight>& insights, const std::optional<CivilDate>& today);

}  // namespace chartlock::summary
