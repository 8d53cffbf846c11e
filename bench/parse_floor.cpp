// SPDX-License-Identifier: Apache-2.0
// chartlock-parse-floor: simdjson alone, compiled to wasm as the core's copy
// is (bench 1b, bench/parse-floor.mjs). The DOM parse of an input and one
// walk over every value of it — the least any reading of the input into a
// model does — timed against JSON.parse in the same process, so that bench
// 1's ratio can be read as "the parser" against "the model" (docs/
// performance.md). Two C functions, no Embind: nothing else is linked in.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simdjson.h"

namespace {

simdjson::dom::parser parser;

std::uint64_t walk(simdjson::dom::element e) {
  std::uint64_t n = 1;
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT:
      for (simdjson::dom::key_value_pair f : simdjson::dom::object(e)) n += f.key.size() + walk(f.value);
      break;
    case simdjson::dom::element_type::ARRAY:
      for (simdjson::dom::element x : simdjson::dom::array(e)) n += walk(x);
      break;
    case simdjson::dom::element_type::STRING:
      n += std::string_view(e).size();
      break;
    default:
      break;
  }
  return n;
}

}  // namespace

extern "C" {

// `size` bytes of room, plus the padding simdjson reads past the end.
char* floor_alloc(std::size_t size) { return static_cast<char*>(std::malloc(size + simdjson::SIMDJSON_PADDING)); }

// Parses `size` bytes at `text` (from floor_alloc); with `walk_all`, visits
// every value too. The number of values and bytes visited (so the walk
// cannot be optimized away), 1 without the walk, -1 when the text is not JSON.
double floor_parse(const char* text, std::size_t size, int walk_all) {
  simdjson::dom::element root;
  if (parser.parse(text, size, false).get(root) != simdjson::SUCCESS) return -1;
  return walk_all ? static_cast<double>(walk(root)) : 1.0;
}

}  // extern "C"
