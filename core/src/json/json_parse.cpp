// SPDX-License-Identifier: Apache-2.0
#include "json/json_parse.hpp"

#include "chartlock/diagnostic.hpp"

namespace chartlock::json {

namespace {

[[noreturn]] void fail(DiagnosticCode code, const std::string& source, std::uint64_t line,
                       std::string message) {
  throw IngestError(Diagnostic{code, source, "", line, std::move(message)});
}

}  // namespace

simdjson::dom::element parse(simdjson::dom::parser& parser, std::string_view bytes,
                             std::size_t padding, const JsonLimits& limits,
                             const std::string& source, std::uint64_t line) {
  if (bytes.size() > limits.max_bytes) {
    fail(DiagnosticCode::too_large, source, line,
         "input is " + std::to_string(bytes.size()) + " bytes; the limit is " +
             std::to_string(limits.max_bytes));
  }
  // simdjson keeps its depth limit per allocation; size it for this input.
  if (parser.capacity() < bytes.size() || parser.max_depth() != limits.max_depth) {
    if (parser.allocate(bytes.size(), limits.max_depth) != simdjson::SUCCESS) {
      fail(DiagnosticCode::too_large, source, line, "not enough memory to parse the input");
    }
  }
  const bool copy = padding < simdjson::SIMDJSON_PADDING;
  simdjson::dom::element root;
  const auto error = parser.parse(bytes.data(), bytes.size(), copy).get(root);
  switch (error) {
    case simdjson::SUCCESS:
      return root;
    case simdjson::DEPTH_ERROR:
      fail(DiagnosticCode::too_deep, source, line,
           "JSON nests deeper than " + std::to_string(limits.max_depth) + " levels");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      fail(DiagnosticCode::too_large, source, line, "not enough memory to parse the input");
    case simdjson::EMPTY:
      fail(DiagnosticCode::malformed_json, source, line, "input is empty");
    case simdjson::UTF8_ERROR:
      fail(DiagnosticCode::malformed_json, source, line, "input is not valid UTF-8");
    case simdjson::NUMBER_ERROR:
      fail(DiagnosticCode::malformed_json, source, line,
           "input has a number that is malformed or out of range");
    default:
      fail(DiagnosticCode::malformed_json, source, line,
           std::string("input is not valid JSON (") + simdjson::error_message(error) + ")");
  }
}

const char* describe(simdjson::dom::element_type type) {
  using T = simdjson::dom::element_type;
  switch (type) {
    case T::ARRAY: return "an array";
    case T::OBJECT: return "an object";
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return "a number";
    case T::STRING: return "a string";
    case T::BOOL: return "a boolean";
    case T::NULL_VALUE: return "null";
  }
  return "an unknown value";
}

}  // namespace chartlock::json
