// SPDX-License-Identifier: Apache-2.0
// chartlock-parse-floor: simdjson alone, compiled to wasm as the core's copy
// is (bench 1b, bench/parse-floor.mjs), and natively (the same file with a
// main, for callgrind and --time). Timed against JSON.parse in the same process, so that
// bench 1's ratio can be read as "the parser" against "the model" (docs/
// performance.md), and simdjson's DOM against its On-Demand API:
//   - the DOM parse alone, and with one walk over every value — the least any
//     reading of the input into a model does;
//   - an On-Demand walk that visits the same values (every key and string
//     unescaped, every number parsed as the DOM parses it);
//   - a reader's work: per entry the `resource`, every string once (the
//     sensitivity scan) and the fields an Observation reader reads. With the
//     DOM as the core does it (a walk, then the reads), with the DOM in one
//     fused pass, and with On-Demand, which can only do it in one pass
//     (values are consumed in document order); over the Bundle as one
//     document, and a document per entry after the core's splitter.
// The walks count what they visit; DOM and On-Demand must count alike (the
// native main checks it, bench/parse-floor.mjs too), so neither skips work.
// Two C functions, no Embind: nothing else is linked in but the splitter.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "json/array_member.hpp"
#include "simdjson.h"

// On-Demand is compiled into this file as simdjson's "builtin" kernel; in wasm
// that must be our SIMD128 one (bench/CMakeLists.txt: -msimd128), else it is
// the portable fallback and the comparison is against the wrong kernel.
#if defined(__EMSCRIPTEN__) && !SIMDJSON_CAN_ALWAYS_RUN_WASM
#error "chartlock-parse-floor needs -msimd128: On-Demand would use simdjson's fallback kernel"
#endif

namespace {

namespace od = simdjson::ondemand;
using simdjson::dom::element;

// What a walk visited: values, key and string bytes (unescaped), numbers (a
// digest of the parsed value, so both APIs must parse them alike), and what
// the reader read (bytes of the strings and digests of the numbers it took).
struct Counts {
  std::uint64_t values = 0;
  std::uint64_t key_bytes = 0;
  std::uint64_t string_bytes = 0;
  std::uint64_t numbers = 0;
  std::uint64_t read = 0;
  bool failed = false;

  bool operator==(const Counts& o) const {
    return values == o.values && key_bytes == o.key_bytes && string_bytes == o.string_bytes &&
           numbers == o.numbers && read == o.read && failed == o.failed;
  }
  double total() const {
    return failed ? -1.0 : static_cast<double>(values + key_bytes + string_bytes + numbers + read);
  }
};

// Low 20 bits of the value's representation: small enough for a sum to stay
// exact in a double, different for different parses.
template <typename T>
std::uint64_t digest(T x) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &x, sizeof x);
  return bits & 0xFFFFF;
}

// --- the DOM --------------------------------------------------------------

bool number_of(element e, std::uint64_t& d) {
  switch (e.type()) {
    case simdjson::dom::element_type::INT64: d = digest(e.get_int64().value_unsafe()); return true;
    case simdjson::dom::element_type::UINT64: d = digest(e.get_uint64().value_unsafe()); return true;
    case simdjson::dom::element_type::DOUBLE: d = digest(e.get_double().value_unsafe()); return true;
    default: return false;
  }
}

void walk(element e, Counts& c) {
  ++c.values;
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT:
      for (simdjson::dom::key_value_pair f : simdjson::dom::object(e)) {
        c.key_bytes += f.key.size();
        walk(f.value, c);
      }
      break;
    case simdjson::dom::element_type::ARRAY:
      for (element x : simdjson::dom::array(e)) walk(x, c);
      break;
    case simdjson::dom::element_type::STRING:
      c.string_bytes += std::string_view(e).size();
      break;
    default: {
      std::uint64_t d = 0;
      if (number_of(e, d)) c.numbers += d;
      break;
    }
  }
}

