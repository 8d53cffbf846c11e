// SPDX-License-Identifier: Apache-2.0
#include "chartlock/ingest.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "ccda/read_ccda.hpp"
#include "chartlock/persons.hpp"
#include "fhir/source_reader.hpp"
#include "json/array_member.hpp"
#include "keyed_hash.hpp"
#include "merge/absorb.hpp"
#include "merge/identity.hpp"
#include "merge/record_lists.hpp"
#include "merge/reference_index.hpp"
#include "persons/cluster.hpp"
#include "persons/names.hpp"
#include "shc/card.hpp"
#include "text/fnv1a.hpp"

static_assert(chartlock::json_padding >= simdjson::SIMDJSON_PADDING,
              "json_padding must cover simdjson's padding");

namespace chartlock {

using fhir::Kind;
using fhir::kind_count;

namespace {

using text::fnv1a;

// The hash's 16 hex digits written at `out`.
void put_hex(char* out, std::uint64_t h) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = digits[h & 0xf];
}

std::string hex_hash(const std::string& s) {
  std::string out(16, '0');
  put_hex(out.data(), fnv1a(s));
  return out;
}

// How many keys each identity hash has made, for one kind: an open-addressing
// table of (hash, count), not a node allocated per item. The hashes are
// FNV-1a of the input's text, whose low bits can be chosen: a slot is picked
// by a keyed hash of the whole hash, so chosen hashes cannot crowd a run of
// slots (docs/robustness.md). The hashes and the counts are two arrays (12
// bytes a slot, where a struct of both was padded to 16), smaller blocks
// that the freed index's can hold: a million observations' table in one
// 16 MiB block found none as large and grew the heap by as much, kept once
// freed (17.7 MiB more resident, 8.1 with two arrays: docs/performance.md,
// eleventh round).
class KeyCounts {
 public:
  // Room for `n` hashes in all, so that a list's table is sized once.
  void reserve(std::size_t n) {
    std::size_t want = 16;
    while (want * 3 < n * 4) want *= 2;
    if (want > counts_.size()) rehash(want);
  }
  // Counts one more key made from `h`: 1 the first time.
  std::uint32_t bump(std::uint64_t h) {
    if ((used_ + 1) * 4 > counts_.size() * 3) rehash(counts_.empty() ? 16 : counts_.size() * 2);
    const std::size_t i = find(h);
    if (counts_[i] == 0) {
      hashes_[i] = h;
      ++used_;
    }
    return ++counts_[i];
  }
  void clear() {
    std::vector<std::uint64_t>().swap(hashes_);
    std::vector<std::uint32_t>().swap(counts_);
    used_ = 0;
  }

 private:
  // The slot holding `h`, or the empty one where it goes.
  std::size_t find(std::uint64_t h) const {
    const std::size_t mask = counts_.size() - 1;
    std::size_t i = static_cast<std::size_t>(KeyedHash::of_word(h)) & mask;
    while (counts_[i] != 0 && hashes_[i] != h) i = (i + 1) & mask;
    return i;
  }
  void rehash(std::size_t size) {
    std::vector<std::uint64_t> old_hashes(size);
    std::vector<std::uint32_t> old_counts(size);
    old_hashes.swap(hashes_);
    old_counts.swap(counts_);
    for (std::size_t j = 0; j < old_counts.size(); ++j) {
      if (old_counts[j] == 0) continue;
      const std::size_t i = find(old_hashes[j]);
      hashes_[i] = old_hashes[j];
      counts_[i] = old_counts[j];
    }
  }
  // A power of two of slots, at most three quarters used; a count of 0 is
  // a free slot.
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> counts_;
  std::size_t used_ = 0;
};

template <class T, class = void>
struct has_encounter : std::false_type {};
template <class T>
struct has_encounter<T, std::void_t<decltype(std::declval<T&>().encounter)>> : std::true_type {};

// What a link of `slot` must point at.
Kind link_target(fhir::RefSlot slot) { return slot == fhir::RefSlot::encounter ? Kind::encounter : Kind::observation; }

void push_unique(std::vector<ShortText>& list, const ShortText& key) {
  for (const ShortText& k : list) {
    if (k == key) return;
  }
  list.push_back(key);
}

}  // namespace

constexpr std::size_t kNobody = static_cast<std::size_t>(-1);
constexpr std::uint32_t kNoTarget = 0xffffffffu;

// A source as read, kept until finish(): whose each resource is can only be
// told once every source's Patients are known.
struct StoredSource {
  fhir::SourceDraft draft;
  SourceSummary summary;
  std::map<std::string, std::uint64_t> counts;
  std::vector<Diagnostic> warnings;
};

// Every Patient grouped into persons, and every resource's person.
struct Attribution {
  std::vector<persons::PatientNode> nodes;
  std::vector<std::vector<std::size_t>> groups;     // node indices, one group a person
  std::vector<std::vector<std::size_t>> owner;      // per source, per entry: a group, or kNobody
  std::vector<std::vector<std::size_t>> node_of;    // per source, per draft patient: its node
};

struct RecordBuilder::State {
  IngestOptions options;
  Record record;
  simdjson::dom::parser parser;
  std::vector<StoredSource> stored;
  // Per kind: identity → indices of record items with it; per item, the
  // ordinals of the sources it came from (a source never merges with itself).
  // Keyed: identities are built from the input's codes, times and values.
  std::array<std::unordered_map<std::string, std::vector<std::size_t>, KeyedStringHash>, kind_count> by_identity;
  std::array<std::vector<std::vector<std::uint32_t>>, kind_count> item_sources;
  // Per kind, per hash of an identity: how many keys it has made. Only that
  // kind and hash make keys of the form prefix-hash and prefix-hash-N, so a
  // count says what a set of every key made would (without the strings).
  std::array<KeyCounts, kind_count> keys_made;
  std::string identity;  // the item's being merged: one buffer, reused
  std::vector<shc::IssuerKey> card_keys;  // options.card_keys, parsed once

