// SPDX-License-Identifier: Apache-2.0
// The draft's text store (fhir/text_arena): every view it hands out keeps
// its characters while more are added and when the store is moved.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chartlock/ingest.hpp"
#include "fhir/source_draft.hpp"
#include "fhir/source_reader.hpp"
#include "fhir/text_arena.hpp"
#include "ingest_support.hpp"
#include "merge/reference_index.hpp"

using chartlock::fhir::Kind;
using chartlock::fhir::PendingRef;
using chartlock::fhir::RefOutcome;
using chartlock::fhir::RefSlot;
using chartlock::fhir::SourceDraft;
using chartlock::fhir::TextArena;
using chartlock::fhir::TextHandle;

TEST_CASE("the text arena keeps every text as it grows and moves", "[ingest][arena]") {
  TextArena arena;
  CHECK(arena.add("").empty());
  CHECK(arena[TextHandle{}].empty());
  CHECK(arena.capacity() == 0);  // nothing held for nothing
  std::vector<std::string> texts;
  std::vector<TextHandle> views;
  // Enough to fill many blocks, with lengths that straddle their ends, and
  // texts longer than a block (held on their own).
  for (int i = 0; i < 20000; ++i) {
    std::string s = "urn:uuid:" + std::to_string(i * 7919) + std::string(static_cast<std::size_t>(i % 97), 'x');
    if (i % 5000 == 4999) s = std::string(200000, static_cast<char>('a' + i % 26));
    if (i % 3000 == 17) s.assign(static_cast<std::size_t>(127 + i % 3), 'y');  // lengths of one and two bytes
    if (i == 12345) s = std::string(16384, 'z') + "!";  // just past the ordinary blocks' largest text
    views.push_back(arena.add(s));
    texts.push_back(std::move(s));
  }
  TextArena moved = std::move(arena);
  for (std::size_t i = 0; i < texts.size(); ++i) REQUIRE(moved[views[i]] == texts[i]);
  // Packed: the blocks hold little more than the characters.
  std::size_t chars = 0;
  for (const std::string& s : texts) chars += s.size();
  CHECK(moved.capacity() < chars + chars / 8 + 64 * 1024);
  moved.clear();
  CHECK(moved.capacity() == 0);
  CHECK(moved[moved.add("again")] == "again");
}

TEST_CASE("a moved-from text arena is empty and can be used again", "[ingest][arena]") {
  // The review's case: a defaulted move left the position of the block in
  // use behind, over no blocks, and the next short text was written there.
  TextArena a;
  const TextHandle x = a.add("x");
  TextArena b(std::move(a));
  CHECK(a.capacity() == 0);
  const TextHandle y = a.add("y");
  CHECK(a[y] == "y");
  CHECK(b[x] == "x");
  TextArena c;
  c.add("z");
  c = std::move(b);
  CHECK(b.capacity() == 0);
  CHECK(b[b.add("w")] == "w");
  CHECK(c[x] == "x");
}

TEST_CASE("a draft's entries and references keep their texts once, in its arena", "[ingest][arena]") {
  SourceDraft draft;
  for (std::size_t i = 0; i < 1000; ++i) {
    draft.add_entry("Observation", "o" + std::to_string(i), "urn:uuid:" + std::to_string(i), Kind::observation, i,
                    "Patient/p1");
    draft.add_ref(Kind::observation, i, RefSlot::encounter, "Encounter/e" + std::to_string(i / 10), "/encounter");
  }
  SourceDraft moved = std::move(draft);
  for (std::size_t i = 0; i < 1000; ++i) {
    const auto& e = moved.entries[i];
    const auto t = moved.texts(static_cast<std::uint32_t>(i));
    REQUIRE(t.type == "Observation");
    REQUIRE(t.id == "o" + std::to_string(i));
    REQUIRE(t.full_url == "urn:uuid:" + std::to_string(i));
    REQUIRE(moved.text[moved.subject(static_cast<std::uint32_t>(i))] == "Patient/p1");
    REQUIRE(moved.ref_text[moved.refs[i].reference()] == "Encounter/e" + std::to_string(i / 10));
    REQUIRE(moved.text[moved.refs[i].pointer] == "/encounter");
  }
  // A subject, reference or pointer equal to the last one of its field is
  // the same characters, not another copy.
  CHECK(moved.subject(0) == moved.subject(999));
  CHECK(moved.refs[0].reference() == moved.refs[9].reference());
  CHECK(moved.refs[0].reference() != moved.refs[10].reference());
  CHECK(moved.refs[0].pointer == moved.refs[999].pointer);
  // The index's records stay small: a million of each is tens of MiB.
  static_assert(sizeof(chartlock::fhir::ResourceEntry) <= 8);
  static_assert(sizeof(chartlock::fhir::PendingRef) <= 16);
}

