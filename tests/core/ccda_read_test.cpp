// SPDX-License-Identifier: Apache-2.0
// C-CDA documents → the record: HL7's C-CDA R2.1 examples (tests/fixtures/ccda)
// read, every section's entries counted against an independent count of the
// XML, and values, units, ranges and times of results checked by hand.
#include <catch2/catch.hpp>

#include <algorithm>

#include "ccda/values.hpp"
#include "ccda_support.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"

using chartlock::ObservationValue;
using chartlock::Record;

namespace {

const std::string kTemplates = "2.16.840.1.113883.10.20.22.";

Record read_document(const std::string& xml, const std::string& name = "doc.xml") {
  return test::ingest_one(xml, name);
}

// What the reader should have found, counted on the XML by template.
struct Expected {
  std::size_t conditions, allergies, medications, immunizations, results, vitals, procedures, encounters, reports;
};

Expected independent_count(const std::string& xml) {
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  using test::ccda::count_in_sections;
  const auto t = [](const char* tail) { return kTemplates + tail; };
  return Expected{
      count_in_sections(doc, t("2.5"), t("4.4")) + count_in_sections(doc, t("2.24"), t("4.4")) +
          count_in_sections(doc, t("2.43"), t("4.4")),
      count_in_sections(doc, t("2.6"), t("4.7"), /*skip_negated=*/true),
      count_in_sections(doc, t("2.1"), t("4.16")) + count_in_sections(doc, t("2.11"), t("4.16")) +
          count_in_sections(doc, t("2.44"), t("4.16")),
      count_in_sections(doc, t("2.2"), t("4.52")),
      count_in_sections(doc, t("2.3"), t("4.2")),
      count_in_sections(doc, t("2.4"), t("4.27")),
      count_in_sections(doc, t("2.7"), t("4.14")) + count_in_sections(doc, t("2.7"), t("4.13")) +
          count_in_sections(doc, t("2.7"), t("4.12")),
      count_in_sections(doc, t("2.22"), t("4.49")),
      count_in_sections(doc, t("2.3"), t("4.1")),
  };
}

std::size_t with_category(const Record& r, const std::string& category) {
  return static_cast<std::size_t>(std::count_if(r.observations.begin(), r.observations.end(), [&](const auto& o) {
    return std::find(o.category.begin(), o.category.end(), category) != o.category.end();
  }));
}

void check_counts(const std::string& xml, const Record& r) {
  const Expected e = independent_count(xml);
  CHECK(r.conditions.size() == e.conditions);
  CHECK(r.allergies.size() == e.allergies);
  CHECK(r.medications.size() == e.medications);
  CHECK(r.immunizations.size() == e.immunizations);
  CHECK(with_category(r, "laboratory") == e.results);
  CHECK(with_category(r, "vital-signs") == e.vitals);
  CHECK(r.procedures.size() == e.procedures);
  CHECK(r.encounters.size() == e.encounters);
  CHECK(r.reports.size() == e.reports);
  CHECK(r.documents.size() == 1);  // the narrative, one note per document
}

const chartlock::Observation& observation(const Record& r, const std::string& loinc, std::size_t nth = 0) {
  for (const auto& o : r.observations) {
    const chartlock::Coding* c = o.code.primary();
    if (c && c->code == loinc && nth-- == 0) return o;
  }
  FAIL("no observation " << loinc);
  throw;
}

}  // namespace

TEST_CASE("ccda: the HL7 example documents read, each section's entries counted independently", "[ccda]") {
  for (const char* name : {"ccd.xml", "discharge-summary.xml", "progress-note.xml"}) {
    INFO(name);
    const std::string xml = test::ccda::read_fixture(name);
    REQUIRE(!xml.empty());
    const Record r = read_document(xml, name);
    check_counts(xml, r);
    CHECK(r.patient.present);
    REQUIRE(r.sources.size() == 1);
    CHECK(r.sources[0].format == "ccda");
    CHECK(test::warnings_text(r) == "");
  }
}

TEST_CASE("ccda: a discharge summary's discharge medicines are medications, its diagnoses conditions", "[ccda]") {
  const Record r = read_document(test::ccda::read_fixture("discharge-summary.xml"));
  // Two on the problem list, one admission and one discharge diagnosis.
  const auto of = [&](const char* category) {
    return std::count_if(r.conditions.begin(), r.conditions.end(),
                         [&](const auto& c) { return chartlock::to_strings(c.category) == std::vector<std::string>{category}; });
  };
  CHECK(of("problem-list-item") == 2);
  CHECK(of("encounter-diagnosis") == 2);
  REQUIRE(r.medications.size() == 1);
  CHECK(r.medications[0].code.codings.at(0).code == "197806");  // ibuprofen 600 MG Oral Tablet
  CHECK(r.medications[0].kind == "request");                    // moodCode INT
  CHECK(r.sources.at(0).bundleType == "Discharge Summary");
}

