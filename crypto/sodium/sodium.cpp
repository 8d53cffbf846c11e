// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace chartlock::crypto::detail {

void ensure_sodium() {
  // sodium_init() is idempotent and thread-safe; the static only saves the
  // call. It returns 0 (initialized now), 1 (already) or -1 (failure).
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialize");
}

}  // namespace chartlock::crypto::detail

namespace chartlock::crypto {

void init() { detail::ensure_sodium(); }

}  // namespace chartlock::crypto
