#include "chartlock/ingest.hpp"

#include <simdjson.h>

#include <array>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "fhir/source_reader.hpp"
#include "merge/absorb.hpp"
#include "merge/identity.hpp"
#include "merge/record_lists.hpp"
#include "merge/reference_index.hpp"

static_assert(chartlock::json_padding >= simdjson::SIMDJSON_PADDING,
              "json_padding must cover simdjson's padding");

namespace chartlock {

using fhir::Kind;
using fhir::kind_count;

namespace {

// FNV-1a, 64-bit: a stable short key from an identity, the same natively and
// in wasm (std::hash is neither stable nor portable).
std::string hex_hash(const std::string& s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 0xf];
  return out;
}

template <class T, class = void>
struct has_encounter : std::false_type {};
template <class T>
struct has_encounter<T, std::void_t<decltype(std::declval<T&>().encounter)>> : std::true_type {};

void push_unique(std::vector<std::string>& list, const std::string& key) {
  for (const std::string& k : list) {
    if (k == key) return;
  }
  list.push_back(key);
}

}  // namespace

struct RecordBuilder::State {
  IngestOptions options;
  Record record;
  simdjson::dom::parser parser;
  std::uint32_t sources_added = 0;
  // Per kind: identity → indices of record items with it; per item, the
  // ordinals of the sources it came from (a source never merges with itself).
  std::array<std::unordered_map<std::string, std::vector<std::size_t>>, kind_count> by_identity;
  std::array<std::vector<std::vector<std::uint32_t>>, kind_count> item_sources;
  std::unordered_set<std::string> keys;

  // Where each draft item of the current source landed in the record.
  std::array<std::vector<std::size_t>, kind_count> targets;

  void add(const Source& source);

 private:
  std::string new_key(const char* prefix, const std::string& basis);
  template <class T>
  void merge_list(fhir::SourceDraft& draft, std::uint32_t ordinal);
  void merge_patients(fhir::SourceDraft& draft, fhir::Diagnostics& d);
  void resolve_medications(fhir::SourceDraft& draft, const merge::ReferenceIndex& index,
                           fhir::Diagnostics& d);
  void resolve_links(const fhir::SourceDraft& draft, const merge::ReferenceIndex& index,
                     fhir::Diagnostics& d);
  const std::string& key_of(const fhir::ResourceEntry& e);
};

std::string RecordBuilder::State::new_key(const char* prefix, const std::string& basis) {
  const std::string base = std::string(prefix) + "-" + hex_hash(basis);
  std::string key = base;
  for (int n = 2; !keys.insert(key).second; ++n) key = base + "-" + std::to_string(n);
  return key;
}

template <class T>
void RecordBuilder::State::merge_list(fhir::SourceDraft& draft, std::uint32_t ordinal) {
  using K = merge::KindOf<T>;
  const auto k = static_cast<std::size_t>(K::kind);
  std::vector<T>& items = K::of(draft);
  std::vector<T>& into = K::of(record);
  // The first source with items of a kind cannot merge with anything (a
  // source never merges with itself): its list is taken whole, so that two
  // arrays of every item are never alive at once — the peak of a large ingest.
  const bool take_whole = into.empty();
  if (!take_whole) into.reserve(into.size() + items.size());
  std::size_t next = into.size();
  targets[k].assign(items.size(), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    T& item = items[i];
    const std::optional<std::string> id = merge::identity(item);
    bool merged = false;
    if (id && !take_whole) {
      for (std::size_t candidate : by_identity[k][*id]) {
        auto& from = item_sources[k][candidate];
        if (std::find(from.begin(), from.end(), ordinal) != from.end()) continue;
        merge::absorb(into[candidate], std::move(item));
        from.push_back(ordinal);
        targets[k][i] = candidate;
        merged = true;
        break;
      }
    }
    if (merged) continue;
    // Unidentifiable items are keyed by where they came from, which is as
    // stable as the input.
    item.key = new_key(K::key_prefix, id ? *id : item.sources.front().source + "\x1f" +
                                                      item.sources.front().pointer);
    targets[k][i] = next;
    if (id) by_identity[k][*id].push_back(next);
    item_sources[k].push_back({ordinal});
    if (!take_whole) into.push_back(std::move(item));
    ++next;
  }
  if (take_whole) into = std::move(items);
  std::vector<T>().swap(items);  // moved-from husks; resolve_links reads entries and targets only
}

void RecordBuilder::State::merge_patients(fhir::SourceDraft& draft, fhir::Diagnostics& d) {
  for (Patient& p : draft.patients) {
    Patient& into = record.patient;
    if (!into.present) {
      into = std::move(p);
      into.key = "patient";
      continue;
    }
    const json::Path at(p.sources.front().pointer);
    // Values stay out of the message: it may be logged.
    if (!p.birthDate.empty() && !into.birthDate.empty() && p.birthDate != into.birthDate) {
      d.warn(DiagnosticCode::invalid_value, at,
             "this Patient's birthDate differs from the first source's: are these the same person?");
    }
    if (!p.gender.empty() && !into.gender.empty() && p.gender != into.gender) {
      d.warn(DiagnosticCode::invalid_value, at, "this Patient's gender differs from the first source's");
    }
    for (Provenance& prov : p.sources) into.sources.push_back(std::move(prov));
    if (into.name.empty()) {
      into.name = std::move(p.name);
      into.given = std::move(p.given);
      into.family = std::move(p.family);
    }
    if (into.birthDate.empty()) into.birthDate = std::move(p.birthDate);
    if (into.gender.empty()) into.gender = std::move(p.gender);
    if (!into.address) into.address = std::move(p.address);
  }
}

