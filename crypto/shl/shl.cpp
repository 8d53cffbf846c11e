// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/shl.hpp"

#include <sodium.h>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {

namespace {
constexpr char kManageContext[] = "chartlock-shl-manage-v1";
}  // namespace

ShlId shl_id() {
  detail::ensure_sodium();
  ShlId id{};
  randombytes_buf(id.data(), id.size());
  return id;
}

SignKeyPair shl_management_key(const SignKeyPair& patient, const ShlId& id) {
  detail::ensure_sodium();
  const SecretArray<32> patient_seed = patient.seed();
  SecretArray<32> seed;
  crypto_generichash_state state;
  crypto_generichash_init(&state, patient_seed.data(), patient_seed.size(), seed.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kManageContext), sizeof kManageContext - 1);
  crypto_generichash_update(&state, id.data(), id.size());
  crypto_generichash_final(&state, seed.data(), seed.size());
  sodium_memzero(&state, sizeof state);
  return sign_keypair_from_seed(seed);
}

std::string shl_passcode_hash(std::string_view passcode) {
  if (passcode.empty()) throw Error(ErrorCode::invalid_argument, "a passcode is not empty");
  detail::ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, passcode.data(), passcode.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::bad_alloc();  // libsodium's only failure here: the memory
  }
  return std::string(out);
}

bool shl_passcode_verify(const std::string& hash, std::string_view passcode) {
  detail::ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), passcode.data(), passcode.size()) == 0;
}

}  // namespace chartlock::crypto
