// SPDX-License-Identifier: Apache-2.0
#include "summary/clinical_lists.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "chartlock/code_systems.hpp"
#include "summary/civil_date.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"
#include "summary/positions.hpp"

namespace chartlock::summary {
namespace {

CodeRef code_ref(const CodeableConcept& c, const std::vector<std::string>& preferred) {
  const Coding* coding = c.primary(preferred);
  if (!coding) return CodeRef{"", "", c.text};
  return CodeRef{coding->system, coding->code, coding->display};
}

bool refuted(const std::string& verification) {
  return verification == "refuted" || verification == "entered-in-error";
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// "Encounter for check up (procedure)" reads better as "Check-up visit".
std::string visit_words(std::string label) {
  std::string lower = label;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower.find("check up") != std::string::npos || lower.find("check-up") != std::string::npos) {
    return "Check-up visit";
  }
  const std::string prefix = "encounter for ";
  if (lower.compare(0, prefix.size(), prefix) == 0) return "Visit for " + lower.substr(prefix.size());
  return label;
}

}  // namespace

bool is_active(const Condition& c) {
  if (refuted(c.verificationStatus)) return false;
  if (c.clinicalStatus.empty()) return c.abatement.empty();
  return c.clinicalStatus == "active" || c.clinicalStatus == "recurrence" || c.clinicalStatus == "relapse";
}

bool is_current(const std::string& status) {
  return status == "active" || status == "intended" || status == "on-hold";
}

namespace {

// The knowledge base's entry for the codes of the last few conditions: a
// problem list names the same few conditions again and again (the 10 MB
// patient: 287 conditions, 12 codes) and condition() reads every entry's
// codes (~4,500 instructions). Only kRemembered concepts are kept, so a record
// of many codes costs a few comparisons more per condition, not a search.
class ConditionLookup {
 public:
  explicit ConditionLookup(const knowledge::Knowledge& kb) : kb_(kb) {}
  const knowledge::ConditionInfo* operator()(const CodeableConcept& code) {
    for (const Seen& s : seen_) {
      // The whole concept (condition() reads only its codings today).
      if (s.code->codings == code.codings && s.code->text == code.text) return s.info;
    }
    const knowledge::ConditionInfo* info = kb_.condition(code);
    if (seen_.size() < kRemembered) seen_.push_back(Seen{&code, info});
    else seen_[next_++ % kRemembered] = Seen{&code, info};
    return info;
  }