// medicationReference → the Medication resource's code. Runs before merging:
// the drug's code is part of the item's identity.
void RecordBuilder::State::resolve_medications(fhir::SourceDraft& draft,
                                               const merge::ReferenceIndex& index,
                                               fhir::Diagnostics& d) {
  for (const fhir::PendingRef& r : draft.refs) {
    if (r.slot != fhir::RefSlot::medication) continue;
    const json::Path at(r.ref.pointer);
    auto found = index.find(r.ref.reference);
    if (found.outcome == merge::ReferenceIndex::Outcome::dangling) {
      d.warn(DiagnosticCode::dangling_reference, at,
             "medicationReference points at nothing in this source");
      continue;
    }
    if (found.outcome != merge::ReferenceIndex::Outcome::found) continue;
    const fhir::ResourceEntry& e = draft.entries[found.entry];
    auto code = e.kind == Kind::other ? draft.medication_codes.find(e.index)
                                      : draft.medication_codes.end();
    if (code == draft.medication_codes.end()) {
      d.warn(DiagnosticCode::invalid_value, at,
             "medicationReference points at a " + e.type + ", not a Medication");
      continue;
    }
    Medication& m = draft.medications[r.index];
    std::string display = std::move(m.code.text);
    m.code = code->second;
    if (m.code.text.empty()) m.code.text = std::move(display);
  }
}

const std::string& RecordBuilder::State::key_of(const fhir::ResourceEntry& e) {
  const std::size_t target = targets[static_cast<std::size_t>(e.kind)][e.index];
  const std::string* key = nullptr;
  merge::visit_item(record, e.kind, target, [&](auto& item) { key = &item.key; });
  return *key;
}

// Encounter, hasMember and DiagnosticReport.result links, as record keys.
void RecordBuilder::State::resolve_links(const fhir::SourceDraft& draft,
                                         const merge::ReferenceIndex& index,
                                         fhir::Diagnostics& d) {
  for (const fhir::PendingRef& r : draft.refs) {
    if (r.slot == fhir::RefSlot::medication) continue;
    const json::Path at(r.ref.pointer);
    auto found = index.find(r.ref.reference);
    if (found.outcome == merge::ReferenceIndex::Outcome::dangling) {
      d.warn(DiagnosticCode::dangling_reference, at, "reference points at nothing in this source");
      continue;
    }
    if (found.outcome != merge::ReferenceIndex::Outcome::found) continue;
    const fhir::ResourceEntry& target = draft.entries[found.entry];
    const Kind expected = r.slot == fhir::RefSlot::encounter ? Kind::encounter : Kind::observation;
    if (target.kind != expected) {
      d.warn(DiagnosticCode::invalid_value, at,
             std::string("reference points at a ") + target.type + ", expected " +
                 fhir::kind_name(expected));
      continue;
    }
    const std::string& key = key_of(target);
    const std::size_t holder = targets[static_cast<std::size_t>(r.kind)][r.index];
    merge::visit_item(record, r.kind, holder, [&](auto& item) {
      using T = std::decay_t<decltype(item)>;
      if constexpr (std::is_same_v<T, Observation>) {
        if (r.slot == fhir::RefSlot::member) return push_unique(item.members, key);
      }
      if constexpr (std::is_same_v<T, Report>) {
        if (r.slot == fhir::RefSlot::result) return push_unique(item.results, key);
      }
      if constexpr (has_encounter<T>::value) {
        if (r.slot == fhir::RefSlot::encounter && item.encounter.empty()) item.encounter = key;
      }
    });
  }
}

void RecordBuilder::State::add(const Source& source) {
  // Read into scratch state first: a source that throws leaves the record as it was.
  fhir::SourceDraft draft;
  SourceSummary summary;
  std::map<std::string, std::uint64_t> counts;
  std::vector<Diagnostic> warnings;
  fhir::read_source(source, options, parser, draft, summary, counts, warnings);

  const std::uint32_t ordinal = sources_added++;
  {
    fhir::Diagnostics d(source.name, warnings);
    const merge::ReferenceIndex index(draft.entries);
    resolve_medications(draft, index, d);
    merge_patients(draft, d);
    merge_list<Condition>(draft, ordinal);
    merge_list<Observation>(draft, ordinal);
    merge_list<Medication>(draft, ordinal);
    merge_list<Allergy>(draft, ordinal);
    merge_list<Immunization>(draft, ordinal);
    merge_list<Procedure>(draft, ordinal);
    merge_list<Encounter>(draft, ordinal);
    merge_list<Report>(draft, ordinal);
    merge_list<Document>(draft, ordinal);
    merge_list<CarePlan>(draft, ordinal);
    merge_list<Goal>(draft, ordinal);
    merge_list<OtherResource>(draft, ordinal);
    resolve_links(draft, index, d);
  }
  record.sources.push_back(std::move(summary));
  for (auto& [type, n] : counts) record.counts[type] += n;
  for (Diagnostic& w : warnings) record.warnings.push_back(std::move(w));
}

RecordBuilder::RecordBuilder(IngestOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}
RecordBuilder::~RecordBuilder() = default;
RecordBuilder::RecordBuilder(RecordBuilder&&) noexcept = default;
RecordBuilder& RecordBuilder::operator=(RecordBuilder&&) noexcept = default;

void RecordBuilder::add(const Source& source) { state_->add(source); }

Record RecordBuilder::finish() {
  Record out = std::move(state_->record);
  IngestOptions options = state_->options;
  state_ = std::make_unique<State>();
  state_->options = std::move(options);
  return out;
}

Record ingest(const std::vector<Source>& sources, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const Source& s : sources) builder.add(s);
  return builder.finish();
}

}  // namespace chartlock
