// SPDX-License-Identifier: Apache-2.0
// Due immunizations and screenings (CDC adult schedule, USPSTF A/B) and
// monitoring that conditions and medicines call for. Every rule needs today's
// date; age-based rules need a birth date. A rule never fires on a guess: an
// unknown sex, BMI or smoking status leaves it out. Every rule fires on
// something missing, so under a share it needs every category its evidence is
// read from, and a share of a range of dates gets none.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>

#include "chartlock/code_systems.hpp"
#include "keyed_hash.hpp"
#include "summary/clinical_lists.hpp"
#include "summary/insights.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"
#include "summary/share_scope.hpp"
#include "summary/memo_slot.hpp"

namespace chartlock::summary {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool has_code(const CodeableConcept& c, const char* system, const std::vector<std::string>& codes) {
  for (const Coding& coding : c.codings) {
    if (coding.system == system && contains(codes, coding.code)) return true;
  }
  return false;
}

std::string fill(std::string text, const std::string& name, const std::string& value) {
  const std::string slot = "{" + name + "}";
  for (std::size_t at = text.find(slot); at != std::string::npos; at = text.find(slot, at + value.size())) {
    text.replace(at, slot.size(), value);
  }
  return text;
}

// When each observation was made (entered in error and cancelled ones left
// out), by each of its LOINC codes: read once for every rule's evidence,
// rather than every observation read again for each rule.
using ObservedByLoinc = std::unordered_map<std::string_view, std::vector<const ShortText*>, KeyedStringHash>;

ObservedByLoinc observed_by_loinc(const Context& ctx) {
  ObservedByLoinc out;
  // Each code's list found by the code's address first, in 64 slots: codes
  // are pooled strings (Interned), so a test's results share one, and it is
  // hashed once, not for every result (an equal code at another address is
  // only hashed again). The map's values stay where they are as it grows.
  struct Seen {
    const std::string* code = nullptr;
    std::vector<const ShortText*>* list = nullptr;
  };
  Seen seen[64];
  for (const Observation& o : ctx.record.observations) {
    if (o.status == "entered-in-error" || o.status == "cancelled") continue;
    for (const Coding& c : o.code.codings) {
      if (c.system != systems::loinc) continue;
      const std::string& code = c.code;
      Seen& slot = seen[memo_slot<6>(&code)];
      if (slot.code != &code) slot = Seen{&code, &out[code]};
      slot.list->push_back(&when(o));
    }
  }
  return out;
}

// Dates (YYYY-MM-DD) on which the record shows the evidence, not after today.
std::set<CivilDate> event_dates(const Context& ctx, const ObservedByLoinc& observed, const knowledge::Evidence& e) {
  std::set<CivilDate> dates;
  auto add = [&](std::string_view when_written) {
    if (auto d = parse_date(when_written); d && (!ctx.today || *d <= *ctx.today)) dates.insert(*d);
  };
  for (const Immunization& i : ctx.record.immunizations) {
    if (i.status == "entered-in-error" || i.status == "not-done" || e.vaccines.empty()) continue;
    const knowledge::VaccineGroup* g = ctx.kb.vaccine_of(i.code);
    if (g && contains(e.vaccines, g->group)) add(i.occurrence);
  }
  for (const Procedure& p : ctx.record.procedures) {
    if (!e.procedures.empty() && p.status != "not-done" && p.status != "entered-in-error" &&
        has_code(p.code, systems::snomed, e.procedures)) {
      add(p.performed.start);
    }
  }
  std::vector<std::string> vital_codes;
  for (const std::string& id : e.vitals) {
    if (const knowledge::VitalSign* v = ctx.kb.vital(id)) {
      for (const auto* list : {&v->codes, &v->systolic_codes, &v->diastolic_codes}) {
        vital_codes.insert(vital_codes.end(), list->begin(), list->end());
      }
    }
  }
  // A set of dates: an observation found by two of its codes counts once.
  auto add_observed = [&](const std::vector<std::string>& codes) {
    for (const std::string& code : codes) {
      const auto found = observed.find(code);
      if (found == observed.end()) continue;
      for (const ShortText* when_written : found->second) add(*when_written);
    }
  };
  add_observed(e.loinc);
  add_observed(vital_codes);
  return dates;
}

// The earliest date that counts, for a window; nullopt: any date counts.
std::optional<CivilDate> window_start(const knowledge::Evidence& e, const CivilDate& today) {
  if (e.within_months) return add_months(today, -*e.within_months);
  if (e.season_start.size() == 5) {
    const int month = std::stoi(e.season_start.substr(0, 2)), day = std::stoi(e.season_start.substr(3, 2));
    CivilDate start{today.year, month, day};
    if (today < start) start.year -= 1;
    return start;
  }
  return std::nullopt;
}

struct Check {
  bool met = false;
  std::size_t found = 0;              // dates found in the best alternative's window
  std::optional<CivilDate> last;      // the latest evidence of any alternative
  std::optional<CivilDate> since;     // the window start of the first alternative
};

Check check(const Context& ctx, const ObservedByLoinc& observed, const std::vector<knowledge::Evidence>& alternatives) {
  Check c;
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    const knowledge::Evidence& e = alternatives[i];
    const std::set<CivilDate> dates = event_dates(ctx, observed, e);
    const auto start = window_start(e, *ctx.today);
    if (i == 0) c.since = start;
    std::size_t n = 0;
    for (const CivilDate& d : dates) {
      if (!start || !(d < *start)) ++n;
      if (!c.last || *c.last < d) c.last = d;
    }
    c.found = std::max(c.found, n);
    if (n >= static_cast<std::size_t>(e.count)) c.met = true;
  }
  return c;
}