 private:
  static constexpr std::size_t kRemembered = 16;
  struct Seen {
    const CodeableConcept* code;  // the record's
    const knowledge::ConditionInfo* info;
  };
  const knowledge::Knowledge& kb_;
  std::vector<Seen> seen_;
  std::size_t next_ = 0;
};

}  // namespace

void conditions(const Context& ctx, std::vector<ConditionItem>& active, std::vector<ConditionItem>& past) {
  const std::vector<std::string> preferred = {systems::snomed, systems::icd10cm};
  ConditionLookup condition_of(ctx.kb);
  for (const Condition& c : ctx.record.conditions) {
    if (refuted(c.verificationStatus)) continue;
    ConditionItem item;
    item.key = c.key;
    item.code = code_ref(c.code, preferred);
    item.status = c.clinicalStatus;
    item.onset = date_part(c.onset.empty() ? c.recordedDate : c.onset);
    item.abatement = date_part(c.abatement);
    item.sources = source_names(c.sources);
    if (const knowledge::ConditionInfo* info = condition_of(c.code)) {
      item.known = true;
      item.plain = info->plain;
      item.group = info->group;
      item.chronic = info->chronic;
      item.source = info->source;
    } else {
      item.plain = concept_label(c.code, preferred);
      if (item.plain.empty()) item.plain = "A condition without a name";
    }
    (is_active(c) ? active : past).push_back(std::move(item));
  }
  // Long-lasting conditions first; then newest first.
  auto order = [](const ConditionItem& a, const ConditionItem& b) {
    if (a.chronic != b.chronic) return a.chronic;
    return a.onset > b.onset;
  };
  stable_sort_moved(active, order);
  stable_sort_moved(past, [](const ConditionItem& a, const ConditionItem& b) { return a.onset > b.onset; });
}

namespace {

// What the knowledge base says a medicine contains, and its classes.
void add_ingredients(const Context& ctx, const CodeableConcept& code, MedicationItem& item) {
  for (const knowledge::IngredientMatch& match : ctx.kb.ingredients_of(code)) {
    item.ingredients.push_back(match.ingredient->name);
    // The strongest way any ingredient matched.
    if (item.matched_by.empty() || match.by == "rxnorm" || (match.by == "product" && item.matched_by == "name")) {
      item.matched_by = match.by;
    }
    for (const std::string& id : match.ingredient->classes) {
      if (contains(item.class_ids, id)) continue;
      item.class_ids.push_back(id);
      const knowledge::DrugClass* c = ctx.kb.drug_class(id);
      item.classes.push_back(c ? c->plain : id);
    }
  }
}

}  // namespace

void medications(const Context& ctx, std::vector<MedicationItem>& current, std::vector<MedicationItem>& past) {
  std::vector<MedicationItem> out;
  std::vector<const Medication*> listings;  // out[i] was made from listings[i]
  for (const Medication& m : ctx.record.medications) {
    // Never given: not a medicine the patient takes or took.
    if (m.status == "entered-in-error" || m.status == "cancelled" || m.status == "draft") continue;
    MedicationItem item;
    item.key = m.key;
    item.code = code_ref(m.code, prefer::rxnorm());
    item.name = concept_label(m.code, prefer::rxnorm());
    if (item.name.empty()) item.name = "A medicine without a name";
    item.status = m.status;
    item.since = date_part(m.authoredOn.empty() ? m.effective.start : m.authoredOn);
    item.dosage = m.dosage;
    item.sources = source_names(m.sources);
    out.push_back(std::move(item));
    listings.push_back(&m);
  }
  // The same medicine prescribed again is one line: its newest listing decides,
  // and the line says where any of its listings came from. Among listings of
  // one date, an active one speaks.
  const std::vector<std::size_t> order = stable_order(out, [](const MedicationItem& a, const MedicationItem& b) {
    if (a.since != b.since) return a.since > b.since;
    return is_current(a.status) && !is_current(b.status);
  });
  std::vector<MedicationItem> unique;
  std::vector<const Medication*> unique_listings;  // the listing each line was made from
  for (std::size_t i : order) {
    MedicationItem& m = out[i];
    auto same = std::find_if(unique.begin(), unique.end(), [&](const MedicationItem& u) {
      return u.name == m.name && u.code.code == m.code.code;
    });
    if (same == unique.end()) {
      unique.push_back(std::move(m));
      unique_listings.push_back(listings[i]);
      continue;
    }
    for (std::string& src : m.sources) {
      if (!contains(same->sources, src)) same->sources.push_back(std::move(src));
    }
  }
  // Ingredients and classes once per line, from the listing that made it: the
  // listings folded into it were only ever looked up to be thrown away (the
  // 10 MB patient: 271 listings, ~22,000 instructions each in ingredients_of).
  for (std::size_t i = 0; i < unique.size(); ++i) add_ingredients(ctx, unique_listings[i]->code, unique[i]);
  // Only read with ctx.today (a plain date: GCC took an optional here for
  // maybe-uninitialized).
  const CivilDate recent_from = ctx.today ? add_months(*ctx.today, -kRecentMedicationMonths) : CivilDate{};
  for (MedicationItem& m : unique) {
    const std::optional<CivilDate> written = parse_date(m.since);
    if (is_current(m.status)) {
      m.current = "active";
    } else if (m.status != "stopped" && ctx.today && written && !(*written < recent_from) &&
               !(*ctx.today < *written)) {
      m.current = "prescribed-recently";
    }
    (m.current.empty() ? past : current).push_back(std::move(m));
  }
}

bool is_listed(const Allergy& a) { return !refuted(a.verificationStatus); }

AllergyItem allergy_item(const Context& ctx, const Allergy& a) {
  AllergyItem item;
  item.key = a.key;
  item.code = code_ref(a.code, prefer::snomed());
  item.plain = concept_label(a.code, prefer::snomed());
  if (item.plain.empty()) item.plain = "An allergy without a name";
  item.status = a.clinicalStatus;
  item.criticality = a.criticality;
  item.recorded = date_part(a.recordedDate.empty() ? a.onset : a.recordedDate);
  item.categories = to_strings(a.category);
  for (const Allergy::Reaction& r : a.reactions) {
    for (const CodeableConcept& m : r.manifestations) {
      std::string label = lower_first(concept_label(m));
      if (!label.empty() && !contains(item.reactions, label)) item.reactions.push_back(label);
    }
  }
  for (const knowledge::AllergyGroup* g : ctx.kb.allergy_groups_of(a.code)) item.groups.push_back(g->id);
  item.sources = source_names(a.sources);
  return item;
}

std::vector<AllergyItem> allergies(const Context& ctx) {
  std::vector<AllergyItem> out;
  for (const Allergy& a : ctx.record.allergies) {
    if (!is_listed(a)) continue;
    if (a.clinicalStatus == "inactive" || a.clinicalStatus == "resolved") continue;
    out.push_back(allergy_item(ctx, a));
  }
  return out;
}

std::vector<ImmunizationItem> immunizations(const Context& ctx) {
  std::vector<ImmunizationItem> out;
  for (const Immunization& i : ctx.record.immunizations) {
    if (i.status == "entered-in-error" || i.status == "not-done") continue;
    ImmunizationItem item;
    item.key = i.key;
    item.code = code_ref(i.code, prefer::cvx());
    item.date = date_part(i.occurrence);
    item.status = i.status;
    item.sources = source_names(i.sources);
    if (const knowledge::VaccineGroup* g = ctx.kb.vaccine_of(i.code)) {
      item.known = true;
      item.plain = g->plain;
      item.group = g->group;
    } else {
      item.plain = concept_label(i.code, prefer::cvx());
      if (item.plain.empty()) item.plain = "A vaccine without a name";
    }
    out.push_back(std::move(item));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ImmunizationItem& a, const ImmunizationItem& b) { return a.date > b.date; });
  return out;
}

