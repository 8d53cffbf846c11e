// SPDX-License-Identifier: Apache-2.0
#include "summary/narrative.hpp"

#include <algorithm>

#include "summary/plain_text.hpp"
#include "summary/share_scope.hpp"

namespace chartlock::summary {
namespace {

constexpr std::size_t kListed = 6;        // items named in a sentence before "and N more"
constexpr std::size_t kMaxQuestions = 10;
constexpr std::size_t kMinQuestions = 3;

std::string listed(const std::vector<std::string>& names) {
  std::vector<std::string> shown(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), kListed)));
  if (names.size() > kListed) shown.push_back(std::to_string(names.size() - kListed) + " more");
  return join_words(shown);
}

std::string count_words(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string narrative(const Context& ctx, const Summary& s) {
  // Under a share, "none" is said only of a category that was shared, and
  // means none among the shared records.
  const std::optional<ShareScope>& scope = ctx.options.shared;
  const bool share = scope.has_value();
  std::vector<std::string> parts;
  const SummaryPatient& p = s.patient;
  std::string who;
  if (ctx.deceased) {
    who = "These are the health records of " + (p.name.empty() ? "a patient" : p.name) +
          (p.deceased == "true" ? ", who has died." : ", who died on " + ctx.day(p.deceased) + ".") +
          " This summary describes what the records show.";
  } else {
    const std::string person = p.gender == "female" ? "woman" : p.gender == "male" ? "man" : "";
    if (p.age && !person.empty()) who = "You are a " + std::to_string(*p.age) + "-year-old " + person;
    else if (p.age) who = "You are " + std::to_string(*p.age) + " years old";
    else who = "This is a summary of your health records";
    if (!p.birth_date.empty() && p.age) who += " (born " + ctx.day(p.birth_date) + ")";
    who += ".";
  }
  parts.push_back(who);

  // The patient reads the summary; for someone who has died, it speaks of the records.
  const std::string your = ctx.deceased ? "The" : "Your";
  std::vector<std::string> active;
  for (const ConditionItem& c : s.active_conditions) active.push_back(lower_first(c.plain));
  if (!active.empty()) {
    parts.push_back(your + " records list " + count_words(active.size(), "ongoing health condition", "ongoing health conditions") +
                    ": " + listed(active) + ".");
  } else if (is_shared(scope, Category::conditions)) {
    parts.push_back(your + (share ? " shared records list" : " records list") + " no ongoing health conditions.");
  }
  std::vector<std::string> past;
  for (const ConditionItem& c : s.past_conditions) {
    const std::string name = lower_first(c.plain);
    if (std::find(past.begin(), past.end(), name) == past.end()) past.push_back(name);
  }
  if (!past.empty()) parts.push_back("Past problems that have since resolved include " + listed(past) + ".");

  std::vector<std::string> meds;
  for (const MedicationItem& m : s.active_medications) {
    meds.push_back(m.name + (m.classes.empty() ? "" : " (" + lower_first(m.classes.front()) + ")"));
  }
  const bool recent_rule = ctx.today.has_value();
  const std::string current_means = recent_rule ? " (listed as active, or prescribed in the last 12 months)" : " (listed as active)";
  if (!meds.empty()) {
    parts.push_back("Current medicines" + current_means + ": " + listed(meds) + ".");
  } else if (is_shared(scope, Category::medications)) {
    const std::size_t before = s.past_medications.size();
    std::string none = share ? "No current medicines are among the shared records" : "No current medicines are on record";
    if (before > 0) {
      none += current_means + "; " + count_words(before, "past medicine is", "past medicines are") +
              (share ? " shared" : " on record");
    }
    parts.push_back(none + ".");
  }

  std::vector<std::string> allergies;
  for (const AllergyItem& a : s.allergies) allergies.push_back(lower_first(a.plain));
  if (!allergies.empty()) {
    parts.push_back("Allergies on record: " + listed(allergies) + ".");
  } else if (is_shared(scope, Category::allergies)) {
    parts.push_back(share ? "No allergies are among the shared records." : "No allergies are on record.");
  }

  if (!ctx.record.encounters.empty() && !s.recent_encounters.empty()) {
    const EncounterItem& last = s.recent_encounters.front();
    const std::size_t n = ctx.record.encounters.size();
    // A share's visits are not all the visits there were.
    std::string visits = share ? "The shared records include " + count_words(n, "visit", "visits")
                               : "There " + std::string(n == 1 ? "is " : "are ") + count_words(n, "visit", "visits") + " on record";
    visits += "; the most recent" + (last.date.empty() ? std::string() : " was on " + ctx.day(last.date) + ":") + " " +
              lower_first(last.plain) + (last.provider.empty() ? "" : " at " + last.provider) + ".";
    parts.push_back(visits);
  }
  if (share) {
    parts.push_back(ctx.deceased ? "This summary explains the shared records. It is not a diagnosis."
                                 : "This summary is made from the records you chose to share, to help you talk with your care "
                                   "team. It is not a diagnosis.");
  } else {
    parts.push_back(ctx.deceased ? "This summary explains the records. It is not a diagnosis."
                                 : "This summary is made from your records to help you talk with your care team. It is not a diagnosis.");
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

std::vector<Question> questions(const Context& ctx, const Summary& s) {
  std::vector<Question> out;
  if (ctx.deceased) return out;
  auto add = [&](const std::string& text, const std::string& insight, const std::string& about) {
    if (out.size() >= kMaxQuestions || text.empty()) return;
    for (const Question& q : out) {
      if (q.text == text) return;
    }
    out.push_back(Question{text, insight, about});
  };
  for (const Insight& in : s.insights) add(in.question, in.id, "");
  if (out.size() < kMinQuestions) {
    for (const ConditionItem& c : s.active_conditions) {
      if (c.chronic || !c.known) {
        add("How is my " + lower_first(c.plain) + " doing, and is my plan for it still right for me?", "",
            "condition:" + c.key);
      }
      if (out.size() >= kMinQuestions) break;
    }
  }
  if (out.size() < kMinQuestions && !s.active_medications.empty()) {
    add("Are all of my current medicines still needed, and are there side effects I should watch for?", "",
        "medication:" + s.active_medications.front().key);
  }
  if (out.size() < kMinQuestions) {
    // The most recently measured test.
    const LabSeries* recent = nullptr;
    for (const LabSeries& l : s.labs) {
      if (!recent || recent->latest.date < l.latest.date) recent = &l;
    }
    if (recent) {
      add("Are my most recent lab results, such as my " + lower_first(recent->name) + " on " + ctx.day(recent->latest.date) +
              ", what you expected?", "", "lab:" + (recent->loinc.empty() ? recent->code.code.str() : recent->loinc));
    }
  }
  if (out.size() < kMinQuestions) {
    add("Are there any vaccines or screening tests I am due for?", "", "record:preventive-care");
  }
  if (out.size() < kMinQuestions) {
    add("Are there records from other doctors or hospitals that I should connect so you see the whole picture?", "",
        "record:sources");
  }
  if (out.size() < kMinQuestions) {
    add("What is the one thing I could do this year that would help my health most?", "", "record:general");
  }
  return out;
}

}  // namespace chartlock::summary
