// SPDX-License-Identifier: Apache-2.0
// Vital signs: one series per vital sign (a knowledge-base entry can cover
// several LOINC codes), blood pressure as systolic/diastolic pairs with its
// ACC/AHA category.
#include <algorithm>
#include <map>

#include "chartlock/code_systems.hpp"
#include "summary/civil_date.hpp"
#include "summary/flags.hpp"
#include "summary/lab_results.hpp"
#include "summary/number_text.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"
#include "summary/positions.hpp"
#include "summary/series_builder.hpp"
#include "summary/trend.hpp"

namespace chartlock::summary {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Flag flag_named(const std::string& name) {
  for (Flag f : {Flag::low, Flag::normal, Flag::high, Flag::critical_low, Flag::critical_high, Flag::abnormal}) {
    if (name == to_string(f)) return f;
  }
  return Flag::unknown;
}

// The LOINC code of a component, if it is one of `codes`.
bool component_is(const ObservationComponent& c, const std::vector<std::string>& codes) {
  for (const Coding& coding : c.code.codings) {
    if (coding.system == systems::loinc && contains(codes, coding.code)) return true;
  }
  return false;
}

class PressureSeries {
 public:
  explicit PressureSeries(const knowledge::VitalSign& bp) : bp_(bp), units_(bp.unit_aliases) {}

  // A panel with components, or a lone systolic or diastolic observation.
  void add(const Observation& o, const ObservationClass& cls) {
    const std::string& loinc = cls.loinc;
    Slot& slot = slot_for(o, *cls.time);
    if (!o.components.empty()) {
      for (const ObservationComponent& c : o.components) {
        if (component_is(c, bp_.systolic_codes)) set(slot.point.systolic, c.value);
        else if (component_is(c, bp_.diastolic_codes)) set(slot.point.diastolic, c.value);
      }
    } else if (contains(bp_.systolic_codes, loinc)) {
      set(slot.point.systolic, o.value);
    } else if (contains(bp_.diastolic_codes, loinc)) {
      set(slot.point.diastolic, o.value);
    }
    for (const Interned& s : source_names_.of(o.sources)) {
      if (std::find(slot.point.sources.begin(), slot.point.sources.end(), s) == slot.point.sources.end()) {
        slot.point.sources.push_back(s);
      }
    }
    if (slot.point.key.empty()) slot.point.key = o.key;
  }

  bool empty() const { return slots_.empty(); }

  VitalSeries finish() {
    stable_sort_moved(slots_, [](const Slot& a, const Slot& b) { return *a.time < *b.time; });
    VitalSeries v;
    v.id = bp_.id;
    v.loinc = bp_.codes.empty() ? "" : bp_.codes.front();
    v.name = bp_.name;
    v.plain = bp_.plain;
    v.unit = bp_.unit;
    v.decimals = bp_.decimals;
    v.note = bp_.note;
    v.known = true;
    v.blood_pressure = true;
    v.notes = notes_;
    std::vector<TrendPoint> sys, dia;
    v.pressures.reserve(slots_.size());
    for (Slot& s : slots_) {
      PressurePoint& p = s.point;
      p.unit = bp_.unit;
      if (const auto* c = category_for(bp_.categories, std::nullopt, p.systolic, p.diastolic)) {
        p.category = c->id;
        p.category_label = c->label;
        p.flag = flag_named(c->flag);
      } else {
        add_note(v.notes, "Some readings have only one of the two numbers, so their category is not known.");
      }
      if (p.systolic && !p.date.empty()) sys.push_back({p.date, *p.systolic});
      if (p.diastolic && !p.date.empty()) dia.push_back({p.date, *p.diastolic});
      v.pressures.push_back(std::move(p));
    }
    v.range_source = bp_.categories.empty() ? "" : bp_.categories.front().source;
    v.trend = trend_of(sys, RangeUsed{}, v.decimals);
    v.diastolic_trend = trend_of(dia, RangeUsed{}, v.decimals);
    v.latest_pressure = v.pressures.back();
    return v;
  }

 private:
  struct Slot {
    const std::string* time;  // the caller's time key (Context::observations)
    ShortText encounter;      // the record's key, held inline (a string was a heap block a reading)
    PressurePoint point;
  };

  // Separate systolic and diastolic observations pair up when taken at the same time.
  Slot& slot_for(const Observation& o, const std::string& time) {
    if (o.components.empty()) {
      for (Slot& s : slots_) {
        if (*s.time == time && s.encounter == o.encounter && !time.empty()) return s;
      }
    }
    slots_.push_back(Slot{&time, o.encounter, {}});
    slots_.back().point.date = date_part(when(o));
    return slots_.back();
  }

