// SPDX-License-Identifier: Apache-2.0
#include "keyed_hash.hpp"
#include "fhir/source_reader.hpp"

#include <optional>
#include <unordered_set>

#include "fhir/resource_names.hpp"
#include "fhir/resource_readers.hpp"
#include "fhir/resource_scan.hpp"
#include "fhir/seen_resources.hpp"
#include "json/array_member.hpp"
#include "json/duplicate_keys.hpp"
#include "json/json_parse.hpp"

namespace chartlock::fhir {

namespace {

// A Bundle's entries held as text, each parsed only when it is read (see
// read_split_bundle), with the parser and limits to parse them with.
struct EntryTexts {
  const std::vector<std::string_view>& texts;
  simdjson::dom::parser& parser;
  JsonLimits limits;      // the document's, less the two levels above an entry
  const char* input_end;  // readable through input_end + padding
  std::size_t padding;
};

// An entry's text did not parse on its own: the caller reads the whole input
// again as one document, which reports the error as it always has.
struct EntryUnparsed {};

// Over the source's resource limit: the whole source fails, even in NDJSON,
// where other errors fail only their line.
struct TooManyResources : IngestError {
  using IngestError::IngestError;
};

class SourceReader {
 public:
  SourceReader(const Source& source, const IngestOptions& options, SourceDraft& draft,
               SourceSummary& summary, std::map<std::string, std::uint64_t>& counts,
               std::vector<Diagnostic>& warnings)
      : options_(options), draft_(draft), summary_(summary), counts_(counts),
        diagnostics_(source.name, warnings) {
    draft_.look_up_targets(&seen_);
  }

  ~SourceReader() {
    draft_.look_up_targets(nullptr);
    diagnostics_.finish();
  }

  Diagnostics& diagnostics() { return diagnostics_; }

  // The top-level Bundle's entries come as separate texts (the root then has
  // an empty "entry" array).
  void use_entry_texts(const EntryTexts* entries) { entry_texts_ = entries; }

  // One element of a Bundle's top-level "entry" array read as it comes
  // (BundleStream): as read_bundle reads entry texts. Throws EntryUnparsed.
  void read_entry_text(std::string_view text, std::size_t padding, std::size_t index,
                       simdjson::dom::parser& parser, const JsonLimits& entry_limits) {
    element e;
    try {
      e = json::parse(parser, text, padding, entry_limits, diagnostics_.source());
    } catch (const IngestError&) {
      throw EntryUnparsed{};
    }
    const Path at;
    const Path entry_path = at / "entry";
    read_entry(e, entry_path / index, 0);
  }

  // A Bundle's envelope (BundleStream): what read_root reads of it before
  // its entries. False when it is not a Bundle's.
  bool read_envelope(element root) {
    const Path at;
    object obj;
    std::string_view type;
    if (root.get_object().get(obj) != simdjson::SUCCESS ||
        obj.at_key("resourceType").get(type) != simdjson::SUCCESS || type != "Bundle") {
      return false;
    }
    if (summary_.format.empty()) summary_.format = "bundle";
    const Fields fields(obj);
    summary_.bundleType = string_or_empty(diagnostics_, fields, "type", at);
    warn_duplicate_key(obj, at);
    return get_array(diagnostics_, fields, "entry", at).has_value();
  }

  // The top-level JSON value of a document (or of one NDJSON line).
  void read_root(element root, bool top) {
    const Path at;
    object obj;
    std::string_view type;
    if (root.get_object().get(obj) != simdjson::SUCCESS) {
      fail_or_warn(top, at, std::string("expected a FHIR resource or Bundle (a JSON object), found ") +
                                json::describe(root.type()));
      return;
    }
    if (obj.at_key("resourceType").get(type) != simdjson::SUCCESS) {
      fail_or_warn(top, at, "no resourceType: not a FHIR resource or Bundle");
      return;
    }
    // Another resource with an "entry" array: its text was split for nothing.
    if (type != "Bundle" && entry_texts_) throw EntryUnparsed{};
    if (type == "Bundle") {
      if (top && summary_.format.empty()) summary_.format = "bundle";
      if (top) summary_.bundleType = string_or_empty(diagnostics_, Fields(obj), "type", at);
      read_bundle(obj, at, 0);
    } else {
      if (top && summary_.format.empty()) summary_.format = "resource";
      read_resource(root, at, {});
    }
  }