  // Where each draft item of the current source landed in the record
  // (kNoTarget: another person's, not merged), until its links are written.
  // 32 bits, as the draft's entry numbers: held beside the whole record (a
  // list of 2^32 items, each over 100 bytes, would be past any memory the
  // record could be built in).
  std::array<std::vector<std::uint32_t>, kind_count> targets;
  // Which draft items of the current source are the chosen person's.
  std::array<std::vector<bool>, kind_count> kept;

  void add(const Source& source);
  void add_chunked(const ChunkedSource& source, ChunkReader& input);
  bool add_bundle_chunks(const ChunkedSource& source, ChunkReader& input, std::string& text,
                         std::size_t filled, bool more, std::size_t start);
  void add_cards(const Source& source);
  void resolve_within(StoredSource& s, const std::string& name);
  Attribution attribute() const;
  std::vector<Person> persons(const Attribution& a) const;
  Record finish(const std::string& person);

 private:
  template <class T>
  ShortText new_key(std::uint64_t h);  // h: FNV-1a of the identity, or of the item's place
  // Merges the person's part of a source; false when it holds nothing of theirs.
  bool merge_source(StoredSource& s, std::uint32_t ordinal, Attribution& a, std::size_t person);
  template <class T>
  void merge_list(fhir::SourceDraft& draft, std::uint32_t ordinal);
  void merge_patients(std::vector<Patient*> patients, fhir::Diagnostics& d);
  static void resolve_names(fhir::SourceDraft& draft);
  static void resolve_medications(fhir::SourceDraft& draft, fhir::Diagnostics& d);
  // A link between two of the person's items of one source, found before
  // they are merged (by their place in the draft's lists) and written after.
  struct Link {
    Kind holder_kind;
    fhir::RefSlot slot;
    Kind target_kind;
    std::uint32_t holder;
    std::uint32_t target;
  };
  // The links in blocks of 8,192 (96 KiB, below malloc's mmap threshold):
  // each freed once written, its memory reused for the keys written after
  // it, instead of one array of every link held beside the whole record.
  static constexpr std::size_t kLinkBlock = 8192;
  using LinkBlocks = std::vector<std::vector<Link>>;
  // The source's links, its draft's index freed.
  LinkBlocks take_links(fhir::SourceDraft& draft, fhir::Diagnostics& d) const;
  void write_links(LinkBlocks& links);
  const ShortText& key_at(Kind kind, std::size_t place);
};

// prefix-hash the first time, then prefix-hash-2, -3… (each hash counts on
// from where it stopped: every unidentifiable resource of an NDJSON source
// has one basis, and trying every number again was quadratic).
template <class T>
ShortText RecordBuilder::State::new_key(std::uint64_t h) {
  using K = merge::KindOf<T>;
  const std::uint32_t made = keys_made[static_cast<std::size_t>(K::kind)].bump(h);
  // Written in place: a kind's prefix (at most 7 characters), 16 hex digits
  // and rarely "-n" fit a ShortText without a heap block.
  const std::string_view prefix(K::key_prefix);
  char key[64];
  prefix.copy(key, prefix.size());
  key[prefix.size()] = '-';
  put_hex(key + prefix.size() + 1, h);
  std::size_t size = prefix.size() + 17;
  if (made > 1) {
    key[size++] = '-';
    size = static_cast<std::size_t>(std::to_chars(key + size, key + sizeof key, made).ptr - key);
  }
  return ShortText(std::string_view(key, size));
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
  const std::vector<bool>& mine = kept[k];
  const bool all_mine = std::find(mine.begin(), mine.end(), false) == mine.end();
  const bool take_whole = into.empty() && all_mine;
  const bool last = ordinal + 1 == stored.size();
  if (!take_whole) into.reserve(into.size() + items.size());
  std::size_t next = into.size();
  targets[k].assign(items.size(), kNoTarget);
  keys_made[k].reserve(into.size() + items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!mine[i]) continue;  // another person's
    T& item = items[i];
    const bool has_id = merge::identity(item, identity);
    const std::string& id = identity;
    bool merged = false;
    // The record's items with this identity: looked up once an item (the
    // identity hashed once), and for the last source only found, never
    // inserted (an empty entry per item it adds, kept to the end).
    std::vector<std::size_t>* same = nullptr;
    if (has_id && !take_whole) {
      if (!last) {
        same = &by_identity[k][id];
      } else if (auto found = by_identity[k].find(id); found != by_identity[k].end()) {
        same = &found->second;
      }
    }
    if (same != nullptr) {
      for (std::size_t candidate : *same) {
        auto& from = item_sources[k][candidate];
        if (std::find(from.begin(), from.end(), ordinal) != from.end()) continue;
        merge::absorb(into[candidate], std::move(item));
        from.push_back(ordinal);
        targets[k][i] = static_cast<std::uint32_t>(candidate);
        merged = true;
        break;
      }
    }
    if (merged) continue;
    // Unidentifiable items are keyed by where they came from, which is as
    // stable as the input.
    // (Hashed in pieces: source, "\x1f" and pointer, as the text they would make.)
    item.key = new_key<T>(has_id ? fnv1a(id)
                                 : fnv1a(item.sources.front().pointer(),
                                         fnv1a("\x1f", fnv1a(item.sources.front().source))));
    targets[k][i] = static_cast<std::uint32_t>(next);
    // What later sources merge against; the last source has none after it.
    if (!last) {
      if (has_id) (same != nullptr ? *same : by_identity[k][id]).push_back(next);
      item_sources[k].push_back({ordinal});
    }
    if (!take_whole) into.push_back(std::move(item));
    ++next;
  }
  if (take_whole) into = std::move(items);
  std::vector<T>().swap(items);  // moved-from husks; write_links reads targets only
  // No key of this kind is made after the last source's, nor merged against
  // it: not held while its links are written.
  if (last) {
    keys_made[k].clear();
    decltype(by_identity)::value_type().swap(by_identity[k]);
    decltype(item_sources)::value_type().swap(item_sources[k]);
  }
  // A Document's identity holds its attachments' text (megabytes, at most):
  // not kept for the lists and sources after it.
  if (identity.capacity() > 4096) std::string().swap(identity);
}