bool is_listed(const Encounter& e) { return e.status != "entered-in-error" && e.status != "cancelled"; }

EncounterItem encounter_item(const Encounter& e) {
  EncounterItem item;
  item.key = e.key;
  item.date = date_part(e.period.start);
  item.plain = visit_words(concept_label(e.type, prefer::snomed()));
  static const struct {
    const char* code;
    const char* words;
  } kSettings[] = {{"AMB", "office visit"},     {"EMER", "emergency visit"}, {"IMP", "hospital stay"},
                   {"ACUTE", "hospital stay"}, {"NONAC", "hospital stay"},  {"OBSENC", "observation stay"},
                   {"VR", "virtual visit"},     {"HH", "home visit"},        {"FLD", "visit outside the clinic"}};
  for (const auto& s : kSettings) {
    if (e.encounterClass.code == s.code) {
      item.setting = s.words;
      break;  // the codes differ
    }
  }
  if (item.plain.empty()) item.plain = item.setting.empty() ? "Visit" : upper_first(item.setting);
  item.provider = e.serviceProvider;
  for (const CodeableConcept& r : e.reasons) item.reasons.push_back(concept_label(r, prefer::snomed()));
  item.sources = source_names(e.sources);
  return item;
}

std::vector<EncounterItem> recent_encounters(const Context& ctx) {
  // Each time key made once, not twice per comparison.
  std::vector<std::pair<std::string, const Encounter*>> sorted;
  for (const Encounter& e : ctx.record.encounters) {
    if (is_listed(e)) sorted.emplace_back(time_key(e.period.start), &e);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<EncounterItem> out;
  for (const auto& [key, e] : sorted) {
    if (out.size() >= ctx.options.recent_encounters) break;
    out.push_back(encounter_item(*e));
  }
  return out;
}

std::vector<std::string> providers(const Context& ctx) {
  std::vector<std::string> out;
  for (const Encounter& e : ctx.record.encounters) {
    if (!e.serviceProvider.empty() && !contains(out, e.serviceProvider)) out.push_back(e.serviceProvider);
  }
  return out;
}

}  // namespace chartlock::summary
