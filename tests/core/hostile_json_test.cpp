// SPDX-License-Identifier: Apache-2.0
// Hostile JSON (issue 6): each input ends in one specific error for its source
// or one specific warning at its JSON Pointer — never a crash, never a value
// from the input in a message. Basic malformed-JSON and limit cases are in
// json_input_test.cpp; every field with every wrong type in wrong_types_test.cpp.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#if !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"

using chartlock::DiagnosticCode;
using chartlock::IngestError;
using chartlock::IngestOptions;

namespace {

const std::string kSource = "hostile.json";

// The error a whole input gets: its code, and a message that starts with the
// source name and says `what`.
void expect_error(const std::string& input, DiagnosticCode code, const std::string& what,
                  const IngestOptions& options = {}) {
  INFO("input: " << input.substr(0, 60));
  try {
    test::ingest_one(input, kSource, options);
  } catch (const IngestError& e) {
    CHECK(e.diagnostic().code == code);
    CHECK(e.diagnostic().source == kSource);
    CHECK(e.diagnostic().pointer.empty());  // the whole input
    CHECK(std::string(e.what()).rfind(kSource + ": ", 0) == 0);
    CHECK_THAT(e.what(), Catch::Contains(what));
    return;
  }
  FAIL("no IngestError");
}

std::string nested_objects(std::size_t depth) {
  std::string out;
  for (std::size_t i = 0; i < depth; ++i) out += R"({"a":)";
  out += "1";
  out += std::string(depth, '}');
  return out;
}

std::string patient_with(const std::string& field_json) {
  return R"({"resourceType":"Patient",)" + field_json + "}";
}

}  // namespace

TEST_CASE("nesting 100,000 deep fails fast, whatever nests", "[ingest][hostile][limits]") {
  const std::string what = "JSON nests deeper than 64 levels";
  expect_error(nested_objects(100000), DiagnosticCode::too_deep, what);
  std::string mixed;
  for (int i = 0; i < 50000; ++i) mixed += R"([{"a":)";
  mixed += "0";
  for (int i = 0; i < 50000; ++i) mixed += "}]";
  expect_error(mixed, DiagnosticCode::too_deep, what);
  // Deep inside an otherwise valid Bundle: the whole source is refused.
  expect_error(test::bundle({R"({"resourceType":"Patient"})",
                             R"({"resourceType":"Basic","x":)" + nested_objects(100000) + "}"}),
               DiagnosticCode::too_deep, what);
  // Never closed: simdjson reports the imbalance before the depth; no recursion either way.
  expect_error(std::string(100000, '['), DiagnosticCode::malformed_json, "input is not valid JSON");
}

TEST_CASE("a too-deep NDJSON line is a warning for its line; the other lines are kept", "[ingest][hostile][ndjson]") {
  const std::string input = std::string(R"({"resourceType":"Patient","gender":"female"})" "\n") +
                            R"({"resourceType":"Basic","x":)" + nested_objects(100000) + "}\n" +
                            R"({"resourceType":"Condition","code":{"text":"Asthma"}})" "\n";
  const auto r = test::ingest_one(input, kSource);
  REQUIRE(r.warnings.size() == 1);
  const auto& w = r.warnings[0];
  CHECK(w.code == DiagnosticCode::bad_resource);
  CHECK(w.line == 2);
  CHECK(w.to_string() == kSource + ":2: too-deep: JSON nests deeper than 64 levels");
  CHECK(r.patient.gender == "female");
  CHECK(r.conditions.size() == 1);
}

#if !defined(__EMSCRIPTEN__)
// Native only: it needs page protection to show that no byte is read. In wasm
// every page is readable, and 600 MiB would not fit in most wasm memories.
TEST_CASE("an input over the default size limit is refused before any byte is read", "[ingest][hostile][limits]") {
  const std::size_t size = std::size_t{600} << 20;  // 600 MiB > 512 MiB
  void* pages = mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  REQUIRE(pages != MAP_FAILED);
  // Reading any byte of this input would crash the test.
  const chartlock::Source source{kSource, std::string_view(static_cast<const char*>(pages), size)};
  try {
    chartlock::ingest({source});
    FAIL("no IngestError");
  } catch (const IngestError& e) {
    CHECK(e.diagnostic().code == DiagnosticCode::too_large);
    CHECK(std::string(e.what()) ==
          kSource + ": input is 629145600 bytes; the limit is 536870912");
  }
  munmap(pages, size);
}
#endif