TEST_CASE("a draft's entry reads its type, id and fullUrl from its item, unless it holds its own",
          "[ingest][arena][draft]") {
  SourceDraft draft;
  const auto item = [](const char* type, const char* id, const char* url) {
    chartlock::Observation o;
    chartlock::Provenance& p = o.sources.emplace_back();
    p.resourceType = type;
    p.set_id(id);
    p.set_fullUrl(url);
    return o;
  };
  draft.observations.push_back(item("Observation", "o1", "urn:uuid:1"));
  draft.add_entry(Kind::observation, 0, "Patient/p1");
  // Made up (as a C-CDA reader's fullUrl): its own, not its item's.
  draft.observations.push_back(item("Observation", "o2", ""));
  draft.add_entry("Observation", "o2", "urn:made-up:1", Kind::observation, 1);
  draft.observations.push_back(item("Observation", "o3", ""));
  draft.add_entry(Kind::observation, 2);
  chartlock::Patient patient;
  patient.sources.emplace_back().resourceType = "Patient";
  patient.sources.back().set_id("p1");
  draft.patients.push_back(std::move(patient));
  draft.add_entry(Kind::patient, 0);
  // The items' lists grow (and move their strings) after the entries are added.
  for (int i = 0; i < 100; ++i) draft.observations.push_back(item("Observation", "later", ""));
  const auto t0 = draft.texts(0), t1 = draft.texts(1), t2 = draft.texts(2);
  CHECK((t0.type == "Observation" && t0.id == "o1" && t0.full_url == "urn:uuid:1"));
  CHECK((t1.type == "Observation" && t1.id == "o2" && t1.full_url == "urn:made-up:1"));
  CHECK((t2.type == "Observation" && t2.id == "o3" && t2.full_url.empty()));
  CHECK((draft.texts(3).type == "Patient" && draft.texts(3).id == "p1"));
  CHECK(draft.text[draft.subject(0)] == "Patient/p1");
  CHECK(draft.text[draft.subject(2)].empty());
  // A Patient moved into the record (merge_patients) is still a Patient.
  chartlock::Patient into = std::move(draft.patients[0]);
  CHECK(draft.texts(3).type == "Patient");
  // An item's own texts are not copied into the draft's arena: only the
  // made-up entry's and the subject are.
  SourceDraft bare;
  bare.observations.push_back(item("Observation", std::string(200, 'x').c_str(), ""));
  bare.add_entry(Kind::observation, 0);
  CHECK(bare.text.capacity() == 0);
  CHECK(bare.texts(0).id.size() == 200);
}

