// SPDX-License-Identifier: Apache-2.0
// C-CDA R2.1 documents (a CCD, a discharge summary, a portal's "download my
// record" XML) read into the record model, by ingest() and RecordBuilder like
// any FHIR source: a source whose first non-blank byte is '<' is read as XML
// and must be a ClinicalDocument in the urn:hl7-org:v3 namespace.
//
// What is read from each section, and what is not: docs/record-schema.md.
// The XML is untrusted: it is refused, before parsing, when it declares a
// DOCTYPE or entities, nests deeper or holds longer text than XmlLimits
// allow (docs/limits.md).
#pragma once

#include <cstddef>
#include <string_view>

namespace chartlock {

struct XmlLimits {
  // Largest XML input. Parsed XML takes about 4–6× its size natively (a
  // node per element); a lifetime CCD is a few MiB.
  std::size_t max_bytes = std::size_t{64} * 1024 * 1024;
  // Deepest element nesting. Real C-CDA stays under 40 (nested sections,
  // entryRelationships, narrative tables); nothing here recurses, but a
  // document this deep is not a clinical document.
  std::size_t max_depth = 256;
  // Longest single text node, CDATA section or attribute value.
  std::size_t max_text_bytes = std::size_t{8} * 1024 * 1024;
  // Elements in one document: bounds the parser's memory by more than the
  // byte limit does (a node costs the parser some 50 bytes; "<a/>" is 4).
  std::size_t max_elements = 2'000'000;
};

// True when the bytes (after a UTF-8 byte order mark and blanks) start with
// '<': the source is read as XML, never as JSON.
bool looks_like_xml(std::string_view bytes);

}  // namespace chartlock
