// SPDX-License-Identifier: Apache-2.0
// The state shared while reading one source's resources: where diagnostics
// go, and typed access to fields that reports wrong types instead of guessing.
//
// Accessors return nullopt/empty for an absent field silently, and for a
// field of the wrong JSON type with a `wrong_type` warning naming its pointer.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/diagnostic.hpp"
#include "json/json_path.hpp"

namespace chartlock::fhir {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
using json::Path;

// Collects a source's warnings, up to a cap: a hostile input with a million
// bad fields must not grow memory without bound.
class Diagnostics {
 public:
  Diagnostics(std::string source, std::vector<Diagnostic>& sink, std::size_t cap = 1000)
      : source_(std::move(source)), sink_(sink), cap_(cap) {}

  void warn(DiagnosticCode code, const Path& at, std::string message);
  // Adds the "N more warnings" line if the cap was hit.
  void finish();

  const std::string& source() const { return source_; }
  void set_line(std::uint64_t line) { line_ = line; }
  std::uint64_t line() const { return line_; }

 private:
  std::string source_;
  std::vector<Diagnostic>& sink_;
  std::size_t cap_;
  std::size_t emitted_ = 0;
  std::size_t suppressed_ = 0;
  std::uint64_t line_ = 0;
};

// Field accessors. `at` is the path of `obj`.
std::optional<std::string_view> get_string(Diagnostics& d, object obj, std::string_view key,
                                           const Path& at);
std::optional<double> get_number(Diagnostics& d, object obj, std::string_view key,
                                 const Path& at);
std::optional<bool> get_bool(Diagnostics& d, object obj, std::string_view key, const Path& at);
std::optional<object> get_object(Diagnostics& d, object obj, std::string_view key,
                                 const Path& at);
std::optional<array> get_array(Diagnostics& d, object obj, std::string_view key,
                               const Path& at);

// The element if `key` is present (any type), for choice-type probing.
std::optional<element> get_any(object obj, std::string_view key);

// A string field copied out ("" when absent or mistyped).
std::string string_or_empty(Diagnostics& d, object obj, std::string_view key, const Path& at);

// Visits each element of array field `key` that is an object; other elements
// get a wrong_type warning. f(object, const Path&).
template <class F>
void for_each_object(Diagnostics& d, object obj, std::string_view key, const Path& at, F&& f) {
  auto arr = get_array(d, obj, key, at);
  if (!arr) return;
  const Path field = at / key;
  std::size_t i = 0;
  for (element e : *arr) {
    const Path item = field / i++;
    object o;
    if (e.get_object().get(o) == simdjson::SUCCESS) {
      f(o, item);
    } else {
      d.warn(DiagnosticCode::wrong_type, item, "expected an object");
    }
  }
}

// Strings of array field `key` (FHIR code lists such as AllergyIntolerance.category).
std::vector<std::string> get_strings(Diagnostics& d, object obj, std::string_view key,
                                     const Path& at);

}  // namespace chartlock::fhir
