// SPDX-License-Identifier: Apache-2.0
#include "summary/timeline.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "keyed_hash.hpp"
#include "summary/civil_date.hpp"
#include "summary/clinical_lists.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"

namespace chartlock::summary {
namespace {

// Same-day events in the order a visit unfolds: the visit, what was found,
// what was done.
int kind_rank(const std::string& kind) {
  static const char* const kOrder[] = {"visit",         "condition-onset",    "condition-resolved", "lab-report",
                                       "lab-results",   "report",             "procedure",          "immunization",
                                       "medication-started", "medication-stopped", "allergy"};
  for (std::size_t i = 0; i < std::size(kOrder); ++i) {
    if (kind == kOrder[i]) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kOrder));
}

// A date the timeline can place: it must start with a real date.
bool dated(const std::string& date) { return !date.empty() && parse_date(date).has_value(); }

template <class Name>
void add_names(std::vector<std::string>& to, const std::vector<Name>& names) {
  for (const Name& n : names) {
    if (std::find(to.begin(), to.end(), n) == to.end()) to.emplace_back(std::string_view(n));
  }
}

const char* flag_words(Flag f) {
  switch (f) {
    case Flag::low: return "low";
    case Flag::high: return "high";
    case Flag::critical_low: return "very low";
    case Flag::critical_high: return "very high";
    case Flag::abnormal: return "not the usual result";
    case Flag::normal:
    case Flag::unknown: break;
  }
  return nullptr;
}

struct LabPoint {
  const LabSeries* series;
  const HistoryPoint* point;
};

// Record keys → a position, by open addressing in one block: an
// unordered_map made and freed a node for each key (3,840 results in the
// 10 MB patient). Keys come from the input, so they are hashed with the
// process's key (KeyedStringHash); at most half the slots are used, the
// block doubled when more would be.
class KeyIndex {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  // `most`: the keys expected, to size the block once.
  explicit KeyIndex(std::size_t most) {
    std::size_t size = 16;
    while (size < 2 * most) size *= 2;
    slots_.resize(size);
  }
  // `key`'s position, and false; or, when it is not held, `position` given
  // to it, and true. `key` must not be empty and must outlive the index.
  std::pair<std::size_t, bool> emplace(std::string_view key, std::size_t position) {
    std::size_t at = probe(key);
    if (slots_[at].key.data() != nullptr) return {slots_[at].position, false};
    if (2 * (used_ + 1) > slots_.size()) {
      grow();
      at = probe(key);
    }
    slots_[at] = Slot{key, position};
    ++used_;
    return {position, true};
  }
  // `key`'s position, or kNone.
  std::size_t find(std::string_view key) const {
    if (key.empty()) return kNone;  // never held, and its data may be null
    const Slot& slot = slots_[probe(key)];
    return slot.key.data() != nullptr ? slot.position : kNone;
  }

