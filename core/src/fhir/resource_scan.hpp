// A resource's sensitive categories, from everything in it: every string
// anywhere (narrative with its markup stripped, notes, extensions, contained
// resources), every coding and security label, and inline attachments that
// are text, decoded. The walk is over the parsed resource, so nothing a
// later reader skips escapes it.
#pragma once

#include <simdjson.h>

#include "consent/sensitivity.hpp"

namespace chartlock::fhir {

consent::SensitiveSet scan_resource(simdjson::dom::element resource);

}  // namespace chartlock::fhir