bool string_of(element e, std::string_view& s) { return e.get_string().get(s) == simdjson::SUCCESS; }

// Whether `e` is an object or array (as `out` is), then counted when `fused`;
// else, when `fused`, walked as what it is.
template <typename Container>
bool enter(element e, Counts& c, bool fused, Container& out) {
  if (e.get(out) == simdjson::SUCCESS) {
    if (fused) ++c.values;
    return true;
  }
  if (fused) walk(e, c);
  return false;
}

// fn(key, value) says whether it took the member; with `fused`, a member it did
// not take is walked here, so the pass visits everything once.
template <typename Fn>
void members(element e, Counts& c, bool fused, Fn&& fn) {
  simdjson::dom::object o;
  if (!enter(e, c, fused, o)) return;
  for (simdjson::dom::key_value_pair f : o) {
    if (fused) c.key_bytes += f.key.size();
    if (!fn(f.key, f.value) && fused) walk(f.value, c);
  }
}

template <typename Fn>
void elements(element e, Counts& c, bool fused, Fn&& fn) {
  simdjson::dom::array a;
  if (!enter(e, c, fused, a)) return;
  for (element x : a) fn(x);
}

// --- On-Demand --------------------------------------------------------------

void walk(od::value v, Counts& c);

// fn(key, value) as for the DOM; a member it does not take is walked here.
template <typename Fn>
void each_member(od::object o, Counts& c, Fn&& fn) {
  for (auto f : o) {
    std::string_view key;
    od::value x;
    if (f.unescaped_key().get(key) != simdjson::SUCCESS || f.value().get(x) != simdjson::SUCCESS) {
      c.failed = true;
      return;
    }
    c.key_bytes += key.size();
    if (!fn(key, x)) walk(x, c);
  }
}

template <typename Fn>
void each_element(od::array a, Counts& c, Fn&& fn) {
  for (auto r : a) {
    od::value x;
    if (std::move(r).get(x) != simdjson::SUCCESS) {
      c.failed = true;
      return;
    }
    fn(x);
  }
}

std::uint64_t digest(od::number n) {
  switch (n.get_number_type()) {
    case od::number_type::signed_integer: return digest(n.get_int64());
    case od::number_type::unsigned_integer: return digest(n.get_uint64());
    default: return digest(n.get_double());
  }
}

void walk(od::value v, Counts& c) {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) {
    c.failed = true;
    return;
  }
  ++c.values;
  switch (type) {
    case od::json_type::object: {
      od::object o;
      if (v.get_object().get(o) != simdjson::SUCCESS) break;
      return each_member(o, c, [](std::string_view, od::value&) { return false; });
    }
    case od::json_type::array: {
      od::array a;
      if (v.get_array().get(a) != simdjson::SUCCESS) break;
      return each_element(a, c, [&c](od::value& x) { walk(x, c); });
    }
    case od::json_type::string: {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) break;
      c.string_bytes += s.size();
      return;
    }
    case od::json_type::number: {
      od::number n;
      if (v.get_number().get(n) != simdjson::SUCCESS) break;
      c.numbers += digest(n);
      return;
    }
    case od::json_type::boolean: {
      bool b = false;
      if (v.get_bool().get(b) != simdjson::SUCCESS) break;
      return;
    }
    case od::json_type::null:
      if (!v.is_null()) break;
      return;
    default:
      break;
  }
  c.failed = true;
}

bool is(od::value& v, od::json_type want) {
  od::json_type type;
  return v.type().get(type) == simdjson::SUCCESS && type == want;
}

// A failed typed get leaves the value unread, so the caller can still walk it.
bool string_of(od::value& v, std::string_view& s) {
  return is(v, od::json_type::string) && v.get_string().get(s) == simdjson::SUCCESS;
}

