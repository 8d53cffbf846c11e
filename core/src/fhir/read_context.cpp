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

std::optional<Fields> get_fields(Diagnostics& d, const Fields& obj, std::string_view key,
                                 const Path& at) {
  auto o = detail::as<object>(d, obj.find(key), key, at, "an object");
  if (!o) return std::nullopt;
  return std::optional<Fields>(std::in_place, *o);
}

std::string string_or_empty(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto s = get_string(d, obj, key, at);
  return s ? std::string(*s) : std::string();
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