TEST_CASE("a draft's references, once resolved, keep their outcome and target, not their texts",
          "[ingest][arena][references]") {
  SourceDraft draft;
  draft.add_ref(Kind::observation, 0, RefSlot::encounter, "Encounter/e1", "/0/encounter");
  draft.add_ref(Kind::observation, 1, RefSlot::encounter, "Encounter/gone", "/1/encounter");
  draft.add_ref(Kind::observation, 2, RefSlot::encounter, "Encounter?identifier=x", "/2/encounter");
  draft.add_ref(Kind::observation, 3, RefSlot::encounter, "Encounter/e1", "/3/encounter");
  REQUIRE(draft.ref_text.capacity() > 0);
  std::vector<std::string> asked;
  draft.resolve_refs([&](std::string_view reference) {
    asked.emplace_back(reference);
    if (reference == "Encounter/e1") return std::pair<RefOutcome, std::uint32_t>(RefOutcome::found, 7);
    if (reference.find('?') != std::string_view::npos) return std::pair<RefOutcome, std::uint32_t>(RefOutcome::conditional, 0);
    return std::pair<RefOutcome, std::uint32_t>(RefOutcome::dangling, 0);
  });
  CHECK(asked == std::vector<std::string>{"Encounter/e1", "Encounter/gone", "Encounter?identifier=x", "Encounter/e1"});
  CHECK(draft.refs[0].outcome == RefOutcome::found);
  CHECK(draft.refs[0].target() == 7);
  CHECK(draft.refs[1].outcome == RefOutcome::dangling);
  CHECK(draft.refs[2].outcome == RefOutcome::conditional);
  CHECK(draft.refs[3].outcome == RefOutcome::found);
  CHECK(draft.refs[3].target() == 7);
  CHECK(draft.text[draft.refs[1].pointer] == "/1/encounter");  // kept, for the warnings
  CHECK(draft.ref_text.capacity() == 0);                          // freed
  // A reference added after (another pass) is resolved then, the others not asked again.
  draft.add_ref(Kind::observation, 4, RefSlot::encounter, "Encounter/e1", "/4/encounter");
  asked.clear();
  draft.resolve_refs([&](std::string_view reference) {
    asked.emplace_back(reference);
    return std::pair<RefOutcome, std::uint32_t>(RefOutcome::found, 9);
  });
  CHECK(asked == std::vector<std::string>{"Encounter/e1"});
  CHECK(draft.refs[4].target() == 9);
  CHECK(draft.refs[0].target() == 7);
}

namespace {

const char* const kUuid = "0f6c1a5e-09ab-4cde-8f00-1234567890ab";

// Every pending reference's text, as resolve_refs hands it to the index.
std::vector<std::string> resolved_texts(SourceDraft& draft) {
  std::vector<std::string> asked;
  draft.resolve_refs([&](std::string_view reference) {
    asked.emplace_back(reference);
    return std::pair<RefOutcome, std::uint32_t>(RefOutcome::dangling, 0);
  });
  return asked;
}

bool packed(const PendingRef& r) { return r.held == PendingRef::kUuid; }

}  // namespace

TEST_CASE("a canonical UUID packs into 16 bytes and back; no other spelling packs", "[ingest][arena][references]") {
  unsigned char bytes[16];
  char text[36];
  REQUIRE(chartlock::fhir::pack_uuid(kUuid, bytes));
  CHECK(bytes[0] == 0x0f);
  CHECK(bytes[15] == 0xab);
  chartlock::fhir::unpack_uuid(bytes, text);
  CHECK(std::string(text, 36) == kUuid);
  // Every byte value, at every place, comes back as it went in.
  for (unsigned v = 0; v < 256; ++v) {
    unsigned char in[16], back[16];
    for (unsigned i = 0; i < 16; ++i) in[i] = static_cast<unsigned char>(v * 7 + i * 31);
    chartlock::fhir::unpack_uuid(in, text);
    REQUIRE(chartlock::fhir::pack_uuid(std::string_view(text, 36), back));
    REQUIRE(std::equal(in, in + 16, back));
  }
  const std::string good = kUuid;
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string near = good;
    near[i] = good[i] == '-' ? '0' : '-';  // a dash moved, or one missing
    CHECK_FALSE(chartlock::fhir::pack_uuid(near, bytes));
    for (char c : {'A', 'F', 'g', 'G', 'z', '/', ':', '`', '{'}) {
      if (good[i] == '-') continue;
      near[i] = c;  // uppercase (would come back lowercase) or no hex digit
      CHECK_FALSE(chartlock::fhir::pack_uuid(near, bytes));
    }
  }
  CHECK_FALSE(chartlock::fhir::pack_uuid(good.substr(1), bytes));
  CHECK_FALSE(chartlock::fhir::pack_uuid(good + "0", bytes));
  CHECK_FALSE(chartlock::fhir::pack_uuid("{" + good.substr(1) , bytes));
  CHECK_FALSE(chartlock::fhir::pack_uuid("0f6c1a5e09ab4cde8f001234567890ab1234", bytes));  // no dashes
}

