// SPDX-License-Identifier: Apache-2.0
#include "fhir/datatypes.hpp"

#include "fhir/fhir_time.hpp"

#include <algorithm>
#include <stdexcept>

namespace chartlock::fhir {
namespace {
std::string_view checked_date_time(Diagnostics& d, std::optional<std::string_view> s, std::string_view key,
                                   const Path& at) {
  if (!s) return {};
  if (!is_fhir_date_time(*s)) {
    d.warn(DiagnosticCode::invalid_value, at / key,
           "not a valid FHIR date, dateTime or instant; kept as written");
  }
  return *s;
}
}  // namespace

Coding read_coding(Diagnostics& d, object obj, const Path& at) {
  static constexpr std::string_view keys[] = {"system", "code", "display"};
  std::optional<element> found[3];
  json::find_members(obj, keys, found);
  // Braces: evaluated in order, so warned in the order of the keys.
  return Coding{view_or_empty(d, found[0], keys[0], at), view_or_empty(d, found[1], keys[1], at),
                view_or_empty(d, found[2], keys[2], at)};
}

CodeableConcept read_codeable_concept(Diagnostics& d, object obj, const Path& at) {
  static constexpr std::string_view keys[] = {"coding", "text"};
  std::optional<element> found[2];
  json::find_members(obj, keys, found);
  CodeableConcept cc;
  for_each_plain_object_in(d, as_array(d, found[0], keys[0], at), at / keys[0], [&](object c, const Path& p) {
    Coding coding = read_coding(d, c, p);
    if (!coding.empty()) cc.codings.push_back(std::move(coding));
  });
  cc.text = view_or_empty(d, found[1], keys[1], at);
  return cc;
}

Quantity read_quantity(Diagnostics& d, object obj, const Path& at) {
  static constexpr std::string_view keys[] = {"value", "comparator", "unit", "system", "code"};
  std::optional<element> found[5];
  json::find_members(obj, keys, found);
  Quantity q;
  q.value = as_number(d, found[0], keys[0], at);
  q.comparator = view_or_empty(d, found[1], keys[1], at);
  q.unit = view_or_empty(d, found[2], keys[2], at);
  q.system = view_or_empty(d, found[3], keys[3], at);
  q.code = view_or_empty(d, found[4], keys[4], at);
  return q;
}

Period read_period(Diagnostics& d, object obj, const Path& at) {
  static constexpr std::string_view keys[] = {"start", "end"};
  std::optional<element> found[2];
  json::find_members(obj, keys, found);
  // Braces: start is checked (and warned about) before end.
  return Period{checked_date_time(d, as_string(d, found[0], keys[0], at), keys[0], at),
                checked_date_time(d, as_string(d, found[1], keys[1], at), keys[1], at)};
}

ReferenceRange read_reference_range(Diagnostics& d, const Fields& obj, const Path& at) {
  ReferenceRange r;
  r.low = get_quantity(d, obj, "low", at);
  r.high = get_quantity(d, obj, "high", at);
  r.type = get_concept(d, obj, "type", at);
  r.appliesTo = get_concepts(d, obj, "appliesTo", at);
  r.text = string_or_empty(d, obj, "text", at);
  return r;
}

Coding get_coding(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto o = get_object(d, obj, key, at);
  return o ? read_coding(d, *o, at / key) : Coding{};
}

CodeableConcept get_concept(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto o = get_object(d, obj, key, at);
  return o ? read_codeable_concept(d, *o, at / key) : CodeableConcept{};
}

std::vector<CodeableConcept> get_concepts(Diagnostics& d, const Fields& obj, std::string_view key,
                                          const Path& at) {
  std::vector<CodeableConcept> out;
  for_each_plain_object(d, obj, key, at, [&](object o, const Path& p) {
    CodeableConcept cc = read_codeable_concept(d, o, p);
    if (!cc.empty()) out.push_back(std::move(cc));
  });
  return out;
}

std::optional<Quantity> get_quantity(Diagnostics& d, const Fields& obj, std::string_view key,
                                     const Path& at) {
  auto o = get_object(d, obj, key, at);
  if (!o) return std::nullopt;
  Quantity q = read_quantity(d, *o, at / key);
  if (q.empty()) return std::nullopt;
  return q;
}

Period get_period(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto o = get_object(d, obj, key, at);
  return o ? read_period(d, *o, at / key) : Period{};
}

namespace {
// A CodeableConcept's code: its first coding's code, else its text. Reads
// every field read_codeable_concept would, in its order (so the same
// warnings), but builds no concept, coding list or string: a view into the
// parsed input.
std::string_view read_concept_code(Diagnostics& d, object obj, const Path& at) {
  static constexpr std::string_view keys[] = {"coding", "text"};
  std::optional<element> found[2];
  json::find_members(obj, keys, found);
  std::string_view code;
  for_each_plain_object_in(d, as_array(d, found[0], keys[0], at), at / keys[0], [&](object c, const Path& p) {
    static constexpr std::string_view coding_keys[] = {"system", "code", "display"};
    std::optional<element> coding[3];
    json::find_members(c, coding_keys, coding);
    as_string(d, coding[0], coding_keys[0], p);
    const std::string_view coding_code = view_or_empty(d, coding[1], coding_keys[1], p);
    as_string(d, coding[2], coding_keys[2], p);
    if (code.empty()) code = coding_code;
  });
  const std::string_view text = view_or_empty(d, found[1], keys[1], at);
  return code.empty() ? text : code;
}
}  // namespace

std::string_view get_concept_code(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  auto o = get_object(d, obj, key, at);
  return o ? read_concept_code(d, *o, at / key) : std::string_view();
}

std::vector<Interned> get_concept_codes(Diagnostics& d, const Fields& obj, std::string_view key,
                                        const Path& at) {
  std::vector<Interned> out;
  for_each_plain_object(d, obj, key, at, [&](object o, const Path& p) {
    if (const std::string_view code = read_concept_code(d, o, p); !code.empty()) out.emplace_back(code);
  });
  return out;
}

std::string_view view_date_time(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  return checked_date_time(d, get_string(d, obj, key, at), key, at);
}

std::string_view view_member_date_time(Diagnostics& d, object obj, std::string_view key, const Path& at) {
  return checked_date_time(d, get_member_string(d, obj, key, at), key, at);
}

std::string get_date_time(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  return std::string(view_date_time(d, obj, key, at));
}

namespace {
std::string render_age(Diagnostics& d, object obj, const Path& at) {
  Quantity q = read_quantity(d, obj, at);
  if (!q.value) return {};
  std::string n = std::to_string(*q.value);
  n.erase(n.find_last_not_of('0') + 1);
  if (!n.empty() && n.back() == '.') n.pop_back();
  return "age " + n + (q.unit.empty() ? "" : " " + q.unit);
}
}  // namespace

namespace {
// "<prefix><suffix>" without allocating: the choice keys are asked for on
// most resources, and "effectiveDateTime" is past a std::string's inline size.
class ChoiceKey {
 public:
  explicit ChoiceKey(std::string_view prefix) : prefix_(prefix.size()) {
    if (prefix.size() > kPrefixMax) throw std::logic_error("choice prefix too long");
    prefix.copy(buf_, prefix.size());
  }
  std::string_view operator()(std::string_view suffix) {
    const std::size_t n = std::min(suffix.size(), sizeof(buf_) - prefix_);
    suffix.copy(buf_ + prefix_, n);
    return {buf_, prefix_ + n};
  }

