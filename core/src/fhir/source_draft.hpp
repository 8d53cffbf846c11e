// SPDX-License-Identifier: Apache-2.0
// What one source yields before it is merged into the record: its items, an
// index of every resource it held (to resolve references), and the references
// still to resolve. The index's and the references' texts are handles into
// the draft's own TextArena: one copy, packed, instead of a string each (a
// million-resource export held about 416 MiB of them beside its record:
// docs/performance.md, fifth round), or, for a resource's type, id and
// fullUrl, its item's own provenance (eighth round).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chartlock/interned.hpp"
#include "chartlock/record.hpp"
#include "fhir/datatypes.hpp"
#include "fhir/text_arena.hpp"
#include "json/json_path.hpp"

namespace chartlock::fhir {

// Which list of the record an item belongs to.
enum class Kind : std::uint8_t {
  condition, observation, medication, allergy, immunization, procedure, encounter,
  report, document, care_plan, goal, other, patient,
};
inline constexpr std::size_t kind_count = 13;

const char* kind_name(Kind kind);  // the resourceType(s) it holds, for messages

// One resource read from the source: 12 bytes. Its type, id and fullUrl are
// those of the item it names (its provenance holds the same texts: not
// copied again, about 36 MiB of ids for a million-resource export,
// docs/performance.md, eighth round), unless `own`: then they are the
// draft's `own_texts` (a C-CDA document's made-up fullUrls). The numbers
// are 32 bits (the reference index refuses a source of more than a billion
// resources, the resource limit far fewer).
struct ResourceEntry {
  TextHandle subject;  // whose it is: subject.reference, else patient.reference ("" if neither); in `text`
  std::uint32_t index;  // into the draft's list for `kind`
  Kind kind;
  bool own = false;
};

// An entry's texts, as the reference index and the set of resources read
// see them: valid until the draft's items or texts change.
struct ResourceTexts {
  std::string_view type, id, full_url;
};

// `name`: an author or service provider named only by a reference, to
// Practitioner, Organization or Location, whose name is put in its place.
enum class RefSlot : std::uint8_t { encounter, member, result, medication, name };

// What a reference was found to name, once its source is read (also what
// merge::ReferenceIndex::find answers, never `pending`).
enum class RefOutcome : std::uint8_t { pending, found, dangling, conditional };

// 16 bytes (a document's author's place is kept aside: SourceDraft::position).
struct PendingRef {
  Kind kind;           // the item that holds the reference
  RefSlot slot;
  RefOutcome outcome = RefOutcome::pending;
  // Pending: its text held packed (a prefix's number and a UUID's 16 bytes,
  // SourceDraft::reference_text), not as its characters.
  bool packed = false;
  std::uint32_t index;
  // Pending: the reference's text, in the draft's `ref_text`; found: the
  // entry it names. One field, as the two are never needed at once.
  std::uint32_t reference_or_target;
  TextHandle pointer;  // of the Reference element, for diagnostics; in `text`

  TextHandle reference() const { return TextHandle{reference_or_target}; }
  std::uint32_t target() const { return reference_or_target; }
};

// A canonical UUID (36 characters: 8-4-4-4-12 lowercase hex digits) as its
// 16 bytes, and back. Only that one spelling packs, so packing is a
// bijection and a packed reference compares exactly as its text would;
// any other (uppercase, braces, a digit short) is held as text.
bool pack_uuid(std::string_view text, unsigned char out[16]) noexcept;
void unpack_uuid(const unsigned char in[16], char out[36]) noexcept;

struct SourceDraft : ItemLists {
  std::vector<Patient> patients;  // merged into the record's one patient

  // Medication resources (kept in `other`) by their index there: their code,
  // for MedicationRequest.medicationReference.
  std::unordered_map<std::size_t, CodeableConcept> medication_codes;
  // Practitioner, Organization and Location resources (in `other`) by their
  // index there: the name to show where an item points at one.
  std::unordered_map<std::size_t, std::string> names;

  std::vector<ResourceEntry> entries;
  // The texts of the entries that hold their own, by entry number (none
  // past the last such entry; unused where an entry is not `own`).
  struct OwnTexts {
    Interned type;
    TextHandle id, fullUrl;
  };
  std::vector<OwnTexts> own_texts;
  std::vector<PendingRef> refs;
  // The characters of the entries' texts and the references' pointers. A
  // draft may be moved, never copied.
  TextArena text;
  // The references' own texts: freed as soon as the source is read and they
  // are resolved (resolve_refs), not held through attribution and merging.
  // One that ends in a canonical UUID is held packed: the number of the
  // text before it (a few kept once) and the UUID's 16 bytes, 18 bytes
  // here instead of 47 for "Encounter/" and a UUID.
  TextArena ref_text;

