// SPDX-License-Identifier: Apache-2.0
// Clinical notes read as plain text (core/src/text/note_text.hpp): HTML, RTF,
// C-CDA narrative; PDFs listed, not read; hostile input refused with a note.
// And the notes as the record, consent and a share see them.
#include <catch2/catch.hpp>

#include <string>

#include "chartlock/consent.hpp"
#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "ingest_support.hpp"
#include "text/base64.hpp"
#include "text/note_text.hpp"

using namespace chartlock::text;

namespace {

std::string rtf(std::string_view s) {
  std::string why;
  auto out = rtf_to_text(s, why);
  return out ? *out : "REFUSED: " + why;
}

std::string cda(std::string_view s) {
  std::string why;
  auto out = cda_narrative(s, why);
  return out ? *out : "REFUSED: " + why;
}

}  // namespace

TEST_CASE("notes: HTML keeps paragraphs, drops markup, source line breaks are spaces", "[notes]") {
  CHECK(html_to_text("<html><head><title>x</title><style>p{}</style></head><body>\n<h1>Visit</h1>\n"
                     "<p>Seen for a\n  cough.</p><p>Rest &amp; fluids.<br>Return in 1 week.</p></body></html>") ==
        "Visit\n\nSeen for a cough.\n\nRest & fluids.\nReturn in 1 week.");  // the page's title is not on it
  CHECK(html_to_text("plain words") == "plain words");
  CHECK(html_to_text("") == "");
}

TEST_CASE("notes: RTF control words and groups stripped, \\par a paragraph, escapes decoded", "[notes]") {
  CHECK(rtf(R"({\rtf1\ansi\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}\f0\fs20 Seen for a cough.\par Rest and fluids.\par})") ==
        "Seen for a cough.\n\nRest and fluids.");
  // \'hh in Windows-1252, \uN with its fallback character skipped, \uc0 with none.
  CHECK(rtf(R"({\rtf1 caf\'e9 \u233?t\'e9 {\uc0\u8212}x\par})") == "caf\xC3\xA9 \xC3\xA9t\xC3\xA9 \xE2\x80\x94x");
  // A negative \uN (above 32767) and a surrogate pair.
  CHECK(rtf(R"({\rtf1 \u-3913?\u-10179?\u-8704?})") == "\xEF\x82\xB7\xF0\x9F\x98\x80");
  // Nested groups keep their words; ignorable (\*) and known destinations go.
  CHECK(rtf(R"({\rtf1{\b Plan:}{\i  {continue} metformin}{\*\generator Riched20;}{\info{\author Dr X}} daily.})") ==
        "Plan: continue metformin daily.");
  CHECK(rtf(R"({\rtf1 a\{b\}c\\d\tab e\line f})") == "a{b}c\\d e\nf");
  // \bin skips its bytes, whatever they are.
  CHECK(rtf("{\\rtf1 x{\\pict\\bin4 \x01}{\\}y}") == "xy");
  CHECK(rtf("not rtf").rfind("REFUSED: ", 0) == 0);
}

TEST_CASE("notes: C-CDA narrative is its titles and sections' text", "[notes]") {
  const std::string doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc">
  <title>Progress Note</title>
  <recordTarget><patientRole><patient><name><given>Ana</given></name></patient></patientRole></recordTarget>
  <component><structuredBody>
    <component><section><code code="10164-2"/><title>History of Present Illness</title>
      <text><paragraph>Cough for <content styleCode="Bold">3 days</content>.</paragraph></text>
      <entry><observation><value xsi:type="ST">not narrative</value></observation></entry>
    </section></component>
    <component><section><title>Plan</title>
      <text><list><item>Rest</item><item>Fluids &amp; tea</item></list>
        <table><tr><td>Follow-up</td><td>1 week</td></tr></table></text>
      <component><section><title>Nested</title><text>Inner words</text></section></component>
    </section></component>
  </structuredBody></component>
</ClinicalDocument>)";
  CHECK(cda(doc) ==
        "Progress Note\n\nHistory of Present Illness\n\nCough for 3 days.\n\nPlan\n\nRest\n\nFluids & tea\n\n"
        "Follow-up\n\n1 week\n\nNested\n\nInner words");
  CHECK(cda("<cda:ClinicalDocument xmlns:cda=\"urn:hl7-org:v3\"><cda:component><cda:section><cda:title>T</cda:title>"
            "<cda:text>words</cda:text></cda:section></cda:component></cda:ClinicalDocument>") == "T\n\nwords");
  CHECK(cda("<Bundle/>") == "REFUSED: XML that is not a C-CDA ClinicalDocument; not read");
}

