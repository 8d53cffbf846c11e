// SPDX-License-Identifier: Apache-2.0
// A current medicine that a recorded drug allergy speaks against: by class
// (a penicillin allergy and amoxicillin) or by the very same ingredient.
#include <algorithm>

#include "summary/insights.hpp"
#include "summary/plain_text.hpp"

namespace chartlock::summary {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

const Allergy* find_allergy(const Record& r, const std::string& key) {
  for (const Allergy& a : r.allergies) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

}  // namespace

void allergy_conflicts(const Context& ctx, const std::vector<MedicationItem>& medications,
                       const std::vector<AllergyItem>& allergies, std::vector<Insight>& out) {
  for (const AllergyItem& allergy : allergies) {
    const Allergy* record_allergy = find_allergy(ctx.record, allergy.key);
    std::vector<std::string> named;  // ingredients the allergy itself names
    if (record_allergy) {
      for (const auto& m : ctx.kb.ingredients_of(record_allergy->code)) named.push_back(m.ingredient->name);
    }
    for (const MedicationItem& med : medications) {
      std::string why, source;
      for (const std::string& group_id : allergy.groups) {
        for (const knowledge::AllergyGroup& g : ctx.kb.allergy_groups) {
          if (g.id != group_id || !why.empty()) continue;
          for (std::size_t i = 0; i < med.class_ids.size(); ++i) {
            if (contains(g.conflicts_with, med.class_ids[i])) {
              why = ", which is one of the " + g.plain;
              source = g.source;
              break;
            }
          }
        }
      }
      if (why.empty()) {
        for (const std::string& ing : med.ingredients) {
          if (contains(named, ing)) {
            why = ", which contains " + ing + ", the medicine the allergy names";
            source = "The allergy record names the same ingredient (RxNorm ingredient match)";
            break;
          }
        }
      }
      if (why.empty()) continue;
      Insight in;
      in.kind = "medication-allergy-conflict";
      in.id = "medication-allergy-conflict:" + allergy.key + ":" + med.key;
      in.severity = "urgent";
      in.title = "Allergy and medicine may not go together";
      in.text = "Your records list an allergy (" + lower_first(allergy.plain) + ") and a current medicine, " + med.name +
                why + ". Please check with your clinician or pharmacist before taking it; the allergy record may "
                "also need updating if you have taken it safely.";
      in.source = source;
      in.evidence.push_back(EvidenceRef{"allergy", allergy.key, allergy.plain, allergy.recorded, allergy.criticality});
      in.evidence.push_back(EvidenceRef{"medication", med.key, med.name, med.since, med.status});
      in.question = "My records list an allergy to " + lower_first(allergy.plain) + " and a prescription for " + med.name +
                    ". Is this medicine safe for me?";
      out.push_back(std::move(in));
    }
  }
}

}  // namespace chartlock::summary