void RecordBuilder::State::merge_patients(std::vector<Patient*> patients, fhir::Diagnostics& d) {
  for (Patient* from : patients) {
    Patient& p = *from;
    Patient& into = record.patient;
    if (!into.present) {
      into = std::move(p);
      into.key = "patient";
      continue;
    }
    const json::Path at(p.sources.front().pointer());
    // Values stay out of the message: it may be logged. Persons were told
    // apart before (docs/persons.md); what differs here is one person's.
    if (!p.birthDate.empty() && !into.birthDate.empty() && p.birthDate != into.birthDate) {
      d.warn(DiagnosticCode::invalid_value, at,
             "this Patient's birthDate differs from the first source's (taken as one person: see docs/persons.md)");
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
    for (Patient::Name& n : p.names) into.names.push_back(std::move(n));
    for (Patient::Address& a : p.addresses) into.addresses.push_back(std::move(a));
    for (std::string& phone : p.phones) into.phones.push_back(std::move(phone));
    for (std::string& email : p.emails) into.emails.push_back(std::move(email));
    for (Patient::Identifier& id : p.identifiers) into.identifiers.push_back(std::move(id));
  }
}

// medicationReference → the Medication resource's code. Runs before merging:
// the drug's code is part of the item's identity.
void RecordBuilder::State::resolve_medications(fhir::SourceDraft& draft, fhir::Diagnostics& d) {
  for (const fhir::PendingRef& r : draft.refs) {
    if (r.slot != fhir::RefSlot::medication) continue;
    const json::Path at(draft.text[r.pointer]);
    if (r.outcome == fhir::RefOutcome::dangling) {
      d.warn(DiagnosticCode::dangling_reference, at,
             "medicationReference points at nothing in this source");
      continue;
    }
    if (r.outcome != fhir::RefOutcome::found) continue;
    const fhir::ResourceEntry& e = draft.entries[r.target()];
    auto code = e.kind == Kind::other ? draft.medication_codes.find(e.index)
                                      : draft.medication_codes.end();
    if (code == draft.medication_codes.end()) {
      d.warn(DiagnosticCode::invalid_value, at,
             "medicationReference points at a " + draft.type_name(r.target()) + ", not a Medication");
      continue;
    }
    Medication& m = draft.medications[r.index];
    std::string display = std::move(m.code.text);
    m.code = code->second;
    if (m.code.text.empty()) m.code.text = std::move(display);
  }
}

// Authors and service providers named only by reference → the name of the
// Practitioner, Organization or Location they point at. Runs before merging,
// as a display would have been read. A name that cannot be found stays
// unknown, quietly: the item is whole without it, and the widget's fetch has
// already said which names the portal would not give.
void RecordBuilder::State::resolve_names(fhir::SourceDraft& draft) {
  for (std::size_t i = 0; i < draft.refs.size(); ++i) {
    const fhir::PendingRef& r = draft.refs[i];
    if (r.slot != fhir::RefSlot::name || r.outcome != fhir::RefOutcome::found) continue;
    const fhir::ResourceEntry& e = draft.entries[r.target()];
    auto name = e.kind == fhir::Kind::other ? draft.names.find(e.index) : draft.names.end();
    if (name == draft.names.end()) continue;
    if (r.kind == fhir::Kind::document) draft.documents[r.index].authors[draft.position(i)] = name->second;
    if (r.kind == fhir::Kind::encounter) draft.encounters[r.index].serviceProvider = name->second;
  }
  for (Document& doc : draft.documents) {
    doc.authors.erase(std::remove(doc.authors.begin(), doc.authors.end(), std::string()), doc.authors.end());
  }
}

const ShortText& RecordBuilder::State::key_at(Kind kind, std::size_t place) {
  const ShortText* key = nullptr;
  merge::visit_item(record, kind, place, [&](auto& item) { key = &item.key; });
  return *key;
}

// Encounter, hasMember and DiagnosticReport.result links (resolved when the
// source was read): checked (with their warnings) before the source's items
// are merged, and the draft's index freed (its entries, texts and
// references), so that it is not held beside the items as they move; only
// the kept items' places remain (`kept`: this person's items).
RecordBuilder::State::LinkBlocks RecordBuilder::State::take_links(fhir::SourceDraft& draft,
                                                                 fhir::Diagnostics& d) const {
  // The links are kept in place, at the front of the references already
  // checked (each its holder and, in the place of its target's entry, the
  // target's place in its list), not in a second array beside the whole
  // index: that was the peak of a 1 GB export once the record was compact.
  std::size_t n = 0;
  for (std::size_t i = 0; i < draft.refs.size(); ++i) {
    const fhir::PendingRef& r = draft.refs[i];
    if (r.slot == fhir::RefSlot::medication || r.slot == fhir::RefSlot::name) continue;
    const json::Path at(draft.text[r.pointer]);
    if (r.outcome == fhir::RefOutcome::dangling) {
      d.warn(DiagnosticCode::dangling_reference, at, "reference points at nothing in this source");
      continue;
    }
    if (r.outcome != fhir::RefOutcome::found) continue;
    const fhir::ResourceEntry& target = draft.entries[r.target()];
    if (!kept[static_cast<std::size_t>(r.kind)][r.index]) continue;  // another person's item
    const Kind expected = link_target(r.slot);
    if (target.kind != expected) {
      d.warn(DiagnosticCode::invalid_value, at,
             "reference points at a " + draft.type_name(r.target()) + ", expected " +
                 fhir::kind_name(expected));
      continue;
    }
    if (!kept[static_cast<std::size_t>(target.kind)][target.index]) continue;  // not this person's
    const std::uint32_t place = target.index;
    fhir::PendingRef& out = draft.refs[n++];  // n - 1 <= i: read already
    out = r;
    out.reference_or_target = place;
  }
  // The entries and texts go first; then the links are copied out at their
  // size and the references freed.
  draft.free_entries();
  LinkBlocks links;
  links.reserve((n + kLinkBlock - 1) / kLinkBlock);
  for (std::size_t i = 0; i < n; ++i) {
    if (i % kLinkBlock == 0) links.emplace_back().reserve(std::min(kLinkBlock, n - i));
    const fhir::PendingRef& r = draft.refs[i];
    links.back().push_back(Link{r.kind, r.slot, link_target(r.slot), r.index, r.reference_or_target});
  }
  draft.free_index();
  return links;
}

// The links found above, as record keys, once the items are merged. Their
// holders and targets become places in the record first, so that the
// draft's places (`targets`) are not held beside the whole record either.
void RecordBuilder::State::write_links(LinkBlocks& links) {
  for (std::vector<Link>& block : links) {
    for (Link& l : block) {
      l.holder = targets[static_cast<std::size_t>(l.holder_kind)][l.holder];
      l.target = targets[static_cast<std::size_t>(l.target_kind)][l.target];
    }
  }
  for (auto& t : targets) std::vector<std::uint32_t>().swap(t);
  const auto same_list = [](const Link& a, const Link& b) {
    return a.holder_kind == b.holder_kind && a.holder == b.holder && a.slot == b.slot;
  };
  bool first = true;
  Link last{};  // the link before this one (its block may be freed)
  for (std::size_t b = 0; b < links.size(); ++b) {
    for (std::size_t j = 0; j < links[b].size(); ++j) {
      const Link& l = links[b][j];
      const ShortText& key = key_at(l.target_kind, l.target);
      // An item's references were read together, so its links are in one
      // run: its list is sized once for the run instead of doubled as it fills.
      const auto add = [&](std::vector<ShortText>& list) {
        if (first || !same_list(last, l)) {
          std::size_t run = 1;
          for (std::size_t nb = b, nj = j + 1; nb < links.size(); ++nb, nj = 0) {
            while (nj < links[nb].size() && same_list(links[nb][nj], l)) ++run, ++nj;
            if (nj < links[nb].size()) break;
          }
          list.reserve(list.size() + run);
        }
        push_unique(list, key);
      };
      merge::visit_item(record, l.holder_kind, l.holder, [&](auto& item) {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, Observation>) {
          if (l.slot == fhir::RefSlot::member) return add(item.members);
        }
        if constexpr (std::is_same_v<T, Report>) {
          if (l.slot == fhir::RefSlot::result) return add(item.results);
        }
        if constexpr (has_encounter<T>::value) {
          if (l.slot == fhir::RefSlot::encounter && item.encounter.empty()) item.encounter = key;
        }
      });
      last = l;
      first = false;
    }
    std::vector<Link>().swap(links[b]);
  }
}

