// SPDX-License-Identifier: Apache-2.0
#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::condition: return "Condition";
    case Kind::observation: return "Observation";
    case Kind::medication: return "MedicationRequest or MedicationStatement";
    case Kind::allergy: return "AllergyIntolerance";
    case Kind::immunization: return "Immunization";
    case Kind::procedure: return "Procedure";
    case Kind::encounter: return "Encounter";
    case Kind::report: return "DiagnosticReport";
    case Kind::document: return "DocumentReference";
    case Kind::care_plan: return "CarePlan";
    case Kind::goal: return "Goal";
    case Kind::other: return "resource";
    case Kind::patient: return "Patient";
  }
  return "resource";
}

std::size_t SourceDraft::size(Kind kind) const {
  switch (kind) {
    case Kind::condition: return conditions.size();
    case Kind::observation: return observations.size();
    case Kind::medication: return medications.size();
    case Kind::allergy: return allergies.size();
    case Kind::immunization: return immunizations.size();
    case Kind::procedure: return procedures.size();
    case Kind::encounter: return encounters.size();
    case Kind::report: return reports.size();
    case Kind::document: return documents.size();
    case Kind::care_plan: return carePlans.size();
    case Kind::goal: return goals.size();
    case Kind::other: return other.size();
    case Kind::patient: return patients.size();
  }
  return 0;
}

TextHandle SourceDraft::repeated(TextArena& in, std::string_view s, TextHandle& last) {
  if (s != in[last]) last = in.add(s);
  return last;
}

ResourceEntry SourceDraft::entry(Interned type, std::string_view id, std::string_view full_url, Kind kind,
                                 std::size_t index, std::string_view subject) {
  return ResourceEntry{std::move(type), text.add(id), text.add(full_url), repeated(text, subject, last_subject_),
                       static_cast<std::uint32_t>(index), kind};
}

void SourceDraft::add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
                          std::string_view pointer, std::size_t position) {
  refs.push_back(PendingRef{kind, slot, RefOutcome::pending, static_cast<std::uint32_t>(index),
                            static_cast<std::uint32_t>(position), repeated(ref_text, reference, last_reference_).at,
                            repeated(text, pointer, last_pointer_)});
}

void SourceDraft::add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
                          const json::Path& pointer, std::size_t position) {
  pointer.assign_to(pointer_scratch_);
  add_ref(kind, index, slot, reference, std::string_view(pointer_scratch_), position);
}

void SourceDraft::free_entries() {
  std::vector<ResourceEntry>().swap(entries);
  last_subject_ = last_reference_ = last_pointer_ = TextHandle{};
  text.clear();
  ref_text.clear();
  std::string().swap(pointer_scratch_);
}

void SourceDraft::free_index() {
  free_entries();
  std::vector<PendingRef>().swap(refs);
}

}  // namespace chartlock::fhir