TEST_CASE("a string over the size limit is refused; under it, a warning without the value", "[ingest][hostile][limits]") {
  // The native [.memory] test in hostile_memory_test.cpp does this with a
  // genuine 500 MB string; here the limit is scaled down so that the suite
  // stays small under ASan and in wasm.
  IngestOptions options;
  options.limits.max_bytes = std::size_t{8} << 20;
  const std::string over = patient_with(R"("birthDate":")" + std::string(9u << 20, '7') + R"(")");
  expect_error(over, DiagnosticCode::too_large, "the limit is 8388608", options);

  const std::string big(5u << 20, '7');
  const auto r = test::ingest_one(patient_with(R"("birthDate":")" + big + R"(")"), kSource, options);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].code == DiagnosticCode::invalid_value);
  CHECK(r.warnings[0].to_string() ==
        kSource + ": /birthDate: not a valid FHIR date, dateTime or instant; kept as written");
  CHECK(r.patient.birthDate.size() == big.size());
}

TEST_CASE("invalid UTF-8 of every kind is refused as such", "[ingest][hostile][encoding]") {
  const std::string what = "input is not valid UTF-8";
  for (const std::string& bad : {std::string("\xC0\xAF"),           // overlong "/"
                                 std::string("\xED\xA0\x80"),       // a surrogate, UTF-8 encoded
                                 std::string("\xF4\x90\x80\x80"),   // above U+10FFFF
                                 std::string("\x80"),               // a stray continuation byte
                                 std::string("\xE2\x82"),           // a sequence cut short
                                 std::string("\xFE")}) {            // never valid
    CAPTURE(bad.size());
    expect_error(patient_with(R"("gender":")" + bad + R"(")"), DiagnosticCode::malformed_json, what);
    expect_error(patient_with(R"(")" + bad + R"(":1)"), DiagnosticCode::malformed_json, what);  // in a key
  }
  // UTF-16 (with its byte order mark) is neither UTF-8 nor JSON; which of the
  // two simdjson reports first differs between its native and wasm kernels.
  expect_error(std::string("\xFF\xFE{\0}\0", 6), DiagnosticCode::malformed_json, "input is not valid");
}

TEST_CASE("lone surrogates, bad escapes and raw control characters are malformed", "[ingest][hostile][encoding]") {
  const std::vector<std::string> bad = {R"(\ud800)", R"(\udc00)", R"(\ud800\u0041)", R"(\ud800x)", R"(\udbff)",
                                       R"(\x41)",   R"(\u12)",   "a\tb",            "a\nb",       std::string("a\0b", 3)};
  for (const std::string& s : bad) {
    CAPTURE(s);
    expect_error(patient_with(R"("gender":")" + s + R"(")"), DiagnosticCode::malformed_json,
                 "input is not valid JSON");
  }
  // A proper surrogate pair and an escaped NUL are valid JSON and read as such.
  const auto r = test::ingest_one(patient_with(R"("name":[{"text":"\ud83d\ude00 \u0000"}])"), kSource);
  CHECK(r.patient.name == std::string("\xF0\x9F\x98\x80 \0", 6));
  CHECK_NOTHROW(chartlock::record_to_json_text(r));
}

TEST_CASE("numbers out of range or malformed are refused", "[ingest][hostile][numbers]") {
  for (const char* n : {"-1e400", "123456789012345678901234567890", "18446744073709551616",
                        "-9223372036854775809", "01", "1.", "-", "1e", "2.e3", "-01", "0x10", "-Infinity"}) {
    CAPTURE(n);
    expect_error(patient_with(std::string(R"("x":)") + n), DiagnosticCode::malformed_json,
                 "input has a number that is malformed or out of range");
  }
  for (const char* n : {"+1", ".5", "NaN", "nan", "inf", "Infinity1"}) {
    CAPTURE(n);
    expect_error(patient_with(std::string(R"("x":)") + n), DiagnosticCode::malformed_json,
                 "input is not valid JSON");
  }
}

