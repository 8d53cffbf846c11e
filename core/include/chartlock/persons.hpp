// SPDX-License-Identifier: Apache-2.0
// One person per record. Every Patient resource the sources hold is compared
// with the others, field by field — names (case, accents, hyphens, order,
// suffixes, middle names and initials, nicknames, former names), birth date,
// sex, and address, phone, email and identifiers as supporting evidence — and
// the Patients that are one human being become one Person. Two people are
// never merged: a record, a summary or a share is always one person's.
// Rules, weights and thresholds: docs/persons.md.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock {

enum class Match { same, different, uncertain };
const char* to_string(Match m);

// One field of two Patients side by side.
struct FieldComparison {
  enum class Verdict { agree, partial, disagree, missing };
  std::string field;  // "birthDate", "family", "given", "gender", "address", "phone", "email", "identifier"
  std::string a, b;   // the values compared, as written (shown to the patient, never logged)
  Verdict verdict = Verdict::missing;
  double weight = 0;  // what it added to the score
  std::string note;   // how they compare: "nickname", "former name", "one digit differs"…
};
const char* to_string(FieldComparison::Verdict v);

struct PatientComparison {
  Match outcome = Match::uncertain;
  double score = 0;
  std::string rule;  // the rule that decided "different" outright, or empty
  std::vector<FieldComparison> fields;
};

// Whether two Patient resources are one person.
PatientComparison compare_patients(const Patient& a, const Patient& b);

// ---- record location: FHIR Patient/$match ----

// The grade of a $match answer (the FHIR match-grade extension,
// http://hl7.org/fhir/StructureDefinition/match-grade).
enum class MatchGrade { certain, probable, possible, certainly_not };
const char* to_string(MatchGrade g);  // "certain", "probable", "possible", "certainly-not"

struct MatchResult {
  MatchGrade grade = MatchGrade::certainly_not;
  double score = 0;  // Bundle.entry.search.score: 0 to 1
  PatientComparison comparison;
};

// How a provider holding `candidate` grades a $match for `query`: the same
// comparison as merging, graded (docs/persons.md, "Record location").
MatchResult grade_match(const Patient& query, const Patient& candidate);

// One field of the patient's details left out (or a former name used), to
// re-ask a provider that did not find them and tell them why.
struct Relaxation {
  std::string field;   // "address", "phone", "email", "name", "birthDate"
  std::string what;    // in words: "your address", "your former name"
  std::string found;   // how they were found: "when your address was left out"
  std::string advice;  // what to do: "ask them to update your address"
  Patient query;       // the details to send instead
};

// The details a first $match sends for a verified identity: its current
// names, birth date, sex, current addresses, phones and emails — not the
// former names or old addresses the person declared (those are re-asked
// one at a time, so the patient learns which one a provider still holds).
Patient match_query(const Patient& verified);

// Every way to re-ask with one field relaxed (from match_query's details): without the address, without
// the phone, without the email, with each former name as the name, and with
// only the year of the birth date. Each sends less than the verified details
// (or a name the patient gave as theirs), never a guess.
std::vector<Relaxation> relaxations(const Patient& verified);

// A Patient resource (FHIR R4 JSON) read for matching: its names, birth
// date, sex, addresses, telecom and identifiers. Throws IngestError when it
// is not JSON, std::invalid_argument when it is not one Patient.
Patient read_patient_resource(std::string_view json);
// The details matching uses, as a FHIR R4 Patient resource (JSON text): what
// a $match query sends, and nothing else the Patient holds.
std::string patient_to_fhir_json(const Patient& p);
// A match result as JSON text: {grade, score, outcome, rule, fields: [{field,
// a, b, verdict, weight, note}]} (values included: for the patient's own eyes).
std::string match_result_json(const MatchResult& r);

// A Patient resource, where it was read.
struct PatientSource {
  std::string source;  // the input's name
  std::string id;
  std::string fullUrl;
};

struct Person {
  std::string key;      // stable for the same demographics: "person-…"
  Patient patient;      // its Patient resources merged (names, addresses… of all)
  std::vector<PatientSource> patients;  // every Patient resource that is this person
  std::vector<std::string> sources;     // the inputs with records of this person
};

// More than one person where one was expected (record, summary, share without
// a person chosen). what() names no value from the input; `comparison` holds
// the field-by-field reasons, values included, for the patient's own eyes.
class DifferentPersons : public std::runtime_error {
 public:
  DifferentPersons(std::vector<Person> persons, PatientComparison comparison);
  const std::vector<Person>& persons() const noexcept { return persons_; }
  // The first two persons compared.
  const PatientComparison& comparison() const noexcept { return comparison_; }

 private:
  std::vector<Person> persons_;
  PatientComparison comparison_;
};

// A person key that none of the sources' persons has.
class UnknownPerson : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace chartlock
