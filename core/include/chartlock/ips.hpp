// SPDX-License-Identifier: Apache-2.0
// An International Patient Summary (HL7 FHIR IPS, hl7.fhir.uv.ips) of what
// the patient chose to share with a clinician: a FHIR R4 document Bundle,
// built from the same consent engine and the same selection as a share with
// an AI tool (chartlock/share.hpp), so an item the consent keeps back is in
// neither. What it holds and leaves out: docs/ips.md.
#pragma once

#include <string>
#include <vector>

#include "chartlock/record.hpp"
#include "chartlock/share.hpp"

namespace chartlock {

struct IpsDocument {
  std::string json;                  // the Bundle, minified JSON
  std::vector<std::string> keys;     // the items in it (record keys), in section order
  std::vector<std::string> sources;  // the providers of those items
};

// request.today (YYYY-MM-DD) is required: it dates the document, and the
// same record, consent and today give the same bytes natively and in wasm.
// Throws std::invalid_argument when today is missing or not a date, and
// WrongPerson when request.person is not the record's person.
IpsDocument build_ips(const Record& record, const ShareRequest& request);

}  // namespace chartlock