 private:
  void fail_or_warn(bool top, const Path& at, std::string message) {
    if (top) {
      throw IngestError(Diagnostic{DiagnosticCode::not_fhir, diagnostics_.source(), at.str(),
                                   0, std::move(message)});
    }
    diagnostics_.warn(DiagnosticCode::bad_resource, at, std::move(message));
  }

  void read_bundle(object bundle, const Path& at, std::size_t nesting) {
    warn_duplicate_key(bundle, at);
    auto entries = get_array(diagnostics_, Fields(bundle), "entry", at);
    if (!entries) return;
    const Path entry_path = at / "entry";
    if (nesting == 0 && entry_texts_) {
      const EntryTexts& t = *entry_texts_;
      std::size_t i = 0;
      for (std::string_view text : t.texts) {
        // The rest of the input follows each entry: simdjson parses it in place.
        const std::size_t padding =
            static_cast<std::size_t>(t.input_end - (text.data() + text.size())) + t.padding;
        element e;
        try {
          e = json::parse(t.parser, text, padding, t.limits, diagnostics_.source());
        } catch (const IngestError&) {
          throw EntryUnparsed{};
        }
        read_entry(e, entry_path / i++, nesting);
      }
      return;
    }
    std::size_t i = 0;
    for (element e : *entries) read_entry(e, entry_path / i++, nesting);
  }

  void read_entry(element e, const Path& item, std::size_t nesting) {
    object entry;
    if (e.get_object().get(entry) != simdjson::SUCCESS) {
      diagnostics_.warn(DiagnosticCode::wrong_type, item,
                        std::string("expected a Bundle entry (an object), found ") +
                            json::describe(e.type()));
      return;
    }
    warn_duplicate_key(entry, item);
    element resource;
    // Entries without a resource (a transaction-response's status lines,
    // a deleted history entry) hold nothing to read.
    if (entry.at_key("resource").get(resource) != simdjson::SUCCESS) return;
    const Path res_path = item / "resource";
    object res_obj;
    std::string_view type;
    if (resource.get_object().get(res_obj) == simdjson::SUCCESS &&
        res_obj.at_key("resourceType").get(type) == simdjson::SUCCESS && type == "Bundle") {
      // batch-responses carry searchset Bundles; read through them.
      if (nesting + 1 > options_.limits.max_bundle_nesting) {
        diagnostics_.warn(DiagnosticCode::bad_resource, res_path,
                          "Bundles nested deeper than " +
                              std::to_string(options_.limits.max_bundle_nesting) +
                              " levels are not read");
        return;
      }
      read_bundle(res_obj, res_path, nesting + 1);
      return;
    }
    // A view into the parsed input: copied once, into the provenance.
    // The entry is asked for its fullUrl only: found without a table.
    read_resource(resource, res_path, get_member_string(diagnostics_, entry, "fullUrl", item).value_or(""));
  }