 private:
  static constexpr std::size_t kPrefixMax = 24;
  char buf_[kPrefixMax + 16];  // the longest suffix is "DateTime"
  std::size_t prefix_;
};
}  // namespace

TimeChoice get_time_choice(Diagnostics& d, const Fields& obj, std::string_view prefix,
                           const Path& at) {
  TimeChoice t;
  ChoiceKey key(prefix);
  // The element found while probing is the one read: not looked up twice.
  if (const auto e = get_any(obj, key("DateTime"))) {
    t.period.start = checked_date_time(d, as_string(d, e, key("DateTime"), at), key("DateTime"), at);
  } else if (const auto i = get_any(obj, key("Instant"))) {
    t.period.start = checked_date_time(d, as_string(d, i, key("Instant"), at), key("Instant"), at);
  } else if (get_any(obj, key("Period"))) {
    t.period = get_period(d, obj, key("Period"), at);
  } else if (get_any(obj, key("String"))) {
    t.text = string_or_empty(d, obj, key("String"), at);
  } else if (auto age = get_object(d, obj, key("Age"), at)) {
    t.text = render_age(d, *age, at / key("Age"));
  } else if (auto timing = get_fields(d, obj, key("Timing"), at)) {
    // Timing.event holds the actual times; the first is when it started.
    const Path tp = at / key("Timing");
    auto events = get_strings(d, *timing, "event", tp);
    if (!events.empty()) t.period.start = events.front();
  }
  return t;
}

std::optional<std::string_view> get_reference_text(Diagnostics& d, const Fields& obj,
                                                   std::string_view key, const Path& at) {
  // Asked for its "reference" only: no table of the Reference's members.
  auto o = get_object(d, obj, key, at);
  if (!o) return std::nullopt;
  auto ref = get_member_string(d, *o, "reference", at / key);
  if (!ref || ref->empty()) return std::nullopt;
  return ref;
}

}  // namespace chartlock::fhir