  std::size_t size(Kind kind) const;

  // Adds the entry of a resource read whose item is already in the draft
  // (the last of its list): its type, id and fullUrl are the item's
  // provenance; `subject` is copied into `text`.
  void add_entry(Kind kind, std::size_t index, std::string_view subject = {});
  // Adds an entry with texts of its own, copied into `text` (its item may
  // come later, or spell them otherwise).
  void add_entry(Interned type, std::string_view id, std::string_view full_url, Kind kind, std::size_t index,
                 std::string_view subject = {});
  // The type, id and fullUrl of entries[entry], valid until the draft's
  // items change. A Patient's provenance is moved out by merge_patients
  // (before the links are checked): its type is still "Patient", its id and
  // fullUrl are not to be read then.
  ResourceTexts texts(std::uint32_t entry) const;
  // Its type alone, as a string held by the draft (or "Patient"): counted
  // by name without a string built.
  const std::string& type_name(std::uint32_t entry) const;

  // A reference to resolve once the source is read: its text copied into
  // `ref_text` (packed when it ends in a canonical UUID), its pointer into `text`.
  void add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
               std::string_view pointer, std::size_t position = 0);
  // The same with the pointer written from its path, into a buffer reused
  // from one reference to the next rather than a string each.
  void add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
               const json::Path& pointer, std::size_t position = 0);
  // Sets each reference's outcome (`find`: the reference's text → its
  // outcome and entry, as merge::ReferenceIndex::find), then frees the
  // references' texts.
  template <class Find>
  void resolve_refs(Find find) {
    std::string scratch;
    // A reference with the handle of the one before it (add_ref gives a run
    // of equal references one) is the same text: its answer is taken again.
    TextHandle held{};
    bool held_packed = false;
    RefOutcome outcome = RefOutcome::pending;
    std::uint32_t target = TextHandle::kEmpty;
    for (PendingRef& r : refs) {
      if (r.outcome != RefOutcome::pending) continue;
      if (outcome == RefOutcome::pending || r.reference() != held || r.packed != held_packed) {
        held = r.reference();
        held_packed = r.packed;
        const auto [o, t] = find(reference_text(r, scratch));
        outcome = o;
        target = o == RefOutcome::found ? t : TextHandle::kEmpty;
      }
      r.outcome = outcome;
      r.reference_or_target = target;
      r.packed = false;
    }
    free_ref_texts();
  }
  // For the `name` reference refs[ref]: which of its item's names it fills
  // (Document.authors), 0 unless added with one. Read before the references
  // are compacted (their numbers then change) and freed.
  std::uint32_t position(std::size_t ref) const;
  // A pending reference's text, as it was added: in `ref_text`, or, held
  // packed, written into `scratch` (valid until it changes).
  std::string_view reference_text(const PendingRef& r, std::string& scratch) const;
  // Frees the entries and the texts, once the references are resolved.
  void free_entries();
  // Frees the entries, the references and their texts, once they are resolved.
  void free_index();

 private:
  // Most of a source's resources name the same patient, many observations in
  // a row the same encounter, and an NDJSON line's pointers repeat: a text
  // equal to the last one of its field is not copied again.
  TextHandle repeated(TextArena& in, std::string_view s, TextHandle& last);
  // (reference number, position) of the references added with a position
  // other than 0, by reference number: a few authors' references, where a
  // field of every reference was 4 MiB for a million-resource export.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> positions_;
  // The texts before the UUIDs of packed references, by number.
  std::vector<std::string> ref_prefixes_;
  // The number of a packed reference's prefix in `ref_prefixes_`, added if
  // new; -1 once there are kMaxPrefixes (the rest are held as text).
  int prefix_number(std::string_view prefix);
  void free_ref_texts();
  // Few: a source's references name a few dozen types, under one or two
  // bases; each new prefix is looked for among them all.
  static constexpr std::size_t kMaxPrefixes = 32;
  // The provenance of the item an entry names (nullptr if it has none).
  const Provenance* provenance(const ResourceEntry& e) const;
  TextHandle last_subject_, last_reference_, last_pointer_;
  std::size_t last_prefix_ = 0;
  // The last reference added, as it came, and whether it was packed: one
  // equal to it takes its handle, not packed nor copied again.
  std::string last_reference_text_;
  bool last_packed_ = false;
  std::string pointer_scratch_;
};

}  // namespace chartlock::fhir