TEST_CASE("ccda: the CCD — numbers read by hand from the XML", "[ccda]") {
  const std::string xml = test::ccda::read_fixture("ccd.xml");
  const Record r = read_document(xml, "ccd.xml");
  // Hard numbers, as a second check of the independent count.
  CHECK(r.conditions.size() == 4);
  CHECK(r.allergies.size() == 2);
  CHECK(r.medications.size() == 2);
  CHECK(r.immunizations.size() == 5);
  CHECK(with_category(r, "laboratory") == 6);
  CHECK(with_category(r, "vital-signs") == 8);
  CHECK(with_category(r, "social-history") == 3);  // smoking status, tobacco use, one more
  CHECK(r.procedures.size() == 3);
  CHECK(r.encounters.size() == 1);
  CHECK(r.reports.size() == 2);
  CHECK(r.sources[0].bundleType == "Continuity of Care Document");

  // recordTarget: who this is, for person matching.
  CHECK(r.patient.name == "Eve Betterhalf");
  CHECK(r.patient.birthDate == "1975-05-01");
  CHECK(r.patient.gender == "female");
  REQUIRE(r.patient.address);
  CHECK(r.patient.address->line == std::vector<std::string>{"2222 Home Street"});
  CHECK(r.patient.address->city == "Beaverton");
  CHECK(r.patient.address->use == "home");
  CHECK(!r.patient.phones.empty());
  CHECK(r.patient.sources.front().pointer() == "/ClinicalDocument/recordTarget/patientRole");

  // Hemoglobin: PQ with its unit, range, interpretation, a TS with a zone.
  const auto& hgb = observation(r, "718-7");
  CHECK(hgb.value.kind == ObservationValue::Kind::quantity);
  CHECK(hgb.value.quantity.value == Approx(13.2));
  CHECK(hgb.value.quantity.code == "g/dL");
  CHECK(hgb.value.quantity.system == chartlock::systems::ucum);
  REQUIRE(hgb.referenceRange.size() == 1);
  CHECK(hgb.referenceRange[0].low->value == Approx(12.0));
  CHECK(hgb.referenceRange[0].high->value == Approx(15.5));
  CHECK(hgb.effective.start == "2008-03-19T08:30:00-08:00");
  CHECK(hgb.status == "final");
  REQUIRE(hgb.interpretation.size() == 1);
  CHECK(hgb.interpretation[0].codings[0].system == chartlock::systems::interpretation);
  CHECK(hgb.interpretation[0].codings[0].code == "N");
  CHECK(hgb.sources[0].resourceType == "Observation");

  // The panel is a report whose results are its observations.
  const auto cbc = std::find_if(r.reports.begin(), r.reports.end(),
                                [](const auto& rep) { return rep.code.primary()->code == "57021-8"; });
  REQUIRE(cbc != r.reports.end());
  CHECK(cbc->results.size() == 5);
  CHECK(std::find(cbc->results.begin(), cbc->results.end(), hgb.key) != cbc->results.end());

  // A problem with an end is resolved though its concern act is still active.
  for (const auto& c : r.conditions) {
    INFO(c.code.label());
    CHECK(c.clinicalStatus == (c.abatement.empty() ? "active" : "resolved"));
  }

  // Smoking status, vital signs, an immunization, a medicine by RxNorm.
  const auto& smoking = observation(r, "72166-2");
  CHECK(smoking.value.kind == ObservationValue::Kind::concept);
  CHECK(smoking.value.concept.codings[0].system == chartlock::systems::snomed);
  const auto& systolic = observation(r, "8480-6");
  CHECK(*systolic.value.quantity.value == Approx(132));
  CHECK(systolic.effective.start == "2012-09-10");
  CHECK(systolic.value.quantity.code == "mm[Hg]");
  CHECK(r.immunizations[0].code.codings[0].system == chartlock::systems::cvx);
  CHECK(r.medications[0].code.codings[0].system == chartlock::systems::rxnorm);
  CHECK(r.medications[0].kind == "statement");
  CHECK(r.allergies[0].code.codings[0].code == "70618");  // penicillin, from the participant
  CHECK(r.allergies[0].reactions.at(0).severity == "mild");

  // The narrative is one note: the document's title and each section's words.
  const chartlock::Document& note = r.documents.at(0);
  CHECK(note.type.codings.at(0).code == "34133-9");
  CHECK(note.authors == std::vector<std::string>{"Patricia Patty Primary M.D."});
  REQUIRE(note.attachments.size() == 1);
  CHECK(note.attachments[0].format == "cda");
  CHECK(note.attachments[0].text.rfind("Patient Chart Summary\n\nADVANCE DIRECTIVES", 0) == 0);
  CHECK(note.attachments[0].text.find("Penicillin") != std::string::npos);
}