TEST_CASE("a draft's references come back as they were added, packed or not", "[ingest][arena][references][draft]") {
  const std::string uuid = kUuid;
  std::string upper = uuid;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string near = uuid;
  near[8] = '0';
  std::vector<std::string> shapes = {
      "urn:uuid:" + uuid, "Encounter/" + uuid, "https://ehr.example/fhir/Encounter/" + uuid, uuid,
      "Encounter/" + uuid + "/_history/2", "Encounter/" + upper, "urn:uuid:" + upper, "Encounter/" + near,
      "Encounter/" + uuid.substr(1), "Encounter/x" + uuid, "Encounter?identifier=" + uuid, "#med1",
      "Encounter/e1", "urn:uuid:" + uuid, "Observation/" + uuid, "Encounter/" + uuid};
  // More prefixes than are numbered: the rest held as text, as they read.
  for (int i = 0; i < 40; ++i) shapes.push_back("Type" + std::to_string(i) + "/" + uuid);
  shapes.push_back("Encounter/" + uuid);
  SourceDraft draft;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    draft.add_ref(Kind::observation, i, RefSlot::encounter, shapes[i], "/encounter");
  }
  CHECK(packed(draft.refs[1]));
  CHECK(packed(draft.refs[3]));  // a UUID alone: an empty prefix
  CHECK_FALSE(packed(draft.refs[4]));
  CHECK_FALSE(packed(draft.refs[5]));
  CHECK_FALSE(packed(draft.refs[7]));
  CHECK(packed(draft.refs[9]));  // the prefix "Encounter/x"
  CHECK_FALSE(packed(draft.refs[shapes.size() - 2]));  // past the numbered prefixes
  CHECK(packed(draft.refs.back()));                    // a prefix numbered already
  CHECK(resolved_texts(draft) == shapes);
  for (const auto& r : draft.refs) CHECK(r.held == PendingRef::kText);  // resolved: a target, not a text
}

TEST_CASE("a text held plain with the bytes of a packed one reads as itself", "[ingest][arena][references][draft]") {
  SourceDraft draft;
  draft.add_ref(Kind::observation, 0, RefSlot::encounter, std::string("Encounter/") + kUuid, "/encounter");
  // Prefix number 0, then the UUID's bytes: the same 17 bytes as the packed
  // form above.
  std::string same(1, '\0');
  unsigned char bytes[16];
  REQUIRE(chartlock::fhir::pack_uuid(kUuid, bytes));
  same.append(reinterpret_cast<const char*>(bytes), 16);
  draft.add_ref(Kind::observation, 1, RefSlot::encounter, same, "/encounter");
  draft.add_ref(Kind::observation, 2, RefSlot::encounter, std::string("Encounter/") + kUuid, "/encounter");
  CHECK(packed(draft.refs[0]));
  CHECK_FALSE(packed(draft.refs[1]));
  CHECK(resolved_texts(draft) == std::vector<std::string>{std::string("Encounter/") + kUuid, same,
                                                          std::string("Encounter/") + kUuid});
}

TEST_CASE("references to UUIDs are held in 18 bytes each", "[ingest][arena][references][draft]") {
  SourceDraft draft;
  std::vector<std::string> added;
  char text[36];
  for (std::uint32_t i = 0; i < 10000; ++i) {
    unsigned char bytes[16] = {};
    for (int b = 0; b < 4; ++b) bytes[b] = static_cast<unsigned char>(i >> (8 * b));
    chartlock::fhir::unpack_uuid(bytes, text);
    added.push_back((i % 2 ? "Encounter/" : "Observation/") + std::string(text, 36));
    draft.add_ref(Kind::report, i, RefSlot::result, added.back(), "/result");
  }
  // 180,000 bytes: three 64 KiB blocks, where their texts (46 and 48
  // characters) would fill eight.
  CHECK(draft.ref_text.capacity() <= 3 * 64 * 1024);
  CHECK(resolved_texts(draft) == added);
  CHECK(draft.ref_text.capacity() == 0);
}

