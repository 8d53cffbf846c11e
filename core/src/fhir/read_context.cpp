// SPDX-License-Identifier: Apache-2.0
#include "fhir/read_context.hpp"

#include "json/json_parse.hpp"

namespace chartlock::fhir {

void Diagnostics::warn(DiagnosticCode code, const Path& at, std::string message) {
  if (emitted_ >= cap_) {
    ++suppressed_;
    return;
  }
  ++emitted_;
  sink_.push_back(Diagnostic{code, source_, at.str(), line_, std::move(message)});
}

void Diagnostics::finish() {
  if (suppressed_ == 0) return;
  sink_.push_back(Diagnostic{DiagnosticCode::bad_resource, source_, "", 0,
                             std::to_string(suppressed_) +
                                 " more warnings for this source were not listed"});
  suppressed_ = 0;
}

void warn_wrong_type(Diagnostics& d, const Path& at, std::string_view key, simdjson::dom::element_type found,
                     const char* expected) {
  // FHIR forbids null, but servers send it; treat it as absent, quietly.
  if (found == simdjson::dom::element_type::NULL_VALUE) return;
  d.warn(DiagnosticCode::wrong_type, at / key,
         std::string("expected ") + expected + ", found " + json::describe(found));
}

namespace {

using simdjson::dom::element_type;

inline bool is_string(element_type t) { return t == element_type::STRING; }
inline bool is_number(element_type t) {
  return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}
inline bool is_bool(element_type t) { return t == element_type::BOOL; }
inline bool is_object(element_type t) { return t == element_type::OBJECT; }
inline bool is_array(element_type t) { return t == element_type::ARRAY; }

inline void warn_type(Diagnostics& d, const Path& at, std::string_view key, element_type found,
                      const char* expected) {
  warn_wrong_type(d, at, key, found, expected);
}

// The field if present and of a type `ok` accepts. `ok` a template argument
// rather than a function pointer: each accessor gets its own copy, the test
// inlined (it was an indirect call per field read).
template <bool (*ok)(element_type)>
inline std::optional<element> checked(Diagnostics& d, const std::optional<element>& e, std::string_view key,
                                      const Path& at, const char* expected) {
  if (!e) return std::nullopt;
  const element_type t = e->type();
  if (!ok(t)) {
    warn_type(d, at, key, t, expected);
    return std::nullopt;
  }
  return e;
}

template <bool (*ok)(element_type)>
inline std::optional<element> typed(Diagnostics& d, const Fields& obj, std::string_view key,
                                    const Path& at, const char* expected) {
  return checked<ok>(d, obj.find(key), key, at, expected);
}

}  // namespace

std::optional<std::string_view> get_string(Diagnostics& d, const Fields& obj, std::string_view key,
                                           const Path& at) {
  auto e = typed<is_string>(d, obj, key, at, "a string");
  if (!e) return std::nullopt;
  return std::string_view(*e);
}

std::optional<double> get_number(Diagnostics& d, const Fields& obj, std::string_view key,
                                 const Path& at) {
  auto e = typed<is_number>(d, obj, key, at, "a number");
  if (!e) return std::nullopt;
  return double(*e);
}

std::optional<bool> get_bool(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto e = typed<is_bool>(d, obj, key, at, "a boolean");
  if (!e) return std::nullopt;
  return bool(*e);
}

std::optional<Fields> get_fields(Diagnostics& d, const Fields& obj, std::string_view key,
                                 const Path& at) {
  auto e = typed<is_object>(d, obj, key, at, "an object");
  if (!e) return std::nullopt;
  return std::optional<Fields>(std::in_place, object(*e));
}

std::optional<array> get_array(Diagnostics& d, const Fields& obj, std::string_view key,
                               const Path& at) {
  auto e = typed<is_array>(d, obj, key, at, "an array");
  if (!e) return std::nullopt;
  return array(*e);
}

std::optional<object> get_object(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto e = typed<is_object>(d, obj, key, at, "an object");
  if (!e) return std::nullopt;
  return object(*e);
}

std::optional<element> get_any(const Fields& obj, std::string_view key) { return obj.find(key); }

std::string string_or_empty(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto s = get_string(d, obj, key, at);
  return s ? std::string(*s) : std::string();
}

std::string_view view_or_empty(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto s = get_string(d, obj, key, at);
  return s ? *s : std::string_view();
}

std::vector<std::string> get_strings(Diagnostics& d, const Fields& obj, std::string_view key,
                                     const Path& at) {
  std::vector<std::string> out;
  auto arr = get_array(d, obj, key, at);
  if (!arr) return out;
  std::size_t i = 0;
  for (element e : *arr) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS) {
      out.emplace_back(s);
    } else if (e.type() != simdjson::dom::element_type::NULL_VALUE) {
      // null is valid FHIR here: it keeps a primitive array aligned with its
      // `_name` array of extensions ("given": ["Ann", null]). Skipped quietly.
      d.warn(DiagnosticCode::wrong_type, at / key / i,
             std::string("expected a string, found ") + json::describe(e.type()));
    }
    ++i;
  }
  return out;
}

}  // namespace chartlock::fhir