std::optional<double> latest_vital(const std::vector<VitalSeries>& vitals, const std::string& id) {
  for (const VitalSeries& v : vitals) {
    if (v.id == id && !v.separate_series && v.latest.value && v.latest.comparator.empty()) return v.latest.value;
  }
  return std::nullopt;
}

// "current", "former", "never", or "" when the record does not say.
std::string smoking_status(const Context& ctx) {
  const Observation* latest = nullptr;
  for (const Observation& o : ctx.record.observations) {
    if (!has_code(o.code, systems::loinc, ctx.kb.smoking.loinc)) continue;
    if (!latest || time_key(when(*latest)) <= time_key(when(o))) latest = &o;
  }
  if (!latest) return {};
  for (const Coding& c : latest->value.concept.codings) {
    if (contains(ctx.kb.smoking.current, c.code)) return "current";
    if (contains(ctx.kb.smoking.former, c.code)) return "former";
    if (contains(ctx.kb.smoking.never, c.code)) return "never";
  }
  return {};
}

// The categories a piece of evidence is read from.
void add_evidence_categories(const knowledge::Knowledge& kb, const knowledge::Evidence& e, Categories& out) {
  if (!e.vaccines.empty()) out.insert(Category::immunizations);
  if (!e.procedures.empty()) out.insert(Category::procedures);
  if (!e.vitals.empty()) out.insert(Category::vitals);
  for (const std::string& code : e.loinc) {
    if (kb.vital_for_code(code)) {
      out.insert(Category::vitals);
      continue;
    }
    out.insert(Category::labs);
    // A test the knowledge base does not list as a lab (a mammogram, a bone
    // density scan) may be filed as another kind of observation.
    if (!kb.lab(code)) out.insert(Category::otherObservations);
  }
}

// What a preventive rule reads: the patient (age, sex), its requirements, the
// conditions that exempt from it, and its evidence.
Categories rule_categories(const knowledge::Knowledge& kb, const knowledge::PreventiveRule& r) {
  Categories out{Category::patient};
  for (const knowledge::Requirement& q : r.requires) {
    if (!q.vital.empty()) out.insert(Category::vitals);
    if (!q.smoking.empty()) out.insert(Category::socialHistory);
  }
  if (!r.unless.empty()) out.insert(Category::conditions);
  for (const knowledge::Evidence& e : r.evidence) add_evidence_categories(kb, e, out);
  return out;
}

