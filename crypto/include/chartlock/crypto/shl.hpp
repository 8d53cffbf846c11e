// SPDX-License-Identifier: Apache-2.0
// The keys and secrets of a SMART Health Link besides its JWE (docs/shl.md):
// the link's id at the relay, the per-link management key that signs the
// patient's requests for it, and the relay's hash of its passcode.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/keys.hpp"

namespace chartlock::crypto {

// 32 random bytes: the manifest URL's only secret, so 256 bits of entropy.
inline constexpr std::size_t kShlIdSize = 32;
using ShlId = std::array<std::uint8_t, kShlIdSize>;

ShlId shl_id();

// The Ed25519 pair that manages link `id`, derived from the patient's
// Ed25519 seed: seed' = BLAKE2b-256 keyed with the patient's seed over
// "chartlock-shl-manage-v1" || id. The patient needs no file per link, and the
// relay cannot tell that two links have the same patient.
SignKeyPair shl_management_key(const SignKeyPair& patient, const ShlId& id);

// crypto_pwhash_str (Argon2id, libsodium's "interactive" cost): the only form
// of a passcode the relay keeps. Error(invalid_argument) for an empty passcode.
std::string shl_passcode_hash(std::string_view passcode);
// True when `passcode` is the one hashed in `hash`; false for a wrong one or
// a string that is not such a hash.
bool shl_passcode_verify(const std::string& hash, std::string_view passcode);

}  // namespace chartlock::crypto
