// SPDX-License-Identifier: Apache-2.0
// Every field of every modeled resource, with every wrong JSON type.
//
// A complete example of each resource type the core reads (and of each
// choice-type alternative the readers take) is walked field by field; each
// field's value is replaced in turn by each JSON type it is not, the Bundle is
// ingested, and the result is checked: no crash, a wrong-type warning naming
// that exact JSON Pointer, and every other resource still read. null is the
// exception FHIR servers rely on: a null field is absent and a null in an
// array of primitives is padding, both quiet; a null where an object belongs
// in an array is a wrong type. Fields the model does not read are listed explicitly
// below and must draw no warning at all.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "fhir/source_reader.hpp"
#include "ingest_support.hpp"

using chartlock::DiagnosticCode;
using json = nlohmann::ordered_json;

namespace {

// One source: the examples as a collection Bundle. Ids are distinct and every
// reference resolves, so the untouched Bundle reads without a single warning.
const char* const kExamples = R"([
{"resourceType":"Patient","id":"pat-1","meta":{"versionId":"3","lastUpdated":"2024-02-03T04:05:06Z"},
 "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Ana</div>"},
 "identifier":[{"system":"urn:mrn","value":"123"}],
 "name":[{"use":"official","given":["Ana","Maria"],"family":"Lima","text":"Ana Maria Lima"}],
 "birthDate":"1961-07-04","gender":"female","deceasedBoolean":false,
 "address":[{"city":"Boston","state":"MA","postalCode":"02115","country":"US"}]},
{"resourceType":"Encounter","id":"enc-1","status":"finished",
 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB","display":"ambulatory"},
 "type":[{"coding":[{"system":"http://snomed.info/sct","code":"185349003","display":"Check up"}],"text":"Check up"}],
 "period":{"start":"2018-01-01T09:00:00Z","end":"2018-01-01T10:00:00Z"},
 "reasonCode":[{"text":"annual"}],"serviceProvider":{"reference":"Organization/org-1","display":"Good Clinic"}},
{"resourceType":"Condition","id":"cond-1",
 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"resolved"}]},
 "verificationStatus":{"coding":[{"code":"confirmed"}],"text":"confirmed"},
 "category":[{"coding":[{"code":"problem-list-item"}]}],
 "code":{"coding":[{"system":"http://snomed.info/sct","code":"195967001","display":"Asthma"}],"text":"Asthma"},
 "subject":{"reference":"Patient/pat-1"},
 "onsetDateTime":"1996-06-27","abatementDateTime":"2013-06-10","recordedDate":"1996-06-28",
 "encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"Condition","id":"cond-2","code":{"text":"Eczema"},"onsetPeriod":{"start":"2001-01-01","end":"2002-01-01"},"abatementString":"in remission"},
{"resourceType":"Condition","id":"cond-3","code":{"text":"Hay fever"},"onsetAge":{"value":12,"unit":"a"}},
{"resourceType":"Condition","id":"cond-4","code":{"text":"Migraine"},"onsetString":"in childhood"},
{"resourceType":"Observation","id":"obs-lab","status":"final",
 "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
 "code":{"coding":[{"system":"http://loinc.org","code":"2345-7","display":"Glucose"}]},
 "subject":{"reference":"Patient/pat-1"},
 "effectiveDateTime":"2021-03-04T08:00:00-05:00","issued":"2021-03-04T15:00:00Z",
 "valueQuantity":{"value":142,"comparator":">","unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"},
 "referenceRange":[{"low":{"value":70,"unit":"mg/dL"},"high":{"value":99,"unit":"mg/dL"},
   "type":{"text":"normal"},"appliesTo":[{"text":"adult"}],"text":"70-99"}],
 "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}],
 "encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"Observation","id":"obs-bp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
 "effectivePeriod":{"start":"2020-01-01T10:00:00Z","end":"2020-01-01T10:05:00Z"},
 "component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":128,"unit":"mm[Hg]"},
   "referenceRange":[{"high":{"value":120}}],"interpretation":[{"text":"high"}]},
  {"code":{"text":"diastolic"},"dataAbsentReason":{"text":"not measured"}}],
 "hasMember":[{"reference":"Observation/obs-lab"}]},
{"resourceType":"Observation","id":"obs-cc","status":"final","code":{"text":"Urine glucose"},"effectiveInstant":"2021-01-01T00:00:00Z",
 "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260385009","display":"Negative"}]}},
{"resourceType":"Observation","id":"obs-str","status":"final","code":{"text":"Protein"},"valueString":"trace"},
{"resourceType":"Observation","id":"obs-bool","status":"final","code":{"text":"Smoker"},"valueBoolean":true},
{"resourceType":"Observation","id":"obs-int","status":"final","code":{"text":"Children"},"valueInteger":3},
{"resourceType":"Observation","id":"obs-range","status":"final","code":{"text":"Range"},"valueRange":{"low":{"value":1},"high":{"value":2}}},
{"resourceType":"Observation","id":"obs-ratio","status":"final","code":{"text":"Titer"},"valueRatio":{"numerator":{"value":1},"denominator":{"value":128}}},
{"resourceType":"Observation","id":"obs-period","status":"final","code":{"text":"Episode"},"valuePeriod":{"start":"2020-01-01","end":"2020-02-01"}},
{"resourceType":"Observation","id":"obs-time","status":"final","code":{"text":"Wake"},"valueTime":"07:00:00"},
{"resourceType":"Observation","id":"obs-dt","status":"final","code":{"text":"LMP"},"valueDateTime":"2020-02-02",
 "effectiveTiming":{"event":["2020-02-03"],"repeat":{"frequency":1}}},
{"resourceType":"Medication","id":"med-1","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"197361"}],"text":"amlodipine"},
 "form":{"text":"tablet"}},
{"resourceType":"MedicationRequest","id":"mr-1","status":"active","intent":"order",
 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975"}],"text":"metformin"},
 "authoredOn":"2020-01-01","dosageInstruction":[{"text":"500 mg twice daily"}],"reasonCode":[{"text":"diabetes"}],
 "encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"MedicationRequest","id":"mr-2","status":"active","intent":"order","medicationReference":{"reference":"Medication/med-1"}},
{"resourceType":"MedicationStatement","id":"ms-1","status":"active",
 "contained":[{"resourceType":"Medication","id":"m","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"314076"}],"text":"lisinopril"}}],
 "medicationReference":{"reference":"#m","display":"lisinopril"},
 "effectiveDateTime":"2019-05-01","dosage":[{"text":"10 mg daily"}],"reasonCode":[{"text":"hypertension"}],
 "context":{"reference":"Encounter/enc-1"}},
{"resourceType":"MedicationStatement","id":"ms-2","status":"completed","medicationCodeableConcept":{"text":"ibuprofen"},
 "effectivePeriod":{"start":"2018-01-01","end":"2018-02-01"}},
{"resourceType":"MedicationStatement","id":"ms-3","status":"active","medicationCodeableConcept":{"text":"vitamin D"},"dateAsserted":"2021-06-01"},
{"resourceType":"AllergyIntolerance","id":"al-1",
 "clinicalStatus":{"coding":[{"code":"active"}]},"verificationStatus":{"coding":[{"code":"confirmed"}]},
 "type":"allergy","category":["medication"],"criticality":"high",
 "code":{"coding":[{"system":"http://snomed.info/sct","code":"91936005","display":"Allergy to penicillin"}]},
 "onsetDateTime":"2005-01-01","recordedDate":"2010-01-01",
 "reaction":[{"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"247472004","display":"Hives"}]}],"severity":"moderate"}]},
{"resourceType":"AllergyIntolerance","id":"al-2","reaction":[{"substance":{"text":"peanut"},"manifestation":[{"text":"swelling"}]}]},
{"resourceType":"Immunization","id":"imm-1","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},
 "occurrenceDateTime":"2019-10-01","encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"Immunization","id":"imm-2","status":"completed","vaccineCode":{"text":"tetanus"},"occurrenceString":"as a child"},
{"resourceType":"Procedure","id":"proc-1","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"73761001","display":"Colonoscopy"}]},
 "performedPeriod":{"start":"2018-01-01T09:00:00Z","end":"2018-01-01T10:00:00Z"},"encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"Procedure","id":"proc-2","status":"completed","code":{"text":"Appendectomy"},"performedDateTime":"1990-05-05"},
{"resourceType":"Procedure","id":"proc-3","status":"completed","code":{"text":"Tonsillectomy"},"performedString":"age 6"},
{"resourceType":"DiagnosticReport","id":"rep-1","status":"final","category":[{"coding":[{"code":"LAB"}]}],
 "code":{"coding":[{"system":"http://loinc.org","code":"24323-8"}],"text":"Metabolic panel"},
 "effectiveDateTime":"2021-03-04","issued":"2021-03-05T00:00:00Z","conclusion":"High glucose",
 "result":[{"reference":"Observation/obs-lab"}],"encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"DocumentReference","id":"doc-1","status":"current",
 "type":{"coding":[{"system":"http://loinc.org","code":"11506-3"}]},"category":[{"text":"clinical-note"}],
 "date":"2020-01-01T00:00:00Z","description":"Visit note",
 "content":[{"attachment":{"contentType":"text/plain","title":"note","data":"U2VlbiBmb3IgYSBjb3VnaC4=","size":17}},
            {"attachment":{"contentType":"text/html","url":"https://example.org/note/1"}}],
 "context":{"encounter":[{"reference":"Encounter/enc-1"}]}},
{"resourceType":"CarePlan","id":"cp-1","status":"active","intent":"plan","title":"Diabetes","description":"Plan",
 "category":[{"text":"Diabetes care"}],"period":{"start":"2019-01-01"},
 "activity":[{"detail":{"code":{"text":"Walk daily"}}},{"reference":{"reference":"ServiceRequest/1"}}],
 "encounter":{"reference":"Encounter/enc-1"}},
{"resourceType":"Goal","id":"goal-1","lifecycleStatus":"active","description":{"text":"HbA1c below 7%"},"startDate":"2019-01-01",
 "target":[{"dueDate":"2019-12-31","detailQuantity":{"value":7}}]}
])";

// Fields the model does not read: they stay in the raw resource only, so no
// JSON type there is wrong for the core. A path and everything under it.
const std::map<std::string, const char*> kNotRead = {
    {"Patient/meta/versionId", "version bookkeeping"},
    {"Patient/text", "narrative: the record is built from coded data"},
    {"Encounter/serviceProvider/reference", "only the display name is kept"},
    {"Observation/effectiveTiming/repeat", "only Timing.event (when it happened) is read"},
    {"Medication/form", "the drug's code names it"},
    {"CarePlan/activity/1/reference", "activities are read from their detail only"},
    {"Goal/target/0/detailQuantity", "targets are read as due dates"},
};

enum class Kind { string, number, boolean, null, object, array };

Kind kind_of(const json& v) {
  if (v.is_string()) return Kind::string;
  if (v.is_number()) return Kind::number;
  if (v.is_boolean()) return Kind::boolean;
  if (v.is_null()) return Kind::null;
  if (v.is_object()) return Kind::object;
  return Kind::array;
}

const char* name_of(Kind k) {
  switch (k) {
    case Kind::string: return "string";
    case Kind::number: return "number";
    case Kind::boolean: return "boolean";
    case Kind::null: return "null";
    case Kind::object: return "object";
    case Kind::array: return "array";
  }
  return "?";
}

json value_of(Kind k) {
  switch (k) {
    case Kind::string: return "wrong";
    case Kind::number: return 7;
    case Kind::boolean: return true;
    case Kind::null: return nullptr;
    case Kind::object: return json{{"wrong", 1}};
    case Kind::array: return json::array({1});
  }
  return nullptr;
}

std::string escape(const std::string& key) {  // RFC 6901
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// Every JSON Pointer below `v` (not `v` itself), parents before children.
void walk(const json& v, const std::string& at, std::vector<std::string>& out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string p = at + "/" + escape(it.key());
      out.push_back(p);
      walk(it.value(), p, out);
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string p = at + "/" + std::to_string(i);
      out.push_back(p);
      walk(v[i], p, out);
    }
  }
}

// True when the last token of `path` is an array index.
bool in_array(const std::string& path) {
  const std::string last = path.substr(path.rfind('/') + 1);
  return !last.empty() && last.find_first_not_of("0123456789") == std::string::npos;
}

bool not_read(const std::string& type, const std::string& path) {
  for (const auto& [prefix, why] : kNotRead) {
    (void)why;
    const std::string p = prefix.substr(prefix.find('/'));
    if (prefix.compare(0, type.size() + 1, type + "/") == 0 &&
        (path == p || path.compare(0, p.size() + 1, p + "/") == 0)) {
      return true;
    }
  }
  return false;
}

// What was read: the size of each list, the Patient's sources, the counts.
std::map<std::string, std::size_t> shape_of(const chartlock::Record& r) {
  std::map<std::string, std::size_t> s = {
      {"Condition", r.conditions.size()},     {"Observation", r.observations.size()},
      {"Medication*", r.medications.size()},  {"AllergyIntolerance", r.allergies.size()},
      {"Immunization", r.immunizations.size()}, {"Procedure", r.procedures.size()},
      {"Encounter", r.encounters.size()},     {"DiagnosticReport", r.reports.size()},
      {"DocumentReference", r.documents.size()}, {"CarePlan", r.carePlans.size()},
      {"Goal", r.goals.size()},               {"other", r.other.size()},
      {"Patient", r.patient.sources.size()}};
  for (const auto& [type, n] : r.counts) s["count " + type] = n;
  return s;
}

std::string list_of(const std::string& type) {
  if (type == "MedicationRequest" || type == "MedicationStatement") return "Medication*";
  if (type == "Medication") return "other";
  return type;
}

}  // namespace

TEST_CASE("every field of every modeled resource, with every wrong JSON type", "[ingest][hostile][types]") {
  const json examples = json::parse(kExamples);
  json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", json::array()}};
  for (const json& r : examples) bundle["entry"].push_back({{"resource", r}});

  const std::string source = "wrong-types.json";
  const chartlock::Record baseline = test::ingest_one(bundle.dump(), source);
  INFO(test::warnings_text(baseline));
  REQUIRE(baseline.warnings.empty());
  auto base_shape = shape_of(baseline);
  // Every example was read into the model (none fell back to a raw resource
  // except the standalone Medication, which is kept raw by design).
  REQUIRE(baseline.other.size() == 1);

  std::size_t cases = 0, warned = 0, quiet_null = 0, not_read_cases = 0;
  for (std::size_t k = 0; k < examples.size(); ++k) {
    const std::string type = examples[k]["resourceType"];
    std::vector<std::string> paths;
    walk(examples[k], "", paths);
    for (const std::string& path : paths) {
      const json::json_pointer ptr(path);
      const Kind own = kind_of(examples[k][ptr]);
      for (Kind wrong : {Kind::string, Kind::number, Kind::boolean, Kind::null, Kind::object, Kind::array}) {
        if (wrong == own) continue;
        ++cases;
        json mutated = bundle;
        mutated["entry"][k]["resource"][ptr] = value_of(wrong);
        const std::string pointer = "/entry/" + std::to_string(k) + "/resource" + path;
        INFO(type << " " << path << " := " << name_of(wrong));

        chartlock::Record r;
        REQUIRE_NOTHROW(r = test::ingest_one(mutated.dump(), source));
        INFO(test::warnings_text(r));

        // Every other resource is still read as before; this one is either
        // read or kept raw (when the field was its defining element).
        auto shape = shape_of(r);
        const std::string list = list_of(type);
        if (path == "/resourceType") {
          // No longer a known resource: not read, not counted, not kept.
          CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/" + std::to_string(k) + "/resource"));
          CHECK(shape["count " + type] + 1 == base_shape["count " + type]);
          shape["count " + type] = base_shape["count " + type];
          if (shape[list] + 1 == base_shape[list]) shape[list] = base_shape[list];
          if (type == "Patient") shape["Patient"] = base_shape["Patient"];
        } else if (shape[list] + 1 == base_shape[list] && shape["other"] == base_shape["other"] + 1) {
          shape[list] = base_shape[list];
          shape["other"] = base_shape["other"];
        }
        CHECK(shape == base_shape);

        const bool is_not_read = not_read(type, path);
        bool at_pointer = false;
        for (const chartlock::Diagnostic& d : r.warnings) {
          if (d.pointer != pointer) continue;
          CHECK(d.source == source);
          CHECK(d.to_string().rfind(source + ": " + pointer + ": ", 0) == 0);
          if (d.code == DiagnosticCode::wrong_type) at_pointer = true;
        }
        if (is_not_read) {
          ++not_read_cases;
          CHECK_FALSE(at_pointer);
        } else if (wrong == Kind::null && !(own == Kind::object && in_array(path))) {
          // A null field is absent, quietly; so is a null in an array of
          // primitives, which FHIR uses to align it with its `_name` array.
          ++quiet_null;
          CHECK_FALSE(at_pointer);
        } else {
          ++warned;
          CHECK(at_pointer);
        }
      }
    }
  }
  // The size of the walk, so that a shrinking example set is noticed.
  CHECK(cases == warned + quiet_null + not_read_cases);
  CHECK(cases == 2510);
  CHECK(warned == 2013);
  CHECK(quiet_null == 432);
  CHECK(not_read_cases == 65);
}

TEST_CASE("a datatype's wrong fields are warned in the order its reader lists them", "[ingest][hostile][types]") {
  // Members written in the reverse of the readers' order: a Coding, a
  // CodeableConcept, a Period and a Quantity are read in one walk each,
  // but warned about as if their fields were looked up one by one.
  const std::string input = R"({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":7,"resource":
{"resourceType":"Observation","id":"o1","meta":{"versionId":1,"lastUpdated":"yesterday"},"status":"final",
 "code":{"text":4,"coding":[{"display":3,"code":2,"system":1},{"code":"x"}]},
 "category":[{"text":true,"coding":[{"display":[],"system":false,"code":"c"}]}],
 "subject":{"display":"A","reference":8},
 "effectivePeriod":{"end":"bad","start":7},
 "valueQuantity":{"code":1,"system":2,"unit":3,"comparator":4,"value":"v"}}}]})";
  const chartlock::Record r = test::ingest_one(input);
  std::vector<std::string> found;
  for (const chartlock::Diagnostic& d : r.warnings) found.push_back(std::string(to_string(d.code)) + " " + d.pointer);
  const std::string at = "/entry/0/resource";
  const std::vector<std::string> expected = {
      "wrong-type /entry/0/fullUrl",
      "invalid-value " + at + "/meta/lastUpdated",
      "wrong-type " + at + "/subject/reference",
      "wrong-type " + at + "/code/coding/0/system",
      "wrong-type " + at + "/code/coding/0/code",
      "wrong-type " + at + "/code/coding/0/display",
      "wrong-type " + at + "/code/text",
      "wrong-type " + at + "/category/0/coding/0/system",
      "wrong-type " + at + "/category/0/coding/0/display",
      "wrong-type " + at + "/category/0/text",
      "wrong-type " + at + "/effectivePeriod/start",
      "invalid-value " + at + "/effectivePeriod/end",
      "wrong-type " + at + "/valueQuantity/value",
      "wrong-type " + at + "/valueQuantity/comparator",
      "wrong-type " + at + "/valueQuantity/unit",
      "wrong-type " + at + "/valueQuantity/system",
      "wrong-type " + at + "/valueQuantity/code",
  };
  CHECK(found == expected);
  // What was read despite them.
  REQUIRE(r.observations.size() == 1);
  REQUIRE(r.observations[0].code.codings.size() == 1);
  CHECK(r.observations[0].code.codings[0].code == "x");
  CHECK(r.observations[0].category.size() == 1);
  CHECK(r.observations[0].category[0] == "c");
}

