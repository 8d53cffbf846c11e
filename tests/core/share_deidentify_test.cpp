// SPDX-License-Identifier: Apache-2.0
// "Hide my name and exact dates": every date moved by the grant's offset,
// no name, no record keys (hashes of dates), dates in text masked, and
// nothing in the share or its receipt that gives the offset away.
#include <catch2/catch.hpp>

#include "chartlock/share.hpp"
#include "ingest_support.hpp"
#include "share/date_shift.hpp"
#include "share/redact.hpp"

using json = nlohmann::json;
using chartlock::share::shift_date;

TEST_CASE("dates move by whole days at the precision they were written", "[share][deidentify]") {
  CHECK(shift_date("2020-02-28", 1) == "2020-02-29");  // a leap year
  CHECK(shift_date("2021-02-28", 1) == "2021-03-01");
  CHECK(shift_date("2020-01-01", -1) == "2019-12-31");
  CHECK(shift_date("2019-05-02T13:45:00-05:00", 40) == "2019-06-11T13:45:00-05:00");  // time and zone kept
  CHECK(shift_date("2019-12", 40) == "2020-01");  // the first day moved, the month kept as precision
  CHECK(shift_date("2019", -1) == "2018");
  CHECK(shift_date("1999-12-31", 3650) == "2009-12-28");
  for (const char* not_a_date : {"", "unknown", "2019-13-01", "20190501", "2019-05-02 13:00"}) {
    INFO(not_a_date);
    CHECK(shift_date(not_a_date, 5) == not_a_date);
  }
}

TEST_CASE("dates written in text are masked when exact dates are hidden", "[share][deidentify]") {
  chartlock::Patient p;
  p.name = "Ana Silva";
  p.given = {"Ana"};
  p.family = "Silva";
  p.birthDate = "1980-02-03";
  const chartlock::share::Redactor hide(p, true);
  CHECK(hide.text("Seen 2021-03-04T10:00:00Z, again on 3/5/2021 and 05.03.2021.") ==
        "Seen [date], again on [date] and [date].");
  CHECK(hide.text("Since March 4, 2021; then 4 Mar 2021; in May 2019; back in 2003.") ==
        "Since [date]; then [date]; in [date]; back in [date].");
  CHECK(hide.text("You may want 2 tablets; 4500 steps; room 12/B") == "You may want 2 tablets; 4500 steps; room 12/B");
  CHECK(hide.text("Ana Silva, born February 3, 1980") == "[redacted] [redacted], born [date]");
  // A birth date that is not one (a record can say anything) is no date to hide, and no crash.
  chartlock::Patient odd = p;
  odd.birthDate = "1980-ab-03";
  CHECK(chartlock::share::Redactor(odd, false).text("Ana on 1980-ab-03") == "[redacted] on 1980-ab-03");
  const chartlock::share::Redactor names_only(p, false);
  CHECK(names_only.text("Seen 2021-03-04 by Dr. Silvano") == "Seen 2021-03-04 by Dr. Silvano");
}

namespace {

const std::string kRecords = test::bundle({
    R"({"resourceType":"Patient","id":"p1","name":[{"given":["Ana"],"family":"Silva"}],"gender":"female","birthDate":"1980-02-03"})",
    R"({"resourceType":"Encounter","id":"e1","status":"finished","class":{"code":"AMB"},"period":{"start":"2021-03-04T10:00:00Z","end":"2021-03-04T10:30:00Z"}})",
    R"({"resourceType":"Condition","id":"c1","clinicalStatus":{"coding":[{"code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"38341003","display":"Hypertension"}]},"onsetDateTime":"2015-01-01","encounter":{"reference":"Encounter/e1"},"note":[{"text":"Ana Silva reported headaches since 01/02/2015"}]})",
    R"({"resourceType":"Observation","id":"o1","status":"final","category":[{"coding":[{"code":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},"effectiveDateTime":"2021-03-04","valueQuantity":{"value":99,"unit":"mg/dL","code":"mg/dL"}})"});

