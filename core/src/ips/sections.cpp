// SPDX-License-Identifier: Apache-2.0
#include "ips/sections.hpp"

#include "ips/narrative.hpp"
#include "share/share_resources.hpp"

namespace chartlock::ips {

namespace {

using json = nlohmann::ordered_json;

constexpr std::array<SectionSpec, kSectionCount> kSections{{
    {SectionId::problems, "11450-4", "Problem list - Reported", "Problem List", Category::conditions, true, "health problems"},
    {SectionId::allergies, "48765-2", "Allergies and adverse reactions Document", "Allergies and Intolerances",
     Category::allergies, true, "allergies or intolerances"},
    {SectionId::medications, "10160-0", "History of Medication use Narrative", "Medication Summary", Category::medications,
     true, "medicines"},
    {SectionId::immunizations, "11369-6", "History of Immunization note", "Immunizations", Category::immunizations, false,
     "immunizations"},
    {SectionId::results, "30954-2", "Relevant diagnostic tests/laboratory data note", "Results", Category::labs, false,
     "lab results"},
    {SectionId::procedures, "47519-4", "History of Procedures Document", "History of Procedures", Category::procedures,
     false, "procedures"},
    {SectionId::pastProblems, "11348-0", "History of Past illness note", "History of Past Illness", Category::conditions,
     false, "past health problems"},
    {SectionId::vitalSigns, "8716-3", "Vital signs note", "Vital Signs", Category::vitals, false, "vital signs"},
}};

json empty_reason(EmptyReason why) {
  const bool withheld = why == EmptyReason::withheld;
  return share::coded_concept("http://terminology.hl7.org/CodeSystem/list-empty-reason",
                              withheld ? "withheld" : "unavailable", withheld ? "Information Withheld" : "Unavailable");
}

std::string empty_words(const SectionSpec& spec, EmptyReason why) {
  if (why == EmptyReason::withheld) {
    return std::string("Not shared: the patient chose not to include their ") + spec.noun + " in this summary.";
  }
  return std::string("No ") + spec.noun + " are recorded in the records the patient shared.";
}

}  // namespace

const std::array<SectionSpec, kSectionCount>& section_specs() { return kSections; }

json section_json(const SectionSpec& spec, const SectionContent& content, EmptyReason empty) {
  json section{{"title", spec.title}, {"code", share::coded_concept("http://loinc.org", spec.code, spec.display)}};
  std::string inner;
  if (content.entries.empty()) {
    inner = "<p>" + escape(empty_words(spec, empty)) + "</p>";
  } else {
    inner = "<ul>" + content.items + "</ul>";
    if (content.partial) {
      inner += "<p>" + escape(std::string("The patient chose not to share some of their ") + spec.noun + ".") + "</p>";
    }
  }
  section["text"] = json{{"status", "generated"}, {"div", div(inner)}};
  if (content.entries.empty()) {
    section["emptyReason"] = empty_reason(empty);
    return section;
  }
  json entries = json::array();
  for (const std::string& url : content.entries) entries.push_back(json{{"reference", url}});
  section["entry"] = std::move(entries);
  return section;
}

}  // namespace chartlock::ips