TEST_CASE("an Observation refused by its reader is kept raw, not also in the list", "[ingest][types]") {
  // Observations are read in place at the end of their list and taken off
  // again when refused: the ones around it keep their places.
  const std::string input = test::bundle({
      R"({"resourceType":"Observation","id":"a","status":"final","code":{"text":"first"}})",
      R"({"resourceType":"Observation","id":"b","status":"final","code":{"coding":[{"userSelected":true}]}})",
      R"({"resourceType":"Observation","id":"c","status":"final","code":{"text":"third"},"valueQuantity":{"value":2}})",
  });
  const chartlock::Record r = test::ingest_one(input);
  REQUIRE(r.observations.size() == 2);
  CHECK(r.observations[0].code.text == "first");
  CHECK(r.observations[1].code.text == "third");
  REQUIRE(r.observations[1].value.quantity.value);
  CHECK(*r.observations[1].value.quantity.value == 2);
  REQUIRE(r.other.size() == 1);
  CHECK(r.other[0].resourceType == "Observation");
  CHECK(test::has_warning(r, DiagnosticCode::missing_required, "/entry/1/resource"));

  // The draft holds the two read, not a third refused (its entries would
  // never reach it, but its index would not be the next one's).
  simdjson::dom::parser parser;
  chartlock::fhir::SourceDraft draft;
  chartlock::SourceSummary summary;
  std::map<std::string, std::uint64_t> counts;
  std::vector<chartlock::Diagnostic> warnings;
  chartlock::fhir::read_source(chartlock::Source{"test", input}, chartlock::IngestOptions{}, parser, draft, summary,
                               counts, warnings);
  REQUIRE(draft.observations.size() == 2);
  CHECK(draft.observations[1].code.text == "third");
  CHECK(draft.other.size() == 1);
}