namespace {

// Every fact of a card's Bundle says whose card it was and whether it verified.
void mark_card(fhir::SourceDraft& d, const CardProvenance& card) {
  auto mark = [&](auto& list) {
    for (auto& item : list) {
      for (Provenance& p : item.sources) p.card = card;
    }
  };
  merge::for_each_list(d, mark);
  mark(d.patients);
}

}  // namespace

// Each card of the input is a source of its own ("name#2" when there are
// several): its own issuer, its own verification, its own Bundle.
void RecordBuilder::State::add_cards(const Source& source) {
  const std::vector<std::string> texts = shc::card_jws(source.bytes, source.name, parser);
  std::vector<StoredSource> read;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::string name = texts.size() == 1 ? source.name : source.name + "#" + std::to_string(i + 1);
    const shc::OpenedCard card =
        shc::open_card(texts[i], card_keys, options.allow_unverified_cards, name, parser, options.limits);
    StoredSource s;
    Source bundle{name, card.bundle};
    bundle.format = Source::Format::json;
    fhir::read_source(bundle, options, parser, s.draft, s.summary, s.counts, s.warnings);
    const CardProvenance provenance{card.issuer, card.verified};
    s.summary.format = "smart-health-card";
    s.summary.bytes = texts[i].size();
    s.summary.card = provenance;
    mark_card(s.draft, provenance);
    if (card.unverified_because) s.warnings.insert(s.warnings.begin(), *card.unverified_because);
    resolve_within(s, name);
    read.push_back(std::move(s));
  }
  for (StoredSource& s : read) stored.push_back(std::move(s));
}

