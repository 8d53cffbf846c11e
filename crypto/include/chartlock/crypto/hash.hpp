// SPDX-License-Identifier: Apache-2.0
// BLAKE2b-256, unkeyed: the one digest Chartlock's formats use (receipt and
// request-body digests, the relay's grant hashes in logs).
#pragma once

#include <array>
#include <cstdint>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto {

using Digest = std::array<std::uint8_t, 32>;

Digest hash(ByteView data);

}  // namespace chartlock::crypto
