// SPDX-License-Identifier: Apache-2.0
// Diagnostics: what was wrong with an input, where, and how bad.
//
// Messages name the source, the JSON Pointer and what is wrong — never a value
// from the input, so a diagnostic can be logged or shown without leaking PHI.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace chartlock {

enum class DiagnosticCode {
  // Fatal for the whole source (thrown as IngestError):
  too_large,          // input over the size limit
  too_deep,           // nesting over the depth limit
  malformed_json,     // not JSON (or not UTF-8)
  not_fhir,           // JSON, but not a FHIR resource or Bundle
  malformed_xml,      // starts as XML but is not well-formed XML
  unsafe_xml,         // XML with a DOCTYPE or entity declarations (refused, never expanded)
  not_ccda,           // well-formed XML, but not a C-CDA ClinicalDocument
  // SMART Health Cards: fatal, except the last two when the caller keeps
  // unverified cards (then a warning on the card's source):
  card_malformed,     // not readable as a card: JWS, QR digits or chunks, DEFLATE or payload
  card_bad_signature, // the signature does not verify: changed after signing, or forged
  card_unknown_key,   // signed by a key that is not among the issuer keys given
  // Reported as warnings; the rest of the input is kept:
  wrong_type,         // a field has the wrong JSON type; the field is ignored
  missing_required,   // a required element is absent; the resource is kept as raw
  invalid_value,      // a field's value is not allowed (bad date, unknown code…)
  dangling_reference, // a reference points at nothing in its source
  bad_resource,       // a resource or NDJSON line that could not be read at all
};

// Stable kebab-case spelling, as written in JSON output.
const char* to_string(DiagnosticCode code);

struct Diagnostic {
  DiagnosticCode code;
  std::string source;   // input name
  std::string pointer;  // RFC 6901 JSON Pointer into that input ("" = the whole input)
  std::uint64_t line = 0;  // NDJSON: 1-based line the pointer is relative to; 0 otherwise
  std::string message;  // what is wrong, without input values

  // "source: /entry/3/resource/code: message" (NDJSON: "source:12: /code: message")
  std::string to_string() const;
};

// A source that could not be read at all.
class IngestError : public std::runtime_error {
 public:
  explicit IngestError(Diagnostic d)
      : std::runtime_error(d.to_string()), diagnostic_(std::move(d)) {}
  const Diagnostic& diagnostic() const noexcept { return diagnostic_; }

 private:
  Diagnostic diagnostic_;
};

}  // namespace chartlock
