// The problem list, medicines, allergies, immunizations and visits, in plain
// words with their codes kept.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

bool is_active(const Condition& c);
bool is_current(const Medication& m);
// Whether an item belongs in the summary at all (not refuted, not an error).
bool is_listed(const Allergy& a);
bool is_listed(const Encounter& e);

// One item in plain words with its sources; the lists and the timeline share them.
AllergyItem allergy_item(const Context& ctx, const Allergy& a);
EncounterItem encounter_item(const Encounter& e);

void conditions(const Context& ctx, std::vector<ConditionItem>& active, std::vector<ConditionItem>& past);
std::vector<MedicationItem> current_medications(const Context& ctx);
std::vector<AllergyItem> allergies(const Context& ctx);
std::vector<ImmunizationItem> immunizations(const Context& ctx);
std::vector<EncounterItem> recent_encounters(const Context& ctx);
// Organizations named as where visits took place, in order of first mention.
std::vector<std::string> providers(const Context& ctx);

}  // namespace chartlock::summary
