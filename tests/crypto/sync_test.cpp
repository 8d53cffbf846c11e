// SPDX-License-Identifier: Apache-2.0
// Vault sync (docs/vault-format.md §11): the identity derived from a
// recovery key, and the sync copy — round trip, every byte tampered with,
// truncation, wrong key, wrong version.
#include <sodium.h>

#include "chartlock/crypto/signature.hpp"
#include "chartlock/crypto/sync.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

RecoveryKey fixed_recovery(std::uint8_t fill) {
  RecoveryKey k;
  std::fill(k.data(), k.data() + k.size(), fill);
  return k;
}

Bytes text_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::string open_outcome(const SyncKey& key, ByteView copy) {
  return outcome([&] { sync_copy_open(key, copy); });
}

}  // namespace

TEST_CASE("sync identity: deterministic, distinct per purpose and per recovery key", "[sync]") {
  const SyncIdentity a = sync_identity(fixed_recovery(1));
  const SyncIdentity a2 = sync_identity(fixed_recovery(1));
  const SyncIdentity b = sync_identity(fixed_recovery(2));
  CHECK(a.id == a2.id);
  CHECK(equal(a.key.view(), a2.key.view()));
  CHECK(a.signing.public_key == a2.signing.public_key);
  CHECK(a.id != b.id);
  CHECK_FALSE(equal(a.key.view(), b.key.view()));
  CHECK(a.signing.public_key != b.signing.public_key);
  // No part equals the recovery key or another part.
  const RecoveryKey r = fixed_recovery(1);
  CHECK_FALSE(equal(ByteView(a.id.data(), 32), r.view()));
  CHECK_FALSE(equal(a.key.view(), r.view()));
  CHECK_FALSE(equal(a.key.view(), ByteView(a.id.data(), 32)));
  CHECK_FALSE(equal(a.signing.seed().view(), a.key.view()));
  CHECK(sign_keypair_check(a.signing));
}

TEST_CASE("sync identity: rebuilt from its stored parts", "[sync]") {
  const SyncIdentity a = sync_identity(recovery_key_generate());
  const SyncIdentity back = sync_identity_from(a.id, a.signing.seed(), a.key);
  CHECK(back.id == a.id);
  CHECK(back.signing.public_key == a.signing.public_key);
  CHECK(equal(back.key.view(), a.key.view()));
  const Bytes msg = text_bytes("PUT /v1/sync/x");
  CHECK(verify_detached(sign_detached(msg, back.signing), msg, a.signing.public_key));
}

TEST_CASE("sync identity as text: round trip, strictly read", "[sync]") {
  const SyncIdentity a = sync_identity(recovery_key_generate());
  const SecretString text = sync_identity_encode(a);
  REQUIRE(text.size() == kSyncIdentityTextSize);
  const SyncIdentity back = sync_identity_decode(std::string_view(text.data(), text.size()));
  CHECK(back.id == a.id);
  CHECK(back.signing.public_key == a.signing.public_key);
  CHECK(equal(back.key.view(), a.key.view()));
  const std::string s(text.data(), text.size());
  CHECK(outcome([&] { sync_identity_decode(s.substr(1)); }) == "malformed");
  CHECK(outcome([&] { sync_identity_decode(s + "A"); }) == "malformed");
  CHECK(outcome([&] { sync_identity_decode("*" + s.substr(1)); }) == "malformed");
  CHECK(outcome([&] { sync_identity_decode(""); }) == "malformed");
}

TEST_CASE("sync id: base64url, 43 characters, strictly read", "[sync]") {
  const SyncIdentity a = sync_identity(recovery_key_generate());
  const std::string text = sync_id_encode(a.id);
  CHECK(text.size() == 43);
  CHECK(sync_id_decode(text) == a.id);
  CHECK(outcome([&] { sync_id_decode(text.substr(0, 42)); }) == "malformed");
  CHECK(outcome([&] { sync_id_decode(text + "A"); }) == "malformed");
  CHECK(outcome([&] { sync_id_decode(std::string(42, 'A') + "="); }) == "malformed");
  CHECK(outcome([&] { sync_id_decode(std::string(42, 'A') + "+"); }) == "malformed");
  CHECK(outcome([&] { sync_id_decode(""); }) == "malformed");
}

TEST_CASE("sync copy: round trip, empty, one chunk, several chunks", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1000}, kVaultChunkSize, kVaultChunkSize + 1,
                        3 * kVaultChunkSize + 17}) {
    INFO("plaintext of " << n << " bytes");
    Bytes plain(n);
    if (n > 0) randombytes_buf(plain.data(), plain.size());  // an empty vector's data() may be null
    const Bytes copy = sync_copy_seal(id.key, plain);
    CHECK(copy.size() > kSyncCopyHeaderSize);
    CHECK(sync_copy_version(copy) == kSyncCopyVersion);
    CHECK(sync_copy_open(id.key, copy) == plain);
  }
}

TEST_CASE("sync copy: a fresh header every seal, and no plaintext in the copy", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  const Bytes plain = text_bytes(R"({"providers":[{"id":"epic-sandbox","token":"secret-token-value"}]})");
  const Bytes a = sync_copy_seal(id.key, plain);
  const Bytes b = sync_copy_seal(id.key, plain);
  CHECK(a != b);
  const std::string as(a.begin(), a.end());
  CHECK(as.find("secret-token-value") == std::string::npos);
  CHECK(as.find("providers") == std::string::npos);
}