TEST_CASE("extreme numbers that are valid JSON flow through record, summary and JSON", "[ingest][hostile][numbers]") {
  const std::vector<std::string> extremes = {"1.7976931348623157e308", "-1.7976931348623157e308", "5e-324",
                                             "1e-400", "18446744073709551615", "-9223372036854775808", "0",
                                             "-0.0"};
  std::vector<std::string> resources;
  for (std::size_t i = 0; i < extremes.size(); ++i) {
    const std::string& v = extremes[i];
    const std::string day = "2021-03-0" + std::to_string(i + 1);
    resources.push_back(R"({"resourceType":"Observation","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
        "code":{"coding":[{"system":"http://loinc.org","code":"2345-7"}]},"effectiveDateTime":")" + day + R"(",
        "valueQuantity":{"value":)" + v + R"(,"unit":"mg/dL"},
        "referenceRange":[{"low":{"value":)" + v + R"(},"high":{"value":)" + v + R"(}}]})");
    resources.push_back(R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
        "effectiveDateTime":")" + day + R"(","valueInteger":)" + v + "}");
    resources.push_back(R"({"resourceType":"Condition","code":{"text":"c)" + std::to_string(i) +
                        R"("},"onsetAge":{"value":)" + v + R"(,"unit":"a"}})");
  }
  resources.push_back(R"({"resourceType":"Patient","birthDate":"1970-01-01"})");
  const auto r = test::ingest_one(test::bundle(resources), kSource);
  INFO(test::warnings_text(r));
  CHECK(r.warnings.empty());
  CHECK(r.observations.size() == 2 * extremes.size());
  std::string record_json, summary_json, markdown;
  REQUIRE_NOTHROW(record_json = chartlock::record_to_json_text(r));
  chartlock::Summary s;
  REQUIRE_NOTHROW(s = chartlock::summarize(r));
  REQUIRE_NOTHROW(summary_json = chartlock::summary_to_json_text(s));
  REQUIRE_NOTHROW(markdown = chartlock::summary_to_markdown(s));
  // JSON never carries a NaN or an infinity (nlohmann would write null).
  CHECK_FALSE(nlohmann::json::parse(record_json).dump().empty());
  CHECK(summary_json.find("NaN") == std::string::npos);
  CHECK(summary_json.find("inf") == std::string::npos);
}

TEST_CASE("trailing garbage of every kind is malformed", "[ingest][hostile][structure]") {
  const std::string p = R"({"resourceType":"Patient"})";
  for (const std::string& tail : {std::string("}"), std::string("]"), std::string("{}"), std::string(" // note"),
                                  std::string(",", 1), std::string("\0", 1), std::string(" x"), p}) {
    CAPTURE(tail);
    expect_error(p + tail, DiagnosticCode::malformed_json, "input is not valid JSON");
  }
  // A NUL before the JSON is not whitespace either.
  expect_error(std::string("\0", 1) + p, DiagnosticCode::malformed_json, "input is not valid JSON");
}

TEST_CASE("a UTF-8 byte order mark is ignored; anything else before the JSON is not", "[ingest][hostile][encoding]") {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string p = R"({"resourceType":"Patient","gender":"female"})";
  auto r = test::ingest_one(bom + p, kSource);
  CHECK(r.patient.gender == "female");
  CHECK(r.sources.at(0).bytes == bom.size() + p.size());  // the source's size as given
  // NDJSON with a BOM is still NDJSON.
  r = test::ingest_one(bom + p + "\n" + R"({"resourceType":"Condition","code":{"text":"x"}})" "\n", kSource);
  CHECK(r.sources.at(0).format == "ndjson");
  CHECK(r.conditions.size() == 1);
  // Only one, and only at the very start.
  expect_error(bom + bom + p, DiagnosticCode::malformed_json, "input is not valid JSON");
  expect_error(" " + bom + p, DiagnosticCode::malformed_json, "input is not valid JSON");
  expect_error(bom, DiagnosticCode::malformed_json, "input is empty");
}

