// SPDX-License-Identifier: Apache-2.0
// One person per record: the same person across providers with the
// variations real records carry merges; people who only look alike never do;
// inputs that hold several patients are split per person.
#include <catch2/catch.hpp>

#include "chartlock/ingest.hpp"
#include "chartlock/persons.hpp"
#include "chartlock/share.hpp"
#include "ingest_support.hpp"

using chartlock::Match;
using chartlock::PatientComparison;

namespace {

// A Patient resource from its fields, as JSON.
std::string patient(const std::string& fields) { return R"({"resourceType":"Patient",)" + fields + "}"; }

const std::string kAna = patient(
    R"("id":"a","name":[{"use":"official","family":"Silva","given":["Anna","Maria"]}],"gender":"female","birthDate":"1980-02-03",)"
    R"("telecom":[{"system":"phone","value":"+1 (617) 555-0100"},{"system":"email","value":"ana@example.org"}],)"
    R"("address":[{"line":["12 Oak Street"],"city":"Boston","state":"MA","postalCode":"02115"}])");

chartlock::Patient read_patient(const std::string& json) {
  return test::ingest_one(json, "p").patient;
}

PatientComparison compare(const std::string& a, const std::string& b) {
  return chartlock::compare_patients(read_patient(a), read_patient(b));
}

const chartlock::FieldComparison& field(const PatientComparison& c, const std::string& name) {
  for (const auto& f : c.fields) {
    if (f.field == name) return f;
  }
  FAIL("no field " << name);
  return c.fields.front();
}

}  // namespace

TEST_CASE("the same person with the variations real records carry is one person", "[persons]") {
  const std::vector<std::pair<const char*, std::string>> variants{
      {"the same record elsewhere", kAna},
      {"an old address, no phone", patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"female","birthDate":"1980-02-03","telecom":[{"system":"email","value":"ANA@example.org "}],"address":[{"line":["1 Elm Rd"],"postalCode":"60601"}])")},
      {"case, accents, hyphens", patient(R"("name":[{"family":"SILVA","given":["ÁNNA"]}],"gender":"female","birthDate":"1980-02-03","telecom":[{"system":"phone","value":"617-555-0100"}])")},
      {"a nickname", patient(R"("name":[{"family":"Silva","given":["Annie"]}],"gender":"female","birthDate":"1980-02-03","telecom":[{"system":"phone","value":"6175550100"}])")},
      {"a middle initial and a suffix", patient(R"("name":[{"family":"Silva Jr.","given":["Anna","M."]}],"gender":"female","birthDate":"1980-02-03")")},
      {"a former surname listed as old", patient(R"("name":[{"use":"official","family":"Costa","given":["Anna"]},{"use":"old","family":"Silva","given":["Anna"]}],"gender":"female","birthDate":"1980-02-03")")},
      {"a double surname", patient(R"("name":[{"family":"Silva-Costa","given":["Anna"]}],"gender":"female","birthDate":"1980-02-03","telecom":[{"system":"phone","value":"617 555 0100"}])")},
      {"a typo in the birth date, the same phone", patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"female","birthDate":"1980-02-30","telecom":[{"system":"phone","value":"617-555-0100"}])")},
      {"day and month swapped, the same email", patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"female","birthDate":"1980-03-02","telecom":[{"system":"email","value":"ana@example.org"}])")},
      {"only a text name", patient(R"("name":[{"text":"Anna Silva"}],"gender":"female","birthDate":"1980-02-03")")},
  };
  for (const auto& [what, other] : variants) {
    INFO(what);
    const PatientComparison c = compare(kAna, other);
    CHECK(c.outcome == Match::same);
    CHECK(c.rule.empty());
  }
  CHECK(field(compare(kAna, variants[3].second), "given").note == "a nickname");
  CHECK(field(compare(kAna, variants[5].second), "family").note == "a former name");
  CHECK(field(compare(kAna, variants[7].second), "birthDate").verdict == chartlock::FieldComparison::Verdict::partial);
}