 private:
  struct Slot {
    std::string_view key;  // data() null: free
    std::size_t position = kNone;
  };
  // The slot holding `key`, else the free one where it would go.
  std::size_t probe(std::string_view key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = KeyedStringHash{}(key) & mask;
    while (slots_[at].key.data() != nullptr && slots_[at].key != key) at = (at + 1) & mask;
    return at;
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old) {
      if (s.key.data() != nullptr) slots_[probe(s.key)] = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

// "Glucose and HbA1c; flagged: Glucose high": the tests by their plain names
// (at most four, then a count), and the results outside their usual range.
// Written straight into the text, join_words' way ("a", "a and b", "a, b
// and c"): the names as pointers, not a string each.
std::string lab_words(const std::vector<LabPoint>& points) {
  constexpr std::size_t kNamed = 4, kFlagged = 3;
  std::vector<const std::string*> names;
  names.reserve(points.size());  // at most one a point: one block, not one per doubling
  std::vector<std::pair<const std::string*, const char*>> flagged;  // (name, flag's words)
  std::size_t more_flagged = 0;
  for (const LabPoint& lp : points) {
    const std::string& name = lp.series->name;
    if (std::find_if(names.begin(), names.end(), [&](const std::string* n) { return *n == name; }) == names.end()) {
      names.push_back(&name);
    }
    if (const char* words = flag_words(lp.point->flag)) {
      if (flagged.size() < kFlagged) flagged.emplace_back(&name, words);
      else ++more_flagged;
    }
  }
  std::string text;
  const std::size_t named = std::min(names.size(), kNamed);
  const std::size_t name_items = named + (names.size() > kNamed ? 1 : 0);
  // Room for it all at once (appending grew it a block at a time): each
  // name and its separator, each flag's words, and the counts' "N more".
  std::size_t room = 2 * 24 + 11;
  for (std::size_t i = 0; i < named; ++i) room += names[i]->size() + 5;
  for (const auto& f : flagged) room += f.first->size() + 27;
  text.reserve(room);
  for (std::size_t i = 0; i < name_items; ++i) {
    text += list_separator(i, name_items);
    if (i < named) text += *names[i];
    else text += std::to_string(names.size() - kNamed) + " more";
  }
  if (!flagged.empty()) {
    text += "; flagged: ";
    const std::size_t flag_items = flagged.size() + (more_flagged ? 1 : 0);
    for (std::size_t i = 0; i < flag_items; ++i) {
      text += list_separator(i, flag_items);
      if (i < flagged.size()) {
        text += *flagged[i].first;
        text += ' ';
        text += flagged[i].second;
      } else {
        text += std::to_string(more_flagged) + " more";
      }
    }
  }
  return text;
}

class Timeline {
 public:
  void add(const std::string& date, const char* kind, std::string text, std::vector<std::string> sources,
           std::vector<ShortText> keys) {
    if (!dated(date)) return;
    events_.push_back(TimelineEvent{date, kind, std::move(text), std::move(sources), std::move(keys)});
    ranks_.push_back(kind_rank(events_.back().kind));
  }

  // Sorted as positions, each kind's rank worked out once when it was added:
  // sorting the events themselves moved five strings and vectors many times
  // and ranked both kinds at every comparison. The order is the same.
  std::vector<TimelineEvent> finish() {
    std::vector<std::size_t> order(events_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t ia, std::size_t ib) {
      const TimelineEvent& a = events_[ia];
      const TimelineEvent& b = events_[ib];
      if (const int c = a.date.compare(b.date)) return c > 0;
      if (ranks_[ia] != ranks_[ib]) return ranks_[ia] < ranks_[ib];
      if (const int c = a.text.compare(b.text)) return c < 0;
      return a.keys < b.keys;
    });
    std::vector<TimelineEvent> sorted;
    sorted.reserve(order.size());
    for (std::size_t i : order) sorted.push_back(std::move(events_[i]));
    return sorted;
  }

 private:
  std::vector<TimelineEvent> events_;
  std::vector<int> ranks_;  // kind_rank of each event's kind
};

// Appended piece by piece (each `" (" + x + ")"` made a string or two first).
std::string visit_text(const EncounterItem& e) {
  std::string text = e.plain;
  if (!e.setting.empty() && text != upper_first(e.setting)) text.append(" (").append(e.setting).push_back(')');
  if (!e.reasons.empty()) text.append(" for ").append(lower_first(join_words(e.reasons)));
  if (!e.provider.empty()) text.append(" at ").append(e.provider);
  return text;
}

void add_visits(const Context& ctx, Timeline& t) {
  for (const Encounter& e : ctx.record.encounters) {
    if (!is_listed(e)) continue;
    EncounterItem item = encounter_item(e);
    t.add(item.date, "visit", visit_text(item), std::move(item.sources), {item.key});
  }
}

void add_conditions(const Summary& s, Timeline& t) {
  for (const auto* list : {&s.active_conditions, &s.past_conditions}) {
    for (const ConditionItem& c : *list) {
      t.add(c.onset, "condition-onset", "Condition began: " + c.plain, c.sources, {c.key});
      t.add(c.abatement, "condition-resolved", "Condition resolved: " + c.plain, c.sources, {c.key});
    }
  }
}

void add_procedures(const Context& ctx, Timeline& t) {
  for (const Procedure& p : ctx.record.procedures) {
    if (p.status == "entered-in-error" || p.status == "not-done") continue;
    std::string label = concept_label(p.code, prefer::snomed());
    if (label.empty()) label = "a procedure without a name";
    t.add(date_part(p.performed.start), "procedure", "Procedure: " + label, source_names(p.sources), {p.key});
  }
}

void add_immunizations(const Summary& s, Timeline& t) {
  for (const ImmunizationItem& i : s.immunizations) {
    t.add(i.date, "immunization", "Vaccine: " + i.plain, i.sources, {i.key});
  }
}

void add_medications(const Context& ctx, Timeline& t) {
  for (const Medication& m : ctx.record.medications) {
    if (m.status == "entered-in-error" || m.status == "cancelled" || m.status == "not-taken" || m.status == "draft") {
      continue;
    }
    std::string name = concept_label(m.code, prefer::rxnorm());
    if (name.empty()) name = "a medicine without a name";
    const std::vector<std::string> sources = source_names(m.sources);
    const bool prescribed = m.kind == "request";
    t.add(date_part(prescribed && !m.authoredOn.empty() ? m.authoredOn : m.effective.start), "medication-started",
          (prescribed ? "Medicine prescribed: " : "Medicine started: ") + name, sources, {m.key});
    // Only a statement's period says when a medicine was stopped.
    t.add(date_part(m.effective.end), "medication-stopped", "Medicine stopped: " + name, sources, {m.key});
  }
}

void add_allergies(const Context& ctx, Timeline& t) {
  for (const Allergy& a : ctx.record.allergies) {
    if (!is_listed(a)) continue;
    AllergyItem item = allergy_item(ctx, a);
    t.add(item.recorded, "allergy", "Allergy recorded: " + item.plain, std::move(item.sources), {item.key});
  }
}

void lab_event(Timeline& t, const std::string& date, const char* kind, std::string text,
               std::vector<std::string> sources, std::vector<ShortText> keys, const std::vector<LabPoint>& points) {
  keys.reserve(keys.size() + points.size());
  for (const LabPoint& lp : points) {
    add_names(sources, lp.point->sources);
    keys.push_back(lp.point->key);
  }
  t.add(date, kind, std::move(text), std::move(sources), std::move(keys));
}

// One event per dated report, with the lab results it holds (a panel in its
// results stands for its members); the results no dated report holds, one
// event per day.
void add_labs(const Context& ctx, const Summary& s, Timeline& t) {
  // Keys as views: they live in the record and the summary, and a large
  // record has thousands of results. Each key is hashed once here and once
  // for each report naming it; whether a report took it is a flag beside it
  // (a set of the keys taken hashed each result twice more, and made a node
  // for each).
  struct Keyed {
    LabPoint first;  // the first result with the key
    bool in_report = false;
  };
  std::vector<Keyed> keyed;
  std::vector<std::size_t> key_of;  // each result's position in keyed (kNone: none), in the labs' order
  std::size_t values = 0;
  for (const LabSeries& l : s.labs) values += l.history.size();
  KeyIndex by_key(values);  // key → position in keyed
  keyed.reserve(values);
  key_of.reserve(values);
  for (const LabSeries& l : s.labs) {
    for (const HistoryPoint& p : l.history) {
      std::size_t at = KeyIndex::kNone;
      if (!p.key.empty()) {
        bool added = false;
        std::tie(at, added) = by_key.emplace(p.key, keyed.size());
        if (added) keyed.push_back(Keyed{LabPoint{&l, &p}});
      }
      key_of.push_back(at);
    }
  }
  std::unordered_map<std::string_view, const Observation*, KeyedStringHash> panels;  // only those with members
  if (!ctx.record.reports.empty()) {
    for (const Observation& o : ctx.record.observations) {
      if (!o.members.empty()) panels.emplace(o.key, &o);
    }
  }

  // Reports of one test come again and again (a panel every year): each
  // name is made plain once (plain_test_name searches it ten times).
  std::map<std::string, std::string, std::less<>> plain_names;
  auto plain_name = [&](const std::string& name) -> const std::string& {
    auto it = plain_names.find(name);
    if (it == plain_names.end()) it = plain_names.emplace(name, plain_test_name(name)).first;
    return it->second;
  };

  std::vector<LabPoint> points;  // a report's, its room kept from one report to the next
  for (const Report& r : ctx.record.reports) {
    if (r.status == "entered-in-error" || r.status == "cancelled") continue;
    const std::string date = date_part(r.effective.start.empty() ? r.issued : r.effective.start);
    if (!dated(date)) continue;  // its results are placed by their own dates
    points.clear();
    auto take = [&](std::string_view key) {
      const std::size_t at = by_key.find(key);
      if (at == KeyIndex::kNone || keyed[at].in_report) return false;
      keyed[at].in_report = true;
      points.push_back(keyed[at].first);
      return true;
    };
    for (const ShortText& key : r.results) {
      if (take(key)) continue;
      auto panel = panels.find(key);
      if (panel == panels.end()) continue;
      for (const ShortText& member : panel->second->members) take(member);
    }
    // A test the knowledge base knows by its plain name; else the record's, without LOINC's long form.
    const knowledge::LabTest* known = ctx.kb.lab(loinc_of(r.code, ctx.kb));
    const std::string label = known ? known->name : plain_name(concept_label(r.code, prefer::loinc()));
    if (points.empty()) {
      t.add(date, "report", "Report: " + (label.empty() ? std::string("a report without a name") : label),
            source_names(r.sources), {r.key});
      continue;
    }
    // A report of one test names it once, with its result: "TSH: 1.57 mIU/L".
    const bool single = points.size() == 1 && points.front().series->name == label;
    const std::string what = single ? value_text(*points.front().point) : lab_words(points);
    lab_event(t, date, "lab-report", (label.empty() ? std::string("Lab report") : label) + ": " + what,
              source_names(r.sources), {r.key}, points);
  }

  std::map<std::string_view, std::vector<LabPoint>> by_day;
  std::size_t result = 0;
  for (const LabSeries& l : s.labs) {
    for (const HistoryPoint& p : l.history) {
      const std::size_t at = key_of[result++];
      if (at == KeyIndex::kNone || !keyed[at].in_report) by_day[p.date].push_back(LabPoint{&l, &p});
    }
  }
  for (const auto& [date, day] : by_day) {
    lab_event(t, std::string(date), "lab-results", "Lab results: " + lab_words(day), {}, {}, day);
  }
}

}  // namespace

std::vector<TimelineEvent> timeline(const Context& ctx, const Summary& s) {
  Timeline t;
  add_visits(ctx, t);
  add_conditions(s, t);
  add_labs(ctx, s, t);
  add_procedures(ctx, t);
  add_immunizations(s, t);
  add_medications(ctx, t);
  add_allergies(ctx, t);
  return t.finish();
}

}  // namespace chartlock::summary
