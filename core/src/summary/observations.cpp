// SPDX-License-Identifier: Apache-2.0
#include "summary/observations.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "chartlock/code_systems.hpp"
#include "fhir/fhir_time.hpp"
#include "summary/plain_text.hpp"
#include "summary/ranges.hpp"
#include "summary/memo_slot.hpp"

namespace chartlock::summary {

namespace {

// loinc_of, with what the knowledge base has for the code it gives: one
// lookup per coding, where loinc_of and then lab() and vital_for_code() on its
// answer made two or three (a search of ~200 codes each).
struct KnownLoinc {
  const std::string* code = nullptr;  // null: none
  const knowledge::LabTest* lab = nullptr;
  const knowledge::VitalSign* vital = nullptr;  // only when not a known lab
};

// What the knowledge base has for a LOINC code, for the codes seen last: a
// record's observations name a few dozen codes thousands of times. The codes
// are known by their addresses (the record's strings: an equal code at
// another address is only looked up again), in a table indexed by address,
// one code a slot.
class LoincLookup {
 public:
  explicit LoincLookup(const knowledge::Knowledge& kb) : kb_(kb) {}
  const KnownLoinc& operator()(const std::string& code) {
    KnownLoinc& slot = slots_[memo_slot<8>(&code)];
    if (slot.code != &code) {
      slot.code = &code;
      slot.lab = kb_.lab(code);
      slot.vital = slot.lab ? nullptr : kb_.vital_for_code(code);
    }
    return slot;
  }

 private:
  const knowledge::Knowledge& kb_;
  std::array<KnownLoinc, 256> slots_{};
};

// The first LOINC coding the knowledge base knows, else the first LOINC
// coding; `look_up(code)` says what the knowledge base has for a code.
template <class LookUp>
KnownLoinc known_loinc(const CodeableConcept& code, LookUp&& look_up) {
  const std::string* first = nullptr;
  for (const Coding& c : code.codings) {
    if (c.system != systems::loinc || c.code.empty()) continue;
    const KnownLoinc known = look_up(c.code.str());
    if (known.lab || known.vital) return known;
    if (!first) first = &c.code.str();  // unknown to both, so its lookups stay null
  }
  return {first, nullptr, nullptr};
}

}  // namespace

std::string loinc_of(const CodeableConcept& code, const knowledge::Knowledge& kb) {
  const KnownLoinc known = known_loinc(code, [&](const std::string& c) {
    const knowledge::LabTest* lab = kb.lab(c);
    return KnownLoinc{&c, lab, lab ? nullptr : kb.vital_for_code(c)};
  });
  return known.code ? *known.code : std::string();
}

namespace {

// The rule, once: a known lab test, else a known vital sign, else the category.
ObservationKind kind_from(const knowledge::LabTest* lab, const knowledge::VitalSign* vital, const Observation& o) {
  if (lab) return ObservationKind::lab;
  if (vital) return ObservationKind::vital;
  for (const std::string& c : o.category) {
    if (c == "laboratory") return ObservationKind::lab;
  }
  for (const std::string& c : o.category) {
    // "vital-sign" is a misspelling real exports carry.
    if (c == "vital-signs" || c == "vital-sign") return ObservationKind::vital;
  }
  return ObservationKind::other;
}

}  // namespace

ObservationKind kind_of(const Observation& o, const std::string& loinc, const knowledge::Knowledge& kb) {
  const knowledge::LabTest* lab = loinc.empty() ? nullptr : kb.lab(loinc);
  return kind_from(lab, !loinc.empty() && !lab ? kb.vital_for_code(loinc) : nullptr, o);
}

std::vector<ObservationClass> classify(const std::vector<Observation>& observations, const knowledge::Knowledge& kb) {
  std::vector<ObservationClass> out(observations.size());
  LoincLookup look_up(kb);
  const ShortText* last_when = nullptr;
  for (std::size_t i = 0; i < observations.size(); ++i) {
    ObservationClass& c = out[i];
    // A panel's members follow each other with one time: its key is made, and
    // kept, once.
    const ShortText& w = when(observations[i]);
    if (last_when && *last_when == w) c.time = out[i - 1].time;
    else c.own_time = time_key(w);
    last_when = &w;
    const KnownLoinc known = known_loinc(observations[i].code, look_up);
    if (known.code) c.loinc = *known.code;
    c.lab = known.lab;
    c.vital = known.vital;
    c.kind = kind_from(c.lab, c.vital, observations[i]);
  }
  return out;
}

bool is_panel(const Observation& o) {
  return o.value.kind == ObservationValue::Kind::none && (!o.members.empty() || !o.components.empty());
}

Reading read_value(const ObservationValue& v, const CodeableConcept& data_absent, UnitReader& units) {
  using Kind = ObservationValue::Kind;
  Reading r;
  switch (v.kind) {
    case Kind::quantity:
    case Kind::integer:
      r.value = v.quantity.value;
      r.comparator = v.quantity.comparator;
      r.unit_given = !v.quantity.unit_key().empty();
      if (r.unit_given) r.unit = units.of(v.quantity);
      if (!r.value) r.text = "no number given";
      break;
    case Kind::concept:
      r.text = concept_label(v.concept);
      for (const Coding& c : v.concept.codings) r.answer_codes.push_back(c.code);
      break;
    case Kind::string:
    case Kind::boolean:
    case Kind::time:
    case Kind::date_time:
    case Kind::period:
      r.text = v.text;
      break;
    case Kind::range:
    case Kind::ratio:
    case Kind::other:
      r.text = "a value of a kind not summarized (see the record)";
      break;
    case Kind::none:
      r.absent = true;
      r.text = data_absent.empty() ? "no value reported" : "no value: " + lower_first(concept_label(data_absent));
      break;
  }
  return r;
}

const ShortText& when(const Observation& o) { return o.effective.start.empty() ? o.issued : o.effective.start; }

std::string time_key(std::string_view t) {
  if (auto c = fhir::canonical_time(t)) return *c;
  return std::string(t);
}

std::vector<std::string> source_names(const std::vector<Provenance>& sources) {
  std::vector<std::string> out;
  for (const Provenance& p : sources) {
    const std::string_view name = base_name_view(p.source.str());
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  return out;
}

}  // namespace chartlock::summary
