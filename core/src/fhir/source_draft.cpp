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

void SourceDraft::add_entry(Kind kind, std::size_t index, std::string_view subject) {
  entries.push_back(ResourceEntry{repeated(text, subject, last_subject_), static_cast<std::uint32_t>(index), kind});
}

void SourceDraft::add_entry(Interned type, std::string_view id, std::string_view full_url, Kind kind,
                            std::size_t index, std::string_view subject) {
  own_texts.resize(entries.size() + 1);
  own_texts.back() = OwnTexts{std::move(type), text.add(id), text.add(full_url)};
  add_entry(kind, index, subject);
  entries.back().own = true;
}

namespace {

template <class T>
const Provenance* first_source(const std::vector<T>& list, std::uint32_t index) {
  if (index >= list.size() || list[index].sources.empty()) return nullptr;
  return &list[index].sources.front();
}

}  // namespace

const Provenance* SourceDraft::provenance(const ResourceEntry& e) const {
  switch (e.kind) {
    case Kind::condition: return first_source(conditions, e.index);
    case Kind::observation: return first_source(observations, e.index);
    case Kind::medication: return first_source(medications, e.index);
    case Kind::allergy: return first_source(allergies, e.index);
    case Kind::immunization: return first_source(immunizations, e.index);
    case Kind::procedure: return first_source(procedures, e.index);
    case Kind::encounter: return first_source(encounters, e.index);
    case Kind::report: return first_source(reports, e.index);
    case Kind::document: return first_source(documents, e.index);
    case Kind::care_plan: return first_source(carePlans, e.index);
    case Kind::goal: return first_source(goals, e.index);
    case Kind::other: return first_source(other, e.index);
    case Kind::patient: return first_source(patients, e.index);
  }
  return nullptr;
}

// Only the Patient reader gives an entry Kind::patient: its type is
// "Patient" even once merge_patients has moved the provenance out (the
// type read from it would be "").
ResourceTexts SourceDraft::texts(std::uint32_t entry) const {
  const ResourceEntry& e = entries[entry];
  if (e.own) {
    const OwnTexts& o = own_texts[entry];
    return {o.type.view(), text[o.id], text[o.fullUrl]};
  }
  const Provenance* p = provenance(e);
  const std::string_view type = e.kind == Kind::patient ? "Patient" : p ? p->resourceType.view() : "";
  if (!p) return {type, {}, {}};
  return {type, p->id, p->fullUrl};
}

const std::string& SourceDraft::type_name(std::uint32_t entry) const {
  static const std::string patient = "Patient", none;
  const ResourceEntry& e = entries[entry];
  if (e.own) return own_texts[entry].type.str();
  if (e.kind == Kind::patient) return patient;
  const Provenance* p = provenance(e);
  return p ? p->resourceType.str() : none;
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
  std::vector<OwnTexts>().swap(own_texts);
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
