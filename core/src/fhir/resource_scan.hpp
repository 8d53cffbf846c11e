// SPDX-License-Identifier: Apache-2.0
// A resource's sensitive categories, from everything in it: every string
// anywhere (narrative with its markup stripped, notes, extensions, contained
// resources), every coding and security label, and inline attachments read
// as the record reads a note (text/note_text.hpp: HTML, RTF, C-CDA narrative;
// text the readers refuse is scanned as it is). The walk is over the parsed resource, so nothing a
// later reader skips escapes it.
#pragma once

#include <simdjson.h>

#include "consent/sensitivity.hpp"

namespace chartlock::fhir {

struct ResourceScan {
  consent::SensitiveSet sensitive = 0;
  // Some object in the resource repeats a key (json/duplicate_keys.hpp): the
  // same walk answers it, so a resource read as an item is walked once.
  bool repeated_key = false;
};

ResourceScan scan_resource(simdjson::dom::element resource);

}  // namespace chartlock::fhir