bool number_of(od::value& v, std::uint64_t& d) {
  od::number n;
  if (!is(v, od::json_type::number) || v.get_number().get(n) != simdjson::SUCCESS) return false;
  d = digest(n);
  return true;
}

simdjson::error_code open(od::value& v, od::object& o) { return v.get_object().get(o); }
simdjson::error_code open(od::value& v, od::array& a) { return v.get_array().get(a); }

// Whether `v` is a container of `type`, now open in `out` and counted; else
// it has been walked as what it is.
template <typename Container>
bool enter(od::value& v, Counts& c, od::json_type type, Container& out) {
  if (!is(v, type)) {
    walk(v, c);
    return false;
  }
  ++c.values;
  if (open(v, out) == simdjson::SUCCESS) return true;
  c.failed = true;
  return false;
}

// Always fused: an On-Demand value can be read once, in order.
template <typename Fn>
void members(od::value v, Counts& c, bool, Fn&& fn) {
  od::object o;
  if (enter(v, c, od::json_type::object, o)) each_member(o, c, fn);
}

template <typename Fn>
void elements(od::value v, Counts& c, bool, Fn&& fn) {
  od::array a;
  if (enter(v, c, od::json_type::array, a)) each_element(a, c, fn);
}

// --- the reader, written once for both APIs ----------------------------------

template <typename Node>
void read_string(Node& v, Counts& c, bool fused) {
  std::string_view s;
  if (string_of(v, s)) {
    c.read += s.size();
    if (fused) {
      ++c.values;
      c.string_bytes += s.size();
    }
  } else if (fused) {
    walk(v, c);
  }
}

template <typename Node>
void read_number(Node& v, Counts& c, bool fused) {
  std::uint64_t d = 0;
  if (number_of(v, d)) {
    c.read += d;
    if (fused) {
      ++c.values;
      c.numbers += d;
    }
  } else if (fused) {
    walk(v, c);
  }
}

template <typename Node>
void read_quantity(Node& q, Counts& c, bool fused) {
  members(q, c, fused, [&](std::string_view k, auto& v) {
    if (k == "value") return read_number(v, c, fused), true;
    if (k == "unit" || k == "system" || k == "code") return read_string(v, c, fused), true;
    return false;
  });
}

// The fields core/src/fhir/read_observation.cpp takes, from any resource.
template <typename Node>
void read_resource(Node& r, Counts& c, bool fused) {
  members(r, c, fused, [&](std::string_view k, auto& v) {
    if (k == "resourceType" || k == "id" || k == "status" || k == "effectiveDateTime") {
      read_string(v, c, fused);
    } else if (k == "code") {
      members(v, c, fused, [&](std::string_view k2, auto& v2) {
        if (k2 != "coding") return false;
        elements(v2, c, fused, [&](auto& coding) {
          members(coding, c, fused, [&](std::string_view k3, auto& v3) {
            if (k3 != "system" && k3 != "code" && k3 != "display") return false;
            return read_string(v3, c, fused), true;
          });
        });
        return true;
      });
    } else if (k == "subject") {
      members(v, c, fused, [&](std::string_view k2, auto& v2) {
        return k2 == "reference" && (read_string(v2, c, fused), true);
      });
    } else if (k == "valueQuantity") {
      read_quantity(v, c, fused);
    } else if (k == "referenceRange") {
      elements(v, c, fused, [&](auto& range) {
        members(range, c, fused, [&](std::string_view k2, auto& v2) {
          return (k2 == "low" || k2 == "high") && (read_quantity(v2, c, fused), true);
        });
      });
    } else {
      return false;
    }
    return true;
  });
}

template <typename Node>
void read_entry(Node& entry, Counts& c, bool fused) {
  members(entry, c, fused, [&](std::string_view k, auto& resource) {
    return k == "resource" && (read_resource(resource, c, fused), true);
  });
}