// Evidence that is itself sensitive (knowledge/sensitive.json, an HIV test):
// a share can hold it back and still share the rest of its category, so
// under a share its absence says nothing.
bool sensitive_evidence(const knowledge::Knowledge& kb, const knowledge::PreventiveRule& r) {
  for (const knowledge::Evidence& e : r.evidence) {
    for (const knowledge::SensitiveCategory& c : kb.sensitive) {
      for (const std::string& code : e.loinc) {
        if (contains(c.loinc, code)) return true;
      }
      for (const std::string& code : e.procedures) {
        if (contains(c.codes.snomed, code)) return true;
      }
    }
  }
  return false;
}

// The age and sex a rule is for.
bool for_group(const Context& ctx, const knowledge::PreventiveRule& r) {
  if (r.min_age && *ctx.age < *r.min_age) return false;
  if (r.max_age && *ctx.age > *r.max_age) return false;
  return r.sex.empty() || r.sex == "any" || r.sex == ctx.gender;
}

// What else a rule asks of the record: a BMI, a smoking status, no exempting condition.
bool applies(const Context& ctx, const knowledge::PreventiveRule& r, const std::vector<VitalSeries>& vitals,
             const std::string& smoking) {
  for (const knowledge::Requirement& q : r.requires) {
    if (!q.vital.empty()) {
      const auto v = latest_vital(vitals, q.vital);
      if (!v || (q.at_least && *v < *q.at_least)) return false;
    }
    if (!q.smoking.empty() && !contains(q.smoking, smoking)) return false;
  }
  if (!r.unless.empty()) {
    for (const Condition& c : ctx.record.conditions) {
      if (r.unless.matches(c.code)) return false;
    }
  }
  return true;
}

}  // namespace

