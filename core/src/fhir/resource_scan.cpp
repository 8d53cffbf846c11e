// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_scan.hpp"

#include "json/duplicate_keys.hpp"
#include "text/base64.hpp"
#include "text/markup.hpp"
#include "text/note_text.hpp"

namespace chartlock::fhir {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Attachments larger than this are not decoded to be scanned; the share
// never carries their data either (docs/share-content.md).
constexpr std::size_t kMaxScannedAttachment = std::size_t{4} * 1024 * 1024;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_markup(std::string_view content_type) {
  return starts_with(content_type, "text/html") || starts_with(content_type, "application/xhtml") ||
         content_type.find("xml") != std::string_view::npos;
}

bool is_text(std::string_view content_type) {
  return starts_with(content_type, "text/") || is_markup(content_type) ||
         content_type.find("json") != std::string_view::npos || starts_with(content_type, "application/rtf");
}

// Canonical URLs name definitions, not the patient's facts.
bool is_canonical_key(std::string_view key) { return key == "system" || key == "url" || key == "profile"; }

class Walker {
 public:
  explicit Walker(consent::SensitivityScan& scan) : scan_(scan) {}

  bool repeated_key() const { return repeated_key_; }

  void value(element e, std::string_view key) {
    switch (e.type()) {
      case element_type::OBJECT:
        object_(e.get_object().value_unsafe());
        break;
      case element_type::ARRAY: {
        const simdjson::dom::array items = e.get_array().value_unsafe();
        for (element item : items) value(item, key);
        break;
      }
      case element_type::STRING:
        string_(e.get_string().value_unsafe(), key);
        break;
      default:
        break;  // numbers, booleans and null carry no words
    }
  }

 private:
  void string_(std::string_view s, std::string_view key) {
    if (key == "div") scan_.text(text::strip_markup(s));
    else if (!is_canonical_key(key)) scan_.text(s);
  }

  void object_(object o) {
    json::KeyRepeats keys(o);
    std::string_view system, code, content_type, data;
    for (auto field : o) {
      const std::string_view key = field.key;
      if (keys.add(key)) repeated_key_ = true;
      const element v = field.value;
      if (v.is_string()) {
        // Read here once, not again through value(): most fields are strings.
        const std::string_view s = v.get_string().value_unsafe();
        if (key == "system") {
          system = s;
          continue;  // a canonical URL
        }
        if (key == "code") code = s;
        else if (key == "contentType") content_type = s;
        else if (key == "data") {
          data = s;
          continue;  // base64: its letters are not words
        }
        string_(s, key);
        continue;
      }
      value(v, key);
    }
    if (!code.empty()) scan_.coding(system, code);
    if (!data.empty()) {
      // The same reading as the record's (text/note_text.hpp): HTML, RTF and
      // C-CDA narrative as the words they show, whatever the content type says.
      if (auto decoded = text::base64_decode(data, kMaxScannedAttachment)) {
        text::NoteText note = text::note_text(content_type, *decoded);
        if (note.read) scan_.text(note.text);
        // Unread text-like data is still scanned as it is, so nothing escapes.
        else if (is_text(content_type)) scan_.text(*decoded);
      }
    }
  }

  consent::SensitivityScan& scan_;
  bool repeated_key_ = false;
};

}  // namespace

ResourceScan scan_resource(element resource) {
  consent::SensitivityScan scan;
  Walker walker(scan);
  walker.value(resource, {});
  return ResourceScan{scan.found(), walker.repeated_key()};
}

}  // namespace chartlock::fhir