void RecordBuilder::State::add(const Source& source) {
  // An input over the limit is refused below without a byte of it read. A
  // .smart-health-card file is JSON too: read as a card when said to be JSON.
  if (source.format != Source::Format::ndjson && source.bytes.size() <= options.limits.max_bytes) {
    const shc::Shape shape = shc::shape_of(source.bytes);
    if (shape == shc::Shape::file || (shape != shc::Shape::none && source.format == Source::Format::detect)) {
      add_cards(source);
      return;
    }
  }
  // Read into scratch state first: a source that throws leaves the builder as it was.
  StoredSource s;
  // By content: JSON never starts with '<'; a C-CDA document always does.
  // Over the byte limit, no byte is read: the JSON reader refuses it first.
  if (source.bytes.size() <= options.limits.max_bytes && looks_like_xml(source.bytes)) {
    ccda::read_source(source, options, s.draft, s.summary, s.counts, s.warnings);
  } else {
    fhir::read_source(source, options, parser, s.draft, s.summary, s.counts, s.warnings);
  }
  resolve_within(s, source.name);
  stored.push_back(std::move(s));
}

namespace {

// Reads from `input` until `text` holds at least `want` more bytes or the
// input ends; false at the end. `text` keeps at least json_padding spare
// bytes after its `filled` bytes of content. It only grows: what lies past
// `filled` is read over, never read, so it is not zeroed again for every
// chunk (resize after an erase zeroed a chunk's worth each time: 10 MiB of
// memset for a 10 MiB Bundle). simdjson needs its padding readable, not zero.
bool read_more(ChunkReader& input, std::string& text, std::size_t& filled, std::size_t want) {
  if (text.size() < filled + want + json_padding) text.resize(filled + want + json_padding);
  const std::size_t n = input.read(&text[filled], want);
  filled += n;
  return n != 0;
}

// The `filled` - `start` bytes not yet read moved to the front of `text`,
// its size kept (read_more reads over the rest).
void drop_front(std::string& text, std::size_t start, std::size_t filled) {
  if (start != 0) std::memmove(&text[0], text.data() + start, filled - start);
}

// Grows the draft's lists ahead of the input when the next `next` bytes
// would fill them: to what the rest of the input, read at the rate so far,
// would bring (when its size is known), with a little to spare. A list left
// to double holds its old and its new array at once, and for a large source
// the last doubling of its observations came late, with most of them read:
// the peak of reading a 1 GB export (docs/performance.md, fourth round).
// At most 16 times its items at once, so a kind that stops coming (an
// export sorted by type) does not hold much more than doubling would.
void reserve_ahead(fhir::SourceDraft& d, std::uint64_t consumed, std::uint64_t next, std::uint64_t size) {
  if (consumed == 0 || size <= consumed) return;
  const double per_byte = 1.0 / static_cast<double>(consumed);
  auto ahead = [&](auto& list) {
    const double n = static_cast<double>(list.size());
    if (n < 64) return;  // too few to project from
    if (n + n * per_byte * static_cast<double>(next) < static_cast<double>(list.capacity())) return;  // room enough
    const double projected = n * per_byte * static_cast<double>(size) * 1.0625;
    const double want = std::min(std::max(projected, 1.5 * n), 16.0 * n);
    list.reserve(std::max(list.capacity(), static_cast<std::size_t>(want)));
  };
  merge::for_each_list(d, ahead);
  ahead(d.entries), ahead(d.refs);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Whether `head` shows enough to tell NDJSON as add() tells it: a first line
// and something other than whitespace after it.
bool shows_second_line(std::string_view head) {
  const std::size_t nl = head.find('\n');
  if (nl == std::string_view::npos) return false;
  for (char c : head.substr(nl + 1)) {
    if (!is_space(c)) return true;
  }
  return false;
}

}  // namespace

void RecordBuilder::State::add_chunked(const ChunkedSource& source, ChunkReader& input) {
  const std::size_t chunk = std::max<std::size_t>(source.chunk_bytes, 1);
  if (source.size > options.limits.max_bytes) {  // refused unread, as add() refuses it
    throw fhir::too_large_input(source.name, source.size, options.limits);
  }
  // At the start already: says whether it can go back to it.
  const bool rewindable = input.rewind();
  std::string text;
  std::size_t filled = 0;
  bool more = true;
  // At most a chunk, and no more than a size known up front says is left
  // (and one byte to see the end): reading a whole input then fills what
  // was reserved for it without growing it again.
  auto want = [&] {
    if (source.size <= filled) return chunk;
    return std::min<std::size_t>(chunk, static_cast<std::size_t>(source.size - filled) + 1);
  };
  // Enough of the start to tell what the input is — or, for a text whose
  // first line runs on (a Bundle on one line), a first piece: tried as a
  // Bundle, it is read again whole should it be NDJSON after all.
  const std::size_t window = std::max<std::size_t>(chunk, std::size_t{1} << 20);
  while (more && !shows_second_line(std::string_view(text.data(), filled)) && filled < window &&
         filled <= options.limits.max_bytes) {
    more = read_more(input, text, filled, want());
  }
  std::string_view head(text.data(), filled);
  const std::size_t bom = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const bool ndjson = !looks_like_xml(head) &&
                      (source.format == Source::Format::ndjson ||
                       (source.format == Source::Format::detect &&
                        fhir::looks_like_ndjson_start(head.substr(bom), parser, options.limits)));
  if (!ndjson && rewindable && source.format != Source::Format::ndjson && !looks_like_xml(head)) {
    if (add_bundle_chunks(source, input, text, filled, more, bom)) return;
    // Read again, whole: add() says what it says about it.
    input.rewind();
    text.clear();
    filled = 0;
    more = true;
  }
  if (!ndjson) {
    // Whole, as add() reads it, in one allocation when the size is known.
    if (source.size > filled) text.reserve(static_cast<std::size_t>(source.size) + 1 + json_padding);
    while (more && filled <= options.limits.max_bytes) more = read_more(input, text, filled, want());
    Source whole{source.name, std::string_view(text.data(), filled), source.format};
    whole.padding = text.size() - filled;
    add(whole);
    return;
  }
  StoredSource s;
  {
    fhir::NdjsonStream stream(source.name, options, parser, s.draft, s.summary, s.counts, s.warnings);
    stream.skip(bom);
    std::size_t start = bom;     // the first byte not yet read
    std::size_t searched = bom;  // no line ends in [start, searched): only newer bytes are searched
    std::uint64_t dropped = 0;   // bytes read and no longer held
    for (;;) {
      std::size_t last_nl = std::string_view::npos;  // of the bytes held, not yet read
      if (!more) {
        last_nl = filled > start ? filled - 1 : std::string_view::npos;
      } else {
        const std::size_t at = std::string_view(text.data() + searched, filled - searched).rfind('\n');
        if (at != std::string_view::npos) last_nl = searched + at;
      }
      if (last_nl != std::string_view::npos) {
        const std::size_t end = last_nl + 1;
        stream.read(std::string_view(text.data() + start, end - start), text.size() - end);
        start = end;
      }
      if (!more) break;
      // Keep the unfinished line; read after it. A line longer than a chunk
      // grows by as much again as is held (linear, not a chunk per pass over
      // it), and an input of no stated size is refused as soon as it passes
      // the limit, not only when a line ends.
      drop_front(text, start, filled);
      dropped += start;
      filled -= start;
      start = 0;
      searched = filled;
      if (dropped + filled > options.limits.max_bytes) throw fhir::too_large_input(source.name, dropped + filled, options.limits);
      reserve_ahead(s.draft, dropped, std::max(chunk, filled), source.size);
      more = read_more(input, text, filled, std::max(chunk, filled));
    }
  }
  resolve_within(s, source.name);
  stored.push_back(std::move(s));
}

// A Bundle an entry at a time (add_chunked); false when it must be read whole.
// `text` holds the first `filled` bytes read, `start` of them already seen.
bool RecordBuilder::State::add_bundle_chunks(const ChunkedSource& source, ChunkReader& input, std::string& text,
                                             std::size_t filled, bool more, std::size_t start) {
  const std::size_t chunk = std::max<std::size_t>(source.chunk_bytes, 1);
  StoredSource s;
  try {
    fhir::BundleStream stream(source.name, options, parser, s.draft, s.summary, s.counts, s.warnings);
    json::ArraySplitter splitter("entry");
    std::uint64_t dropped = 0;  // bytes read and no longer held
    for (;;) {
      std::size_t consumed = 0;
      std::string_view element;
      const auto step = splitter.next(std::string_view(text.data() + start, filled - start), !more, consumed, element);
      if (step == json::ArraySplitter::Step::element) {
        const std::size_t end = static_cast<std::size_t>(element.data() + element.size() - text.data());
        if (!stream.entry(element, text.size() - end)) return false;
        start += consumed;
        continue;
      }
      start += consumed;
      if (step == json::ArraySplitter::Step::done) {
        if (!stream.finish(splitter.envelope(), dropped + filled)) return false;
        break;
      }
      if (step == json::ArraySplitter::Step::refused || !more) return false;
      // Keep what is not yet complete; read more after it (as much again as
      // is held, for an entry far longer than a chunk).
      drop_front(text, start, filled);
      dropped += start;
      filled -= start;
      start = 0;
      if (dropped + filled > options.limits.max_bytes) return false;  // read whole, it says so
      reserve_ahead(s.draft, dropped, std::max(chunk, filled), source.size);
      more = read_more(input, text, filled, std::max(chunk, filled));
    }
  } catch (const IngestError&) {
    return false;  // read whole, which says it as add() does
  }
  resolve_within(s, source.name);
  stored.push_back(std::move(s));
  return true;
}

// Every reference of a source resolved as soon as it is read (its text is not
// held beside the other sources and through merging), and what they give
// before merging: medications' codes and names.
void RecordBuilder::State::resolve_within(StoredSource& s, const std::string& name) {
  {
    const merge::ReferenceIndex index(s.draft);
    s.draft.resolve_refs([&](std::string_view reference) { return index.find(reference); }, !index.has_full_urls());
  }
  fhir::Diagnostics d(name, s.warnings);
  resolve_medications(s.draft, d);
  resolve_names(s.draft);
  // Read only above: not held while the other sources are read and merged.
  decltype(s.draft.medication_codes)().swap(s.draft.medication_codes);
  decltype(s.draft.names)().swap(s.draft.names);
}

namespace {

// "Patient/123" from a relative or absolute reference, for a bulk export whose
// Patients are in another file than their records.
std::string patient_tail(std::string_view reference) {
  std::string_view r = reference;
  if (const std::size_t h = r.find("/_history/"); h != std::string_view::npos) r = r.substr(0, h);
  const std::size_t slash = r.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return {};
  const std::size_t type_start = r.rfind('/', slash - 1);
  const std::string_view type = r.substr(type_start == std::string_view::npos ? 0 : type_start + 1,
                                         slash - (type_start == std::string_view::npos ? 0 : type_start + 1));
  return type == "Patient" ? std::string(r.substr(slash + 1)) : std::string();
}

// The key of a person: the same for the same demographics, whatever the order
// of the sources (the smallest of its Patients' keys).
std::string person_key(const std::vector<persons::PatientNode>& nodes, const std::vector<std::size_t>& group) {
  std::string best;
  for (std::size_t n : group) {
    const Patient& p = *nodes[n].patient;
    std::string basis;
    for (const persons::FoldedName& name : persons::folded_names(p)) {
      for (const std::string& w : name.family) basis += w + " ";
      basis += "/";
      if (!name.given.empty()) basis += name.given.front();
      break;
    }
    basis += "|" + p.birthDate.substr(0, std::min<std::size_t>(p.birthDate.size(), 10)) + "|" + p.gender;
    const std::string key = "person-" + hex_hash(basis);
    if (best.empty() || key < best) best = key;
  }
  return best;
}

}  // namespace

Attribution RecordBuilder::State::attribute() const {
  Attribution a;
  std::unordered_map<std::string, std::vector<std::size_t>, KeyedStringHash> by_id;  // Patient id → nodes, every source
  a.node_of.resize(stored.size());
  for (std::size_t s = 0; s < stored.size(); ++s) {
    for (const Patient& p : stored[s].draft.patients) {
      a.node_of[s].push_back(a.nodes.size());
      if (!p.sources.empty() && !p.sources.front().id().empty()) by_id[std::string(p.sources.front().id())].push_back(a.nodes.size());
      a.nodes.push_back({s, &p});
    }
  }
  a.groups = persons::cluster(a.nodes);
  std::vector<std::size_t> group_of(a.nodes.size());
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    for (std::size_t n : a.groups[g]) group_of[n] = g;
  }
  a.owner.resize(stored.size());
  for (std::size_t s = 0; s < stored.size(); ++s) {
    const fhir::SourceDraft& draft = stored[s].draft;
    std::optional<merge::ReferenceIndex> index;  // built only for a source of several patients
    std::vector<std::size_t>& owner = a.owner[s];
    owner.assign(draft.entries.size(), kNobody);
    for (std::size_t e = 0; e < draft.entries.size(); ++e) {
      const fhir::ResourceEntry& entry = draft.entries[e];
      if (entry.kind == Kind::patient) {
        owner[e] = group_of[a.node_of[s][entry.index]];
      } else if (draft.patients.size() == 1) {
        // A source about one patient: everything in it is theirs.
        owner[e] = group_of[a.node_of[s][0]];
      } else if (const std::string_view subject = draft.text[draft.subject(static_cast<std::uint32_t>(e))];
                 !subject.empty()) {
        if (!index) index.emplace(draft);
        const auto found = index->find(subject);
        if (found.outcome == fhir::RefOutcome::found &&
            draft.entries[found.entry].kind == Kind::patient) {
          owner[e] = group_of[a.node_of[s][draft.entries[found.entry].index]];
        } else if (const std::string id = patient_tail(subject); !id.empty()) {
          const auto it = by_id.find(id);
          if (it != by_id.end() && it->second.size() == 1) owner[e] = group_of[it->second.front()];
        }
      }
    }
  }
  return a;
}

