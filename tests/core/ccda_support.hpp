// SPDX-License-Identifier: Apache-2.0
// Helpers for the C-CDA suites: the HL7 examples in tests/fixtures/ccda, the
// section examples put in a ClinicalDocument, and an independent count of the
// entries a reader should find.
#pragma once

#include <pugixml.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/ingest.hpp"

namespace test::ccda {

inline std::string read_fixture(const std::string& path) {
  std::ifstream in(std::string(CHARTLOCK_FIXTURES) + "/ccda/" + path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// HL7's section examples are bare <section> (or <component><section>)
// elements: put them in the smallest CCD header the reader accepts.
inline std::string in_document(const std::string& fragment) {
  std::string body = fragment;
  if (body.rfind("<?xml", 0) == 0) body.erase(0, body.find("?>") + 2);
  const bool wrapped = body.find("<component") < body.find("<section");
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">
  <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>
  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/>
  <title>Section example</title>
  <effectiveTime value="20200101"/>
  <recordTarget><patientRole><id root="2.16.840.1.113883.19.5" extension="example-1"/>
    <patient><name use="L"><given>Ada</given><family>Example</family></name>
      <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19800101"/></patient>
  </patientRole></recordTarget>
  <component><structuredBody>)" +
         (wrapped ? body : "<component>" + body + "</component>") + R"(</structuredBody></component>
</ClinicalDocument>)";
}

// Elements below `n` (any depth) that carry templateId `root`, counted by a
// plain walk over the document with pugixml's own traversal — not the
// reader's section and entry logic.
inline std::size_t count_template(pugi::xml_node n, std::string_view root, bool skip_negated = false) {
  struct Walker : pugi::xml_tree_walker {
    std::string_view root;
    bool skip_negated;
    std::size_t count = 0;
    bool for_each(pugi::xml_node& node) override {
      if (std::string_view(node.name()) != "templateId" || root != node.attribute("root").value()) return true;
      // An element lists its template once per version; count the element once.
      for (pugi::xml_node prev = node.previous_sibling("templateId"); prev; prev = prev.previous_sibling("templateId")) {
        if (root == prev.attribute("root").value()) return true;
      }
      if (skip_negated && std::string_view(node.parent().attribute("negationInd").value()) == "true") return true;
      ++count;
      return true;
    }
  } walker;
  walker.root = root;
  walker.skip_negated = skip_negated;
  n.traverse(walker);
  return walker.count;
}

// The document's sections with templateId `root` (with or without an extension).
inline std::vector<pugi::xml_node> sections(pugi::xml_document& doc, std::string_view root) {
  std::vector<pugi::xml_node> out;
  struct Walker : pugi::xml_tree_walker {
    std::string_view root;
    std::vector<pugi::xml_node>* out;
    bool for_each(pugi::xml_node& node) override {
      if (std::string_view(node.name()) == "templateId" && root == node.attribute("root").value() &&
          std::string_view(node.parent().name()) == "section" &&
          (out->empty() || out->back() != node.parent())) {
        out->push_back(node.parent());
      }
      return true;
    }
  } walker;
  walker.root = root;
  walker.out = &out;
  doc.traverse(walker);
  return out;
}

// The entries that carry `entry_root` in the sections of a kind: templateId
// `section_root` (entries optional) or `section_root`.1 (entries required).
inline std::size_t count_in_sections(pugi::xml_document& doc, const std::string& section_root,
                                     std::string_view entry_root, bool skip_negated = false) {
  std::vector<pugi::xml_node> all = sections(doc, section_root);
  for (pugi::xml_node s : sections(doc, section_root + ".1")) {
    if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  }
  std::size_t n = 0;
  for (pugi::xml_node s : all) n += count_template(s, entry_root, skip_negated);
  return n;
}

}  // namespace test::ccda
