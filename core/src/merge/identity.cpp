// SPDX-License-Identifier: Apache-2.0
#include "merge/identity.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
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

// snprintf took 3,000 instructions a value (9.1 M of `chartlock summary` on
// the 10 MB patient). A decimal m / 10^k with m < 10^15 that divides back to
// exactly v has at most 15 significant digits, and a double rounded to 15
// digits gives back any such decimal it is the nearest double to (DBL_DIG):
// so %.15g writes that decimal, without its trailing zeros. The division is
// the proof (m and 10^k are exact, and IEEE division rounds to nearest);
// values it does not prove, or that %g writes with an exponent, go to snprintf.
std::size_t format_g15(double v, char* out) {
  static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                     1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
  const double a = std::fabs(v);
  for (int k = 0; k < static_cast<int>(std::size(pow10)); ++k) {
    const double scaled = a * pow10[k];
    if (!(scaled < 1e15)) break;  // more digits than 15 (or not finite)
    const double m = std::nearbyint(scaled);
    if (m / pow10[k] != a) continue;
    std::uint64_t digits = static_cast<std::uint64_t>(m);
    int places = k;  // digits after the point
    while (places > 0 && digits % 10 == 0) digits /= 10, --places;
    char text[24];
    const int n = static_cast<int>(std::to_chars(text, text + sizeof text, digits).ptr - text);
    if (n - 1 - places < -4) break;  // %g's exponent form (below 0.0001)
    char* p = out;
    if (std::signbit(v)) *p++ = '-';
    if (n > places) {
      std::memcpy(p, text, static_cast<std::size_t>(n - places));
      p += n - places;
      if (places > 0) *p++ = '.';
    } else {
      *p++ = '0';
      *p++ = '.';
      for (int z = n; z < places; ++z) *p++ = '0';
    }
    const int fraction = n > places ? places : n;
    std::memcpy(p, text + n - fraction, static_cast<std::size_t>(fraction));
    return static_cast<std::size_t>(p + fraction - out);
  }
  const int n = std::snprintf(out, 32, "%.15g", v);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

namespace {

const std::vector<std::string> no_preference;

// Fields are joined with a separator that cannot occur in FHIR codes or
// dates; free text is length-prefixed so it cannot fake a boundary.
class Key {
 public:
  // Built in the caller's buffer, reused from one item to the next: no
  // allocation for a usual identity (an observation's is about 100 bytes).
  Key(const char* type, std::string& out) : s_(out) { s_ = type; }

  Key& concept(const CodeableConcept& cc, const std::vector<std::string>& preferred) {
    if (const Coding* c = cc.primary(preferred); c && !c->code.empty()) {
      return raw(c->system).raw(c->code);
    }
    return text(cc.text);
  }
  Key& time(std::string_view t) {
    s_ += '\x1f';
    if (!fhir::append_canonical_time(s_, t)) s_ += t;
    return *this;
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
    char buf[32];
    return raw(std::string_view(buf, format_g15(*v, buf)));
  }
  Key& quantity(const Quantity& q) { return raw(q.comparator).number(q.value).raw(q.unit_key()); }
  Key& text(std::string_view t) {
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
  bool done() const { return true; }  // the identity is in the caller's buffer

 private:
  std::string& s_;
};

void value(Key& k, const ObservationValue& v) {
  using K = ObservationValue::Kind;
  char kind[12];  // the kind's number, as std::to_string wrote it (a string built per value)
  k.raw(std::string_view(kind, static_cast<std::size_t>(
                                   std::to_chars(kind, kind + sizeof kind, static_cast<int>(v.kind)).ptr - kind)));
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

// The other lists' preferred systems, built once (a braced list was a
// vector and a string or two per item).
const std::vector<std::string> snomed_rxnorm{systems::snomed, systems::rxnorm};
const std::vector<std::string> snomed_only{systems::snomed};
const std::vector<std::string> loinc_only{systems::loinc};

}  // namespace

bool identity(const Condition& c, std::string& out) {
  if (c.code.empty()) return false;
  return Key("Condition", out)
      .concept(c.code, preferred_systems_condition())
      .time(!c.onset.empty() ? c.onset : c.recordedDate)
      .done();
}

bool identity(const Observation& o, std::string& out) {
  if (o.code.empty()) return false;
  Key k("Observation", out);
  k.concept(o.code, preferred_systems_observation()).time(o.effective.start);
  value(k, o.value);
  for (const ObservationComponent& c : o.components) {
    k.concept(c.code, preferred_systems_observation());
    value(k, c.value);
  }
  return k.done();
}

bool identity(const Medication& m, std::string& out) {
  if (m.code.empty()) return false;
  return Key("Medication", out)
      .raw(m.kind)
      .concept(m.code, preferred_systems_medication())
      .time(!m.authoredOn.empty() ? m.authoredOn : m.effective.start)
      .done();
}

bool identity(const Allergy& a, std::string& out) {
  if (a.code.empty()) return false;
  return Key("Allergy", out)
      .concept(a.code, snomed_rxnorm)
      .time(!a.onset.empty() ? a.onset : a.recordedDate)
      .done();
}

bool identity(const Immunization& i, std::string& out) {
  if (i.code.empty()) return false;
  return Key("Immunization", out)
      .concept(i.code, preferred_systems_immunization())
      .time(i.occurrence)
      .done();
}

bool identity(const Procedure& p, std::string& out) {
  if (p.code.empty()) return false;
  return Key("Procedure", out).concept(p.code, snomed_only).time(p.performed.start).done();
}

bool identity(const Encounter& e, std::string& out) {
  if (e.period.start.empty()) return false;
  return Key("Encounter", out)
      .raw(e.encounterClass.code)
      .concept(e.type, snomed_only)
      .time(e.period.start)
      .done();
}

bool identity(const Report& r, std::string& out) {
  if (r.code.empty()) return false;
  return Key("Report", out).concept(r.code, loinc_only).time(r.effective.start).done();
}

bool identity(const Document& d, std::string& out) {
  if (d.date.empty()) return false;
  Key k("Document", out);
  k.concept(d.type, loinc_only).time(d.date).text(d.description);
  for (const Document::Attachment& a : d.attachments) k.text(a.text).text(a.url);
  return k.done();
}

bool identity(const CarePlan& c, std::string& out) {
  if (c.category.empty() && c.title.empty()) return false;
  Key k("CarePlan", out);
  for (const CodeableConcept& cc : c.category) k.concept(cc, snomed_only);
  return k.text(c.title).time(c.period.start).done();
}

bool identity(const Goal& g, std::string& out) {
  if (g.description.empty()) return false;
  return Key("Goal", out).concept(g.description, snomed_only).time(g.start).done();
}

bool identity(const OtherResource&, std::string&) {
  return false;  // kept as written, one per resource
}

}  // namespace chartlock::merge