TEST_CASE("notes: DOCTYPE and entities refused, depth bounded, bad encodings noted", "[notes][hostile]") {
  const std::string lol = R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
<ClinicalDocument><title>&lol2;</title></ClinicalDocument>)";
  CHECK(cda(lol) == "REFUSED: XML that declares a DOCTYPE or entities is refused; not read");
  const NoteText xxe = note_text("application/xml", lol);
  CHECK_FALSE(xxe.read);
  CHECK(xxe.note == "XML that declares a DOCTYPE or entities is refused; not read");

  // 100,000 nested groups: refused at 64, no recursion, no crash.
  std::string deep = "{\\rtf1 ";
  for (int i = 0; i < 100000; ++i) deep += '{';
  CHECK(rtf(deep) == "REFUSED: RTF groups nested more than 64 deep; not read");
  std::string deep_xml = "<ClinicalDocument>";
  for (int i = 0; i < 100000; ++i) deep_xml += "<a>";
  CHECK(cda(deep_xml) == "REFUSED: XML nested more than 256 deep; not read");
  std::string deep_text = "<ClinicalDocument><section><text>";
  for (int i = 0; i < 1000; ++i) deep_text += "<text>";
  CHECK(cda(deep_text) == "REFUSED: XML nested more than 64 deep; not read");

  // Unbalanced, truncated and junk input reads what it can.
  CHECK(rtf("{\\rtf1 half a note {\\b bold") == "half a note bold");
  CHECK(rtf("{\\rtf1 \\'zz\\u\\uc99999 x}") == "zzx");  // a broken escape's letters are text
  CHECK(rtf("{\\rtf1 end}} after") == "end");

  // Not UTF-8: read as Windows-1252, and said so.
  const NoteText latin = note_text("text/plain", "caf\xE9 \x93ok\x94");
  CHECK(latin.read);
  CHECK(latin.text == "caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D");
  CHECK(latin.note == "not UTF-8; read as Windows-1252");

  // Huge input: a note, not a read.
  const std::string huge(kMaxNoteBytes + 1, 'a');
  const NoteText big = note_text("text/plain", huge);
  CHECK_FALSE(big.read);
  CHECK(big.note == "larger than 4 MiB; not read");
}

TEST_CASE("notes: formats by content type and by their first bytes; PDFs listed, not read", "[notes]") {
  CHECK(note_format("text/plain", "{\\rtf1 x}") == NoteFormat::rtf);
  CHECK(note_format("application/octet-stream", "{\\rtf1 x}") == NoteFormat::rtf);
  CHECK(note_format("text/rtf", "") == NoteFormat::rtf);
  CHECK(note_format("text/html; charset=utf-8", "<p>x</p>") == NoteFormat::html);
  CHECK(note_format("application/xml", "<ClinicalDocument/>") == NoteFormat::cda);
  CHECK(note_format("text/xml", "<ClinicalDocument/>") == NoteFormat::cda);
  CHECK(note_format("application/pdf", "%PDF-1.4") == NoteFormat::pdf);
  CHECK(note_format("application/octet-stream", "%PDF-1.7") == NoteFormat::pdf);
  CHECK(note_format("image/png", "\x89PNG") == NoteFormat::binary);
  const NoteText pdf = note_text("application/pdf", "%PDF-1.4 psychiatric");
  CHECK_FALSE(pdf.read);
  CHECK(pdf.text.empty());
  CHECK(pdf.note == "PDF; not read");
}

namespace {

chartlock::Record notes_record() {
  const std::string html = base64_encode("<p>Seen for a cough.</p><p>Rest.</p>");
  const std::string rtf_note = base64_encode("{\\rtf1\\ansi Follow-up for depression.\\par Doing better.}");
  auto r = test::ingest_one(test::bundle({
      R"({"resourceType":"DocumentReference","id":"n1","status":"current","type":{"text":"Progress note"},"date":"2023-03-01",
          "author":[{"reference":"Practitioner/p1","display":"Dr. Rivera"}],
          "content":[{"attachment":{"contentType":"text/html","url":"Binary/b1","creation":"2023-02-28","data":")" + html + R"("}},
                     {"attachment":{"contentType":"application/pdf","url":"Binary/b2","title":"Scan","creation":"2023-03-01","size":12345}}]})",
      R"({"resourceType":"DocumentReference","id":"n2","status":"current","type":{"text":"Therapy note"},"date":"2023-04-01",
          "content":[{"attachment":{"contentType":"application/rtf","data":")" + rtf_note + R"("}}]})",
      R"({"resourceType":"DiagnosticReport","id":"r1","status":"final","code":{"text":"Discharge summary"},"effectiveDateTime":"2023-05-01",
          "presentedForm":[{"contentType":"text/plain","data":")" + base64_encode("Discharged home.") + R"("}]})"}));
  return r;
}

}  // namespace