TEST_CASE("a run of equal references is resolved once, each taking its answer", "[ingest][arena][references][draft]") {
  const std::string a = std::string("Encounter/") + kUuid;
  const std::vector<std::string> added = {a, a, a, "Encounter/e1", "Encounter/e1", a, "", "", a};
  SourceDraft draft;
  for (std::size_t i = 0; i < added.size(); ++i) {
    draft.add_ref(Kind::observation, i, RefSlot::encounter, added[i], "/encounter");
  }
  std::vector<std::string> asked;
  draft.resolve_refs([&](std::string_view reference) {
    asked.emplace_back(reference);
    // Each answer its own target, and "Encounter/e1" dangling.
    const auto outcome = reference == "Encounter/e1" ? RefOutcome::dangling : RefOutcome::found;
    return std::pair<RefOutcome, std::uint32_t>(outcome, static_cast<std::uint32_t>(asked.size()));
  });
  CHECK(asked == std::vector<std::string>{a, "Encounter/e1", a, "", a});
  const std::vector<std::uint32_t> targets = {1, 1, 1, 0, 0, 3, 4, 4, 5};
  for (std::size_t i = 0; i < added.size(); ++i) {
    INFO(i);
    CHECK(draft.refs[i].outcome == (added[i] == "Encounter/e1" ? RefOutcome::dangling : RefOutcome::found));
    if (draft.refs[i].outcome == RefOutcome::found) CHECK(draft.refs[i].target() == targets[i]);
  }
}

TEST_CASE("a name reference keeps which of its item's names it fills", "[ingest][arena][references][draft]") {
  SourceDraft draft;
  const std::vector<std::size_t> positions = {0, 3, 0, 0, 5, 1, 0};
  for (std::size_t i = 0; i < positions.size(); ++i) {
    draft.add_ref(Kind::document, 0, RefSlot::name, "Practitioner/p" + std::to_string(i), "/author", positions[i]);
  }
  for (std::size_t i = 0; i < positions.size(); ++i) CHECK(draft.position(i) == positions[i]);
  CHECK(draft.position(positions.size()) == 0);
  draft.free_index();
  CHECK(draft.position(1) == 0);
}

namespace {

// An NDJSON source read as the ingest reads it, its references not yet resolved.
struct ReadSource {
  SourceDraft draft;
  std::vector<chartlock::Diagnostic> warnings;
  explicit ReadSource(const std::string& ndjson) {
    simdjson::dom::parser parser;
    chartlock::SourceSummary summary;
    std::map<std::string, std::uint64_t> counts;
    chartlock::Source source{"test", ndjson, chartlock::Source::Format::ndjson};
    chartlock::fhir::read_source(source, chartlock::IngestOptions{}, parser, draft, summary, counts, warnings);
  }
};

std::string observation(const std::string& id, const std::string& encounter, const std::string& members = "") {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"},"encounter":{"reference":")" +
         encounter + "\"}" + (members.empty() ? "" : R"(,"hasMember":[{"reference":")" + members + "\"}]") + "}";
}

std::string encounter(const std::string& id) {
  return R"({"resourceType":"Encounter","id":")" + id + R"(","status":"finished","subject":{"reference":"Patient/p1"}})";
}

// A Bundle on one line: its entry has the fullUrl given, and an id or none.
std::string bundle_line(const std::string& full_url, const std::string& id) {
  return R"({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":")" + full_url +
         R"(","resource":{"resourceType":"Encounter",)" + (id.empty() ? "" : "\"id\":\"" + id + "\",") +
         R"("status":"finished","subject":{"reference":"Patient/p1"}}}]})";
}

}  // namespace

