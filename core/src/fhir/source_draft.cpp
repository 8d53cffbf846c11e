// SPDX-License-Identifier: Apache-2.0
#include "fhir/source_draft.hpp"

#include <algorithm>
#include <iterator>

#include "fhir/reference_path.hpp"
#include "fhir/seen_resources.hpp"

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
  const TextHandle s = repeated(text, subject, last_subject_);
  if (subjects_.empty() || subjects_.back().second != s) subjects_.emplace_back(static_cast<std::uint32_t>(entries.size()), s);
  entries.push_back(ResourceEntry{static_cast<std::uint32_t>(index), kind});
}

TextHandle SourceDraft::subject(std::uint32_t entry) const {
  // The last run that starts at or before it.
  const auto after = std::upper_bound(subjects_.begin(), subjects_.end(), entry,
                                      [](std::uint32_t e, const auto& run) { return e < run.first; });
  return after == subjects_.begin() ? TextHandle{} : std::prev(after)->second;
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

namespace {

// Where each of a UUID's 16 bytes is spelled (its high digit; the low one
// follows), between the dashes at 8, 13, 18 and 23.
constexpr std::uint8_t kDigitAt[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

// A lowercase hex digit's value; 0x10 for any other byte (uppercase too:
// it would not unpack to the same text).
struct HexValues {
  std::uint8_t of[256];
  constexpr HexValues() : of() {
    for (int c = 0; c < 256; ++c) of[c] = 0x10;
    for (int c = '0'; c <= '9'; ++c) of[c] = static_cast<std::uint8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) of[c] = static_cast<std::uint8_t>(c - 'a' + 10);
  }
};
constexpr HexValues kHex;

}  // namespace

// A table and no branch per digit: most references of a source are looked
// at here (callgrind, the 10 MB patient: 3.4 M instructions, where a branch
// per character took 6.5 M).
bool pack_uuid(std::string_view text, unsigned char out[16]) noexcept {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return false;
  unsigned bad = 0;
  for (std::size_t n = 0; n < 16; ++n) {
    const unsigned hi = kHex.of[static_cast<unsigned char>(text[kDigitAt[n]])];
    const unsigned lo = kHex.of[static_cast<unsigned char>(text[kDigitAt[n] + 1])];
    bad |= hi | lo;
    out[n] = static_cast<unsigned char>(hi << 4 | (lo & 0xf));
  }
  return (bad & 0x10) == 0;
}

void unpack_uuid(const unsigned char in[16], char out[36]) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  out[8] = out[13] = out[18] = out[23] = '-';
  for (std::size_t n = 0; n < 16; ++n) {
    out[kDigitAt[n]] = digits[in[n] >> 4];
    out[kDigitAt[n] + 1] = digits[in[n] & 0xf];
  }
}

int SourceDraft::prefix_number(std::string_view prefix) {
  if (last_prefix_ < ref_prefixes_.size() && ref_prefixes_[last_prefix_] == prefix) return static_cast<int>(last_prefix_);
  for (std::size_t i = 0; i < ref_prefixes_.size(); ++i) {
    if (ref_prefixes_[i] == prefix) return static_cast<int>(last_prefix_ = i);
  }
  if (ref_prefixes_.size() == kMaxPrefixes) return -1;
  ref_prefixes_.emplace_back(prefix);
  return static_cast<int>(last_prefix_ = ref_prefixes_.size() - 1);
}

bool SourceDraft::held_as_target(std::string_view reference, std::uint8_t& held, std::uint32_t& entry) {
  // A Bundle's urn:uuid references and contained ones (#id) are never a
  // type and id: not looked for (nor walked back for a '/', which cost the
  // 10 MB patient's 28,000 references 1.5 M instructions).
  if (reference.empty() || reference[0] == '#' || reference.compare(0, 4, "urn:") == 0) return false;
  // Nor a conditional or versioned one: the index reads those otherwise,
  // and one held as its target is known to be found by its type and id
  // alone when no resource has a fullUrl (resolve_refs).
  if (reference.find('?') != std::string_view::npos || reference.find("/_history/") != std::string_view::npos) {
    return false;
  }
  // Split as ReferenceIndex::find splits a path.
  const auto split = split_type_and_id(reference);
  if (!split || split->type.empty() || split->id.empty()) return false;
  const std::string_view type = split->type;
  const std::string_view id = split->id;
  const std::uint32_t found = seen_->find(SeenResources::key(type, id, {}));
  if (found == SeenResources::kNone) return false;
  // A resource without an id is seen by its fullUrl, whose characters may
  // be these: only one whose own type and id are these spells the reference.
  const ResourceTexts t = texts(found);
  if (t.type != type || t.id != id) return false;
  const int p = prefix_number(reference.substr(0, split->type_start));
  if (p < 0) return false;
  held = static_cast<std::uint8_t>(PendingRef::kTarget + p);
  entry = found;
  return true;
}