  void read_resource(element resource, const Path& at, std::string_view full_url) {
    object obj;
    if (resource.get_object().get(obj) != simdjson::SUCCESS) {
      diagnostics_.warn(DiagnosticCode::bad_resource, at,
                        std::string("expected a resource (an object), found ") +
                            json::describe(resource.type()));
      return;
    }
    // An item is walked once, for its sensitive categories and for a repeated
    // key together; the duplicate's pointer is looked for only when one repeats.
    const Fields fields(obj);  // walked once, for every field read below and by the reader
    const std::optional<element> type_field = fields.find("resourceType");
    std::optional<ResourceScan> scan;
    if (std::string_view t; type_field && type_field->get(t) == simdjson::SUCCESS && t != "Patient" &&
                            find_reader(t) != nullptr) {
      scan = scan_resource(resource);
    }
    // Not read, so not shared either: the tool would parse it differently.
    if (!scan || scan->repeated_key) {
      if (auto duplicate = json::find_duplicate_key_deep(resource, at)) {
        diagnostics_.warn(DiagnosticCode::bad_resource, Path(*duplicate),
                          "a key appears twice in one object, which JSON parsers read "
                          "differently; the resource is not read");
        return;
      }
    }
    auto type = get_string(diagnostics_, fields, "resourceType", at);
    if (!type || type->empty()) {
      diagnostics_.warn(DiagnosticCode::bad_resource, at, "resource has no resourceType");
      return;
    }
    ++count_of(*type);
    if (++summary_.resources > options_.limits.max_resources) {
      throw TooManyResources(Diagnostic{DiagnosticCode::too_large, diagnostics_.source(), at.str(),
                                        diagnostics_.line(),
                                        "too many resources in one source: the limit is " +
                                            std::to_string(options_.limits.max_resources)});
    }
    if (is_repeat(*type, fields, full_url)) return;

    ItemBase base;
    Provenance& prov = base.sources.emplace_back();
    prov.source = diagnostics_.source();
    prov.resourceType = *type;
    // Its texts copied once, into one block: views into the input, and the
    // pointer written into a buffer reused from resource to resource.
    const std::string_view id = view_or_empty(diagnostics_, fields, "id", at);
    std::string_view last_updated;
    if (auto meta = get_object(diagnostics_, fields, "meta", at)) {
      last_updated = view_member_date_time(diagnostics_, *meta, "lastUpdated", at / "meta");
    }
    at.assign_to(pointer_);
    prov.set_texts(id, full_url, last_updated, pointer_);
    if (options_.keep_raw) base.raw = simdjson::minify(resource);

    // Whose record this is, for sources that hold several patients.
    // A view into the parsed input, copied by add_entry after the reader has
    // run: it stays valid because no reader parses again with this source's
    // parser while its resource is read.
    std::string_view subject;
    for (const char* field : {"subject", "patient"}) {
      if (auto r = get_reference_text(diagnostics_, fields, field, at)) {
        subject = *r;
        break;
      }
    }
    const ReaderEntry* reader = find_reader(*type);
    // Only items can be shared; the Patient is rebuilt from its name and dates.
    if (reader && *type != "Patient") {
      base.sensitive = scan ? scan->sensitive : scan_resource(resource).sensitive;
      // Every item type that has notes calls them note (Annotation).
      for_each_object(diagnostics_, fields, "note", at, [&](const Fields& note, const Path& p) {
        std::string text = string_or_empty(diagnostics_, note, "text", p);
        if (!text.empty()) base.notes.push_back(std::move(text));
      });
    }
    bool read = false;
    if (reader) {
      ResourceInput in{diagnostics_, draft_, fields, at, std::move(base), draft_.size(reader->kind)};
      // Readers move `base` into their item only once they accept it.
      read = reader->read(in);
      if (read) {
        draft_.add_entry(reader->kind, in.index, subject);
      } else {
        base = std::move(in.base);
      }
    }
    if (!read) {
      const std::size_t index = draft_.other.size();
      if (*type == "Medication") {
        draft_.medication_codes.emplace(index, get_concept(diagnostics_, fields, "code", at));
      } else if (has_name(*type)) {
        if (auto name = resource_name(diagnostics_, *type, fields, at)) draft_.names.emplace(index, std::move(*name));
      }
      OtherResource other;
      static_cast<ItemBase&>(other) = std::move(base);
      other.resourceType = other.sources.front().resourceType;
      draft_.other.push_back(std::move(other));
      // Its type, id and fullUrl are read from the item's provenance.
      draft_.add_entry(Kind::other, index, subject);
    }
    // Only a resource with a key was left unsettled by is_repeat, with that
    // key's hash; one without a key is filed under none.
    if (unsettled_) seen_.insert(static_cast<std::uint32_t>(draft_.entries.size() - 1), unsettled_hash_);
    unsettled_ = false;
  }

