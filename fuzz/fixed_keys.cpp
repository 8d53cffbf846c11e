#include "fixed_keys.hpp"

#include <sodium.h>

#include <cstdlib>

namespace chartlock::fuzz {

crypto::KeySet fixed_keys(Party party) {
  if (sodium_init() < 0) std::abort();
  const auto tag = static_cast<unsigned char>(party);
  crypto::KeySet keys;
  unsigned char box_seed[crypto_kx_SEEDBYTES];
  for (auto& b : box_seed) b = tag;
  crypto_kx_seed_keypair(keys.x25519.public_key.data(), keys.x25519.secret_key.data(), box_seed);
  crypto::SecretArray<32> sign_seed;
  for (std::size_t i = 0; i < sign_seed.size(); ++i) sign_seed.data()[i] = static_cast<std::uint8_t>(tag + 0x80);
  keys.ed25519 = crypto::sign_keypair_from_seed(sign_seed);
  return keys;
}

}  // namespace chartlock::fuzz