// A whole Bundle as one document: entry[].resource.
template <typename Node>
void read_bundle(Node& root, Counts& c, bool fused) {
  members(root, c, fused, [&](std::string_view k, auto& entries) {
    if (k != "entry") return false;
    elements(entries, c, fused, [&](auto& entry) { read_entry(entry, c, fused); });
    return true;
  });
}

simdjson::dom::parser dom_parser;
od::parser od_parser;

enum Mode : int {
  kDomParse = 0,   // the DOM parse alone
  kDomWalk = 1,    // + one walk over every value
  kOdWalk = 2,     // On-Demand, the same walk
  kDomRead = 3,    // the DOM as the core uses it: the scan's walk, then the reads
  kDomFused = 4,   // the DOM, scan and reads in one pass
  kOdRead = 5,     // On-Demand, scan and reads in one pass
  // A document per entry, as the core reads a Bundle: the core's splitter
  // (core/src/json/array_member.cpp), then each entry parsed on its own.
  kDomEntries = 6,  // the DOM per entry: the scan's walk, then the reads
  kOdEntries = 7,   // On-Demand per entry, one pass
  kModes = 8,
};

Counts run(const char* text, std::size_t size, int mode);

// A document per entry. The entries are views into the caller's padded text,
// so each has simdjson's padding after it; the envelope (`"entry":[]`) is a
// document of its own, walked whole.
Counts run_entries(const char* text, std::size_t size, bool ondemand) {
  Counts c;
  const auto split = chartlock::json::split_array_member(std::string_view(text, size), "entry");
  // Not a shape the splitter takes: read whole, as the core does then.
  if (!split) return run(text, size, ondemand ? kOdRead : kDomRead);
  const simdjson::padded_string envelope(split->envelope);
  if (!ondemand) {
    element root;
    if (dom_parser.parse(envelope).get(root) != simdjson::SUCCESS) c.failed = true;
    else walk(root, c);
    for (std::string_view e : split->elements) {
      element entry;
      if (dom_parser.parse(e.data(), e.size(), false).get(entry) != simdjson::SUCCESS) {
        c.failed = true;
        break;
      }
      walk(entry, c);
      read_entry(entry, c, false);
    }
    return c;
  }
  od::document doc;
  od::value root;
  if (od_parser.iterate(envelope).get(doc) != simdjson::SUCCESS || doc.get_value().get(root) != simdjson::SUCCESS) {
    c.failed = true;
    return c;
  }
  walk(root, c);
  for (std::string_view e : split->elements) {
    od::value entry;
    if (od_parser.iterate(e.data(), e.size(), e.size() + simdjson::SIMDJSON_PADDING).get(doc) != simdjson::SUCCESS ||
        doc.get_value().get(entry) != simdjson::SUCCESS) {
      c.failed = true;
      break;
    }
    read_entry(entry, c, true);
  }
  return c;
}

Counts run(const char* text, std::size_t size, int mode) {
  if (mode == kDomEntries || mode == kOdEntries) return run_entries(text, size, mode == kOdEntries);
  Counts c;
  if (mode == kOdWalk || mode == kOdRead) {
    od::document doc;
    od::value root;
    if (od_parser.iterate(text, size, size + simdjson::SIMDJSON_PADDING).get(doc) != simdjson::SUCCESS ||
        doc.get_value().get(root) != simdjson::SUCCESS) {
      c.failed = true;
      return c;
    }
    if (mode == kOdWalk) walk(root, c);
    else read_bundle(root, c, true);
    // Unlike the DOM, simdjson 3.0.1's On-Demand does not reject content
    // after the root value (no document::at_end() yet); the inputs have none.
    return c;
  }
  element root;
  if (dom_parser.parse(text, size, false).get(root) != simdjson::SUCCESS) {
    c.failed = true;
    return c;
  }
  if (mode == kDomParse) {
    ++c.values;
  } else if (mode == kDomWalk) {
    walk(root, c);
  } else if (mode == kDomRead) {
    walk(root, c);
    read_bundle(root, c, false);
  } else {
    read_bundle(root, c, true);
  }
  return c;
}

}  // namespace

