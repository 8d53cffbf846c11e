// SPDX-License-Identifier: Apache-2.0
#include "ccda/safe_xml.hpp"

#include <cstdint>
#include <string>

#include "text/note_text.hpp"

namespace chartlock::ccda {

namespace {

[[noreturn]] void fail(DiagnosticCode code, const std::string& source, std::string message) {
  throw IngestError(Diagnostic{code, source, "", 0, std::move(message)});
}

std::string at_byte(std::size_t offset) { return " (at byte " + std::to_string(offset) + ")"; }

// Character references to what XML does not allow (NUL, surrogates, past
// U+10FFFF…): pugixml would write them out as bytes that are not UTF-8.
void check_references(std::string_view s, std::size_t offset, const std::string& source) {
  for (std::size_t at = s.find("&#"); at != std::string_view::npos; at = s.find("&#", at + 2)) {
    std::size_t k = at + 2;
    const bool hex = k < s.size() && s[k] == 'x';
    if (hex) ++k;
    std::uint32_t cp = 0;
    std::size_t digits = 0;
    for (; k < s.size() && s[k] != ';'; ++k, ++digits) {
      const char c = s[k];
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) break;
      if (cp <= 0x10FFFF) cp = cp * (hex ? 16u : 10u) + static_cast<std::uint32_t>(v);
    }
    if (k >= s.size() || s[k] != ';' || digits == 0) continue;  // not a reference; the parser judges it
    const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!allowed) {
      fail(DiagnosticCode::malformed_xml, source,
           "not well-formed XML: a character reference to a code point XML does not allow" + at_byte(offset + at));
    }
  }
}

}  // namespace

bool looks_like_xml_impl(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  for (char c : bytes) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '<';
  }
  return false;
}

void check_xml(std::string_view bytes, const XmlLimits& limits, const std::string& source) {
  if (bytes.size() > limits.max_bytes) {
    fail(DiagnosticCode::too_large, source,
         "XML input is " + std::to_string(bytes.size()) + " bytes; the limit is " +
             std::to_string(limits.max_bytes));
  }
  const std::string text_limit = std::to_string(limits.max_text_bytes);
  const std::size_t n = bytes.size();
  std::size_t depth = 0;
  std::size_t elements = 0;
  std::size_t i = 0;
  std::size_t text_start = 0;
  while (i < n) {
    const std::size_t lt = bytes.find('<', i);
    const std::size_t text_end = lt == std::string_view::npos ? n : lt;
    if (text_end - text_start > limits.max_text_bytes) {
      fail(DiagnosticCode::too_large, source,
           "an XML text node is longer than " + text_limit + " bytes" + at_byte(text_start));
    }
    check_references(bytes.substr(text_start, text_end - text_start), text_start, source);
    if (lt == std::string_view::npos) break;
    const std::string_view rest = bytes.substr(lt);
    std::size_t next = n;  // where scanning resumes; n when a construct is unterminated
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = bytes.find("-->", lt + 4);
      if (end != std::string_view::npos) next = end + 3;
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      const std::size_t end = bytes.find("]]>", lt + 9);
      if (end != std::string_view::npos) {
        if (end - (lt + 9) > limits.max_text_bytes) {
          fail(DiagnosticCode::too_large, source,
               "an XML CDATA section is longer than " + text_limit + " bytes" + at_byte(lt));
        }
        next = end + 3;
      }
    } else if (rest.substr(0, 2) == "<!") {
      // <!DOCTYPE, <!ENTITY, <!ELEMENT…: declarations are how entities (and
      // so external entities and exponential expansion) enter XML.
      const bool entity = rest.substr(0, 8) == "<!ENTITY";
      fail(DiagnosticCode::unsafe_xml, source,
           entity ? "XML that declares entities is refused" + at_byte(lt)
                  : "XML with a DOCTYPE (which may declare entities) is refused" + at_byte(lt));
    } else if (rest.substr(0, 2) == "<?") {
      const std::size_t end = bytes.find("?>", lt + 2);
      if (end != std::string_view::npos) next = end + 2;
    } else {
      // A start or end tag; '>' may appear inside a quoted attribute value.
      const bool closing = rest.substr(0, 2) == "</";
      std::size_t k = lt + 1;
      char quote = 0;
      std::size_t value_start = 0;
      while (k < n) {
        const char c = bytes[k];
        if (quote) {
          if (c == quote) {
            if (k - value_start > limits.max_text_bytes) {
              fail(DiagnosticCode::too_large, source,
                   "an XML attribute value is longer than " + text_limit + " bytes" + at_byte(value_start));
            }
            check_references(bytes.substr(value_start, k - value_start), value_start, source);
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
          value_start = k + 1;
        } else if (c == '>') {
          break;
        } else if (c == '<') {
          break;  // malformed; the parser says so
        }
        ++k;
      }
      if (k < n && bytes[k] == '>') {
        next = k + 1;
        if (closing) {
          if (depth > 0) --depth;
        } else {
          if (++elements > limits.max_elements) {
            fail(DiagnosticCode::too_large, source,
                 "XML with more than " + std::to_string(limits.max_elements) + " elements" + at_byte(lt));
          }
          if (bytes[k - 1] != '/' && ++depth > limits.max_depth) {
            fail(DiagnosticCode::too_deep, source,
                 "XML elements nested more than " + std::to_string(limits.max_depth) + " deep" + at_byte(lt));
          }
        }
      } else if (k < n) {
        next = k;  // a '<' inside a tag: let the parser report it
      }
    }
    i = next;
    text_start = next;
  }
}

void parse_xml(pugi::xml_document& doc, std::string_view bytes, const XmlLimits& limits,
               const std::string& source, std::string& text, bool& was_utf8) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  check_xml(bytes, limits, source);
  // Declared encodings other than UTF-8 are rare in C-CDA; bytes that are
  // not UTF-8 are read as Windows-1252, as notes are (text/note_text.hpp).
  text = text::to_utf8(bytes, was_utf8);
  const std::string& utf8 = text;
  const unsigned options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol | pugi::parse_wconv_attribute;
  const pugi::xml_parse_result result = doc.load_buffer(utf8.data(), utf8.size(), options, pugi::encoding_utf8);
  if (!result) {
    if (result.status == pugi::status_out_of_memory) {
      fail(DiagnosticCode::too_large, source, "not enough memory to parse this XML");
    }
    // pugixml's descriptions are fixed words; the input is never quoted.
    fail(DiagnosticCode::malformed_xml, source,
         std::string("not well-formed XML: ") + result.description() +
             at_byte(static_cast<std::size_t>(result.offset)));
  }
}

}  // namespace chartlock::ccda

namespace chartlock {

bool looks_like_xml(std::string_view bytes) { return ccda::looks_like_xml_impl(bytes); }

}  // namespace chartlock
