// SPDX-License-Identifier: Apache-2.0
#include "chartlock/diagnostic.hpp"

namespace chartlock {

const char* to_string(DiagnosticCode code) {
  switch (code) {
    case DiagnosticCode::too_large: return "too-large";
    case DiagnosticCode::too_deep: return "too-deep";
    case DiagnosticCode::malformed_json: return "malformed-json";
    case DiagnosticCode::not_fhir: return "not-fhir";
    case DiagnosticCode::malformed_xml: return "malformed-xml";
    case DiagnosticCode::unsafe_xml: return "unsafe-xml";
    case DiagnosticCode::not_ccda: return "not-ccda";
    case DiagnosticCode::card_malformed: return "card-malformed";
    case DiagnosticCode::card_bad_signature: return "card-bad-signature";
    case DiagnosticCode::card_unknown_key: return "card-unknown-key";
    case DiagnosticCode::wrong_type: return "wrong-type";
    case DiagnosticCode::missing_required: return "missing-required";
    case DiagnosticCode::invalid_value: return "invalid-value";
    case DiagnosticCode::dangling_reference: return "dangling-reference";
    case DiagnosticCode::bad_resource: return "bad-resource";
  }
  return "unknown";
}

std::string Diagnostic::to_string() const {
  std::string out = source;
  if (line) out += ":" + std::to_string(line);
  out += ": ";
  if (!pointer.empty()) out += pointer + ": ";
  out += message;
  return out;
}

}  // namespace chartlock
