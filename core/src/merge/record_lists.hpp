// SPDX-License-Identifier: Apache-2.0
// Typed access to the lists of items (of the Record or of a SourceDraft), so
// merging can be written once for every kind of item.
#pragma once

#include <utility>

#include "chartlock/record.hpp"
#include "fhir/source_draft.hpp"

namespace chartlock::merge {

template <class T> struct KindOf;
#define CHARTLOCK_KIND(T, K, member, prefix)                                   \
  template <> struct KindOf<T> {                                               \
    static constexpr fhir::Kind kind = fhir::Kind::K;                          \
    static constexpr const char* key_prefix = prefix;                          \
    static std::vector<T>& of(ItemLists& lists) { return lists.member; }       \
  };
CHARTLOCK_KIND(Condition, condition, conditions, "cond")
CHARTLOCK_KIND(Observation, observation, observations, "obs")
CHARTLOCK_KIND(Medication, medication, medications, "med")
CHARTLOCK_KIND(Allergy, allergy, allergies, "allergy")
CHARTLOCK_KIND(Immunization, immunization, immunizations, "imm")
CHARTLOCK_KIND(Procedure, procedure, procedures, "proc")
CHARTLOCK_KIND(Encounter, encounter, encounters, "enc")
CHARTLOCK_KIND(Report, report, reports, "report")
CHARTLOCK_KIND(Document, document, documents, "doc")
CHARTLOCK_KIND(CarePlan, care_plan, carePlans, "plan")
CHARTLOCK_KIND(Goal, goal, goals, "goal")
CHARTLOCK_KIND(OtherResource, other, other, "res")
#undef CHARTLOCK_KIND

// Calls f(list) with each list of items (of a Record or a SourceDraft; not
// a draft's patients).
template <class F>
void for_each_list(ItemLists& lists, F&& f) {
  f(lists.conditions), f(lists.observations), f(lists.medications), f(lists.allergies);
  f(lists.immunizations), f(lists.procedures), f(lists.encounters), f(lists.reports);
  f(lists.documents), f(lists.carePlans), f(lists.goals), f(lists.other);
}

// Calls f(item) with the record's item of `kind` at `index` (not for patients).
template <class F>
void visit_item(Record& r, fhir::Kind kind, std::size_t index, F&& f) {
  using fhir::Kind;
  switch (kind) {
    case Kind::condition: f(r.conditions[index]); break;
    case Kind::observation: f(r.observations[index]); break;
    case Kind::medication: f(r.medications[index]); break;
    case Kind::allergy: f(r.allergies[index]); break;
    case Kind::immunization: f(r.immunizations[index]); break;
    case Kind::procedure: f(r.procedures[index]); break;
    case Kind::encounter: f(r.encounters[index]); break;
    case Kind::report: f(r.reports[index]); break;
    case Kind::document: f(r.documents[index]); break;
    case Kind::care_plan: f(r.carePlans[index]); break;
    case Kind::goal: f(r.goals[index]); break;
    case Kind::other: f(r.other[index]); break;
    case Kind::patient: f(r.patient); break;
  }
}

}  // namespace chartlock::merge
