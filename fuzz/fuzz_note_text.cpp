// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the readers that turn a clinical note's attachment into
// plain text (core/src/text/note_text.hpp) — RTF, HTML/XHTML, C-CDA narrative
// and plain text, with format sniffing. The first byte picks the content type
// the portal claimed; the rest is the attachment's bytes.
//
// Every input must end in text or a refusal with a note: no crash, no
// exception, no runaway memory. What is read is valid UTF-8 and never grows
// past a bounded multiple of the input.
//
// The text a note yields is scanned for sensitive words: the one-pass scan
// (consent/sensitivity.cpp) must find what the plain reading finds
// (consent/sensitivity_reference.hpp) in the raw bytes and in what was read,
// and its code index answer the input's first line as a code as the lists do.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "chartlock/code_systems.hpp"
#include "consent/sensitivity.hpp"
#include "consent/sensitivity_reference.hpp"
#include "text/note_text.hpp"

namespace {

constexpr std::array<std::string_view, 8> kContentTypes{
    "text/plain", "text/html", "application/rtf", "application/xml", "text/xml; charset=utf-8",
    "application/xhtml+xml", "application/octet-stream", "application/pdf"};

void check_text(const std::string& text, std::size_t input_size) {
  if (!simdjson::validate_utf8(text.data(), text.size())) std::abort();
  // Every input byte becomes at most one replacement character (3 bytes) or
  // a short fixed word (\bullet: 3 bytes, \par: 2).
  if (text.size() > 4 * input_size + 16) std::abort();
}

void check_sensitivity(std::string_view text) {
  chartlock::consent::SensitivityScan scan;
  scan.text(text);
  if (scan.found() != chartlock::consent::reference::text(text)) std::abort();
}

void check_codes(std::string_view bytes) {
  const std::string_view code = bytes.substr(0, std::min<std::size_t>(bytes.find('\n'), 24));
  for (const char* system : {chartlock::systems::snomed, chartlock::systems::loinc, chartlock::systems::act_code,
                             chartlock::systems::icd10cm, "http://hl7.org/fhir/sid/icd-10"}) {
    chartlock::consent::SensitivityScan scan;
    scan.coding(system, code);
    if (scan.found() != chartlock::consent::reference::coding(system, code)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view content_type = kContentTypes[data[0] % kContentTypes.size()];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  const chartlock::text::NoteText note = chartlock::text::note_text(content_type, bytes);
  if (note.read) check_text(note.text, bytes.size());
  else if (note.note.empty() || !note.text.empty()) std::abort();  // a refusal says why, and reads nothing

  // Each reader on its own, whatever the bytes claim to be.
  std::string why;
  if (auto rtf = chartlock::text::rtf_to_text(bytes, why)) check_text(*rtf, bytes.size());
  else if (why.empty()) std::abort();
  why.clear();
  bool utf8 = false;
  const std::string decoded = chartlock::text::to_utf8(bytes, utf8);
  if (auto cda = chartlock::text::cda_narrative(decoded, why)) check_text(*cda, decoded.size());
  else if (why.empty()) std::abort();
  check_text(chartlock::text::html_to_text(decoded), decoded.size());

  check_sensitivity(bytes);
  if (note.read) check_sensitivity(note.text);
  check_codes(bytes);
  return 0;
}
