// SPDX-License-Identifier: Apache-2.0
// The state shared while reading one source's resources: where diagnostics
// go, and typed access to fields that reports wrong types instead of guessing.
//
// Accessors return nullopt/empty for an absent field silently, and for a
// field of the wrong JSON type with a `wrong_type` warning naming its pointer.
// They read an object's members through Fields (json/object_fields.hpp): one
// walk per object, whatever the number of keys asked for.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/diagnostic.hpp"
#include "json/json_path.hpp"
#include "json/object_fields.hpp"

namespace chartlock::fhir {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;
using json::Path;
using Fields = json::ObjectFields;

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

// The wrong_type warning for field `key` of the object at `at` (nothing for
// null, which FHIR servers send for absent). Out of line: the accessors'
// common path stays small enough to inline.
[[gnu::cold, gnu::noinline]] void warn_wrong_type(Diagnostics& d, const Path& at, std::string_view key,
                                                 simdjson::dom::element_type found, const char* expected);

// A member already found (ObjectFields::find, json::find_members) read as a
// string, number or array field `key` of the object at
// `at`: absent → nullopt; of another type → nullopt with the same
// wrong_type warning. Inline: a datatype reads a handful per object.
namespace detail {
// T: std::string_view, double (an integer too, as get_number reads it),
// bool, object or array; `expected` names it in the warning.
template <class T>
inline std::optional<T> as(Diagnostics& d, const std::optional<element>& e, std::string_view key, const Path& at,
                           const char* expected) {
  if (!e) return std::nullopt;
  T v;
  if (e->get(v) == simdjson::SUCCESS) return v;
  warn_wrong_type(d, at, key, e->type(), expected);
  return std::nullopt;
}
}  // namespace detail
inline std::optional<std::string_view> as_string(Diagnostics& d, const std::optional<element>& e,
                                                 std::string_view key, const Path& at) {
  return detail::as<std::string_view>(d, e, key, at, "a string");
}
inline std::optional<double> as_number(Diagnostics& d, const std::optional<element>& e, std::string_view key,
                                       const Path& at) {
  return detail::as<double>(d, e, key, at, "a number");
}
inline std::optional<array> as_array(Diagnostics& d, const std::optional<element>& e, std::string_view key,
                                     const Path& at) {
  return detail::as<array>(d, e, key, at, "an array");
}
// A member already found read as a string, "" when absent or mistyped.
inline std::string_view view_or_empty(Diagnostics& d, const std::optional<element>& e, std::string_view key,
                                      const Path& at) {
  return as_string(d, e, key, at).value_or(std::string_view());
}

// Field accessors. `at` is the path of `obj`. Inline: most are asked for a
// literal key, and inlined the table's hash of it and the compare of its
// bytes are constants (a call each was 70-odd instructions, 146,000 calls
// for the 10 MB patient).
inline std::optional<std::string_view> get_string(Diagnostics& d, const Fields& obj, std::string_view key,
                                                  const Path& at) {
  return as_string(d, obj.find(key), key, at);
}
inline std::optional<double> get_number(Diagnostics& d, const Fields& obj, std::string_view key,
                                        const Path& at) {
  return as_number(d, obj.find(key), key, at);
}
inline std::optional<bool> get_bool(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  return detail::as<bool>(d, obj.find(key), key, at, "a boolean");
}
inline std::optional<array> get_array(Diagnostics& d, const Fields& obj, std::string_view key,
                                      const Path& at) {
  return as_array(d, obj.find(key), key, at);
}
// An object field, its members not read: for an object asked one key, with
// get_member_string (a Reference's "reference"), no table is built.
inline std::optional<object> get_object(Diagnostics& d, const Fields& obj, std::string_view key,
                                        const Path& at) {
  return detail::as<object>(d, obj.find(key), key, at, "an object");
}
// An object field, its members read in one walk.
std::optional<Fields> get_fields(Diagnostics& d, const Fields& obj, std::string_view key,
                                 const Path& at);

// A string member of `obj` (whose path is `at`), found by walking its
// members; warns as get_string does. Inline, so that the walk compares
// against a literal key.
inline std::optional<std::string_view> get_member_string(Diagnostics& d, object obj, std::string_view key,
                                                         const Path& at) {
  return as_string(d, json::find_member(obj, key), key, at);
}

// The element if `key` is present (any type), for choice-type probing.
inline std::optional<element> get_any(const Fields& obj, std::string_view key) { return obj.find(key); }

// A string field copied out ("" when absent or mistyped).
std::string string_or_empty(Diagnostics& d, const Fields& obj, std::string_view key,
                            const Path& at);
// The same as a view into the parsed input, for Interned fields: not copied
// into a std::string first (a status past wasm's 10-character inline buffer
// was an allocation).
inline std::string_view view_or_empty(Diagnostics& d, const Fields& obj, std::string_view key,
                                      const Path& at) {
  return view_or_empty(d, obj.find(key), key, at);
}

// Visits each element of `arr` (the array at `field`, if any) that is an
// object, its members not read; other elements get a wrong_type warning.
// f(object, const Path&).
template <class F>
void for_each_plain_object_in(Diagnostics& d, const std::optional<array>& arr, const Path& field, F&& f) {
  if (!arr) return;
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

// The same for array field `key` of `obj`.
template <class F>
void for_each_plain_object(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at,
                           F&& f) {
  auto arr = get_array(d, obj, key, at);
  if (!arr) return;
  for_each_plain_object_in(d, arr, at / key, f);
}

// The same with each object's members read into a table.
// f(const Fields&, const Path&).
template <class F>
void for_each_object(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at,
                     F&& f) {
  for_each_plain_object(d, obj, key, at, [&](object o, const Path& item) { f(Fields(o), item); });
}

// Strings of array field `key` (FHIR code lists such as AllergyIntolerance.category).
std::vector<std::string> get_strings(Diagnostics& d, const Fields& obj, std::string_view key,
                                     const Path& at);

}  // namespace chartlock::fhir
