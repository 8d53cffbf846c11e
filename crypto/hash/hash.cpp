// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/hash.hpp"

#include <sodium.h>

#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto {

Digest hash(ByteView data) {
  detail::ensure_sodium();
  Digest d{};
  crypto_generichash(d.data(), d.size(), data.data(), data.size(), nullptr, 0);
  return d;
}

}  // namespace chartlock::crypto