void SourceDraft::add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
                          std::string_view pointer, std::size_t position) {
  // A reference equal to the last one (a run of observations naming one
  // encounter) is held as it was.
  if (!have_last_ || reference != last_reference_text_) {
    last_held_ = PendingRef::kText;
    if (seen_ == nullptr || !held_as_target(reference, last_held_, last_held_value_)) {
      // Packed: a prefix's number, then the UUID's bytes. A text held plain
      // may have the same bytes: each reference says which it is.
      unsigned char packed[17];
      std::string_view held = reference;
      if (reference.size() >= 36 && pack_uuid(reference.substr(reference.size() - 36), packed + 1)) {
        if (const int p = prefix_number(reference.substr(0, reference.size() - 36)); p >= 0) {
          packed[0] = static_cast<unsigned char>(p);
          held = std::string_view(reinterpret_cast<const char*>(packed), sizeof packed);
          last_held_ = PendingRef::kUuid;
        }
      }
      last_held_value_ = ref_text.add(held).at;
    }
    last_reference_text_.assign(reference.data(), reference.size());
    have_last_ = true;
  }
  if (position != 0) positions_.emplace_back(static_cast<std::uint32_t>(refs.size()), static_cast<std::uint32_t>(position));
  refs.push_back(PendingRef{kind, slot, RefOutcome::pending, last_held_, static_cast<std::uint32_t>(index),
                            last_held_value_, pointer_handle(pointer)});
}

TextHandle SourceDraft::pointer_handle(std::string_view pointer) {
  if (pointer == text[last_pointer_]) return last_pointer_;
  // Its length, second character (the field: "/result/0", "/author/0")
  // and last two (the place in it).
  const std::size_t n = pointer.size();
  std::size_t at = n;
  if (n > 1) {
    const auto c = [&](std::size_t i) { return static_cast<unsigned char>(pointer[i]); };
    at = ((at * 131 + c(1)) * 131 + c(n - 1)) * 131 + c(n - 2);
  }
  TextHandle& held = recent_pointers_[at % kRecentPointers];
  if (text[held] != pointer) held = text.add(pointer);
  return last_pointer_ = held;
}

std::uint32_t SourceDraft::position(std::size_t ref) const {
  const auto at = std::lower_bound(positions_.begin(), positions_.end(), std::make_pair(static_cast<std::uint32_t>(ref), std::uint32_t{0}));
  return at != positions_.end() && at->first == ref ? at->second : 0;
}

std::string_view SourceDraft::reference_text(const PendingRef& r, std::string& scratch) const {
  if (r.held >= PendingRef::kTarget) {
    const ResourceTexts t = texts(r.target());
    scratch.assign(ref_prefixes_[r.held - PendingRef::kTarget]).append(t.type).append(1, '/').append(t.id);
    return scratch;
  }
  const std::string_view held = ref_text[r.reference()];
  if (r.held == PendingRef::kText) return held;
  const std::string& prefix = ref_prefixes_[static_cast<unsigned char>(held[0])];
  scratch.resize(prefix.size() + 36);
  prefix.copy(&scratch[0], prefix.size());
  unpack_uuid(reinterpret_cast<const unsigned char*>(held.data() + 1), &scratch[prefix.size()]);
  return scratch;
}

void SourceDraft::free_ref_texts() {
  ref_text.clear();
  std::vector<std::string>().swap(ref_prefixes_);
  last_prefix_ = 0;
  std::string().swap(last_reference_text_);
  last_held_ = PendingRef::kText;
  last_held_value_ = TextHandle::kEmpty;
  have_last_ = false;
}

void SourceDraft::add_ref(Kind kind, std::size_t index, RefSlot slot, std::string_view reference,
                          const json::Path& pointer, std::size_t position) {
  pointer.assign_to(pointer_scratch_);
  add_ref(kind, index, slot, reference, std::string_view(pointer_scratch_), position);
}

void SourceDraft::free_entries() {
  std::vector<ResourceEntry>().swap(entries);
  std::vector<OwnTexts>().swap(own_texts);
  std::vector<std::pair<std::uint32_t, TextHandle>>().swap(subjects_);
  last_subject_ = last_pointer_ = TextHandle{};
  recent_pointers_.fill(TextHandle{});  // their texts are gone
  text.clear();
  free_ref_texts();
  std::string().swap(pointer_scratch_);
}

void SourceDraft::free_index() {
  free_entries();
  std::vector<PendingRef>().swap(refs);
  std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(positions_);
}

}  // namespace chartlock::fhir
