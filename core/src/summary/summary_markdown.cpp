// SPDX-License-Identifier: Apache-2.0
// The summary as Markdown for an AI tool's context: every number with its
// unit and date, every range with where it came from, and the sources named.
#include "chartlock/summary_markdown.hpp"

#include <algorithm>
#include <map>

#include "summary/number_text.hpp"
#include "summary/plain_text.hpp"
#include "summary/share_scope.hpp"

namespace chartlock {
namespace {

using summary::lower_first;
using summary::pressure_text;
using summary::trend_text;
using summary::range_text;
using summary::unit_text;
using summary::value_text;

// Table cells must not break the table.
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string range_cell(const RangeUsed& r, int decimals) {
  const std::string text = range_text(r, decimals);
  if (text.empty()) return "not known";
  return text + (r.source == "report" ? " (lab report)" : " (typical adult)");
}

// The widget's words, in bold when a result is outside its range.
std::string flag_cell(Flag f, const std::string& basis) {
  const std::string lower = lower_first(summary::flag_text(f, basis));
  return f == Flag::normal || f == Flag::unknown ? lower : "**" + lower + "**";
}

}  // namespace

std::string summary_to_markdown(const Summary& s) {
  std::string md;
  auto line = [&](const std::string& text = "") { md += text + "\n"; };
  // What a section with nothing in it says. Under a share an empty list is
  // not "none on record": the category was either not shared, or shared with
  // nothing in it (in its range of dates).
  auto nothing = [&](Category c, const char* own) -> std::string {
    if (!s.shared) return own;
    return summary::is_shared(s.shared, c) ? summary::none_shared_text(*s.shared) : summary::not_shared_text(c);
  };

  line("# Health summary" + (s.patient.name.empty() ? std::string() : ": " + s.patient.name));
  line();
  line("Made by Chartlock from the patient's own records" + (s.today.empty() ? std::string() : " on " + s.today) +
       ", written to the patient (\"you\"). It explains the records; it is not a diagnosis.");
  line();
  if (s.shared) {
    line(summary::scope_text(*s.shared));
    line();
  }
  std::string from = "Data from " + std::to_string(s.sources.size()) + (s.sources.size() == 1 ? " source: " : " sources: ") +
                     summary::join_words(s.sources) + ".";
  if (!s.providers.empty()) from += " Care providers named in the records: " + summary::join_words(s.providers) + ".";
  line(from);
  line();
  std::string who = "Patient:";
  if (!s.patient.name.empty()) who += " " + s.patient.name + ";";
  if (!s.patient.birth_date.empty()) who += " born " + s.patient.birth_date + ";";
  if (s.patient.age) who += " age " + std::to_string(*s.patient.age) + ";";
  if (!s.patient.gender.empty()) who += " " + s.patient.gender + ";";
  if (!s.patient.deceased.empty()) who += " deceased" + (s.patient.deceased == "true" ? std::string() : " " + s.patient.deceased.substr(0, 10)) + ";";
  if (who.back() == ';') who.pop_back();
  if (who == "Patient:" && !summary::is_shared(s.shared, Category::patient)) who += " personal details not shared";
  line(who + ".");
  line();

  line("## In short");
  line();
  line(s.narrative);
  line();

  line("## Things to talk about");
  line();
  if (s.insights.empty()) {
    line(s.shared ? "Nothing in the shared records stands out as needing attention."
                  : "Nothing in the records stands out as needing attention.");
  }
  for (std::size_t i = 0; i < s.insights.size(); ++i) {
    const Insight& in = s.insights[i];
    line(std::to_string(i + 1) + ". **" + in.title + "** (" + in.kind + ", " + in.severity + "). " + in.text +
         " _Source: " + in.source + "._");
  }
  line();

  line("## Questions for the next appointment");
  line();
  if (s.questions.empty()) line("None suggested.");
  for (std::size_t i = 0; i < s.questions.size(); ++i) line(std::to_string(i + 1) + ". " + s.questions[i].text);
  line();

  line("## Lab results");
  line();
  if (s.labs.empty()) {
    line(nothing(Category::labs, "No lab results are on record."));
    if (s.shared) line();  // without a share the next heading follows at once, as it always has
  } else {
    line("| Test | Latest | Date | Usual range | Flag | Trend |");
    line("|---|---|---|---|---|---|");
    for (const LabSeries& l : s.labs) {
      // Every code and method the series holds: a tool can tell LDL calculated from measured.
      std::vector<std::string> codes, methods;
      for (const HistoryPoint& p : l.history) {
        const std::string& code = p.loinc.empty() ? l.loinc : p.loinc;
        if (!code.empty() && std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
        if (!p.method.empty() && std::find(methods.begin(), methods.end(), p.method) == methods.end()) methods.push_back(p.method);
      }
      std::string name = l.name;
      if (!codes.empty()) name += " (LOINC " + summary::join_words(codes) + ")";
      if (!methods.empty()) name += ", " + summary::join_words(methods);
      if (l.separate_series) {
        name += ", kept apart: " + (l.unit.empty() ? std::string("no unit given") : "in " + summary::unit_text(l.unit));
      }
      line("| " + cell(name) + " | " + cell(value_text(l.latest)) + " | " + l.latest.date + " | " +
           cell(range_cell(l.latest.range, l.decimals)) + " | " + flag_cell(l.latest.flag, l.latest.flag_basis) + " | " +
           cell(trend_text(l.trend, l.unit, l.decimals)) + " |");
    }
    line();
    std::vector<std::string> notes;
    for (const LabSeries& l : s.labs) {
      for (const std::string& n : l.notes) notes.push_back(l.name + ": " + n);
      if (!l.latest.note.empty()) notes.push_back(l.name + ": " + l.latest.note);
    }
    for (const std::string& n : notes) line("- " + n);
    if (!notes.empty()) line();
  }

  line("## Vital signs");
  line();
  if (s.vitals.empty()) {
    line(nothing(Category::vitals, "No vital signs are on record."));
    if (s.shared) line();
  } else {
    line("| Measure | Latest | Date | Usual range or category | Flag | Trend |");
    line("|---|---|---|---|---|---|");
    for (const VitalSeries& v : s.vitals) {
      if (v.blood_pressure) {
        const PressurePoint& p = *v.latest_pressure;
        line("| " + cell(v.name) + " | " + pressure_text(p, v.decimals) + " | " + p.date + " | " +
             cell(p.category_label.empty() ? "not known" : p.category_label + " (2017 ACC/AHA)") + " | " +
             flag_cell(p.flag, "category") + " | " + cell("top number " + trend_text(v.trend, v.unit, v.decimals)) + " |");
        continue;
      }
      std::string range = range_cell(v.latest.range, v.decimals);
      if (!v.category_label.empty()) range = v.category_label + "; " + range;
      if (v.latest.range.source.empty() && v.category_label.empty()) range = "no usual range";
      line("| " + cell(v.name) + " | " + cell(value_text(v.latest)) + " | " + v.latest.date + " | " + cell(range) + " | " +
           flag_cell(v.latest.flag, v.latest.flag_basis) + " | " + cell(trend_text(v.trend, v.unit, v.decimals)) + " |");
    }
    line();
  }

  line("## Conditions");
  line();
  if (s.active_conditions.empty()) {
    const std::string none = nothing(Category::conditions, "None on record.");
    // Conditions not shared: one line says so, unless past ones are listed anyway.
    if (summary::is_shared(s.shared, Category::conditions)) line("- Ongoing: " + lower_first(none));
    else if (s.past_conditions.empty()) line(none);
  }
  for (const ConditionItem& c : s.active_conditions) {
    line("- Ongoing: " + c.plain + (c.onset.empty() ? "" : ", since " + c.onset) +
         (c.code.code.empty() ? "" : " (" + c.code.display + ", " + c.code.code + ")"));
  }
  for (const ConditionItem& c : s.past_conditions) {
    line("- Past: " + c.plain + (c.onset.empty() ? "" : ", " + c.onset) + (c.abatement.empty() ? "" : " to " + c.abatement));
  }
  line();

  line("## Current medicines");
  line();
  if (s.active_medications.empty()) line(nothing(Category::medications, "None on record."));
  auto medicine = [&](const MedicationItem& m) {
    std::string text = "- " + m.name;
    if (!m.classes.empty()) text += " — " + summary::join_words(m.classes);
    if (m.current == "active") text += "; listed as active" + (m.since.empty() ? std::string() : ", prescribed " + m.since);
    else if (!m.since.empty()) text += "; last prescribed " + m.since;
    if (m.current.empty() && !m.status.empty()) text += " (" + m.status + ")";
    if (!m.dosage.empty()) text += "; " + lower_first(m.dosage);
    line(text);
  };
  for (const MedicationItem& m : s.active_medications) medicine(m);
  line();
  if (!s.active_medications.empty() || !s.past_medications.empty()) {
    line(s.today.empty() ? "Current means listed as active in the records."
                         : "Current means listed as active in the records, or prescribed in the 12 months before " +
                               s.today + ".");
    line();
  }
  if (!s.past_medications.empty()) {
    line("## Past medicines");
    line();
    for (const MedicationItem& m : s.past_medications) medicine(m);
    line();
  }

  line("## Allergies");
  line();
  if (s.allergies.empty()) line(nothing(Category::allergies, "None on record."));
  for (const AllergyItem& a : s.allergies) {
    std::string text = "- " + a.plain;
    if (!a.criticality.empty()) text += "; criticality " + a.criticality;
    if (!a.reactions.empty()) text += "; reactions: " + summary::join_words(a.reactions);
    line(text);
  }
  line();

  line("## Immunizations");
  line();
  if (s.immunizations.empty()) line(nothing(Category::immunizations, "None on record."));
  // One line per vaccine: how many doses, and the latest (the list is newest first).
  std::vector<std::string> order;
  std::map<std::string, std::pair<int, std::string>> seen;
  for (const ImmunizationItem& i : s.immunizations) {
    auto [it, added] = seen.emplace(i.plain, std::make_pair(0, i.date));
    if (added) order.push_back(i.plain);
    ++it->second.first;
  }
  for (const std::string& name : order) {
    const auto& [doses, last] = seen[name];
    line("- " + name + ": " + std::to_string(doses) + (doses == 1 ? " dose" : " doses") + (last.empty() ? "" : ", latest " + last));
  }
  line();

  line("## Recent visits");
  line();
  if (s.recent_encounters.empty()) line(nothing(Category::encounters, "None on record."));
  for (const EncounterItem& e : s.recent_encounters) {
    std::string text = "- " + (e.date.empty() ? std::string("Date not known") : e.date) + ": " + e.plain;
    if (!e.provider.empty()) text += " at " + e.provider;
    if (!e.reasons.empty()) text += " (reason: " + lower_first(summary::join_words(e.reasons)) + ")";
    line(text);
  }
  line();

  line("## Clinical notes");
  line();
  if (s.clinical_notes.count == 0) line(nothing(Category::documents, "None on record."));
  if (const NotesSummary& n = s.clinical_notes; n.count > 0) {
    std::vector<std::string> kinds;
    for (const NoteKind& k : n.kinds) kinds.push_back(k.kind + " (" + std::to_string(k.count) + ")");
    line("- " + std::to_string(n.count) + (n.count == 1 ? " note: " : " notes: ") + summary::join_words(kinds));
    if (n.most_recent) {
      const NoteItem& m = *n.most_recent;
      std::string text = "- Most recent: " + m.kind + (m.date.empty() ? std::string() : ", " + m.date);
      if (!m.author.empty()) text += ", by " + m.author;
      line(text);
    }
    if (n.unread > 0) {
      line("- " + std::to_string(n.unread) + (n.unread == 1 ? " note has" : " notes have") +
           " no text Chartlock could read (a PDF, or not fetched).");
    }
  }
  line();

  // The latest events only: the full timeline is in the JSON.
  constexpr std::size_t kTimelineLines = 20;
  line("## Timeline");
  line();
  if (s.timeline.empty()) {
    line(s.shared ? "No dated events are among the shared records." : "No dated events are on record.");
  }
  for (std::size_t i = 0; i < s.timeline.size() && i < kTimelineLines; ++i) {
    const TimelineEvent& e = s.timeline[i];
    line("- " + e.date + ": " + e.text + (e.sources.empty() ? "" : " (from " + summary::join_words(e.sources) + ")"));
  }
  if (s.timeline.size() > kTimelineLines) {
    const std::size_t rest = s.timeline.size() - kTimelineLines;
    line("- … and " + std::to_string(rest) + (rest == 1 ? " earlier event." : " earlier events."));
  }
  if (!s.notes.empty()) {
    line();
    line("## Notes");
    line();
    for (const std::string& n : s.notes) line("- " + n);
  }
  return md;
}

}  // namespace chartlock