TEST_CASE("notes: the record reads attachments and presentedForm as text; PDFs with their metadata",
          "[notes][ingest]") {
  const chartlock::Record r = notes_record();
  REQUIRE(r.documents.size() == 2);
  const auto& a = r.documents[0].attachments;
  REQUIRE(a.size() == 2);
  CHECK(a[0].text == "Seen for a cough.\n\nRest.");
  CHECK(a[0].format == "html");
  CHECK(r.documents[0].authors == std::vector<std::string>{"Dr. Rivera"});
  CHECK((a[1].text.empty() && a[1].title == "Scan" && a[1].creation == "2023-03-01" && *a[1].size == 12345));
  CHECK((a[1].format == "pdf" && a[1].note == "PDF; not read"));
  CHECK(r.documents[1].attachments[0].text == "Follow-up for depression.\n\nDoing better.");
  REQUIRE(r.reports.size() == 1);
  REQUIRE(r.reports[0].presentedForm.size() == 1);
  CHECK(r.reports[0].presentedForm[0].text == "Discharged home.");

  // Consent: the RTF note's words put it in mental health; the other is not sensitive.
  const auto items = chartlock::consent_catalog(r);
  std::vector<std::string> therapy, progress;
  for (const auto& item : items) {
    if (item.category != chartlock::Category::documents) continue;
    if (item.label.find("Therapy") != std::string::npos) therapy = item.sensitive;
    if (item.label.find("Progress") != std::string::npos) progress = item.sensitive;
  }
  CHECK(therapy == std::vector<std::string>{"mental-health"});
  CHECK(progress.empty());
}

TEST_CASE("notes: the summary says how many, the most recent, what kinds", "[notes][summary]") {
  const chartlock::Summary s = chartlock::summarize(notes_record(), {});
  const chartlock::NotesSummary& n = s.clinical_notes;
  CHECK(n.count == 3);
  CHECK(n.unread == 0);
  REQUIRE(n.most_recent);
  CHECK(n.most_recent->kind == "Discharge summary");
  CHECK(n.most_recent->date == "2023-05-01");
  CHECK(n.most_recent->format == "text");
  REQUIRE(n.kinds.size() == 3);
  CHECK(n.kinds[0].kind == "Discharge summary");  // one each: by name
  const auto j = chartlock::to_json(s);
  CHECK(j.at("clinicalNotes").at("count") == 3);
  CHECK(j.at("clinicalNotes").at("mostRecent").at("kind") == "Discharge summary");
  CHECK(j.at("clinicalNotes").at("kinds").size() == 3);
  const std::string md = chartlock::summary_to_markdown(s);
  CHECK(md.find("## Clinical notes\n\n- 3 notes: Discharge summary (1), Progress note (1) and Therapy note (1)\n"
                "- Most recent: Discharge summary, 2023-05-01\n") != std::string::npos);
  const chartlock::Summary none = chartlock::summarize(test::ingest_one(test::bundle({})), {});
  CHECK(none.clinical_notes.count == 0);
  CHECK(chartlock::to_json(none).at("clinicalNotes").at("mostRecent").is_null());
}

TEST_CASE("notes: a share carries a note's text as plain text; the sensitive note only when turned on",
          "[notes][share]") {
  const chartlock::Record r = notes_record();
  chartlock::ShareRequest req;
  req.consent = chartlock::default_consent({"patient/DocumentReference.rs", "patient/DiagnosticReport.rs"});
  const auto records = [](const chartlock::ShareContent& c) {
    for (const auto& p : c.parts) {
      if (p.name == "records.json") return nlohmann::json::parse(p.text);
    }
    return nlohmann::json();
  };
  const chartlock::ShareContent off = chartlock::build_share(r, req);
  CHECK(off.counts.at("DocumentReference") == 1);
  std::vector<std::string> texts;
  const nlohmann::json bundle = records(off);
  for (const auto& e : bundle.at("entry")) {
    const nlohmann::json content = e.at("resource").value("content", nlohmann::json::array());
    const nlohmann::json forms = e.at("resource").value("presentedForm", nlohmann::json::array());
    for (const auto& c : content) {
      CHECK(c.at("attachment").at("contentType") == "text/plain; charset=utf-8");
      CHECK_FALSE(c.at("attachment").contains("url"));
      texts.push_back(*base64_decode(c.at("attachment").at("data").get<std::string>(), 1 << 20));
    }
    for (const auto& a : forms) {
      texts.push_back(*base64_decode(a.at("data").get<std::string>(), 1 << 20));
    }
  }
  CHECK(texts == std::vector<std::string>{"Discharged home.", "Seen for a cough.\n\nRest."});  // reports come first
  req.consent.sensitive.insert("mental-health");
  CHECK(chartlock::build_share(r, req).counts.at("DocumentReference") == 2);
  // Dates moved: an attachment's creation date moves with the rest.
  CHECK(records(chartlock::build_share(r, req)).dump().find("\"creation\":\"2023-02-28\"") != std::string::npos);
  req.consent.shift_days = 100;
  const std::string shifted = records(chartlock::build_share(r, req)).dump();
  CHECK(shifted.find("2023-02-28") == std::string::npos);
  CHECK(shifted.find("\"creation\":\"2023-06-08\"") != std::string::npos);
  req.consent.shift_days.reset();
  req.consent.categories.erase(chartlock::Category::documents);
  CHECK(chartlock::build_share(r, req).counts.count("DocumentReference") == 0);
}
