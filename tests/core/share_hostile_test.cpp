// SPDX-License-Identifier: Apache-2.0
// Sensitive facts hidden where codes do not show them — narrative, notes,
// components, reasons, contained resources, report conclusions, text and HTML
// attachments, security labels, a second provider's copy of a merged item —
// and the patient's name in subject.display. With the sensitive categories
// off (and the patient off), none of their words is anywhere in what is
// shared, attachments decoded; with them on, the items go.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include "chartlock/share.hpp"
#include "ingest_support.hpp"
#include "text/base64.hpp"
#include "text/markup.hpp"

using json = nlohmann::json;

namespace {

std::string b64(const std::string& s) { return chartlock::text::base64_encode(s); }

const std::string kSubject = R"("subject":{"reference":"Patient/p1","display":"Ana Silva"})";

const std::string kClinicA = test::bundle({
    R"({"resourceType":"Patient","id":"p1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    // 1. narrative
    R"({"resourceType":"Condition","id":"c-narr","text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Patient disclosed <b>heroin</b> use</div>"},"code":{"text":"Follow-up visit finding"},"onsetDateTime":"2021-01-01",)" + kSubject + "}",
    // 2. a note
    R"({"resourceType":"Observation","id":"o-note","status":"final","category":[{"coding":[{"code":"exam"}]}],"code":{"text":"Clinical observation"},"effectiveDateTime":"2021-02-01","valueString":"seen","note":[{"text":"Patient reports suicidal thoughts"}],)" + kSubject + "}",
    // 3. a component
    R"({"resourceType":"Observation","id":"o-comp","status":"final","category":[{"coding":[{"code":"survey"}]}],"code":{"text":"Questionnaire panel"},"effectiveDateTime":"2021-03-01","component":[{"code":{"text":"PHQ-9 total score"},"valueInteger":14}],)" + kSubject + "}",
    // 4. a reason
    R"({"resourceType":"MedicationRequest","id":"m-reason","status":"active","intent":"order","medicationCodeableConcept":{"text":"Tablet A 8 MG"},"reasonCode":[{"text":"Opioid use disorder"}],"authoredOn":"2021-04-01",)" + kSubject + "}",
    // 5. a contained resource
    R"({"resourceType":"Procedure","id":"p-cont","status":"completed","code":{"text":"Office procedure"},"performedDateTime":"2021-05-01","contained":[{"resourceType":"Condition","id":"x","code":{"text":"Chlamydia infection"}}],"reasonReference":[{"reference":"#x"}],)" + kSubject + "}",
    // 6. a report's conclusion
    R"({"resourceType":"DiagnosticReport","id":"r-concl","status":"final","code":{"text":"Lab panel"},"effectiveDateTime":"2021-06-01","conclusion":"HIV-1 antibody reactive",)" + kSubject + "}",
    // 7. a text attachment
    R"({"resourceType":"DocumentReference","id":"d-text","status":"current","type":{"text":"Progress note"},"date":"2021-07-01","content":[{"attachment":{"contentType":"text/plain","data":")" + b64("Psychiatric follow-up. Ana Silva, born 02/03/1980.") + R"("}}],)" + kSubject + "}",
    // 8. an HTML attachment
    R"({"resourceType":"DocumentReference","id":"d-html","status":"current","type":{"text":"Visit note"},"date":"2021-08-01","content":[{"attachment":{"contentType":"text/html","data":")" + b64("<p>Discussed <i>metha</i>done dose</p>") + R"("}}],)" + kSubject + "}",
    // 9. a security label alone
    R"({"resourceType":"Observation","id":"o-label","meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"PSY"}]},"status":"final","category":[{"coding":[{"code":"exam"}]}],"code":{"text":"Session length"},"effectiveDateTime":"2021-09-01","valueQuantity":{"value":50,"unit":"min"},)" + kSubject + "}",
    // the same fact clinic B reports, clean here
    R"({"resourceType":"Condition","id":"c-merged","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01",)" + kSubject + "}",
    // nothing sensitive: must be shared either way
    R"({"resourceType":"Condition","id":"c-clean","code":{"coding":[{"system":"http://snomed.info/sct","code":"195662009","display":"Acute viral pharyngitis"}]},"onsetDateTime":"2020-01-01",)" + kSubject + "}",
});

// 10. a second provider's copy of a merged item, with a note
const std::string kClinicB = test::bundle({
    R"({"resourceType":"Patient","id":"b1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    R"({"resourceType":"Condition","id":"c-merged-b","code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01","note":[{"text":"Also treated for bipolar disorder"}],)" + kSubject + "}",
});

