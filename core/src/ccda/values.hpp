// SPDX-License-Identifier: Apache-2.0
// HL7 v3 datatypes as C-CDA writes them, read into the record's types: TS
// times, CD codes (codeSystem OIDs → the URIs the core uses, translations
// kept), PQ quantities, IVL_PQ ranges, and observation values by xsi:type.
#pragma once

#include <pugixml.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chartlock/record.hpp"
#include "keyed_hash.hpp"

namespace chartlock::ccda {

// Elements by local name, whatever prefix the document binds urn:hl7-org:v3
// to ("" for the default namespace, "cda:"…).
class Names {
 public:
  explicit Names(std::string prefix = {}) : prefix_(std::move(prefix)) {}
  bool is(pugi::xml_node n, std::string_view local) const;
  pugi::xml_node child(pugi::xml_node n, std::string_view local) const;
  std::vector<pugi::xml_node> children(pugi::xml_node n, std::string_view local) const;
  // child(child(…)) along a path of local names.
  pugi::xml_node path(pugi::xml_node n, std::initializer_list<std::string_view> locals) const;
  bool has_template(pugi::xml_node n, std::string_view root) const;
  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
};

// An element's words: every text node below it, blocks on their own lines.
// Iterative (no recursion), bounded by the document's own depth limit.
std::string element_text(pugi::xml_node n);

// A person's or organization's name (PN/ON): its parts joined by spaces.
std::string name_text(pugi::xml_node name);

// The narrative elements of a document by their ID attribute, for
// originalText/reference and text/reference ("#id"). Keyed: the ids are the
// document's own.
using NarrativeIds = std::unordered_map<std::string, pugi::xml_node, KeyedStringHash>;
NarrativeIds narrative_ids(pugi::xml_node root);

// HL7 TS "YYYY[MM[DD[HH[MM[SS[.S+]]]]]][±ZZZZ]" → FHIR date/dateTime
// ("2012-09-10", "2012-09-10T10:30:00-05:00"). Empty for nullFlavor or
// absent; nullopt when ill-formed.
std::optional<std::string> fhir_time(std::string_view ts);

// 2.16.840.1.113883.6.1 → http://loinc.org…; other OIDs as urn:oid:…
std::string system_uri(std::string_view oid);

struct Reading {
  const Names& names;
  const NarrativeIds& ids;
  std::vector<std::string>& problems;  // fixed words about ill-formed values, no input values
};

// A CD/CE/CV/CO element: its code, its translations, and its text
// (originalText, literal or by reference into the narrative).
CodeableConcept read_cd(const Reading& r, pugi::xml_node cd);
// A PQ element (value may be absent or nullFlavor: then no value).
Quantity read_pq(const Reading& r, pugi::xml_node pq);
// effectiveTime as a Period: @value → start; low/high; center → start.
Period read_period(const Reading& r, pugi::xml_node ivl);
// The first of @value, low/@value, center/@value.
std::string read_point(const Reading& r, pugi::xml_node ivl);
// An observation's value element, by xsi:type.
ObservationValue read_value(const Reading& r, pugi::xml_node value);
// referenceRange/observationRange.
ReferenceRange read_range(const Reading& r, pugi::xml_node observation_range);
// nullFlavor as a data-absent-reason concept (empty when there is none).
CodeableConcept null_flavor(pugi::xml_node n);

}  // namespace chartlock::ccda
