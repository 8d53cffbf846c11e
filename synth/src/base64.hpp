// SPDX-License-Identifier: Apache-2.0
// Base64 (RFC 4648, with padding) for Attachment.data.
#pragma once

#include <string>
#include <string_view>

namespace chartlock::synth {

std::string base64(std::string_view bytes);

}  // namespace chartlock::synth