TEST_CASE("ccda: HL7's section examples, each in a document, counted independently", "[ccda]") {
  for (const char* name :
       {"results-bmp-troponin.xml", "results-multiple-ranges.xml", "results-string-value.xml", "results-less-than.xml",
        "vital-signs-metric.xml", "allergy-penicillin.xml", "allergy-none-known.xml", "immunization-influenza.xml",
        "immunization-refused.xml", "medication-qid-prn.xml", "problem-active.xml", "problem-resolved.xml",
        "procedure.xml", "smoking-status-current.xml", "encounter-outpatient.xml"}) {
    INFO(name);
    const std::string xml = test::ccda::in_document(test::ccda::read_fixture(std::string("sections/") + name));
    const Record r = read_document(xml, name);
    check_counts(xml, r);
    CHECK(test::warnings_text(r) == "");
  }
}

TEST_CASE("ccda: result values, units, ranges and times", "[ccda]") {
  using test::ccda::in_document;
  using test::ccda::read_fixture;
  SECTION("a panel of PQ values with ranges; TS to the minute with a zone") {
    const Record r = read_document(in_document(read_fixture("sections/results-bmp-troponin.xml")));
    const auto& sodium = observation(r, "2947-0");
    CHECK(sodium.value.quantity.value == Approx(140));
    CHECK(sodium.value.quantity.unit == "mmol/L");
    CHECK(sodium.referenceRange.at(0).low->value == Approx(135));
    CHECK(sodium.referenceRange.at(0).high->value == Approx(145));
    CHECK(sodium.effective.start == "2012-10-02T09:08:00-05:00");
    const auto& troponin2 = observation(r, "6598-7", 1);
    CHECK(troponin2.value.quantity.value == Approx(0.01));
    CHECK(troponin2.value.quantity.unit == "ng/mL");
    CHECK(troponin2.effective.start == "2012-10-03T10:08:00-05:00");
    CHECK(r.reports.size() == 3);
  }
  SECTION("a value below a limit is an IVL_PQ: a range") {
    const Record r = read_document(in_document(read_fixture("sections/results-less-than.xml")));
    const auto& bnp = observation(r, "42637-9");
    CHECK(bnp.value.kind == ObservationValue::Kind::range);
    CHECK(bnp.value.quantity.value == Approx(0));
    REQUIRE(bnp.value.high);
    CHECK(bnp.value.high->value == Approx(5));
    CHECK(bnp.value.high->unit == "pg/mL");
    CHECK(bnp.referenceRange.at(0).high->value == Approx(100));
  }
  SECTION("a string value; seconds in the TS") {
    const Record r = read_document(in_document(read_fixture("sections/results-string-value.xml")));
    const auto& color = observation(r, "5778-6");
    CHECK(color.value.kind == ObservationValue::Kind::string);
    CHECK(color.value.text == "Amber");
    CHECK(color.effective.start == "2013-10-23T09:08:23-05:00");
  }
  SECTION("several reference ranges given as text") {
    const Record r = read_document(in_document(read_fixture("sections/results-multiple-ranges.xml")));
    const auto& ana = observation(r, "5048-4");
    REQUIRE(ana.referenceRange.size() == 3);
    CHECK(ana.referenceRange[0].text == "Negative, less than 1:80");
    CHECK(ana.referenceRange[2].text == "Positive, greater than 1:80");
  }
  SECTION("a refused immunization is not done; no known allergies is no allergy") {
    CHECK(read_document(in_document(read_fixture("sections/immunization-refused.xml"))).immunizations.at(0).status ==
          "not-done");
    CHECK(read_document(in_document(read_fixture("sections/allergy-none-known.xml"))).allergies.empty());
  }
}

