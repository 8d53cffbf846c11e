// SPDX-License-Identifier: Apache-2.0
// The consent file `share` and `ips` take (docs/consent.md).
#pragma once

#include <string>

#include "chartlock/consent.hpp"

namespace chartlock::cli {

// Reads and checks CONSENT.json: IoError when it cannot be read, BadInput
// (naming the file) when it is not a valid consent.
Consent read_consent_file(const std::string& path);

}  // namespace chartlock::cli
