// SPDX-License-Identifier: Apache-2.0
// What one source yields before it is merged into the record: its items, an
// index of every resource it held (to resolve references), and the references
// still to resolve.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "chartlock/record.hpp"
#include "fhir/datatypes.hpp"

namespace chartlock::fhir {

// Which list of the record an item belongs to.
enum class Kind {
  condition, observation, medication, allergy, immunization, procedure, encounter,
  report, document, care_plan, goal, other, patient,
};
inline constexpr std::size_t kind_count = 13;

const char* kind_name(Kind kind);  // the resourceType(s) it holds, for messages

// One resource read from the source.
struct ResourceEntry {
  std::string type;
  std::string id;
  std::string fullUrl;
  Kind kind;
  std::size_t index;  // into the draft's list for `kind`
  std::string subject;  // whose it is: subject.reference, else patient.reference ("" if neither)
};

// `name`: an author or service provider named only by a reference, to
// Practitioner, Organization or Location, whose name is put in its place.
enum class RefSlot { encounter, member, result, medication, name };

struct PendingRef {
  Kind kind;           // the item that holds the reference
  std::size_t index;
  RefSlot slot;
  RawReference ref;
  std::size_t position = 0;  // for `name`: which of the item's names (Document.authors)
};

struct SourceDraft : ItemLists {
  std::vector<Patient> patients;  // merged into the record's one patient

  // Medication resources (kept in `other`) by their index there: their code,
  // for MedicationRequest.medicationReference.
  std::unordered_map<std::size_t, CodeableConcept> medication_codes;
  // Practitioner, Organization and Location resources (in `other`) by their
  // index there: the name to show where an item points at one.
  std::unordered_map<std::size_t, std::string> names;

  std::vector<ResourceEntry> entries;
  std::vector<PendingRef> refs;

  std::size_t size(Kind kind) const;
};

}  // namespace chartlock::fhir