TEST_CASE("sync copy: another key is wrong-key, from another recovery key too", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  const SyncIdentity other = sync_identity(recovery_key_generate());
  const Bytes copy = sync_copy_seal(id.key, text_bytes("{}"));
  CHECK(open_outcome(other.key, copy) == "wrong-key");
  // The signing seed is not the sync key either.
  SyncKey seed_as_key;
  const auto seed = id.signing.seed();
  std::copy(seed.data(), seed.data() + 32, seed_as_key.data());
  CHECK(open_outcome(seed_as_key, copy) == "wrong-key");
}

TEST_CASE("sync copy: wrong version, wrong magic, a vault in its place", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  Bytes copy = sync_copy_seal(id.key, text_bytes("{}"));
  for (std::uint8_t v : {0, 2, 255}) {
    Bytes c = copy;
    c[8] = v;
    CHECK(open_outcome(id.key, c) == "unsupported-version");
  }
  Bytes c = copy;
  c[3] = 'V';  // a vault's magic
  CHECK(open_outcome(id.key, c) == "not-a-bundle");
  testing::allow_vault_params_below_floor(true);
  const Bytes vault = vault_seal("pass", text_bytes("{}"), VaultParams{1, 8192});
  CHECK(open_outcome(id.key, vault) == "not-a-bundle");
}

TEST_CASE("sync copy: every byte tampered with fails, with the error of its region", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  // Two chunks, so a frame boundary and the second chunk are covered too.
  Bytes plain(kVaultChunkSize + 50);
  randombytes_buf(plain.data(), plain.size());
  const Bytes copy = sync_copy_seal(id.key, plain);
  const std::size_t first_frame_end = kSyncCopyHeaderSize + 4 + kVaultChunkSize + 17;
  // Every header byte, every length byte, the end marker, and a stride through the ciphertext.
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < kSyncCopyHeaderSize + 8; ++i) positions.push_back(i);
  for (std::size_t i = kSyncCopyHeaderSize + 8; i < copy.size() - 4; i += 997) positions.push_back(i);
  for (std::size_t i = first_frame_end - 20; i < first_frame_end + 24; ++i) positions.push_back(i);
  for (std::size_t i = copy.size() - 80; i < copy.size(); ++i) positions.push_back(i);
  for (std::size_t at : positions) {
    INFO("byte " << at);
    Bytes c = copy;
    c[at] ^= 0x01;
    const std::string got = open_outcome(id.key, c);
    if (at < 8) {
      CHECK(got == "not-a-bundle");
    } else if (at == 8) {
      CHECK(got == "unsupported-version");
    } else if (at < 25) {
      CHECK(got == "wrong-key");
    } else if (at < kSyncCopyHeaderSize) {
      CHECK(got == "tampered");
    } else {
      // A length byte makes a frame too long or short (malformed, truncated)
      // or misaligns the stream (tampered); a ciphertext byte fails its tag.
      CHECK((got == "tampered" || got == "malformed" || got == "truncated"));
    }
  }
}

TEST_CASE("sync copy: every truncation fails, and nothing may follow the end marker", "[sync]") {
  const SyncIdentity id = sync_identity(recovery_key_generate());
  const Bytes copy = sync_copy_seal(id.key, text_bytes(R"({"grants":[]})"));
  for (std::size_t n = 0; n < copy.size(); ++n) {
    INFO("first " << n << " bytes");
    const std::string got = open_outcome(id.key, ByteView(copy).sub(0, n));
    CHECK((got == "truncated" || (n < 8 && got == "not-a-bundle")));
  }
  Bytes longer = copy;
  longer.push_back(0);
  CHECK(open_outcome(id.key, longer) == "tampered");
  // Two copies end to end: the second is data after the first's end marker.
  const Bytes twice = concat({copy, copy});
  CHECK(open_outcome(id.key, twice) == "tampered");
}

TEST_CASE("a new device's vault under the same recovery key: same sync identity, both vaults open with it", "[sync][vault]") {
  testing::allow_vault_params_below_floor(true);
  const VaultParams fast{1, 8192};
  const VaultCreated first = vault_create("laptop passphrase", text_bytes(R"({"a":1})"), fast);
  const VaultCreated second =
      vault_create_with_recovery_key("phone passphrase", first.recovery_key, text_bytes(R"({"b":2})"), fast);
  CHECK(equal(second.recovery_key.view(), first.recovery_key.view()));
  CHECK(vault_open_with_recovery_key(first.recovery_key, second.vault) == text_bytes(R"({"b":2})"));
  CHECK(vault_open("phone passphrase", second.vault) == text_bytes(R"({"b":2})"));
  CHECK(outcome([&] { vault_open("laptop passphrase", second.vault); }) == "wrong-passphrase");
  // Fresh content key, salt and nonces: nothing of the first vault's slots is reused.
  CHECK_FALSE(equal(second.keys.content_key.view(), first.keys.content_key.view()));
  CHECK_FALSE(equal(ByteView(second.keys.slots.data() + 22, 16), ByteView(first.keys.slots.data() + 22, 16)));
  CHECK_FALSE(equal(ByteView(second.keys.slots.data() + 143, 24), ByteView(first.keys.slots.data() + 143, 24)));
  // The recovery check is the same (it depends on the key alone); the wrap is not.
  CHECK(equal(ByteView(second.keys.slots.data() + 127, 16), ByteView(first.keys.slots.data() + 127, 16)));
  CHECK(sync_identity(second.recovery_key).id == sync_identity(first.recovery_key).id);
  CHECK(outcome([&] { vault_create_with_recovery_key("", first.recovery_key, text_bytes("{}"), fast); }) ==
        "invalid-argument");
}

