// SPDX-License-Identifier: Apache-2.0
// What one source yields before it is merged into the record: its items, an
// index of every resource it held (to resolve references), and the references
// still to resolve. The index's and the references' texts are handles into
// the draft's own TextArena: one copy, packed, instead of a string each (a
// million-resource export held about 416 MiB of them beside its record:
// docs/performance.md, fifth round), or, for a resource's type, id and
// fullUrl, its item's own provenance (eighth round).
#pragma once

#include <array>
#include <cassert>
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

// One resource read from the source: 8 bytes. Its type, id and fullUrl are
// those of the item it names (its provenance holds the same texts: not
// copied again, about 36 MiB of ids for a million-resource export,
// docs/performance.md, eighth round), unless `own`: then they are the
// draft's `own_texts` (a C-CDA document's made-up fullUrls). The numbers
// are 32 bits (the reference index refuses a source of more than a billion
// resources, the resource limit far fewer). Whose it is (its subject) is
// kept by runs of entries (SourceDraft::subject): most of a source's
// resources name one patient, where a field of every entry was 4 MiB for a
// million-resource export.
struct ResourceEntry {
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
  // Pending: how its text is held (SourceDraft::reference_text): kText, its
  // characters in `ref_text`; kUuid, packed there (a prefix's number and a
  // UUID's 16 bytes); kTarget + p, not held at all: it is prefix p, then
  // the type, '/' and id of the entry `reference_or_target`, which it was
  // seen to name as it was read.
  std::uint8_t held = kText;
  std::uint32_t index;
  // Pending: the reference's text in the draft's `ref_text` (or, kTarget,
  // the entry that spells it); found: the entry it names. One field, as the
  // two are never needed at once.
  std::uint32_t reference_or_target;
  TextHandle pointer;  // of the Reference element, for diagnostics; in `text`

  static constexpr std::uint8_t kText = 0, kUuid = 1, kTarget = 2;

  TextHandle reference() const { return TextHandle{reference_or_target}; }
  std::uint32_t target() const { return reference_or_target; }
};

// A canonical UUID (36 characters: 8-4-4-4-12 lowercase hex digits) as its
// 16 bytes, and back. Only that one spelling packs, so packing is a
// bijection and a packed reference compares exactly as its text would;
// any other (uppercase, braces, a digit short) is held as text.
bool pack_uuid(std::string_view text, unsigned char out[16]) noexcept;
void unpack_uuid(const unsigned char in[16], char out[36]) noexcept;

