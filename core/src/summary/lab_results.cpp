// SPDX-License-Identifier: Apache-2.0
// Labs: every laboratory observation lands in exactly one series, known test
// or not, with a value or not, so nothing in the record goes missing here.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <tuple>

#include "chartlock/code_systems.hpp"
#include "summary/lab_results.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"
#include "summary/series_builder.hpp"
#include "summary/memo_slot.hpp"

namespace chartlock::summary {
namespace {

const char* concern_text(knowledge::Concern c) {
  switch (c) {
    case knowledge::Concern::high: return "high";
    case knowledge::Concern::low: return "low";
    case knowledge::Concern::none: return "none";
    case knowledge::Concern::both: break;
  }
  return "both";
}

SeriesSpec spec_for(const knowledge::LabTest* test, const Context& ctx) {
  SeriesSpec s;
  if (!test) return s;
  s.unit = test->unit;
  s.analyte = test->analyte;
  s.aliases = test->unit_aliases;
  s.kb_range = test->range_for(ctx.gender);
  s.kb_range_source = test->range_source;
  s.decimals = test->decimals;
  if (!s.kb_range && (test->female || test->male)) {
    s.kb_range_note = "The usual range differs for women and men, and the record does not say which applies.";
  }
  s.critical = test->critical;
  s.normal_answers = test->normal_answers;
  s.abnormal_answers = test->abnormal_answers;
  return s;
}

struct Group {
  std::string loinc;
  CodeRef code;
  std::string label;
  const knowledge::LabTest* test = nullptr;
  std::size_t first_seen = 0;
  struct Member {
    const Observation* observation;
    const std::string* time;
    // Another method's own test (the knowledge base's), else null: not two
    // strings per result, mostly empty, moved each time the list grows.
    const knowledge::LabTest* other_method;
  };
  std::vector<Member> observations;
};

}  // namespace

std::vector<LabSeries> lab_results(const Context& ctx) {
  std::vector<Group> groups;
  std::map<std::string, std::size_t, std::less<>> index;  // group key → position
  struct KnownGroup {
    const std::string* key = nullptr;  // a knowledge-base test's LOINC
    std::size_t group = 0;
  };
  KnownGroup known_groups[64];
  for (std::size_t i = 0; i < ctx.record.observations.size(); ++i) {
    const Observation& o = ctx.record.observations[i];
    const ObservationClass& cls = ctx.observations[i];
    const std::string& loinc = cls.loinc;
    if (cls.kind != ObservationKind::lab || is_panel(o)) continue;
    // Another method of a known test joins that test's series.
    const knowledge::LabTest* own = cls.lab;
    const knowledge::LabTest* test = own && !own->same_as.empty() ? ctx.kb.lab(own->same_as) : own;
    auto add_group = [&](const CodeRef& code) {
      Group g;
      g.loinc = test ? test->loinc : loinc;
      g.code = code;
      g.label = plain_test_name(concept_label(o.code, prefer::loinc()));
      g.test = test;
      g.first_seen = groups.size();
      groups.push_back(std::move(g));
    };
    auto code_of = [&] {
      CodeRef code;
      if (const Coding* c = o.code.primary(prefer::loinc())) code = CodeRef{c->system, c->code, c->display};
      if (!loinc.empty()) code.code = loinc, code.system = systems::loinc;
      if (test && test != own) code = CodeRef{systems::loinc, test->loinc, ""};
      return code;
    };
    // A test's LOINC is its key: looked up as it is, the code (three
    // strings) made only for a new group, not for every result.
    const std::string& loinc_key = test ? test->loinc : loinc;
    // A known test's key is the knowledge base's string: its group is found
    // by the string's address first (the map compared ~5 strings a result).
    KnownGroup* known = nullptr;
    if (test && !loinc_key.empty()) {
      known = &known_groups[memo_slot<6>(&loinc_key)];
    }
    if (known && known->key == &loinc_key) {
      groups[known->group].observations.push_back(Group::Member{&o, cls.time, own != test ? own : nullptr});
      continue;
    }
    auto it = loinc_key.empty() ? index.end() : index.find(loinc_key);
    if (it == index.end()) {
      const CodeRef code = code_of();
      std::string key = loinc_key;
      if (key.empty()) key = code.code.empty() ? "text:" + o.code.label() : code.system + "|" + code.code;
      bool added = false;
      std::tie(it, added) = index.emplace(std::move(key), groups.size());
      if (added) add_group(code);
    }
    if (known) *known = KnownGroup{&loinc_key, it->second};
    groups[it->second].observations.push_back(Group::Member{&o, cls.time, own != test ? own : nullptr});
  }

  // Known tests in knowledge-base order (grouped by panel), then the rest as first seen.
  auto rank = [&](const Group& g) {
    return g.test ? static_cast<std::size_t>(g.test - ctx.kb.labs.data()) : ctx.kb.labs.size() + g.first_seen;
  };
  std::stable_sort(groups.begin(), groups.end(), [&](const Group& a, const Group& b) { return rank(a) < rank(b); });

  std::vector<LabSeries> out;
  for (const Group& g : groups) {
    SeriesBuilder builder(spec_for(g.test, ctx), ctx.gender);
    builder.reserve(g.observations.size());
    for (const Group::Member& m : g.observations) {
      if (m.other_method) builder.add(*m.observation, *m.time, m.other_method->method, m.other_method->loinc);
      else builder.add(*m.observation, *m.time);
    }
    for (BuiltSeries& s : builder.finish()) {
      LabSeries lab;
      lab.loinc = g.loinc;
      lab.code = g.code;
      lab.known = g.test != nullptr;
      lab.name = g.test ? g.test->name : (g.label.empty() ? "Unnamed test" : g.label);
      if (g.test) {
        lab.plain = g.test->plain;
        lab.group = g.test->group;
        lab.note = g.test->note;
        lab.concerning = concern_text(g.test->concerning);
      } else {
        lab.concerning = "both";
        add_note(lab.notes, g.loinc.empty()
                                ? "This result has no LOINC code, so Chartlock cannot explain it; it is shown as the record wrote it."
                                : "This test is not in Chartlock's knowledge base, so it is shown as the record wrote it.");
      }
      lab.unit = s.unit;
      lab.decimals = s.decimals;
      lab.separate_series = s.separate;
      for (const std::string& n : s.notes) add_note(lab.notes, n);
      lab.trend = std::move(s.trend);
      lab.history = std::move(s.history);
      lab.latest = lab.history.back();
      out.push_back(std::move(lab));
    }
  }
  return out;
}

}  // namespace chartlock::summary
