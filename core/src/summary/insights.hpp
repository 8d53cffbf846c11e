// Insights: what in the record deserves attention, each with the evidence it
// rests on and its source, and a question to bring to the next appointment.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
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

// Most important first; stable otherwise.
void order_insights(std::vector<Insight>& insights);

}  // namespace chartlock::summary
