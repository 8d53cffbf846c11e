// SPDX-License-Identifier: Apache-2.0
// Decoding FHIR base64Binary (RFC 4648 standard alphabet). Tolerates the
// line breaks and missing padding real servers send; rejects anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chartlock::text {

// nullopt when `in` is not base64. Stops early (nullopt) if the output would
// exceed `max_out` bytes, so a hostile attachment cannot balloon memory.
std::optional<std::string> base64_decode(std::string_view in, std::size_t max_out);

}  // namespace chartlock::text

namespace chartlock::text {

// RFC 4648 standard alphabet, padded: FHIR's base64Binary.
std::string base64_encode(std::string_view in);

}  // namespace chartlock::text
