// SPDX-License-Identifier: Apache-2.0
// Hostile XML refused with the error that names it, before or while parsing:
// external entities, entity expansion, deep nesting, huge text, not XML,
// the wrong root. Nothing crashes, nothing is expanded.
#include <catch2/catch.hpp>

#include "ccda/safe_xml.hpp"
#include "ccda_support.hpp"
#include "ingest_support.hpp"

namespace {

const std::string kOpen = R"(<ClinicalDocument xmlns="urn:hl7-org:v3">)";
const std::string kClose = "</ClinicalDocument>";

std::string error_of(const std::string& xml, chartlock::IngestOptions options = {}) {
  return test::ingest_error(xml, options);
}

}  // namespace

TEST_CASE("ccda hostile: external entities and entity expansion refused, never expanded", "[ccda][hostile]") {
  const std::string xxe = R"(<?xml version="1.0"?>
<!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>)";
  CHECK(error_of(xxe) == "unsafe-xml: test: XML with a DOCTYPE (which may declare entities) is refused (at byte 22)");
  const std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol3;</title></ClinicalDocument>)";
  CHECK(error_of(laughs).rfind("unsafe-xml: ", 0) == 0);
  // An entity declaration without a DOCTYPE is refused too.
  CHECK(error_of(kOpen + R"(<!ENTITY a "b">)" + kClose) ==
        "unsafe-xml: test: XML that declares entities is refused (at byte 41)");
  // A reference to an undeclared entity is not expanded: it stays as written.
  const chartlock::Record r = test::ingest_one(kOpen + "<title>a &undeclared; b &amp; &#233;</title>" + kClose);
  CHECK(r.documents.at(0).description == "a &undeclared; b & \xC3\xA9");
  // A DOCTYPE inside a comment or CDATA section is words, not a declaration.
  CHECK(error_of(kOpen + "<!-- <!DOCTYPE x> --><title><![CDATA[<!ENTITY x>]]></title>" + kClose) == "");
}

TEST_CASE("ccda hostile: nesting, text, elements and bytes over the limits", "[ccda][hostile]") {
  std::string deep = kOpen;
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  CHECK(error_of(deep).rfind("too-deep: test: XML elements nested more than 256 deep", 0) == 0);
  // Self-closing and closed elements do not add depth.
  std::string wide = kOpen;
  for (int i = 0; i < 1000; ++i) wide += "<a/><b></b>";
  CHECK(error_of(wide + kClose) == "");

  chartlock::IngestOptions small;
  small.xml.max_text_bytes = 1000;
  CHECK(error_of(kOpen + "<title>" + std::string(1001, 'x') + "</title>" + kClose, small) ==
        "too-large: test: an XML text node is longer than 1000 bytes (at byte 48)");
  CHECK(error_of(kOpen + "<title><![CDATA[" + std::string(1001, 'x') + "]]></title>" + kClose, small)
            .rfind("too-large: test: an XML CDATA section is longer than 1000 bytes", 0) == 0);
  CHECK(error_of(kOpen + "<title a='" + std::string(1001, '>') + "'/>" + kClose, small)
            .rfind("too-large: test: an XML attribute value is longer than 1000 bytes", 0) == 0);
  small.xml.max_elements = 10;
  std::string many = kOpen;
  for (int i = 0; i < 10; ++i) many += "<a/>";
  CHECK(error_of(many + kClose, small).rfind("too-large: test: XML with more than 10 elements", 0) == 0);
  small.xml.max_bytes = 100;
  CHECK(error_of(kOpen + std::string(100, ' ') + kClose, small) ==
        "too-large: test: XML input is 160 bytes; the limit is 100");
}

TEST_CASE("ccda hostile: not XML, not well-formed, the wrong root", "[ccda][hostile]") {
  CHECK(error_of("<not xml at all").rfind("malformed-xml: test: not well-formed XML: ", 0) == 0);
  CHECK(error_of(kOpen + "<title>unclosed" ).rfind("malformed-xml: ", 0) == 0);
  CHECK(error_of(kOpen + "</title>" + kClose).rfind("malformed-xml: ", 0) == 0);
  // Character references XML does not allow would become bytes that are not UTF-8.
  for (const char* ref : {"&#xD800;", "&#0;", "&#x110000;", "&#99999999999;", "&#1;"}) {
    INFO(ref);
    CHECK(error_of(kOpen + "<title>" + ref + "</title>" + kClose) ==
          "malformed-xml: test: not well-formed XML: a character reference to a code point XML does not allow "
          "(at byte 48)");
  }
  CHECK(error_of(kOpen + "<title a=\"&#xDFFF;\"/>" + kClose).rfind("malformed-xml: ", 0) == 0);
  CHECK(error_of(kOpen + "<title>&#x1F600;&#9;&#233;</title>" + kClose) == "");
  CHECK(error_of("<Bundle xmlns=\"http://hl7.org/fhir\"/>") ==
        "not-ccda: test: XML, but its root is not a ClinicalDocument in the urn:hl7-org:v3 namespace: not a "
        "C-CDA document");
  CHECK(error_of("<ClinicalDocument/>").rfind("not-ccda: ", 0) == 0);  // no namespace
  // HL7's section examples are not documents.
  CHECK(error_of(test::ccda::read_fixture("sections/procedure.xml")).rfind("not-ccda: ", 0) == 0);
  // A prefixed namespace is the same document.
  const chartlock::Record r = test::ingest_one(
      R"(<cda:ClinicalDocument xmlns:cda="urn:hl7-org:v3"><cda:title>T</cda:title>)"
      R"(<cda:recordTarget><cda:patientRole><cda:patient><cda:name><cda:given>Ann</cda:given><cda:family>Lee</cda:family>)"
      R"(</cda:name></cda:patient></cda:patientRole></cda:recordTarget></cda:ClinicalDocument>)");
  CHECK(r.patient.name == "Ann Lee");
  // JSON is still JSON; bytes that are not UTF-8 are read as Windows-1252, and said so.
  CHECK(error_of("{\"resourceType\":\"Patient\"}") == "");
  const chartlock::Record latin = test::ingest_one(kOpen + "<title>caf\xE9</title>" + kClose);
  CHECK(latin.documents.at(0).description == "caf\xC3\xA9");
  CHECK(test::warnings_text(latin).find("XML is not UTF-8; read as Windows-1252") != std::string::npos);
}

TEST_CASE("ccda hostile: a failed source leaves the builder as it was", "[ccda][hostile]") {
  chartlock::RecordBuilder builder;
  const std::string good = test::ccda::read_fixture("ccd.xml");
  builder.add({"good.xml", good});
  const std::string bad = "<!DOCTYPE x>" + kOpen + kClose;
  CHECK_THROWS_AS(builder.add({"bad.xml", bad}), chartlock::IngestError);
  const chartlock::Record r = builder.finish();
  CHECK(r.sources.size() == 1);
  CHECK(r.conditions.size() == 4);
}