TEST_CASE("people who only look alike are never one person", "[persons]") {
  const std::string twin = patient(R"("name":[{"family":"Silva","given":["Beatriz"]}],"gender":"female","birthDate":"1980-02-03",)"
                                   R"("telecom":[{"system":"phone","value":"617-555-0100"}],"address":[{"line":["12 Oak Street"],"postalCode":"02115"}])");
  const PatientComparison twins = compare(kAna, twin);
  CHECK(twins.outcome == Match::different);
  CHECK(twins.rule == "the given names cannot be one person's");
  CHECK(field(twins, "given").verdict == chartlock::FieldComparison::Verdict::disagree);

  const std::string mother = patient(R"("name":[{"family":"Silva","given":["Ana"]}],"gender":"female","birthDate":"1955-06-10",)"
                                     R"("telecom":[{"system":"phone","value":"617-555-0100"}],"address":[{"line":["12 Oak Street"],"postalCode":"02115"}])");
  const PatientComparison parent = compare(kAna, mother);
  CHECK(parent.outcome == Match::different);
  CHECK(parent.rule == "the birth dates differ");
  CHECK(field(parent, "birthDate").a == "1980-02-03");
  CHECK(field(parent, "birthDate").b == "1955-06-10");

  const std::string junior = patient(R"("name":[{"family":"Silva","given":["Ana"],"suffix":["Jr"]}],"gender":"female","birthDate":"2004-09-01")");
  CHECK(compare(kAna, junior).outcome == Match::different);

  const std::string ssn_a = patient(R"("name":[{"family":"Silva","given":["Ana"]}],"birthDate":"1980-02-03","identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"123-45-6789"}])");
  const std::string ssn_b = patient(R"("name":[{"family":"Silva","given":["Ana"]}],"birthDate":"1980-02-03","identifier":[{"system":"http://hl7.org/fhir/sid/us-ssn","value":"987-65-4321"}])");
  CHECK(compare(ssn_a, ssn_b).rule == "one national identifier has two values");
}

TEST_CASE("what cannot be told apart is left to the patient: uncertain", "[persons]") {
  // Everything the same but the recorded sex.
  const std::string other_sex = patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"male","birthDate":"1980-02-03")");
  CHECK(compare(kAna, other_sex).outcome == Match::uncertain);
  // A birth date that looks mistyped, and nothing else to tie them.
  const std::string typo = patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"female","birthDate":"1980-02-30")");
  CHECK(compare(kAna, typo).outcome == Match::uncertain);
  // A name alone, no birth date on one side.
  const std::string no_birth = patient(R"("name":[{"family":"Silva","given":["Anna"]}],"gender":"female")");
  CHECK(compare(kAna, no_birth).outcome == Match::uncertain);
}