const std::vector<std::string> kHidden{"heroin", "suicidal", "phq", "opioid use", "chlamydia", "hiv",
                                       "psychiatric", "methadone", "bipolar"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Every word a tool could read: each part's text, and attachments decoded.
std::string readable(const chartlock::ShareContent& share) {
  std::string all;
  for (const chartlock::SharePart& p : share.parts) all += p.text + "\n";
  const json bundle = json::parse(share.parts.at(0).text);
  for (const json& e : bundle["entry"]) {
    for (const json& c : e["resource"].value("content", json::array())) {
      if (auto d = chartlock::text::base64_decode(c["attachment"].value("data", ""), 1 << 20)) {
        all += chartlock::text::strip_markup(*d) + "\n";
      }
    }
  }
  return lower(all);
}

chartlock::ShareContent share_with(std::set<std::string> sensitive, bool patient) {
  const chartlock::Record r = test::ingest_all({{"clinic-a", kClinicA}, {"clinic-b", kClinicB}});
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/*.rs"});
  req.consent.sensitive = std::move(sensitive);
  if (!patient) req.consent.categories.erase(chartlock::Category::patient);
  req.today = "2022-01-01";
  return chartlock::build_share(r, req);
}

}  // namespace

TEST_CASE("hostile record: with sensitive categories off, no hidden fact leaves", "[share][hostile]") {
  const chartlock::ShareContent share = share_with({}, false);
  const std::string text = readable(share);
  for (const std::string& word : kHidden) {
    INFO(word);
    CHECK(text.find(word) == std::string::npos);
  }
  // The patient is off: their name and birth date are nowhere, display and notes included.
  for (const char* word : {"silva", "ana ", "1980", "02/03"}) {
    INFO(word);
    CHECK(text.find(word) == std::string::npos);
  }
  // What is not sensitive still goes, and only it.
  CHECK(text.find("pharyngitis") != std::string::npos);
  CHECK(share.keys.size() == 1);
}

TEST_CASE("hostile record: each hidden fact makes its item sensitive", "[share][hostile]") {
  const chartlock::Record r = test::ingest_all({{"clinic-a", kClinicA}, {"clinic-b", kClinicB}});
  using V = std::vector<std::string>;
  std::map<std::string, V> by_id;
  for (const chartlock::ConsentItem& item : chartlock::consent_catalog(r)) {
    auto id_of = [&](const auto& list) {
      for (const auto& i : list) {
        if (i.key == item.key) return std::string(i.sources.front().id());
      }
      return std::string();
    };
    std::string id = id_of(r.conditions);
    for (const std::string& other : {id_of(r.observations), id_of(r.medications), id_of(r.procedures),
                                     id_of(r.reports), id_of(r.documents)}) {
      if (id.empty()) id = other;
    }
    by_id[id] = item.sensitive;
  }
  CHECK(by_id.at("c-narr") == V{"substance-use"});
  CHECK(by_id.at("o-note") == V{"mental-health"});
  CHECK(by_id.at("o-comp") == V{"mental-health"});
  CHECK(by_id.at("m-reason") == V{"substance-use"});
  CHECK(by_id.at("p-cont") == V{"reproductive-sexual-health"});
  CHECK(by_id.at("r-concl") == V{"reproductive-sexual-health"});
  CHECK(by_id.at("d-text") == V{"mental-health"});
  CHECK(by_id.at("d-html") == V{"substance-use"});
  CHECK(by_id.at("o-label") == V{"mental-health"});
  CHECK(by_id.at("c-merged") == V{"mental-health"});  // clinic B's note
  CHECK(by_id.at("c-clean").empty());
}

TEST_CASE("hostile record: with the categories on, the items go, as rebuilt resources", "[share][hostile]") {
  const chartlock::ShareContent share =
      share_with({"mental-health", "substance-use", "reproductive-sexual-health"}, true);
  CHECK(share.keys.size() == 11);
  const std::string text = readable(share);
  // Carried fields travel: notes, components, reasons, conclusions, text attachments.
  for (const char* word : {"suicidal", "phq", "opioid use", "hiv", "psychiatric", "methadone", "bipolar", "silva"}) {
    INFO(word);
    CHECK(text.find(word) != std::string::npos);
  }
  // Narrative and contained resources are never shared (docs/share-content.md).
  CHECK(text.find("heroin") == std::string::npos);
  CHECK(text.find("chlamydia") == std::string::npos);
  CHECK(text.find("<div") == std::string::npos);
  CHECK(text.find("contained") == std::string::npos);
  CHECK(text.find("\"display\":\"ana silva\"") == std::string::npos);  // subject.display is never copied
}
