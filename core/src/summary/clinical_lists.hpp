// SPDX-License-Identifier: Apache-2.0
// The problem list, medicines, allergies, immunizations and visits, in plain
// words with their codes kept.
#pragma once

#include <vector>

#include "chartlock/summary.hpp"
#include "summary/context.hpp"

namespace chartlock::summary {

bool is_active(const Condition& c);
bool is_current(const std::string& medication_status);
// Whether an item belongs in the summary at all (not refuted, not an error).
bool is_listed(const Allergy& a);
bool is_listed(const Encounter& e);

// One item in plain words with its sources; the lists and the timeline share them.
AllergyItem allergy_item(const Context& ctx, const Allergy& a);
EncounterItem encounter_item(const Encounter& e);

void conditions(const Context& ctx, std::vector<ConditionItem>& active, std::vector<ConditionItem>& past);
// A medicine is current when its newest listing is active (or on hold, or
// intended), or was written in the last kRecentMedicationMonths before today
// and not stopped: a medicine prescribed again at every visit is current
// even when each prescription is marked completed. The rest are past.
inline constexpr int kRecentMedicationMonths = 12;
void medications(const Context& ctx, std::vector<MedicationItem>& current, std::vector<MedicationItem>& past);
std::vector<AllergyItem> allergies(const Context& ctx);
std::vector<ImmunizationItem> immunizations(const Context& ctx);
std::vector<EncounterItem> recent_encounters(const Context& ctx);
NotesSummary clinical_notes(const Context& ctx);
// Organizations named as where visits took place, in order of first mention.
std::vector<std::string> providers(const Context& ctx);

}  // namespace chartlock::summary