TEST_CASE("records of two people read together: refused, with each field side by side", "[persons][ingest]") {
  const std::string a = test::bundle({kAna, R"({"resourceType":"Condition","code":{"text":"Asthma"}})"});
  const std::string b = test::bundle({patient(R"("name":[{"family":"Okafor","given":["Chidi"]}],"gender":"male","birthDate":"1975-11-20")"),
                                      R"({"resourceType":"Condition","code":{"text":"Gout"}})"});
  try {
    (void)test::ingest_all({{"a", a}, {"b", b}});
    FAIL("two people were merged");
  } catch (const chartlock::DifferentPersons& e) {
    REQUIRE(e.persons().size() == 2);
    CHECK(e.comparison().outcome == Match::different);
    CHECK(field(e.comparison(), "birthDate").b == "1975-11-20");
    CHECK(std::string(e.what()).find("Okafor") == std::string::npos);  // what() may be logged
  }
  // Each person's record holds only their own.
  const auto persons = chartlock::find_persons({{"a", a}, {"b", b}});
  REQUIRE(persons.size() == 2);
  CHECK(persons[1].sources == std::vector<std::string>{"b"});
  chartlock::IngestOptions o;
  o.person = persons[1].key;
  const chartlock::Record r = test::ingest_all({{"a", a}, {"b", b}}, o);
  REQUIRE(r.conditions.size() == 1);
  CHECK(r.conditions[0].code.text == "Gout");
  CHECK(r.patient.family == "Okafor");
  REQUIRE(r.sources.size() == 1);  // the other person's source is not listed
  CHECK(r.sources[0].name == "b");
  CHECK(r.person == persons[1].key);
  // A share for the other person (a grant made for them) is refused by the core, whoever asks.
  chartlock::ShareRequest request;
  request.consent = chartlock::consent_from_json(R"({"scopes":["patient/*.rs"],"categories":["conditions"]})");
  request.person = persons[0].key;
  CHECK_THROWS_AS(chartlock::build_share(r, request), chartlock::WrongPerson);
  request.person = persons[1].key;
  CHECK(chartlock::build_share(r, request).keys.size() == 1);
  // One person's sources: the record says whose it is too.
  CHECK(test::ingest_all({{"a", a}}).person == persons[0].key);
  o.person = "person-0000000000000000";
  CHECK_THROWS_AS(test::ingest_all({{"a", a}, {"b", b}}, o), chartlock::UnknownPerson);
}

TEST_CASE("a bulk export of several patients is split per person, across its files", "[persons][ingest]") {
  // NDJSON as a bulk export writes it: Patients in one file, their records in another.
  const std::string patients =
      patient(R"("id":"p1","name":[{"family":"Silva","given":["Ana"]}],"gender":"female","birthDate":"1980-02-03")") + "\n" +
      patient(R"("id":"p2","name":[{"family":"Okafor","given":["Chidi"]}],"gender":"male","birthDate":"1975-11-20")") + "\n" +
      patient(R"("id":"p3","name":[{"family":"Silva","given":["Beatriz"]}],"gender":"female","birthDate":"1980-02-03")") + "\n";
  const std::string conditions =
      std::string(R"({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"text":"Asthma"}})") + "\n" +
      R"({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p2"},"code":{"text":"Gout"}})" + "\n" +
      R"({"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/p3"},"code":{"text":"Migraine"}})" + "\n" +
      R"({"resourceType":"Condition","id":"c4","subject":{"reference":"Patient/p1"},"code":{"text":"Eczema"}})" + "\n";
  const std::vector<chartlock::Source> sources{{"Patient.ndjson", patients}, {"Condition.ndjson", conditions}};
  const auto persons = chartlock::find_persons(sources);
  REQUIRE(persons.size() == 3);  // the twins (p1, p3) too
  CHECK(persons[0].patient.family == "Silva");
  CHECK(persons[0].sources == std::vector<std::string>{"Patient.ndjson", "Condition.ndjson"});
  chartlock::IngestOptions o;
  o.person = persons[0].key;
  const chartlock::Record ana = chartlock::ingest(sources, o);
  REQUIRE(ana.conditions.size() == 2);
  CHECK(ana.conditions[0].code.text == "Asthma");
  CHECK(ana.conditions[1].code.text == "Eczema");
  CHECK(ana.counts.at("Patient") == 1);
  CHECK(ana.counts.at("Condition") == 2);
  CHECK(ana.patient.given == std::vector<std::string>{"Ana"});
  // Keys do not depend on the order the files are given in.
  const auto again = chartlock::find_persons({sources[1], sources[0]});
  std::vector<std::string> k1, k2;
  for (const auto& p : persons) k1.push_back(p.key);
  for (const auto& p : again) k2.push_back(p.key);
  std::sort(k1.begin(), k1.end());
  std::sort(k2.begin(), k2.end());
  CHECK(k1 == k2);
}

TEST_CASE("a source without any Patient joins the one person there is", "[persons][ingest]") {
  const std::string a = test::bundle({kAna});
  const std::string labs = R"({"resourceType":"Observation","status":"final","code":{"text":"Glucose"},"valueQuantity":{"value":90}})";
  const chartlock::Record r = test::ingest_all({{"a", a}, {"labs", labs}});
  CHECK(r.observations.size() == 1);
  CHECK(r.sources.size() == 2);
}

TEST_CASE("record location: $match grades, and re-asking with one field left out tells why", "[persons][match]") {
  const chartlock::Patient verified = read_patient(patient(
      R"("name":[{"use":"official","family":"Costa","given":["Anna"]},{"use":"old","family":"Silva","given":["Anna"]}],)"
      R"("gender":"female","birthDate":"1980-02-03","telecom":[{"system":"phone","value":"617-555-0100"}],)"
      R"("address":[{"line":["9 New Road"],"postalCode":"02139"}])"));
  // A provider with the same details: certain.
  CHECK(chartlock::grade_match(verified, verified).grade == chartlock::MatchGrade::certain);
  // One holding an old address: probable only — left out, the address no longer stands in the way.
  const chartlock::Patient old_address = read_patient(patient(
      R"("name":[{"family":"Costa","given":["Anna"]}],"gender":"female","birthDate":"1980-02-03",)"
      R"("address":[{"line":["12 Oak Street"],"postalCode":"02115"}])"));
  const chartlock::MatchResult first = chartlock::grade_match(verified, old_address);
  CHECK(first.grade == chartlock::MatchGrade::probable);
  const auto relaxed = chartlock::relaxations(verified);
  const auto without_address = std::find_if(relaxed.begin(), relaxed.end(), [](const auto& r) { return r.field == "address"; });
  REQUIRE(without_address != relaxed.end());
  CHECK(without_address->what == "your address");
  CHECK(chartlock::grade_match(without_address->query, old_address).grade == chartlock::MatchGrade::certain);
  CHECK(chartlock::grade_match(without_address->query, old_address).score > first.score);
  // A former surname is one of the ways to re-ask.
  CHECK(std::any_of(relaxed.begin(), relaxed.end(), [](const auto& r) { return r.field == "name" && r.query.family == "Silva"; }));
  // The birth date is re-asked as its year alone, never as a guessed date.
  CHECK(std::any_of(relaxed.begin(), relaxed.end(), [](const auto& r) { return r.field == "birthDate" && r.query.birthDate == "1980"; }));
  for (const auto& r : relaxed) {
    CHECK_FALSE(r.found.empty());
    CHECK_FALSE(r.advice.empty());
  }
  // A namesake born on another day: certainly not, whatever is relaxed.
  const chartlock::Patient namesake = read_patient(patient(R"("name":[{"family":"Costa","given":["Anna"]}],"gender":"female","birthDate":"1991-07-15")"));
  CHECK(chartlock::grade_match(verified, namesake).grade == chartlock::MatchGrade::certainly_not);
  CHECK(chartlock::grade_match(verified, namesake).score == 0);
  for (const auto& r : relaxed) CHECK(chartlock::grade_match(r.query, namesake).grade == chartlock::MatchGrade::certainly_not);
}

TEST_CASE("record location: a mistyped birth date is found by its year, and told as such", "[persons][match]") {
  const chartlock::Patient verified = chartlock::read_patient_resource(patient(
      R"("name":[{"use":"official","family":"Sorensen","given":["David"]}],"gender":"male","birthDate":"1959-10-21",)"
      R"("telecom":[{"system":"phone","value":"860-555-0197"}],"address":[{"line":["3882 Willow Road"],"postalCode":"06161"}])"));
  for (const char* typo : {"1959-10-12", "1959-10-27", "1959-01-21"}) {
    const chartlock::Patient held = chartlock::read_patient_resource(patient(
        std::string(R"("name":[{"family":"Sorensen","given":["David"]}],"gender":"male","birthDate":")") + typo +
        R"(","telecom":[{"system":"phone","value":"(860) 555-0197"}],"address":[{"line":["3882 Willow Road"],"postalCode":"06161"}])"));
    INFO(typo);
    CHECK(chartlock::grade_match(verified, held).grade != chartlock::MatchGrade::certain);
    const auto relaxed = chartlock::relaxations(verified);
    const auto year = std::find_if(relaxed.begin(), relaxed.end(), [](const auto& r) { return r.field == "birthDate"; });
    REQUIRE(year != relaxed.end());
    CHECK(chartlock::grade_match(year->query, held).grade == chartlock::MatchGrade::certain);
    CHECK(year->advice == "ask them to check your date of birth");
  }
  // A namesake born the same year, elsewhere: the year alone never makes them certain.
  const chartlock::Patient namesake = chartlock::read_patient_resource(patient(
      R"("name":[{"family":"Sorensen","given":["David"]}],"gender":"male","birthDate":"1959-03-02",)"
      R"("address":[{"line":["5 Harbor Lane"],"postalCode":"98101"}])"));
  for (const auto& r : chartlock::relaxations(verified)) {
    INFO(r.field);
    CHECK(chartlock::grade_match(r.query, namesake).grade != chartlock::MatchGrade::certain);
  }
}

TEST_CASE("record location: a Patient is read from one resource and written back with what matching uses", "[persons][match]") {
  const chartlock::Patient p = chartlock::read_patient_resource(kAna);
  const chartlock::Patient again = chartlock::read_patient_resource(chartlock::patient_to_fhir_json(p));
  CHECK(again.name == p.name);
  CHECK(again.birthDate == p.birthDate);
  CHECK(again.gender == p.gender);
  CHECK(again.phones == p.phones);
  CHECK(again.emails == p.emails);
  REQUIRE(again.addresses.size() == 1);
  CHECK(again.addresses[0].postalCode == "02115");
  CHECK(chartlock::grade_match(p, again).grade == chartlock::MatchGrade::certain);
  // Only what matching uses leaves: no id, no other field.
  const std::string written = chartlock::patient_to_fhir_json(p);
  CHECK(written.find("\"id\"") == std::string::npos);
  CHECK_THROWS_AS(chartlock::read_patient_resource(R"({"resourceType":"Observation","id":"o"})"), std::invalid_argument);
  CHECK_THROWS_AS(chartlock::read_patient_resource("not json"), chartlock::IngestError);
  const std::string graded = chartlock::match_result_json(chartlock::grade_match(p, again));
  CHECK(graded.find(R"("grade":"certain")") != std::string::npos);
  CHECK(graded.find(R"("field":"birthDate")") != std::string::npos);
}

TEST_CASE("record location: the first query sends current details; a declared former name is re-asked on its own", "[persons][match]") {
  const chartlock::Patient verified = chartlock::read_patient_resource(patient(
      R"("name":[{"use":"official","family":"Costa","given":["Anna"]},{"use":"old","family":"Silva"}],)"
      R"("gender":"female","birthDate":"1980-02-03",)"
      R"("address":[{"use":"home","line":["9 New Road"],"postalCode":"02139"},{"use":"old","line":["1 Old Road"],"postalCode":"02115"}])"));
  const chartlock::Patient q = chartlock::match_query(verified);
  REQUIRE(q.names.size() == 1);
  CHECK(q.names[0].family == "Costa");
  REQUIRE(q.addresses.size() == 1);
  CHECK(q.addresses[0].postalCode == "02139");
  const auto relaxed = chartlock::relaxations(verified);
  const auto former = std::find_if(relaxed.begin(), relaxed.end(), [](const auto& r) { return r.field == "name"; });
  REQUIRE(former != relaxed.end());
  REQUIRE(former->query.names.size() == 1);
  CHECK(former->query.names[0].family == "Silva");
  CHECK(former->query.names[0].given == std::vector<std::string>{"Anna"});  // a former surname keeps the given names
  CHECK(former->found == "under your former name (Anna Silva)");
  // The old address is not sent, nor re-asked: a relaxation only leaves out.
  for (const auto& r : relaxed) {
    for (const auto& a : r.query.addresses) CHECK(a.postalCode != "02115");
  }
}