void preventive_insights(const Context& ctx, const std::vector<VitalSeries>& vitals,
                         const std::vector<MedicationItem>& medications, std::vector<Insight>& out,
                         std::vector<std::string>& notes) {
  if (ctx.deceased) {
    notes.push_back("The record says the patient has died, so no screenings, vaccines or follow-up tests are suggested.");
    return;
  }
  if (!ctx.today) {
    notes.push_back("No date for today was given, so due vaccines, screenings and follow-up tests were not checked.");
    return;
  }
  const std::optional<ShareScope>& scope = ctx.options.shared;
  // What is missing from a range of dates may have been done outside it.
  if (has_date_range(scope)) {
    notes.push_back("Reminders about due vaccines, screenings and follow-up tests are left out: only records dated " +
                    range_words(*scope) + " were shared, so a test or vaccine from outside those dates would not show here.");
    return;
  }
  if (scope && scope->partial) {
    notes.push_back("Reminders about due vaccines, screenings and follow-up tests are left out: the patient kept some "
                    "records private, so a test or vaccine may have been done without showing here.");
    return;
  }
  const ObservedByLoinc observed = observed_by_loinc(ctx);
  Categories left_out;                // needed by a reminder that applies, and not shared
  std::vector<std::string> kept_private;  // reminders whose evidence a share may keep private
  if (!ctx.age) {
    notes.push_back(is_shared(scope, Category::patient)
                        ? "The record has no usable birth date, so age-based vaccines and screenings were not checked."
                        : "The patient's personal details were not shared, so age-based vaccines and screenings were not checked.");
  } else {
    const std::string smoking = smoking_status(ctx);
    for (const knowledge::PreventiveRule& r : ctx.kb.rules) {
      if (!for_group(ctx, r)) continue;
      const Categories missing = not_shared(scope, rule_categories(ctx.kb, r));
      if (!missing.empty()) {
        left_out.insert(missing.begin(), missing.end());
        continue;
      }
      if (scope && sensitive_evidence(ctx.kb, r)) {
        kept_private.push_back(r.title);
        continue;
      }
      if (!applies(ctx, r, vitals, smoking)) continue;
      const Check c = check(ctx, observed, r.evidence);
      if (c.met) continue;
      Insight in;
      const bool vaccine = r.kind == "immunization";
      in.kind = vaccine ? "overdue-immunization" : "due-screening";
      in.id = in.kind + ":" + r.id;
      in.severity = "info";
      in.title = r.title;
      in.text = fill(fill(r.due, "since", c.since ? ctx.day(to_string(*c.since)) : ""), "found", std::to_string(c.found));
      in.text += " It may have been done somewhere whose records are not connected.";
      in.source = r.source;
      in.question = r.question;
      in.evidence.push_back(EvidenceRef{"rule", r.id, r.title, "", ""});
      in.evidence.push_back(EvidenceRef{"patient", "age", "Age", to_string(*ctx.today), std::to_string(*ctx.age)});
      if (c.last) in.evidence.push_back(EvidenceRef{vaccine ? "immunization" : "result", r.id, "Last on record", to_string(*c.last), ""});
      out.push_back(std::move(in));
    }
  }

  for (const knowledge::MonitoringRule& m : ctx.kb.monitoring) {
    std::vector<EvidenceRef> why;
    Categories needed;  // where the reason and the evidence are read from
    for (const Condition& c : ctx.record.conditions) {
      if (!m.conditions.empty() && is_active(c) && m.conditions.matches(c.code)) {
        const knowledge::ConditionInfo* info = ctx.kb.condition(c.code);
        why.push_back(EvidenceRef{"condition", c.key, info ? info->plain : concept_label(c.code), date_part(c.onset), c.clinicalStatus});
        needed.insert(Category::conditions);
        break;
      }
    }
    for (const MedicationItem& med : medications) {
      bool hit = false;
      for (const std::string& id : med.class_ids) hit = hit || contains(m.medication_classes, id);
      for (const std::string& ing : med.ingredients) hit = hit || contains(m.ingredients, ing);
      if (hit && why.empty()) {
        why.push_back(EvidenceRef{"medication", med.key, med.name, med.since, med.status});
        needed.insert(Category::medications);
      }
    }
    if (why.empty()) continue;
    knowledge::Evidence e;
    e.loinc = m.loinc;
    e.vitals = m.vitals;
    if (m.every_months) e.within_months = *m.every_months;
    add_evidence_categories(ctx.kb, e, needed);
    const Categories missing = not_shared(scope, needed);
    if (!missing.empty()) {
      left_out.insert(missing.begin(), missing.end());
      continue;
    }
    const Check c = check(ctx, observed, {e});
    if (c.met) continue;
    Insight in;
    in.kind = "gap-in-monitoring";
    in.id = "gap-in-monitoring:" + m.id;
    in.severity = "important";
    in.title = m.title + " not checked recently";
    in.text = c.last ? fill(m.text, "last", ctx.day(to_string(*c.last))) : m.none;
    in.source = m.source;
    in.question = m.question;
    in.evidence = why;
    in.evidence.push_back(EvidenceRef{"rule", m.id, m.title, c.last ? to_string(*c.last) : "", c.last ? "last on record" : "none on record"});
    out.push_back(std::move(in));
  }
  if (!left_out.empty()) {
    notes.push_back("Some reminders about due vaccines, screenings and follow-up tests are left out, because they need "
                    "records that were not shared: " + categories_words(left_out) + ".");
  }
  if (!kept_private.empty()) {
    const bool one = kept_private.size() == 1;
    notes.push_back((one ? "The reminder for " : "The reminders for ") + join_words(kept_private) +
                    (one ? " is" : " are") + " left out: a share can keep such tests private, so it cannot show whether one was done.");
  }
}

}  // namespace chartlock::summary
