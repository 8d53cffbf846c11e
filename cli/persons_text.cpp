// SPDX-License-Identifier: Apache-2.0
#include "persons_text.hpp"

namespace chartlock::cli {

std::string different_persons_text(const DifferentPersons& e) {
  std::string out = "these files are the records of " + std::to_string(e.persons().size()) +
                    " different people, and one record is one person's:\n";
  for (const Person& p : e.persons()) {
    out += "  " + p.key + ": " + (p.patient.name.empty() ? "(no name)" : p.patient.name);
    if (!p.patient.birthDate.empty()) out += ", born " + p.patient.birthDate;
    out += " — in";
    for (const std::string& s : p.sources) out += " " + s;
    out += "\n";
  }
  const PatientComparison& c = e.comparison();
  out += std::string("the first two are ") + (c.outcome == Match::uncertain ? "perhaps not " : "not ") +
         "the same person" + (c.rule.empty() ? "" : " (" + c.rule + ")") + ":\n";
  for (const FieldComparison& f : c.fields) {
    if (f.verdict == FieldComparison::Verdict::missing) continue;
    out += "  " + f.field + ": " + (f.a.empty() ? "-" : f.a) + " / " + (f.b.empty() ? "-" : f.b) + " — " +
           to_string(f.verdict) + (f.note.empty() ? "" : " (" + f.note + ")") + "\n";
  }
  out += "read one person with --person KEY ('chartlock persons' lists them)";
  return out;
}

}  // namespace chartlock::cli