std::vector<Person> RecordBuilder::State::persons(const Attribution& a) const {
  std::vector<Person> out;
  for (std::size_t g = 0; g < a.groups.size(); ++g) {
    Person person;
    person.key = person_key(a.nodes, a.groups[g]);
    for (std::size_t n : a.groups[g]) {
      const Patient& p = *a.nodes[n].patient;
      if (person.patients.empty()) {
        person.patient = p;
      } else {
        Patient& into = person.patient;
        into.names.insert(into.names.end(), p.names.begin(), p.names.end());
        into.addresses.insert(into.addresses.end(), p.addresses.begin(), p.addresses.end());
        into.phones.insert(into.phones.end(), p.phones.begin(), p.phones.end());
        into.emails.insert(into.emails.end(), p.emails.begin(), p.emails.end());
        into.identifiers.insert(into.identifiers.end(), p.identifiers.begin(), p.identifiers.end());
        into.sources.insert(into.sources.end(), p.sources.begin(), p.sources.end());
      }
      const Provenance& prov = p.sources.front();
      person.patients.push_back({prov.source, std::string(prov.id()), std::string(prov.fullUrl())});
    }
    for (std::size_t s = 0; s < stored.size(); ++s) {
      if (std::find(a.owner[s].begin(), a.owner[s].end(), g) != a.owner[s].end()) {
        person.sources.push_back(stored[s].summary.name);
      }
    }
    out.push_back(std::move(person));
  }
  // Two persons with one key (the same demographics, told apart by a rule): numbered.
  for (std::size_t i = 0; i < out.size(); ++i) {
    int n = 2;
    for (std::size_t j = i + 1; j < out.size(); ++j) {
      if (out[j].key == out[i].key) out[j].key += "-" + std::to_string(n++);
    }
  }
  return out;
}

