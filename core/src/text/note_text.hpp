// SPDX-License-Identifier: Apache-2.0
// Clinical notes as plain text: the attachments of DocumentReference and
// DiagnosticReport.presentedForm (inline, or fetched from a Binary URL by the
// widget and put inline). text/plain, HTML/XHTML, RTF and the narrative of a
// C-CDA document are read; PDFs and images are listed, not read.
//
// Every reader is bounded: input over kMaxNoteBytes, nesting deeper than
// kMaxNoteDepth, XML that declares a DOCTYPE or entities are refused with a
// note, never a crash. Notes are fixed words: they never quote the input.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chartlock::text {

constexpr std::size_t kMaxNoteBytes = std::size_t{4} * 1024 * 1024;
constexpr std::size_t kMaxNoteDepth = 64;

enum class NoteFormat { plain, html, rtf, cda, xml, pdf, binary };

// By the content type; RTF and C-CDA are also recognized by their first
// bytes (portals label RTF as text/plain or application/octet-stream).
NoteFormat note_format(std::string_view content_type, std::string_view bytes);
const char* to_string(NoteFormat format);

struct NoteText {
  std::string text;  // UTF-8, paragraphs separated by a blank line; empty when not read
  std::string note;  // what a reader should know: why it was not read, or how it was read
  bool read = false;
};

// The attachment's bytes (already base64-decoded) as plain text.
NoteText note_text(std::string_view content_type, std::string_view bytes);

// The readers one by one (tests and the fuzz target use them). Each returns
// nullopt with `why` set when it refuses the input.
std::string html_to_text(std::string_view html);
std::optional<std::string> rtf_to_text(std::string_view rtf, std::string& why);
std::optional<std::string> cda_narrative(std::string_view xml, std::string& why);

// Bytes that are not UTF-8 read as Windows-1252 (the usual other encoding of
// notes); valid UTF-8 is returned as it is.
std::string to_utf8(std::string_view bytes, bool& was_utf8);

// Lines trimmed, runs of spaces made one, runs of blank lines made one, no
// blank lines at either end.
std::string tidy_paragraphs(std::string_view text);

}  // namespace chartlock::text