// What makes resolving at the end give the answers it gave before: every
// reference, however held, reads back as the very text that was read, and
// ReferenceIndex::find is asked with it once the whole source is read.
TEST_CASE("a reference to a resource read already is held as it, and reads back as its text", "[ingest][references][draft]") {
  const std::string uuid = kUuid;
  // An Observation line holding one reference, as its encounter.
  const auto holding = [](const std::string& id, const std::string& reference) {
    return std::make_pair(observation(id, reference), reference);
  };
  const std::vector<std::pair<std::string, std::string>> lines = {
      // (line, the references it holds, '|' between them)
      {R"({"resourceType":"Patient","id":"p1"})", ""},
      {encounter("e1"), ""},
      holding("o1", "Encounter/e1"),  // back
      holding("o2", "https://ehr.example/fhir/Encounter/e1"),
      {observation("o3", "Encounter/e2", "Observation/o1"), "Observation/o1|Encounter/e2"},  // back, forward
      {encounter("e2"), ""},
      holding("o4", "Encounter/e1/_history/3"),
      holding("o5", "#c1"),
      holding("o6", "Encounter?identifier=e1"),
      holding("o7", "Encounter/e1?x"),
      holding("o8", "/e1"),
      holding("o9", "Encounter/"),
      holding("o10", "urn:uuid:" + uuid),
      holding("o11", "Encounter//e1"),
      holding("o12", "encounter/e1"),  // another type: not e1's
      // Read twice: the second is a repeat, not read; the first is named.
      {encounter("e1"), ""},
      holding("o13", "Encounter/e1"),
      // A resource without an id is seen by its fullUrl, here the characters
      // of a type and id: a reference to them is not held as it.
      {bundle_line("Encounter/e3", ""), ""},
      holding("o14", "Encounter/e3"),
      // A later fullUrl spelling a reference held as e1: the index finds it
      // first (below), from the reference's text.
      {bundle_line("Encounter/e1", "e9"), ""},
      holding("o15", "Encounter/e9"),
  };
  std::string ndjson;
  std::vector<std::string> expected;
  for (const auto& [line, refs] : lines) {
    ndjson += line + "\n";
    for (std::size_t at = 0; !refs.empty();) {
      const std::size_t bar = refs.find('|', at);
      expected.push_back(refs.substr(at, bar - at));
      if (bar == std::string::npos) break;
      at = bar + 1;
    }
  }
  ReadSource read(ndjson);
  SourceDraft& draft = read.draft;
  REQUIRE(draft.refs.size() == expected.size());
  std::vector<bool> as_target;
  for (const PendingRef& r : draft.refs) as_target.push_back(r.held >= PendingRef::kTarget);
  // Held as their targets: o1's, o2's (an absolute base), o3's member,
  // o13's and o15's; none of the others (forward, versioned, contained,
  // conditional, a query, no type, no id, an empty segment, another type, a
  // fullUrl's characters).
  const std::vector<bool> want = {true,  true,  true,  false, false, false, false, false,
                                  false, false, false, false, false, true,  false, true};
  CHECK(as_target == want);
  std::string scratch;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(i);
    CHECK(draft.reference_text(draft.refs[i], scratch) == expected[i]);
  }
  // Resolved at the end by the index, which finds by fullUrl first: e1's
  // references (held as e1) go to the entry whose fullUrl is their text,
  // the versioned one too, and "Encounter/e3" to the one without an id.
  const chartlock::merge::ReferenceIndex index(draft);
  CHECK(index.has_full_urls());
  std::vector<std::string> asked;
  draft.resolve_refs(
      [&](std::string_view reference) {
        asked.emplace_back(reference);
        const auto r = index.find(reference);
        return std::pair<RefOutcome, std::uint32_t>(r.outcome, r.entry);
      },
      !index.has_full_urls());
  CHECK(asked.size() <= expected.size());
  const auto full_url_of = [&](std::size_t ref) { return std::string(draft.texts(draft.refs[ref].target()).full_url); };
  const auto id_of = [&](std::size_t ref) { return std::string(draft.texts(draft.refs[ref].target()).id); };
  REQUIRE(draft.refs[0].outcome == RefOutcome::found);
  CHECK(full_url_of(0) == "Encounter/e1");
  CHECK(id_of(0) == "e9");
  CHECK(draft.refs[1].outcome == RefOutcome::found);  // no fullUrl is its text: e1 by type and id
  CHECK(id_of(1) == "e1");
  CHECK(id_of(2) == "o1");
  CHECK(id_of(3) == "e2");
  CHECK(full_url_of(4) == "Encounter/e1");  // versioned: its path is a fullUrl
  CHECK(draft.refs[5].outcome == RefOutcome::dangling);
  CHECK(draft.refs[6].outcome == RefOutcome::conditional);
  CHECK(draft.refs[13].outcome == RefOutcome::found);
  CHECK(full_url_of(13) == "Encounter/e1");
  CHECK(full_url_of(14) == "Encounter/e3");
  CHECK(id_of(15) == "e9");
}