  void set(std::optional<double>& into, const ObservationValue& value) {
    if (value.kind != ObservationValue::Kind::quantity || !value.quantity.value) return;
    // Each unit as written made canonical once (a reading's two parts and
    // every reading are nearly always in one unit).
    const std::string& unit = units_.of(value.quantity);
    if (!unit.empty() && unit != bp_.unit) {
      add_note(notes_, "A reading in " + unit + " was left out: only " + bp_.unit + " is compared.");
      return;
    }
    into = round_decimals(*value.quantity.value, bp_.decimals);
  }

  const knowledge::VitalSign& bp_;
  UnitReader units_;
  SourceNames source_names_;  // a run of readings from the same inputs named once
  std::vector<Slot> slots_;
  std::vector<std::string> notes_;
};

SeriesSpec spec_for(const knowledge::VitalSign* vital) {
  SeriesSpec s;
  if (!vital) return s;
  s.unit = vital->unit;
  s.decimals = vital->decimals;
  s.aliases = vital->unit_aliases;
  if (!vital->range.empty()) s.kb_range = vital->range;
  s.kb_range_source = vital->range_source;
  if (!vital->categories.empty()) s.categories = &vital->categories;
  return s;
}

}  // namespace

std::vector<VitalSeries> vital_signs(const Context& ctx) {
  const knowledge::VitalSign* bp = ctx.kb.vital("blood-pressure");
  std::optional<PressureSeries> pressure;
  if (bp) pressure.emplace(*bp);

  struct Group {
    std::string id, loinc, label;
    const knowledge::VitalSign* vital = nullptr;
    std::size_t first_seen = 0;
    std::vector<std::size_t> observations;  // positions in record.observations
  };
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < ctx.record.observations.size(); ++i) {
    const Observation& o = ctx.record.observations[i];
    const ObservationClass& cls = ctx.observations[i];
    const std::string& loinc = cls.loinc;
    if (cls.kind != ObservationKind::vital) continue;
    const knowledge::VitalSign* vital = cls.vital;
    const bool pressure_part = bp && (vital == bp || contains(bp->systolic_codes, loinc) ||
                                      contains(bp->diastolic_codes, loinc));
    if (pressure_part) {
      pressure->add(o, cls);
      continue;
    }
    if (is_panel(o)) continue;
    // A reference, made only when neither the knowledge base nor LOINC names it
    // (a copy of the vital's id was a heap block per reading).
    std::string made;
    const std::string& id = vital ? vital->id : !loinc.empty() ? loinc : (made = "text:" + o.code.label());
    // Found before it is added: emplace made (and freed) a node for every result.
    auto it = index.find(id);
    const bool added = it == index.end();
    if (added) it = index.emplace(id, groups.size()).first;
    if (added) groups.push_back(Group{id, vital && !vital->codes.empty() ? vital->codes.front() : loinc,
                                      plain_test_name(concept_label(o.code, prefer::loinc())), vital, groups.size(), {}});
    groups[it->second].observations.push_back(i);
  }
  auto rank = [&](const Group& g) {
    return g.vital ? static_cast<std::size_t>(g.vital - ctx.kb.vitals.data()) : ctx.kb.vitals.size() + g.first_seen;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) { return rank(a) < rank(b); });

  std::vector<VitalSeries> out;
  if (pressure && !pressure->empty()) out.push_back(pressure->finish());
  for (const Group& g : groups) {
    SeriesBuilder builder(spec_for(g.vital), ctx.gender);
    builder.reserve(g.observations.size());
    for (std::size_t i : g.observations) builder.add(ctx.record.observations[i], *ctx.observations[i].time);
    for (BuiltSeries& s : builder.finish()) {
      VitalSeries v;
      v.id = g.id;
      v.loinc = g.loinc;
      v.known = g.vital != nullptr;
      v.name = g.vital ? g.vital->name : (g.label.empty() ? "Unnamed measurement" : g.label);
      if (g.vital) {
        v.plain = g.vital->plain;
        v.note = g.vital->note;
        v.range_source = g.vital->range_source;
      } else {
        add_note(v.notes, "This measurement is not in Chartlock's knowledge base, so it is shown as the record wrote it.");
      }
      v.unit = s.unit;
      v.decimals = s.decimals;
      v.separate_series = s.separate;
      for (const std::string& n : s.notes) add_note(v.notes, n);
      v.category = s.category;
      v.category_label = s.category_label;
      v.trend = std::move(s.trend);
      v.history = std::move(s.history);
      v.latest = v.history.back();
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace chartlock::summary