TEST_CASE("a resource with a duplicate key is not read; the rest of the source is", "[ingest][hostile][structure]") {
  // The first and the last "resourceType" would make this a Patient to one
  // parser and an Observation to another.
  const auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"Condition","code":{"text":"Asthma"}})",
      R"({"resourceType":"Patient","gender":"female","resourceType":"Observation"})",
      R"({"resourceType":"Observation","status":"final","code":{"coding":[{"code":"1","system":"s","code":"2"}]}})",
      R"({"resourceType":"Basic","a/b~c":1,"a/b~c":2})",
      R"({"resourceType":"Condition","code":{"text":"Eczema"},"codes":1,"code ":2})"}),
                                  kSource);
  INFO(test::warnings_text(r));
  CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/1/resource/resourceType"));
  CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/2/resource/code/coding/0/code"));
  // A key that is not an element name stays out of the pointer (it could be anything).
  CHECK(test::has_warning(r, DiagnosticCode::bad_resource, "/entry/3/resource"));
  CHECK(r.warnings.size() == 3);
  for (const auto& w : r.warnings) CHECK_THAT(w.message, Catch::Contains("a key appears twice in one object"));
  CHECK(r.conditions.size() == 2);  // similar keys are not duplicates
  CHECK_FALSE(r.patient.present);
  CHECK(r.observations.empty());
  CHECK(r.other.empty());  // not kept raw either: nothing of it can be shared
  CHECK(r.counts.count("Patient") == 0);

  // A large object (sorted rather than compared pairwise), and a single resource.
  std::string wide = R"({"resourceType":"Basic")";
  for (int i = 0; i < 40; ++i) wide += ",\"k" + std::to_string(i) + "\":1";
  const auto w = test::ingest_one(wide + R"(,"k17":2})", kSource);
  REQUIRE(w.warnings.size() == 1);
  CHECK(w.warnings[0].to_string() == kSource +
                                         ": /k17: a key appears twice in one object, which JSON parsers "
                                         "read differently; the resource is not read");
  CHECK(test::ingest_one(wide + "}", kSource).warnings.empty());

  // An item, whose one walk finds its sensitive categories and a repeated key
  // together: the same warning, at the first repeat depth-first.
  std::string code = R"({"resourceType":"Condition","code":{"text":"Depression")";
  for (int i = 0; i < 40; ++i) code += ",\"k" + std::to_string(i) + "\":1";
  const std::string notes = R"("note":[{"text":"a"},{"text":"b","text":"c"}])";
  for (const auto& [input, pointer] : std::vector<std::pair<std::string, std::string>>{
           {code + R"(,"k17":2},)" + notes + "}", "/code/k17"},
           {code + "}," + notes + "}", "/note/1/text"},
           {R"({"resourceType":"Condition","contained":[{"resourceType":"Basic","id":"1","id":"2"}]})",
            "/contained/0/id"}}) {
    const auto item = test::ingest_one(input, kSource);
    INFO(input);
    REQUIRE(item.warnings.size() == 1);
    CHECK(item.warnings[0].to_string() == kSource + ": " + pointer +
                                              ": a key appears twice in one object, which JSON parsers "
                                              "read differently; the resource is not read");
    CHECK(item.conditions.empty());
  }
  CHECK(test::ingest_one(code + "}}", kSource).conditions.size() == 1);
}

TEST_CASE("a Bundle or entry with a duplicate key: a warning, and the first is read", "[ingest][hostile][structure]") {
  const auto r = test::ingest_one(
      R"({"resourceType":"Bundle","type":"collection","type":"searchset","entry":[
           {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","gender":"male"},"resource":{"resourceType":"Patient","gender":"female"}}]})",
      kSource);
  INFO(test::warnings_text(r));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/type"));
  CHECK(test::has_warning(r, DiagnosticCode::invalid_value, "/entry/0/resource"));
  CHECK(r.warnings.size() == 2);
  CHECK(r.sources.at(0).bundleType == "collection");
  CHECK(r.patient.gender == "male");
}

TEST_CASE("hostile input never echoes its values in messages", "[ingest][hostile][privacy]") {
  const std::string secret = "Zebediah-Secret-7731";
  const std::vector<std::string> inputs = {
      patient_with(R"("birthDate":")" + secret + R"(")"),
      patient_with(R"("gender":")" + secret + R"(","gender":"x")"),
      patient_with(R"(")" + secret + R"(":1,")" + secret + R"(":2)"),
      patient_with(R"("x":")" + secret + "\xC0\xAF\"}"),
      patient_with(R"("x":")" + secret + R"(\ud800")"),
      patient_with(R"("x":1)" + secret),
      secret,
  };
  for (const std::string& input : inputs) {
    std::string text;
    try {
      for (const auto& w : test::ingest_one(input, kSource).warnings) text += w.to_string();
    } catch (const IngestError& e) {
      text = e.what();
    }
    CHECK_FALSE(text.empty());
    CHECK(text.find(secret) == std::string::npos);
  }
}