TEST_CASE("ccda: HL7 TS times in every precision, codeSystem OIDs as URIs", "[ccda]") {
  using chartlock::ccda::fhir_time;
  CHECK(fhir_time("2012") == "2012");
  CHECK(fhir_time("201210") == "2012-10");
  CHECK(fhir_time("20121002") == "2012-10-02");
  CHECK(fhir_time("2012100209") == "2012-10-02T09:00:00");
  CHECK(fhir_time("201210020908-0500") == "2012-10-02T09:08:00-05:00");
  CHECK(fhir_time("20121002090812.25+0130") == "2012-10-02T09:08:12.25+01:30");
  CHECK(fhir_time("") == "");
  CHECK_FALSE(fhir_time("2012-10-02"));
  CHECK_FALSE(fhir_time("20121302"));
  CHECK_FALSE(fhir_time("201210020908-05"));
  CHECK_FALSE(fhir_time("12345"));
  using chartlock::ccda::system_uri;
  CHECK(system_uri("2.16.840.1.113883.6.1") == chartlock::systems::loinc);
  CHECK(system_uri("2.16.840.1.113883.6.96") == chartlock::systems::snomed);
  CHECK(system_uri("2.16.840.1.113883.6.88") == chartlock::systems::rxnorm);
  CHECK(system_uri("2.16.840.1.113883.12.292") == chartlock::systems::cvx);
  CHECK(system_uri("1.2.3") == "urn:oid:1.2.3");
}

TEST_CASE("ccda: translations kept, nullFlavor values absent with a reason", "[ccda]") {
  const std::string xml = test::ccda::in_document(R"(<section>
  <templateId root="2.16.840.1.113883.10.20.22.2.3.1"/><code code="30954-2" codeSystem="2.16.840.1.113883.6.1"/>
  <title>Results</title><text><table><tr><td ID="r1">Glucose, fasting</td><td>95</td></tr></table></text>
  <entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
    <code code="1558-6" codeSystem="2.16.840.1.113883.6.1" displayName="Fasting glucose">
      <originalText><reference value="#r1"/></originalText>
      <translation code="GLU-F" codeSystem="1.2.840.99" displayName="Local glucose"/></code>
    <statusCode code="completed"/><effectiveTime value="20200102"/>
    <value xsi:type="PQ" nullFlavor="UNK"/></observation></entry>
  <entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/>
    <code nullFlavor="UNK"/><statusCode code="completed"/></observation></entry>
</section>)");
  const Record r = read_document(xml);
  REQUIRE(r.observations.size() == 1);  // the one without a code is not an observation
  const auto& o = r.observations[0];
  REQUIRE(o.code.codings.size() == 2);
  CHECK(o.code.codings[1].system == "urn:oid:1.2.840.99");
  CHECK(o.code.codings[1].code == "GLU-F");
  CHECK(o.code.text == "Glucose, fasting");  // originalText by reference into the narrative
  CHECK(o.value.kind == ObservationValue::Kind::none);
  CHECK(o.dataAbsentReason.codings.at(0).code == "unknown");
}

TEST_CASE("ccda: the CCD summarized, as JSON and Markdown", "[ccda]") {
  const std::string xml = test::ccda::read_fixture("ccd.xml");
  const Record r = read_document(xml, "ccd.xml");
  chartlock::SummaryOptions options;
  options.today = "2014-01-01";
  const chartlock::Summary s = chartlock::summarize(r, options);
  const std::string json = chartlock::summary_to_json_text(s);
  const std::string markdown = chartlock::summary_to_markdown(s);
  CHECK(json.find("Hemoglobin") != std::string::npos);
  CHECK(markdown.find("Pneumonia") != std::string::npos);
  CHECK(markdown.find("Penicillin") != std::string::npos);
}

TEST_CASE("ccda: a CCD and a portal's FHIR records of the same person are one person; shared facts merge", "[ccda]") {
  const std::string xml = test::ccda::read_fixture("ccd.xml");
  const std::string fhir = test::bundle({
      R"({"resourceType":"Patient","id":"p1","name":[{"family":"Betterhalf","given":["Eve"]}],"gender":"female",
          "birthDate":"1975-05-01","address":[{"city":"Beaverton","state":"OR","postalCode":"97867"}]})",
      R"({"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"},
          "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
          "code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},"effectiveDateTime":"2008-03-19T16:30:00Z",
          "valueQuantity":{"value":13.2,"unit":"g/dL","system":"http://unitsofmeasure.org","code":"g/dL"}})"});
  const Record r = test::ingest_all({{"ccd.xml", xml}, {"portal.json", fhir}});
  CHECK(r.sources.size() == 2);
  CHECK(!r.person.empty());
  const auto& hgb = observation(r, "718-7");
  REQUIRE(hgb.sources.size() == 2);  // the same instant in two zones, the same value: one fact
  CHECK(hgb.sources[0].source == "ccd.xml");
  CHECK(hgb.sources[1].source == "portal.json");
  CHECK(with_category(r, "laboratory") == 6);
}