chartlock::ShareContent share(std::optional<int> shift, bool patient = true) {
  const chartlock::Record r = test::ingest_one(kRecords, "clinic");
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/*.rs"});
  if (!patient) req.consent.categories.erase(chartlock::Category::patient);
  req.consent.from = "2010-01-01";
  req.consent.shift_days = shift;
  req.today = "2022-01-01";
  return chartlock::build_share(r, req);
}

}  // namespace

TEST_CASE("hidden name and dates: every date moved, no name, ids by place", "[share][deidentify]") {
  const chartlock::ShareContent plain = share(std::nullopt);
  const chartlock::ShareContent hidden = share(-100);
  const json bundle = json::parse(hidden.parts.at(0).text);
  const std::string all = hidden.parts.at(0).text + hidden.parts.at(1).text;
  for (const char* real : {"Silva", "Ana", "1980-02-03", "2015-01-01", "2021-03-04", "2022-01-01", "2010-01-01",
                           "01/02/2015"}) {
    INFO(real);
    CHECK(all.find(real) == std::string::npos);
  }
  for (const std::string& key : plain.keys) CHECK(all.find(key) == std::string::npos);  // record keys hash dates
  CHECK(hidden.ids == std::vector<std::string>{"item-1", "item-2", "item-3"});
  CHECK(hidden.keys == plain.keys);  // the widget still knows what it shared
  const json& patient = bundle["entry"][0]["resource"];
  CHECK_FALSE(patient.contains("name"));
  CHECK(patient["birthDate"] == "1979-10-26");
  CHECK(patient["gender"] == "female");
  const json& condition = bundle["entry"][1]["resource"];
  CHECK(condition["id"] == "item-1");
  CHECK(condition["onsetDateTime"] == "2014-09-23");
  CHECK(condition["encounter"]["reference"] == "Encounter/item-3");
  CHECK(condition["note"][0]["text"] == "[redacted] [redacted] reported headaches since [date]");
  CHECK(bundle["entry"][3]["resource"]["period"]["start"] == "2020-11-24T10:00:00Z");
  // The summary counts from the moved today, and does not write it.
  CHECK(hidden.parts.at(1).text.find("2021-09-23") == std::string::npos);
  CHECK(hidden.parts.at(1).text.find("from 2009-09-23") != std::string::npos);  // the range as the tool sees it
}

TEST_CASE("the receipt of a hidden share gives neither the offset nor withheld keys", "[share][deidentify]") {
  chartlock::Consent consent = chartlock::consent_from_json(
      R"({"scopes":["patient/*.rs"],"from":"2010-01-01","exclude":["obs-1234567890abcdef"],"deidentify":{"shiftDays":-100}})");
  CHECK(consent.shift_days == -100);
  const chartlock::ShareContent hidden = share(-100);
  chartlock::ReceiptContext context;
  context.grant_id = std::string(32, 'a');
  context.created_at = 1700000000;
  context.expires_at = 1700086400;
  context.part_digests = {std::string(64, '0'), std::string(64, '1')};
  const json receipt = json::parse(chartlock::consent_receipt(hidden, consent, context).dump());
  const std::string text = receipt.dump();
  CHECK(text.find("-100") == std::string::npos);
  CHECK(text.find("shiftDays") == std::string::npos);
  CHECK(text.find("obs-1234567890abcdef") == std::string::npos);
  CHECK(receipt["consent"]["excluded"] == 1);
  CHECK(receipt["consent"]["deidentify"] == true);
  CHECK(receipt["shared"]["deidentified"] == true);
  CHECK(receipt["shared"]["dateRange"]["from"] == "2009-09-23");
  CHECK(receipt["shared"]["keys"] == json::array({"item-1", "item-2", "item-3"}));
  CHECK(receipt["parts"][1]["blake2b256"] == std::string(64, '1'));
  CHECK(receipt["parts"][0]["name"] == "records.json");
  context.part_digests.pop_back();
  CHECK_THROWS_AS(chartlock::consent_receipt(hidden, consent, context), std::invalid_argument);
}

TEST_CASE("deidentify in the consent file: false, or a whole number of days", "[consent][deidentify]") {
  CHECK_FALSE(chartlock::consent_from_json(R"({"scopes":["patient/*.rs"],"deidentify":false})").shift_days);
  for (const char* bad : {R"(true)", R"({"shiftDays":0})", R"({"shiftDays":1.5})", R"({"shiftDays":"3"})",
                          R"({"shiftDays":4000})", R"({})", R"({"shiftDays":3,"x":1})"}) {
    INFO(bad);
    CHECK_THROWS_WITH(chartlock::consent_from_json(std::string(R"({"scopes":["patient/*.rs"],"deidentify":)") + bad + "}"),
                      Catch::Contains("\"deidentify\" must be false"));
  }
}
