// SPDX-License-Identifier: Apache-2.0
// FHIR date / dateTime / instant strings: validation, and a canonical form in
// which the same moment written in two time zones compares equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chartlock::fhir {

// YYYY, YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm).
// A time without a zone is tolerated (some servers send it) but flagged
// invalid by FHIR; we accept it as local time.
bool is_fhir_date_time(std::string_view s);

// Canonical form for comparing: partial dates as written; full date-times in
// UTC ("2019-05-02T13:00:00Z", fraction without trailing zeros), appended to
// `out` (a merge identity being built: no string of its own). False, and
// nothing appended, when not a valid FHIR date/dateTime.
bool append_canonical_time(std::string& out, std::string_view s);
// The same as a string of its own; nullopt when not valid.
std::optional<std::string> canonical_time(std::string_view s);

}  // namespace chartlock::fhir
