// SPDX-License-Identifier: Apache-2.0
// One reader per modeled resource type. Each fills one item of the record
// model from a resource object, reporting problems as it goes.
#pragma once

#include <string_view>

#include "fhir/source_draft.hpp"

namespace chartlock::fhir {

struct ResourceInput {
  Diagnostics& d;
  SourceDraft& draft;
  const Fields& resource;  // its members, read in one walk
  const Path& at;
  ItemBase base;       // provenance and raw JSON, moved into the item
  std::size_t index;   // where the item will land in its list

  // Queue a reference held by the item being read, to resolve once the whole
  // source has been read (the target may come later in the source).
  void ref(Kind kind, RefSlot slot, std::string_view reference, const Path& pointer,
           std::size_t position = 0) {
    draft.add_ref(kind, index, slot, reference, pointer, position);
  }
  // The same for Reference field `key` of the resource, when it has one.
  void ref_field(Kind kind, RefSlot slot, std::string_view key) {
    if (auto r = get_reference_text(d, resource, key, at)) ref(kind, slot, *r, at / key);
  }
  // Report a required element as absent.
  void missing(std::string_view resource_type, std::string_view element) {
    d.warn(DiagnosticCode::missing_required, at,
           std::string(resource_type) + "." + std::string(element) + " is required but absent");
  }
};

// Each returns false when the resource lacks what makes it meaningful (an
// Observation without a code…); the caller then keeps it as an OtherResource.
using ResourceReader = bool (*)(ResourceInput&);

bool read_patient(ResourceInput& in);
bool read_condition(ResourceInput& in);
bool read_observation(ResourceInput& in);
bool read_medication_request(ResourceInput& in);
bool read_medication_statement(ResourceInput& in);
bool read_allergy(ResourceInput& in);
bool read_immunization(ResourceInput& in);
bool read_procedure(ResourceInput& in);
bool read_encounter(ResourceInput& in);
bool read_report(ResourceInput& in);
bool read_document(ResourceInput& in);

// An Attachment (DocumentReference.content, DiagnosticReport.presentedForm),
// its data read as a note's text (text/note_text.hpp).
Attachment read_attachment(Diagnostics& d, const Fields& a, const Path& at);
bool read_care_plan(ResourceInput& in);
bool read_goal(ResourceInput& in);

struct ReaderEntry {
  std::string_view resource_type;
  Kind kind;
  ResourceReader read;
};
// The reader for a resourceType, or null for types kept as OtherResource.
const ReaderEntry* find_reader(std::string_view resource_type);

}  // namespace chartlock::fhir