  // The count of a resourceType in counts_, found without building a
  // std::string (a map of strings finds only by one, and "DiagnosticReport"
  // is past the inline buffer) among the first 16 distinct types counted;
  // the map's nodes never move.
  std::uint64_t& count_of(std::string_view type) {
    for (auto* c : recent_counts_) {
      if (c->first == type) return c->second;
    }
    auto& c = *counts_.try_emplace(std::string(type)).first;
    // Few types in a source; a hostile one with many is counted through the map.
    if (recent_counts_.size() < kRecentCounts) recent_counts_.push_back(&c);
    return c.second;
  }

  // Bundle and entry fields are read, not shared: the first of two equal keys is read.
  void warn_duplicate_key(object obj, const Path& at) {
    if (auto duplicate = json::find_duplicate_key(obj, at)) {
      diagnostics_.warn(DiagnosticCode::invalid_value, Path(*duplicate),
                        "a key appears twice in one object; the first is read");
    }
  }

  // A resource listed twice in one source (the same one on two search pages,
  // an _include that repeats a match) is one resource: read it once.
  bool is_repeat(std::string_view type, const Fields& obj, std::string_view full_url) {
    if (unsettled_) {
      // The last resource stopped with an error after this check (an NDJSON
      // line, whose error skips the line only): its key still counts as seen.
      unread_.insert(unsettled_key_);
      unsettled_ = false;
    }
    std::string_view id;
    if (auto e = obj.find("id"); !e || e->get(id) != simdjson::SUCCESS) id = {};
    const SeenResources::Key key = SeenResources::key(type, id, full_url);
    if (key.size() == 0) return false;
    unsettled_hash_ = SeenResources::hash(key);  // the entry's key: insert() reuses it
    if (seen_.contains(key, unsettled_hash_)) return true;
    unsettled_key_.assign(key.a).append(key.b).append(key.c);  // reuses its buffer
    if (!unread_.empty() && unread_.count(unsettled_key_) != 0) return true;
    unsettled_ = true;  // until its entry is added
    return false;
  }

