// SPDX-License-Identifier: Apache-2.0
// Untrusted XML, parsed only after a scan that refuses what could make the
// parser or anything after it misbehave: a DOCTYPE (entity declarations,
// external entities — the only ways to XXE or a billion laughs), nesting
// deeper than XmlLimits::max_depth, longer text, more elements. pugixml
// itself expands only the five predefined entities and character references.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>

#include "chartlock/ccda.hpp"
#include "chartlock/diagnostic.hpp"

namespace chartlock::ccda {

// Throws IngestError (too_large, too_deep, unsafe_xml, malformed_xml) naming
// `source`; bytes that are not UTF-8 are read as Windows-1252 and
// `was_utf8` says so. `text` receives the UTF-8 text that was parsed.
void parse_xml(pugi::xml_document& doc, std::string_view bytes, const XmlLimits& limits,
               const std::string& source, std::string& text, bool& was_utf8);

// The scan alone (tests and the fuzz target use it): returns normally when
// the input may be parsed.
void check_xml(std::string_view bytes, const XmlLimits& limits, const std::string& source);

}  // namespace chartlock::ccda
