// SPDX-License-Identifier: Apache-2.0
#include "fixed_keys.hpp"

#include "chartlock/crypto/keys.hpp"

namespace chartlock::fuzz {

crypto::KeySet fixed_keys(Party party) {
  const auto tag = static_cast<unsigned char>(party);
  crypto::KeySet keys;
  crypto::SecretArray<32> box_secret;
  for (std::size_t i = 0; i < box_secret.size(); ++i) box_secret.data()[i] = tag;
  keys.x25519 = crypto::box_keypair_from_secret(box_secret);
  crypto::SecretArray<32> sign_seed;
  for (std::size_t i = 0; i < sign_seed.size(); ++i) sign_seed.data()[i] = static_cast<std::uint8_t>(tag + 0x80);
  keys.ed25519 = crypto::sign_keypair_from_seed(sign_seed);
  return keys;
}

}  // namespace chartlock::fuzz
