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

namespace {

// `f` applied to the draft's list for `kind`: the one switch over the kinds
// that every question about an entry's list goes through.
template <class F>
auto with_list(const SourceDraft& d, Kind kind, F&& f) {
  switch (kind) {
    case Kind::condition: return f(d.conditions);
    case Kind::observation: return f(d.observations);
    case Kind::medication: return f(d.medications);
    case Kind::allergy: return f(d.allergies);
    case Kind::immunization: return f(d.immunizations);
    case Kind::procedure: return f(d.procedures);
    case Kind::encounter: return f(d.encounters);
    case Kind::report: return f(d.reports);
    case Kind::document: return f(d.documents);
    case Kind::care_plan: return f(d.carePlans);
    case Kind::goal: return f(d.goals);
    case Kind::other: return f(d.other);
    case Kind::patient: return f(d.patients);
  }
  return decltype(f(d.other)){};
}

template <class T>
const Provenance* first_source(const std::vector<T>& list, std::uint32_t index) {
  if (index >= list.size() || list[index].sources.empty()) return nullptr;
  return &list[index].sources.front();
}

}  // namespace

std::size_t SourceDraft::size(Kind kind) const {
  return with_list(*this, kind, [](const auto& list) { return list.size(); });
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

const Provenance* SourceDraft::provenance(const ResourceEntry& e) const {
  return with_list(*this, e.kind, [&e](const auto& list) { return first_source(list, e.index); });
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
  return {type, p->id(), p->fullUrl()};
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
