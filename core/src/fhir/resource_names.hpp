// SPDX-License-Identifier: Apache-2.0
// The name a Practitioner, Organization or Location goes by, for the items
// that point at one (a note's author, a visit's service provider).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fhir/read_context.hpp"

namespace chartlock::fhir {

// True for the resource types resource_name() reads.
bool has_name(std::string_view type);

// Practitioner: its official (else first) HumanName, as text or "prefix given
// family, suffix"; Organization and Location: `name`. nullopt when it has none.
std::optional<std::string> resource_name(Diagnostics& d, std::string_view type, const Fields& resource, const Path& at);

}  // namespace chartlock::fhir