// The same through the whole ingest: a reference held as the resource it
// names, whose target is not what its slot wants, dangling ones, forward
// ones and repeats give the warnings, in the order, that reading the texts
// gave (each a reference's pointer and line).
TEST_CASE("references held as their targets warn as their texts did, in order", "[ingest][references][draft]") {
  const std::string ndjson =
      std::string(R"({"resourceType":"Patient","id":"p1"})") + "\n" +
      R"({"resourceType":"Condition","id":"c1","code":{"text":"c"},"subject":{"reference":"Patient/p1"}})" + "\n" +
      encounter("e1") + "\n" +
      observation("o1", "Condition/c1") + "\n" +                     // back, the wrong type
      observation("o2", "Encounter/e1", "Encounter/e1") + "\n" +     // a member that is no Observation
      observation("o3", "Encounter/e2") + "\n" +                     // dangling
      observation("o4", "Encounter/e1", "Observation/o5") + "\n" +   // forward
      observation("o5", "Encounter/e1", "Observation/o1") + "\n" +   // back
      encounter("e1") + "\n" +                                       // a repeat
      observation("o6", "Condition/c1") + "\n";
  const chartlock::Record r = test::ingest_one(ndjson);
  std::vector<std::string> links;  // the links' warnings, in order
  for (const chartlock::Diagnostic& d : r.warnings) {
    if (d.message.find("reference points at") != std::string::npos) links.push_back(d.to_string());
  }
  CHECK(links == std::vector<std::string>{
                     "test: /encounter: reference points at a Condition, expected Encounter",
                     "test: /hasMember/0: reference points at a Encounter, expected Observation",
                     "test: /encounter: reference points at nothing in this source",
                     "test: /encounter: reference points at a Condition, expected Encounter"});
  REQUIRE(r.observations.size() == 6);
  const auto obs = [&](std::size_t i) -> const chartlock::Observation& { return r.observations[i]; };
  REQUIRE(r.encounters.size() == 1);
  CHECK(obs(0).encounter.empty());
  CHECK(obs(1).encounter == r.encounters[0].key);
  CHECK(obs(1).members.empty());
  CHECK(obs(2).encounter.empty());
  REQUIRE(obs(3).members.size() == 1);
  CHECK(obs(3).members[0] == obs(4).key);
  REQUIRE(obs(4).members.size() == 1);
  CHECK(obs(4).members[0] == obs(0).key);
}

TEST_CASE("an entry's subject comes back from the runs it is kept in", "[ingest][arena][draft]") {
  SourceDraft draft;
  const std::vector<std::string> subjects = {"Patient/p1", "Patient/p1", "", "Patient/p2", "Patient/p2",
                                             "Patient/p1", "", "", "Patient/p3", "Patient/p3"};
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    draft.add_entry("Observation", "o" + std::to_string(i), "", Kind::observation, i, subjects[i]);
  }
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    INFO(i);
    CHECK(draft.text[draft.subject(static_cast<std::uint32_t>(i))] == subjects[i]);
  }
  // A run's entries share its text; the next run has its own.
  CHECK(draft.subject(0) == draft.subject(1));
  CHECK(draft.subject(3) == draft.subject(4));
  CHECK(draft.subject(0) != draft.subject(5));
  CHECK(draft.subject(6).empty());
  draft.free_entries();
  CHECK(draft.subject(0).empty());
}