  const IngestOptions& options_;
  const EntryTexts* entry_texts_ = nullptr;
  SourceDraft& draft_;
  SeenResources seen_{draft_};  // "Type/id", or fullUrl when there is no id
  // A resource that passed is_repeat and has no entry yet, and the keys of
  // those that never got one.
  bool unsettled_ = false;
  std::string unsettled_key_;
  std::string pointer_;  // the resource being read's JSON Pointer (its buffer reused)
  std::uint64_t unsettled_hash_ = 0;  // SeenResources::hash of its key
  std::unordered_set<std::string, KeyedStringHash> unread_;
  SourceSummary& summary_;
  std::map<std::string, std::uint64_t>& counts_;
  static constexpr std::size_t kRecentCounts = 16;
  std::vector<std::pair<const std::string, std::uint64_t>*> recent_counts_;
  Diagnostics diagnostics_;
};

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// NDJSON when the first line is a whole JSON object on its own and more
// follows. Pretty-printed JSON starts with a line that does not parse.
bool looks_like_ndjson(std::string_view bytes, simdjson::dom::parser& parser,
                       const JsonLimits& limits) {
  auto nl = bytes.find('\n');
  if (nl == std::string_view::npos) return false;
  if (trim(bytes.substr(nl + 1)).empty()) return false;
  std::string_view first = trim(bytes.substr(0, nl));
  if (first.empty() || first.front() != '{' || first.back() != '}') return false;
  try {
    return json::parse(parser, first, 0, limits, "").is_object();
  } catch (const IngestError&) {
    return false;
  }
}

// Reads each line of `text` (lines of NDJSON: the whole input, or a run of
// whole lines of it), numbering them on from `line_no`; `readable_end` is how
// far past `text` simdjson may read (at least SIMDJSON_PADDING).
void read_ndjson_lines(std::string_view text, const char* readable_end, std::uint64_t& line_no,
                       const std::string& name, const IngestOptions& options,
                       simdjson::dom::parser& parser, SourceReader& reader) {
  std::string_view rest = text;
  while (!rest.empty()) {
    ++line_no;
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    line = trim(line);
    if (line.empty()) continue;
    // The rest of the input follows each line, so simdjson may read into it
    // instead of copying the line to a padded buffer.
    const std::size_t padding = static_cast<std::size_t>(readable_end - (line.data() + line.size()));
    reader.diagnostics().set_line(line_no);
    try {
      reader.read_root(json::parse(parser, line, padding, options.limits, name, line_no), false);
    } catch (const TooManyResources&) {
      throw;
    } catch (const IngestError& e) {
      // One bad line is one bad resource: report it, keep the others.
      const Diagnostic& d = e.diagnostic();
      reader.diagnostics().warn(DiagnosticCode::bad_resource, Path(),
                                std::string(to_string(d.code)) + ": " + d.message);
    }
  }
  reader.diagnostics().set_line(0);
}

void read_ndjson(const Source& source, const IngestOptions& options,
                 simdjson::dom::parser& parser, SourceReader& reader) {
  std::uint64_t line_no = 0;
  read_ndjson_lines(source.bytes, source.bytes.data() + source.bytes.size() + source.padding, line_no,
                    source.name, options, parser, reader);
}

// A Bundle read entry by entry: the envelope (the Bundle without its entries)
// is parsed on its own, then each entry, so the parser's memory is sized for
// the largest entry rather than the whole input. Reads into its own scratch
// outputs and hands them over only on success: false when some entry did not
// parse alone, and the caller must read the input whole.
bool read_split_bundle(const Source& source, const json::SplitArray& split,
                       const IngestOptions& options, simdjson::dom::parser& parser,
                       SourceDraft& draft, SourceSummary& summary,
                       std::map<std::string, std::uint64_t>& counts,
                       std::vector<Diagnostic>& warnings) {
  // An entry sits two levels down (the Bundle object, its entry array).
  if (options.limits.max_depth <= 2) return false;
  EntryTexts texts{split.elements, parser, options.limits,
                   source.bytes.data() + source.bytes.size(), source.padding};
  texts.limits.max_depth -= 2;
  SourceDraft scratch_draft;
  SourceSummary scratch_summary = summary;
  std::map<std::string, std::uint64_t> scratch_counts;
  std::vector<Diagnostic> scratch_warnings;
  try {
    simdjson::dom::parser envelope_parser;
    element root;
    try {
      root = json::parse(envelope_parser, split.envelope, 0, options.limits, source.name);
    } catch (const IngestError&) {
      return false;
    }
    SourceReader reader(source, options, scratch_draft, scratch_summary, scratch_counts,
                        scratch_warnings);
    reader.use_entry_texts(&texts);
    reader.read_root(root, true);
  } catch (const EntryUnparsed&) {
    return false;
  }
  draft = std::move(scratch_draft);
  summary = std::move(scratch_summary);
  for (auto& [type, n] : scratch_counts) counts[type] += n;
  for (Diagnostic& w : scratch_warnings) warnings.push_back(std::move(w));
  return true;
}

}  // namespace

void read_source(const Source& source, const IngestOptions& options,
                 simdjson::dom::parser& parser, SourceDraft& draft, SourceSummary& summary,
                 std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings) {
  summary.name = source.name;
  summary.bytes = source.bytes.size();
  if (source.bytes.size() > options.limits.max_bytes) {
    throw too_large_input(source.name, source.bytes.size(), options.limits);
  }
  // RFC 8259 §8.1 lets a parser ignore a UTF-8 byte order mark, and exports
  // saved by Windows tools carry one; simdjson would call it a syntax error.
  Source unmarked = source;
  if (unmarked.bytes.substr(0, 3) == "\xEF\xBB\xBF") unmarked.bytes.remove_prefix(3);
  SourceReader reader(unmarked, options, draft, summary, counts, warnings);
  const bool ndjson = unmarked.format == Source::Format::ndjson ||
                      (unmarked.format == Source::Format::detect &&
                       looks_like_ndjson(unmarked.bytes, parser, options.limits));
  if (ndjson) {
    summary.format = "ndjson";
    read_ndjson(unmarked, options, parser, reader);
    return;
  }
  if (auto split = json::split_array_member(unmarked.bytes, "entry")) {
    if (read_split_bundle(unmarked, *split, options, parser, draft, summary, counts, warnings)) {
      return;
    }
  }
  reader.read_root(
      json::parse(parser, unmarked.bytes, unmarked.padding, options.limits, unmarked.name), true);
}

IngestError too_large_input(const std::string& name, std::uint64_t bytes, const JsonLimits& limits) {
  return IngestError(Diagnostic{DiagnosticCode::too_large, name, "", 0,
                                "input is " + std::to_string(bytes) + " bytes; the limit is " +
                                    std::to_string(limits.max_bytes)});
}

bool looks_like_ndjson_start(std::string_view head, simdjson::dom::parser& parser,
                             const JsonLimits& limits) {
  return looks_like_ndjson(head, parser, limits);
}

struct NdjsonStream::State {
  Source source;  // the name only: the bytes come in runs of lines
  std::uint64_t line_no = 0;
  SourceReader reader;