bool RecordBuilder::State::merge_source(StoredSource& s, std::uint32_t ordinal, Attribution& a,
                                        std::size_t person) {
  const std::vector<std::size_t>& owner = a.owner[ordinal];
  const bool one_person = a.groups.size() <= 1;
  for (auto& list : kept) list.clear();
  for (std::size_t k = 0; k < kind_count; ++k) kept[k].assign(s.draft.size(static_cast<Kind>(k)), false);
  std::size_t left_out = 0;
  bool whole = true;  // every resource of the source is this person's
  std::map<std::string, std::uint64_t> counts;
  // A type's counter found by its name's address first: most names are the
  // interned pool's, one address a type, where the map compared strings
  // for every resource (2.8 M instructions for 10,471 resources). A name the
  // pool did not take (too long, or the pool full) has an address of its
  // own and only misses: a miss looks the counter up by name. The map's
  // counters stay where they are; the slot is picked by the address, not
  // by the input.
  struct Recent {
    const std::string* name = nullptr;
    std::uint64_t* count = nullptr;
  };
  std::array<Recent, 16> recent{};
  const auto count = [&](std::size_t e) {
    const std::string& name = s.draft.type_name(static_cast<std::uint32_t>(e));
    Recent& r = recent[(reinterpret_cast<std::uintptr_t>(&name) / alignof(std::string)) % recent.size()];
    if (r.name != &name) r = Recent{&name, &counts[name]};
    ++*r.count;
  };
  for (std::size_t e = 0; e < s.draft.entries.size(); ++e) {
    const fhir::ResourceEntry& entry = s.draft.entries[e];
    if (entry.kind == Kind::patient) {
      if (owner[e] == person) count(e);
      else whole = false;
      continue;
    }
    // With several persons, what names none of them (an Organization, a
    // Medication, a record without a subject) may be another's: left out.
    const bool mine = owner[e] == person || (owner[e] == kNobody && one_person);
    if (!mine && owner[e] == kNobody) ++left_out;
    if (!mine) {
      whole = false;
      continue;
    }
    kept[static_cast<std::size_t>(entry.kind)][entry.index] = true;
    count(e);
  }
  std::vector<std::size_t>().swap(a.owner[ordinal]);  // read above only: not held through merging
  fhir::Diagnostics d(s.summary.name, s.warnings);
  if (left_out > 0) {
    d.warn(DiagnosticCode::dangling_reference, json::Path(""),
           std::to_string(left_out) + " resources name no patient; with several persons in these sources they "
                                      "were left out");
  }
  std::vector<Patient*> patients;
  for (std::size_t i = 0; i < s.draft.patients.size(); ++i) {
    if (person != kNobody && std::find(a.groups[person].begin(), a.groups[person].end(), a.node_of[ordinal][i]) !=
                                 a.groups[person].end()) {
      patients.push_back(&s.draft.patients[i]);
    }
  }
  merge_patients(patients, d);
  // Found while the draft still has its entries, which then go before its
  // items move into the record: not both at once, at the peak of a large ingest.
  LinkBlocks links = take_links(s.draft, d);
  merge_list<Condition>(s.draft, ordinal);
  merge_list<Observation>(s.draft, ordinal);
  merge_list<Medication>(s.draft, ordinal);
  merge_list<Allergy>(s.draft, ordinal);
  merge_list<Immunization>(s.draft, ordinal);
  merge_list<Procedure>(s.draft, ordinal);
  merge_list<Encounter>(s.draft, ordinal);
  merge_list<Report>(s.draft, ordinal);
  merge_list<Document>(s.draft, ordinal);
  merge_list<CarePlan>(s.draft, ordinal);
  merge_list<Goal>(s.draft, ordinal);
  merge_list<OtherResource>(s.draft, ordinal);
  write_links(links);
  // A source of one person counts as it was read; one of several, what was kept.
  if (!whole) s.counts = std::move(counts);
  return one_person || !patients.empty() || std::any_of(kept.begin(), kept.end(), [](const std::vector<bool>& k) {
           return std::find(k.begin(), k.end(), true) != k.end();
         });
}