TEST_CASE("a reference's pointer seen a few references before is held once", "[ingest][arena][draft]") {
  SourceDraft draft;
  const std::vector<std::string> cycle = {"/hasMember/0", "/hasMember/1", "/encounter", "/result/0", "/result/1",
                                          "/result/10", "/author/0", ""};
  const auto add = [&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      draft.add_ref(Kind::observation, i, RefSlot::member, "Observation/o" + std::to_string(i), cycle[i % cycle.size()]);
    }
  };
  add(4000);
  for (std::size_t i = 0; i < 4000; ++i) {
    INFO(i);
    REQUIRE(draft.text[draft.refs[i].pointer] == cycle[i % cycle.size()]);
    if (i >= cycle.size()) REQUIRE(draft.refs[i].pointer == draft.refs[i - cycle.size()].pointer);
  }
  CHECK(draft.text.capacity() <= 64 * 1024);  // a few texts, where each copied would fill two blocks
  // Freed with the entries, and not taken again after.
  draft.free_index();
  add(100);
  for (std::size_t i = 0; i < 100; ++i) CHECK(draft.text[draft.refs[i].pointer] == cycle[i % cycle.size()]);
}

// Where no resource has a fullUrl, a reference held as its target is found
// as that entry without its text spelled and asked: the answer the index
// gives its text, for every shape, including those that must not be held
// so (a '?' or "/_history/" whose characters also split into an entry's
// type and id).
TEST_CASE("with no fullUrl in a source, a reference held as its target is found as its text would be", "[ingest][references][draft]") {
  const std::vector<std::string> lines = {
      R"({"resourceType":"Patient","id":"p1"})",
      encounter("e1"),
      encounter("e1?x"),  // an id that a query's characters spell
      R"({"resourceType":"_history","id":"3"})",  // a type and id that a version's characters spell
      R"({"resourceType":"Condition","id":"c1","code":{"text":"c"},"subject":{"reference":"Patient/p1"}})",
      observation("o1", "Encounter/e1"),
      observation("o2", "https://ehr.example/fhir/Encounter/e1", "Observation/o1"),
      observation("o3", "Encounter/e2"),  // forward
      encounter("e2"),
      observation("o4", "Encounter/e1/_history/3"),
      observation("o5", "Encounter/e1?x"),
      observation("o6", "Condition/c1"),  // found, the wrong type
      observation("o7", "Encounter/e3"),  // dangling
      encounter("e1"),                    // a repeat
      observation("o8", "Encounter/e1", "Observation/o8"),  // itself: not read yet
      observation("o9", "Observation/o8"),
  };
  std::string ndjson;
  for (const std::string& line : lines) ndjson += line + "\n";
  ReadSource read(ndjson);
  SourceDraft& draft = read.draft;
  const chartlock::merge::ReferenceIndex index(draft);
  REQUIRE_FALSE(index.has_full_urls());
  // What the index answers each reference's text, asked before resolving.
  std::vector<chartlock::merge::ReferenceIndex::Result> expected;
  std::size_t as_target = 0;
  std::string scratch;
  for (const PendingRef& r : draft.refs) {
    expected.push_back(index.find(draft.reference_text(r, scratch)));
    if (r.held >= PendingRef::kTarget) ++as_target;
  }
  CHECK(as_target == 6);  // o1's, o2's two, o6's, o8's encounter and o9's
  std::size_t asked = 0;
  draft.resolve_refs(
      [&](std::string_view reference) {
        ++asked;
        const auto r = index.find(reference);
        return std::pair<RefOutcome, std::uint32_t>(r.outcome, r.entry);
      },
      !index.has_full_urls());
#ifdef NDEBUG
  CHECK(asked == draft.refs.size() - as_target);
#else
  CHECK(asked == draft.refs.size());  // a debug build asks for those too, to check them (resolve_refs)
#endif
  for (std::size_t i = 0; i < draft.refs.size(); ++i) {
    INFO(i);
    CHECK(draft.refs[i].outcome == expected[i].outcome);
    if (expected[i].outcome == RefOutcome::found) CHECK(draft.refs[i].target() == expected[i].entry);
  }
}