  State(std::string name, const IngestOptions& options, SourceDraft& draft, SourceSummary& summary,
        std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings)
      : source{std::move(name), {}}, reader(source, options, draft, summary, counts, warnings) {}
};

NdjsonStream::NdjsonStream(std::string name, const IngestOptions& options, simdjson::dom::parser& parser,
                           SourceDraft& draft, SourceSummary& summary,
                           std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings)
    : options_(options), parser_(parser), summary_(summary) {
  summary.name = name;
  summary.format = "ndjson";
  state_ = std::make_unique<State>(std::move(name), options, draft, summary, counts, warnings);
}

NdjsonStream::~NdjsonStream() = default;

void NdjsonStream::read(std::string_view lines, std::size_t padding) {
  summary_.bytes += lines.size();
  if (summary_.bytes > options_.limits.max_bytes) {
    throw too_large_input(state_->source.name, summary_.bytes, options_.limits);
  }
  read_ndjson_lines(lines, lines.data() + lines.size() + padding, state_->line_no, state_->source.name,
                    options_, parser_, state_->reader);
}

void NdjsonStream::skip(std::size_t bytes) { summary_.bytes += bytes; }

struct BundleStream::State {
  Source source;  // the name only
  JsonLimits entry_limits;
  std::vector<Diagnostic> envelope_warnings;
  SourceReader reader;
  std::size_t entries = 0;

  State(std::string name, const IngestOptions& options, SourceDraft& draft, SourceSummary& summary,
        std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings)
      : source{std::move(name), {}}, entry_limits(options.limits),
        reader(source, options, draft, summary, counts, warnings) {
    entry_limits.max_depth -= 2;  // an entry sits two levels down
  }
};

BundleStream::BundleStream(std::string name, const IngestOptions& options, simdjson::dom::parser& parser,
                           SourceDraft& draft, SourceSummary& summary,
                           std::map<std::string, std::uint64_t>& counts, std::vector<Diagnostic>& warnings)
    : options_(options), parser_(parser), draft_(draft), summary_(summary), counts_(counts) {
  summary.name = name;
  if (options.limits.max_depth > 2) {
    state_ = std::make_unique<State>(std::move(name), options, draft, summary, counts, warnings);
  }
}

BundleStream::~BundleStream() = default;

bool BundleStream::entry(std::string_view text, std::size_t padding) {
  if (!state_) return false;
  try {
    state_->reader.read_entry_text(text, padding, state_->entries++, parser_, state_->entry_limits);
  } catch (const EntryUnparsed&) {
    return false;
  }
  return true;
}

bool BundleStream::finish(const std::string& envelope, std::uint64_t bytes) {
  if (!state_) return false;
  summary_.bytes = bytes;
  simdjson::dom::parser envelope_parser;
  element root;
  try {
    root = json::parse(envelope_parser, envelope, 0, options_.limits, state_->source.name);
  } catch (const IngestError&) {
    return false;
  }
  std::vector<Diagnostic> said;
  {
    SourceReader reader(state_->source, options_, draft_, summary_, counts_, said);
    if (!reader.read_envelope(root)) return false;
  }
  // Warnings about the envelope come before the entries' when read whole.
  return said.empty();
}

}  // namespace chartlock::fhir