Record RecordBuilder::State::finish(const std::string& key) {
  Attribution a = attribute();
  std::size_t person = a.groups.empty() ? kNobody : 0;
  if (!key.empty() || a.groups.size() > 1) {
    std::vector<Person> all = persons(a);
    if (key.empty()) {
      PatientComparison why = compare_patients(*a.nodes[a.groups[0].front()].patient, *a.nodes[a.groups[1].front()].patient);
      throw DifferentPersons(std::move(all), std::move(why));
    }
    auto it = std::find_if(all.begin(), all.end(), [&](const Person& p) { return p.key == key; });
    if (it == all.end()) throw UnknownPerson("no person with the key " + key + " in these sources");
    person = static_cast<std::size_t>(it - all.begin());
    record.person = it->key;
  } else if (!a.groups.empty()) {
    record.person = persons(a).front().key;
  }
  for (std::size_t s = 0; s < stored.size(); ++s) {
    // A source with nothing of this person's is not theirs to list.
    if (merge_source(stored[s], static_cast<std::uint32_t>(s), a, person)) {
      record.sources.push_back(std::move(stored[s].summary));
      for (auto& [type, n] : stored[s].counts) record.counts[type] += n;
      for (Diagnostic& w : stored[s].warnings) record.warnings.push_back(std::move(w));
    }
    stored[s].draft = fhir::SourceDraft();  // merged: its items are in the record now
  }
  stored.clear();
  return std::move(record);
}

RecordBuilder::RecordBuilder(IngestOptions options) : state_(std::make_unique<State>()) {
  state_->card_keys = shc::key_ring(options.card_keys);
  state_->options = std::move(options);
}
RecordBuilder::~RecordBuilder() = default;
RecordBuilder::RecordBuilder(RecordBuilder&&) noexcept = default;
RecordBuilder& RecordBuilder::operator=(RecordBuilder&&) noexcept = default;

void RecordBuilder::add(const Source& source) { state_->add(source); }

void RecordBuilder::add_chunked(const ChunkedSource& source, ChunkReader& input) {
  state_->add_chunked(source, input);
}

std::vector<Person> RecordBuilder::persons() const { return state_->persons(state_->attribute()); }

Record RecordBuilder::finish(const std::string& person) {
  IngestOptions options = state_->options;
  std::vector<shc::IssuerKey> card_keys = state_->card_keys;
  const auto reset = [&] {
    state_ = std::make_unique<State>();
    state_->options = std::move(options);
    state_->card_keys = std::move(card_keys);
  };
  Record out;
  try {
    out = state_->finish(person);
  } catch (...) {
    reset();
    throw;
  }
  reset();
  return out;
}

Record ingest(const std::vector<Source>& sources, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const Source& s : sources) builder.add(s);
  return builder.finish(options.person);
}

std::vector<Person> find_persons(const std::vector<Source>& sources, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const Source& s : sources) builder.add(s);
  return builder.persons();
}

}  // namespace chartlock
