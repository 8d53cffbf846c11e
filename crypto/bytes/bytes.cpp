// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/bytes.hpp"

#include <sodium.h>

namespace chartlock::crypto {

// sodium_memzero needs no sodium_init(): it touches no global state.
void wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) sodium_memzero(p, n);
}

// sodium_memcmp needs no sodium_init() either.
bool equal(ByteView a, ByteView b) noexcept {
  return a.size() == b.size() && (a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace chartlock::crypto
