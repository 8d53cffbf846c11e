// SPDX-License-Identifier: Apache-2.0
#include "merge/identity.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <utility>

#include "fhir/fhir_time.hpp"

namespace chartlock::merge {

const std::vector<std::string>& preferred_systems_observation() {
  static const std::vector<std::string> s{systems::loinc, systems::snomed};
  return s;
}
const std::vector<std::string>& preferred_systems_condition() {
  static const std::vector<std::string> s{systems::snomed, systems::icd10cm};
  return s;
}
const std::vector<std::string>& preferred_systems_medication() {
  static const std::vector<std::string> s{systems::rxnorm};
  return s;
}
const std::vector<std::string>& preferred_systems_immunization() {
  static const std::vector<std::string> s{systems::cvx};
  return s;
}

namespace {

const std::vector<std::string> no_preference;

// Fields are joined with a separator that cannot occur in FHIR codes or
// dates; free text is length-prefixed so it cannot fake a boundary.
class Key {
 public:
  // One allocation for a usual identity (an observation's is about 100 bytes).
  explicit Key(const char* type) {
    s_.reserve(128);
    s_ = type;
  }

  Key& concept(const CodeableConcept& cc, const std::vector<std::string>& preferred) {
    if (const Coding* c = cc.primary(preferred); c && !c->code.empty()) {
      return raw(c->system).raw(c->code);
    }
    return text(cc.text);
  }
  Key& time(const std::string& t) {
    auto canonical = fhir::canonical_time(t);
    return raw(canonical ? *canonical : t);
  }
  Key& number(const std::optional<double>& v) {
    if (!v) return raw("-");
    // Whole numbers (most values) are written as %.15g would, without
    // snprintf's cost.
    if (*v == std::trunc(*v) && std::fabs(*v) < 1e15) {
      char digits[24];
      const auto end = std::to_chars(digits, digits + sizeof digits, static_cast<long long>(*v)).ptr;
      return raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    }
    char buf[40];
    // 15 significant digits: 5.1 and 5.10 agree; binary noise does not split them.
    std::snprintf(buf, sizeof buf, "%.15g", *v);
    return raw(buf);
  }
  Key& quantity(const Quantity& q) { return raw(q.comparator).number(q.value).raw(q.unit_key()); }
  Key& text(const std::string& t) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, t.size()).ptr;
    raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    s_ += ':';
    s_ += t;
    return *this;
  }
  Key& raw(std::string_view part) {
    s_ += '\x1f';
    s_ += part;
    return *this;
  }
  std::string str() { return std::move(s_); }  // once, at the end

 private:
  std::string s_;
};

void value(Key& k, const ObservationValue& v) {
  using K = ObservationValue::Kind;
  k.raw(std::to_string(static_cast<int>(v.kind)));
  switch (v.kind) {
    case K::quantity:
    case K::integer:
      k.quantity(v.quantity);
      break;
    case K::range:
    case K::ratio:
      k.quantity(v.quantity).quantity(v.high.value_or(Quantity{}));
      break;
    case K::concept:
      k.concept(v.concept, no_preference);
      break;
    default:
      k.text(v.text);
  }
}

}  // namespace

std::optional<std::string> identity(const Condition& c) {
  if (c.code.empty()) return std::nullopt;
  return Key("Condition")
      .concept(c.code, preferred_systems_condition())
      .time(!c.onset.empty() ? c.onset : c.recordedDate)
      .str();
}

std::optional<std::string> identity(const Observation& o) {
  if (o.code.empty()) return std::nullopt;
  Key k("Observation");
  k.concept(o.code, preferred_systems_observation()).time(o.effective.start);
  value(k, o.value);
  for (const ObservationComponent& c : o.components) {
    k.concept(c.code, preferred_systems_observation());
    value(k, c.value);
  }
  return k.str();
}

std::optional<std::string> identity(const Medication& m) {
  if (m.code.empty()) return std::nullopt;
  return Key("Medication")
      .raw(m.kind)
      .concept(m.code, preferred_systems_medication())
      .time(!m.authoredOn.empty() ? m.authoredOn : m.effective.start)
      .str();
}

std::optional<std::string> identity(const Allergy& a) {
  if (a.code.empty()) return std::nullopt;
  return Key("Allergy")
      .concept(a.code, {systems::snomed, systems::rxnorm})
      .time(!a.onset.empty() ? a.onset : a.recordedDate)
      .str();
}

std::optional<std::string> identity(const Immunization& i) {
  if (i.code.empty()) return std::nullopt;
  return Key("Immunization")
      .concept(i.code, preferred_systems_immunization())
      .time(i.occurrence)
      .str();
}

std::optional<std::string> identity(const Procedure& p) {
  if (p.code.empty()) return std::nullopt;
  return Key("Procedure").concept(p.code, {systems::snomed}).time(p.performed.start).str();
}

std::optional<std::string> identity(const Encounter& e) {
  if (e.period.start.empty()) return std::nullopt;
  return Key("Encounter")
      .raw(e.encounterClass.code)
      .concept(e.type, {systems::snomed})
      .time(e.period.start)
      .str();
}

std::optional<std::string> identity(const Report& r) {
  if (r.code.empty()) return std::nullopt;
  return Key("Report").concept(r.code, {systems::loinc}).time(r.effective.start).str();
}

std::optional<std::string> identity(const Document& d) {
  if (d.date.empty()) return std::nullopt;
  Key k("Document");
  k.concept(d.type, {systems::loinc}).time(d.date).text(d.description);
  for (const Document::Attachment& a : d.attachments) k.text(a.text).text(a.url);
  return k.str();
}

std::optional<std::string> identity(const CarePlan& c) {
  if (c.category.empty() && c.title.empty()) return std::nullopt;
  Key k("CarePlan");
  for (const CodeableConcept& cc : c.category) k.concept(cc, {systems::snomed});
  return k.text(c.title).time(c.period.start).str();
}

std::optional<std::string> identity(const Goal& g) {
  if (g.description.empty()) return std::nullopt;
  return Key("Goal").concept(g.description, {systems::snomed}).time(g.start).str();
}

std::optional<std::string> identity(const OtherResource&) {
  return std::nullopt;  // kept as written, one per resource
}

}  // namespace chartlock::merge