class SeenResources;

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
  // Whose entries[entry] is: its subject.reference, else its
  // patient.reference ("" if neither), in `text`.
  TextHandle subject(std::uint32_t entry) const;
  // Its type alone, as a string held by the draft (or "Patient"): counted
  // by name without a string built.
  const std::string& type_name(std::uint32_t entry) const;

  // While a reader reads into the draft, the resources it has read (nullptr
  // otherwise): a reference to one of them is held as that entry, not as
  // its text (add_ref).
  void look_up_targets(const SeenResources* seen) noexcept { seen_ = seen; }
  // A reference to resolve once the source is read: its pointer copied into
  // `text`; its text, when it is a prefix then the type, '/' and id of a
  // resource read already (`look_up_targets`), held as that entry, else
  // copied into `ref_text` (packed when it ends in a canonical UUID).
  void add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
               std::string_view pointer, std::size_t position = 0);
  // The same with the pointer written from its path, into a buffer reused
  // from one reference to the next rather than a string each.
  void add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
               const json::Path& pointer, std::size_t position = 0);
  // Sets each reference's outcome (`find`: the reference's text → its
  // outcome and entry, as merge::ReferenceIndex::find), then frees the
  // references' texts. `no_full_urls`: no entry has a fullUrl, so a
  // reference held as its target is found as that entry without asking.
  // The index finds such a text (no '?', no "/_history/", a prefix, type,
  // '/' and id) by the first entry with that type and id, and that is its
  // target: one read later with the same type and id is a repeat, not read.
  template <class Find>
  void resolve_refs(Find find, bool no_full_urls = false) {
    std::string scratch;
    // A reference with the handle of the one before it (add_ref gives a run
    // of equal references one) is the same text: its answer is taken again.
    // The same holds for one held as the entry it names: its text is
    // spelled from that entry, and the index finds it as it finds any other,
    // so the answer is the one its text would have had.
    std::uint32_t held = TextHandle::kEmpty;
    std::uint8_t held_as = PendingRef::kText;
    RefOutcome outcome = RefOutcome::pending;
    std::uint32_t target = TextHandle::kEmpty;
    for (PendingRef& r : refs) {
      if (r.outcome != RefOutcome::pending) continue;
      if (no_full_urls && r.held >= PendingRef::kTarget) {
        // The rule above rests on the reader (a type and id read once) and
        // the index (the first entry with them): a debug build asks the
        // index as for any other reference and holds the two to agree.
        assert(([&] {
          const auto [o, t] = find(reference_text(r, scratch));
          return o == RefOutcome::found && t == r.reference_or_target;
        }()));
        r.outcome = RefOutcome::found;  // reference_or_target is its entry already
        r.held = PendingRef::kText;
        continue;
      }
      if (outcome == RefOutcome::pending || r.reference_or_target != held || r.held != held_as) {
        held = r.reference_or_target;
        held_as = r.held;
        const auto [o, t] = find(reference_text(r, scratch));
        outcome = o;
        target = o == RefOutcome::found ? t : TextHandle::kEmpty;
      }
      r.outcome = outcome;
      r.reference_or_target = target;
      r.held = PendingRef::kText;
    }
    free_ref_texts();
  }
  // For the `name` reference refs[ref]: which of its item's names it fills
  // (Document.authors), 0 unless added with one. Read before the references
  // are compacted (their numbers then change) and freed.
  std::uint32_t position(std::size_t ref) const;
  // A pending reference's text, as it was added: in `ref_text`, or, held
  // packed or as its target, written into `scratch` (valid until it changes).
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
  // (first entry, subject) of each run of entries with one subject, by entry.
  std::vector<std::pair<std::uint32_t, TextHandle>> subjects_;
  // (reference number, position) of the references added with a position
  // other than 0, by reference number: a few authors' references, where a
  // field of every reference was 4 MiB for a million-resource export.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> positions_;
  // The texts before the UUIDs of packed references and before the types
  // of references held as their targets, by number.
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
  TextHandle last_subject_, last_pointer_;
  // A reference's pointer held once for a few recent ones, not only the
  // last: an NDJSON line's pointers repeat from line to line ("/result/0",
  // "/hasMember/2", "/encounter"), not one after the other. Direct-mapped
  // by the pointer's length, second and last two characters, each compared
  // as text before it is taken; a miss only copies it (a Bundle's pointers,
  // which name their entry, never repeat).
  TextHandle pointer_handle(std::string_view pointer);
  static constexpr std::size_t kRecentPointers = 256;
  std::array<TextHandle, kRecentPointers> recent_pointers_{};
  std::size_t last_prefix_ = 0;
  // A reference held as the entry of the resource it spells, when it is
  // one read already: how it is held (kTarget + its prefix's number) and
  // the entry, or false.
  bool held_as_target(std::string_view reference, std::uint8_t& held, std::uint32_t& entry);
  const SeenResources* seen_ = nullptr;
  // The last reference added, as it came, and how it was held: one equal to
  // it is held the same, not looked up, packed nor copied again.
  std::string last_reference_text_;
  std::uint8_t last_held_ = PendingRef::kText;
  std::uint32_t last_held_value_ = TextHandle::kEmpty;
  bool have_last_ = false;
  std::string pointer_scratch_;
};

}  // namespace chartlock::fhir