extern "C" {

// `size` bytes of room, plus the padding simdjson reads past the end.
char* floor_alloc(std::size_t size) { return static_cast<char*>(std::malloc(size + simdjson::SIMDJSON_PADDING)); }

// Parses `size` bytes at `text` (from floor_alloc) as `mode` (Mode above)
// says. The sum of what was visited (so that nothing can be optimized away,
// and DOM and On-Demand can be compared), 1 for the parse alone, -1 when the
// text is not JSON.
double floor_parse(const char* text, std::size_t size, int mode) { return run(text, size, mode).total(); }

}  // extern "C"

#ifndef __EMSCRIPTEN__
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// chartlock-parse-floor FILE [MODE | --time RUNS]: with MODE, that mode once (for callgrind:
// its instructions minus those of MODE -1, the file's load); with --time,
// each mode's median CPU time; without, every mode once, checking that DOM
// and On-Demand counted alike.
int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: chartlock-parse-floor FILE [MODE 0-%d, or -1: load only | --time RUNS]\n", kModes - 1);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return 2;
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  char* text = floor_alloc(bytes.size());
  std::memcpy(text, bytes.data(), bytes.size());
  if (argc > 3 && std::string_view(argv[2]) == "--time") {
    // Median CPU time of each mode, the modes alternated run by run, as JSON
    // (bench/parse-floor.mjs prints it beside the wasm times).
    const int runs = std::max(1, std::atoi(argv[3]));
    std::vector<double> ms[kModes];
    for (int i = -1; i < runs; ++i) {  // i = -1: a warm-up run
      for (int mode = 0; mode < kModes; ++mode) {
        const std::clock_t start = std::clock();
        if (floor_parse(text, bytes.size(), mode) < 0) return 1;
        if (i >= 0) ms[mode].push_back(1000.0 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
      }
    }
    std::printf("{\"kernel\":\"%s\",\"ms\":[", simdjson::get_active_implementation()->name().c_str());
    for (int mode = 0; mode < kModes; ++mode) {
      std::sort(ms[mode].begin(), ms[mode].end());
      std::printf("%s%.3f", mode ? "," : "", ms[mode][ms[mode].size() / 2]);
    }
    std::printf("]}\n");
    return 0;
  }
  if (argc > 2) {
    const int mode = std::atoi(argv[2]);
    if (mode < 0) return 0;
    std::printf("%.0f\n", floor_parse(text, bytes.size(), mode));
    return 0;
  }
  // builtin_implementation() would name the library's builtin, not this file's.
  std::printf("kernel %s, On-Demand's %s\n", simdjson::get_active_implementation()->name().c_str(),
              SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
  Counts counts[kModes];
  for (int mode = 0; mode < kModes; ++mode) {
    counts[mode] = run(text, bytes.size(), mode);
    const Counts& c = counts[mode];
    std::printf("mode %d: %.0f (values %llu, key bytes %llu, string bytes %llu, numbers %llu, read %llu)\n", mode,
                c.total(), static_cast<unsigned long long>(c.values), static_cast<unsigned long long>(c.key_bytes),
                static_cast<unsigned long long>(c.string_bytes), static_cast<unsigned long long>(c.numbers),
                static_cast<unsigned long long>(c.read));
  }
  const bool same = !counts[kDomWalk].failed && counts[kDomWalk] == counts[kOdWalk] &&
                    !counts[kDomRead].failed && counts[kDomRead] == counts[kDomFused] &&
                    counts[kDomRead] == counts[kOdRead] && counts[kDomRead] == counts[kDomEntries] &&
                    counts[kDomRead] == counts[kOdEntries];
  std::printf("%s\n", same ? "DOM and On-Demand counted alike" : "MISMATCH between DOM and On-Demand");
  return same ? 0 : 1;
}
#endif
