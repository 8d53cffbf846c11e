// SPDX-License-Identifier: Apache-2.0
// Vault format 2: the content key wrapped by the passphrase and by the
// recovery key; opening either way, changing the passphrase, resealing, the
// upgrade from version 1; the recovery key as text; every header byte of a
// version 2 vault tampered with, opened both ways.
#include <sodium.h>

#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

const std::string kPass = "correct horse battery staple";
const std::string kNewPass = "a new passphrase, long enough";

// Offsets of the version 2 header (docs/vault-format.md §1).
constexpr std::size_t kOffMem = 14;
constexpr std::size_t kOffPassNonce = 54;
constexpr std::size_t kOffRecovery = 126;
constexpr std::size_t kOffRecoveryCheck = 127;
constexpr std::size_t kOffRecoveryNonce = 143;
constexpr std::size_t kOffStream = 215;

// The crypto test binary seals below the floor (vault_test.cpp turns it on).
const bool kFast = [] {
  testing::allow_vault_params_below_floor(true);
  return true;
}();

std::string by_passphrase(ByteView vault, std::string_view pass = kPass) {
  return outcome([&] { vault_open(pass, vault); });
}

std::string by_recovery(ByteView vault, const RecoveryKey& key) {
  return outcome([&] { vault_open_with_recovery_key(key, vault); });
}

std::string streamed(ByteView vault, const RecoveryKey* key, std::size_t piece) {
  return outcome([&] {
    auto opener = key ? std::make_unique<VaultOpener>(*key) : std::make_unique<VaultOpener>(kPass);
    for (std::size_t at = 0; at < vault.size(); at += piece) {
      opener->write(vault.sub(at, piece));
      opener->take();
    }
    opener->finish();
  });
}

RecoveryKey other_key() {
  RecoveryKey k = recovery_key_generate();
  return k;
}

// The error a text gives, and the group it names.
std::pair<std::string, std::size_t> text_outcome(std::string_view text) {
  try {
    recovery_key_decode(text);
  } catch (const RecoveryKeyTextError& e) {
    return {to_string(e.code()), e.group()};
  }
  return {"ok", 0};
}

}  // namespace

TEST_CASE("a new vault opens with its passphrase and with its recovery key", "[vault][v2]") {
  REQUIRE(kFast);
  const Bytes plain = bytes_of(R"({"records":["a","b"]})");
  const VaultCreated made = vault_create(kPass, plain, kFastVault);
  CHECK(made.vault[8] == 2);
  CHECK(made.vault.size() == kVaultHeaderSize + 4 + 17 + plain.size() + 4);
  const VaultInfo info = vault_info(made.vault);
  CHECK(info.version == 2);
  CHECK(info.has_recovery_key);
  CHECK(info.params.opslimit == kFastVault.opslimit);
  CHECK(vault_open(kPass, made.vault) == plain);
  CHECK(vault_open_with_recovery_key(made.recovery_key, made.vault) == plain);
  // Both ways give the same keys: the file's own.
  const VaultUnlocked a = vault_unlock(kPass, made.vault);
  const VaultUnlocked b = vault_unlock_with_recovery_key(made.recovery_key, made.vault);
  CHECK(equal(a.keys.content_key.view(), b.keys.content_key.view()));
  CHECK(a.keys.slots == b.keys.slots);
  CHECK(std::equal(a.keys.slots.begin(), a.keys.slots.end(), made.vault.begin()));
  // Fresh keys every time.
  const VaultCreated again = vault_create(kPass, plain, kFastVault);
  CHECK(!equal(again.recovery_key.view(), made.recovery_key.view()));
  CHECK(!equal(again.keys.content_key.view(), made.keys.content_key.view()));
}

TEST_CASE("wrong passphrase, wrong recovery key, no recovery key: each says so", "[vault][v2]") {
  const VaultCreated made = vault_create(kPass, bytes_of("x"), kFastVault);
  CHECK(by_passphrase(made.vault, "correct horse battery stapler") == "wrong-passphrase");
  CHECK(by_recovery(made.vault, other_key()) == "wrong-recovery-key");
  try {
    vault_open("not it", made.vault);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("recovery key can") != std::string::npos);
  }
  const Bytes without = vault_seal(kPass, bytes_of("x"), kFastVault);
  CHECK(!vault_info(without).has_recovery_key);
  CHECK(by_recovery(without, made.recovery_key) == "no-recovery-key");
  try {
    vault_open("not it", without);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("cannot be opened") != std::string::npos);
  }
  const Bytes v1 = testing::vault_seal_v1(kPass, bytes_of("x"), kFastVault);
  CHECK(by_recovery(v1, made.recovery_key) == "no-recovery-key");
}

TEST_CASE("reseal: same keys, fresh stream header, the recovery key still opens", "[vault][v2]") {
  const VaultCreated made = vault_create(kPass, bytes_of("first"), kFastVault);
  const VaultUnlocked opened = vault_unlock(kPass, made.vault);
  const Bytes next = vault_reseal(opened.keys, bytes_of("second, longer"));
  CHECK(std::equal(next.begin(), next.begin() + kOffStream, made.vault.begin()));  // the slots as they were
  CHECK(!std::equal(next.begin() + kOffStream, next.begin() + kVaultHeaderSize, made.vault.begin() + kOffStream));
  CHECK(vault_open(kPass, next) == bytes_of("second, longer"));
  CHECK(vault_open_with_recovery_key(made.recovery_key, next) == bytes_of("second, longer"));
  // Streaming under the same keys.
  VaultSealer sealer(opened.keys);
  sealer.write(bytes_of("third"));
  Bytes third = sealer.take();
  const Bytes rest = sealer.finish();
  third.insert(third.end(), rest.begin(), rest.end());
  CHECK(vault_open_with_recovery_key(made.recovery_key, third) == bytes_of("third"));
}

TEST_CASE("changing the passphrase: old fails, new works, the recovery key still works", "[vault][v2]") {
  const Bytes plain = bytes_of("records and grant keys");
  const VaultCreated made = vault_create(kPass, plain, kFastVault);
  const VaultUnlocked opened = vault_unlock(kPass, made.vault);
  const VaultKeys changed = vault_change_passphrase(opened.keys, kNewPass, VaultParams{2, 16384});
  CHECK(equal(changed.content_key.view(), opened.keys.content_key.view()));  // re-wrapped, not re-keyed
  CHECK(std::equal(changed.slots.begin() + kOffRecovery, changed.slots.end(), opened.keys.slots.begin() + kOffRecovery));
  const Bytes next = vault_reseal(changed, plain);
  CHECK(vault_params(next).opslimit == 2);
  CHECK(vault_params(next).memlimit == 16384);
  CHECK(by_passphrase(next, kPass) == "wrong-passphrase");
  CHECK(vault_open(kNewPass, next) == plain);
  CHECK(vault_open_with_recovery_key(made.recovery_key, next) == plain);
  CHECK(outcome([&] { vault_change_passphrase(opened.keys, "", kFastVault); }) == "invalid-argument");
  CHECK(outcome([&] { vault_change_passphrase(opened.keys, kNewPass, VaultParams{0, 8192}); }) == "invalid-argument");
}

TEST_CASE("the passphrase forgotten: open with the recovery key, set a new passphrase", "[vault][v2]") {
  const Bytes plain = bytes_of("everything");
  const VaultCreated made = vault_create(kPass, plain, kFastVault);
  const VaultUnlocked recovered = vault_unlock_with_recovery_key(made.recovery_key, made.vault);
  CHECK(recovered.plaintext == plain);
  const Bytes next = vault_reseal(vault_change_passphrase(recovered.keys, kNewPass, kFastVault), plain);
  CHECK(vault_open(kNewPass, next) == plain);
  CHECK(by_passphrase(next, kPass) == "wrong-passphrase");
  CHECK(vault_open_with_recovery_key(made.recovery_key, next) == plain);
}

TEST_CASE("version 1: still opens; resealed as version 2 without a recovery key", "[vault][v1]") {
  const Bytes plain = bytes_of("from before version 2");
  const Bytes v1 = testing::vault_seal_v1(kPass, plain, kFastVault);
  REQUIRE(v1[8] == 1);
  CHECK(vault_info(v1).version == 1);
  CHECK(!vault_info(v1).has_recovery_key);
  const VaultUnlocked opened = vault_unlock(kPass, v1);
  CHECK(opened.plaintext == plain);
  CHECK(by_passphrase(v1, "wrong passphrase") == "wrong-passphrase");
  const Bytes upgraded = vault_reseal(opened.keys, plain);
  CHECK(upgraded[8] == 2);
  CHECK(std::equal(upgraded.begin() + 22, upgraded.begin() + 38, v1.begin() + 22));  // same salt: same Argon2id output
  CHECK(!vault_info(upgraded).has_recovery_key);
  CHECK(vault_open(kPass, upgraded) == plain);
  // A recovery key is made explicitly: a new vault, new content key.
  const VaultCreated with_key = vault_make_recovery_key(kPass, v1, kFastVault);
  CHECK(vault_info(with_key.vault).version == 2);
  CHECK(vault_info(with_key.vault).has_recovery_key);
  CHECK(vault_open_with_recovery_key(with_key.recovery_key, with_key.vault) == plain);
  CHECK(vault_open(kPass, with_key.vault) == plain);
  CHECK(outcome([&] { vault_make_recovery_key("wrong passphrase", v1, kFastVault); }) == "wrong-passphrase");
}

TEST_CASE("a new recovery key retires the old one for every later version", "[vault][v2]") {
  const Bytes plain = bytes_of("records");
  const VaultCreated first = vault_create(kPass, plain, kFastVault);
  const VaultCreated second = vault_make_recovery_key(kPass, first.vault, VaultParams{2, 16384});
  CHECK(!equal(second.recovery_key.view(), first.recovery_key.view()));
  CHECK(!equal(second.keys.content_key.view(), first.keys.content_key.view()));
  CHECK(vault_params(second.vault).opslimit == 2);
  CHECK(vault_open_with_recovery_key(second.recovery_key, second.vault) == plain);
  CHECK(by_recovery(second.vault, first.recovery_key) == "wrong-recovery-key");
  CHECK(vault_open(kPass, second.vault) == plain);
  // Its later saves too.
  const Bytes later = vault_reseal(vault_unlock(kPass, second.vault).keys, bytes_of("later"));
  CHECK(by_recovery(later, first.recovery_key) == "wrong-recovery-key");
}

TEST_CASE("resealing below the floor is refused: the passphrase is changed instead", "[vault][floor]") {
  const VaultUnlocked opened = vault_unlock(kPass, vault_seal(kPass, bytes_of("x"), kFastVault));
  testing::allow_vault_params_below_floor(false);
  const std::string resealed = outcome([&] { vault_reseal(opened.keys, bytes_of("x")); });
  const std::string created = outcome([&] { vault_create(kPass, bytes_of("x"), kFastVault); });
  testing::allow_vault_params_below_floor(true);
  CHECK(resealed == "invalid-argument");
  CHECK(created == "invalid-argument");
}

TEST_CASE("vault keys that are not a version 2 header are refused", "[vault][v2]") {
  VaultKeys keys = vault_unlock(kPass, vault_seal(kPass, bytes_of("x"), kFastVault)).keys;
  VaultKeys bad = keys;
  bad.slots[8] = 1;
  CHECK(outcome([&] { vault_reseal(bad, bytes_of("x")); }) == "invalid-argument");
  bad = keys;
  bad.slots[0] ^= 1;
  CHECK(outcome([&] { vault_reseal(bad, bytes_of("x")); }) == "not-a-bundle");
  bad = keys;
  bad.slots[kOffRecovery] = 2;
  CHECK(outcome([&] { vault_change_passphrase(bad, kNewPass, kFastVault); }) == "malformed");
}

TEST_CASE("every single-bit flip of a version 2 header and its wraps, opened both ways", "[vault][v2][tamper]") {
  const VaultCreated made = vault_create(kPass, bytes_of("a small vault"), kFastVault);
  const Bytes& vault = made.vault;
  const Layout l = layout_of(vault, kVaultHeaderSize);
  REQUIRE(l.frames.size() == 1);
  std::size_t cases = 0;
  for (std::size_t byte = 0; byte < l.frames[0].offset; ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = vault;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      const auto ops = detail::load_le<std::uint32_t>(&flipped[10]);
      const auto mem = detail::load_le<std::uint64_t>(&flipped[kOffMem]);
      const bool in_bounds = ops >= kVaultOpsLimitMin && ops <= kVaultOpsLimitMax && mem >= kVaultMemLimitMin &&
                             mem <= kVaultMemLimitMax;
      std::string pass, rec;
      if (byte < 8) {
        pass = rec = "not-a-bundle";
      } else if (byte < 10) {
        pass = rec = "unsupported-version";
      } else if (byte < 22) {
        rec = in_bounds ? "tampered" : "malformed";  // the recovery key needs no Argon2id: chunk 0's AD
        if (!in_bounds) {
          pass = "malformed";
        } else if (mem > (std::uint64_t{2} << 20)) {
          pass = "";  // valid but slow to derive
        } else if (mem / 1024 == kFastVault.memlimit / 1024 && ops == kFastVault.opslimit) {
          pass = "tampered";
        } else {
          pass = "wrong-passphrase";
        }
      } else if (byte < kOffPassNonce) {
        pass = "wrong-passphrase";  // salt, passphrase check
        rec = "tampered";
      } else if (byte < kOffRecovery) {
        pass = rec = "tampered";  // the passphrase wrap (its own tag; chunk 0's AD)
      } else if (byte == kOffRecovery) {
        pass = rec = "malformed";  // 0 with a slot that is not empty, or not 0/1
      } else if (byte < kOffRecoveryNonce) {
        pass = "tampered";
        rec = "wrong-recovery-key";  // the recovery check
      } else {
        pass = rec = "tampered";  // recovery nonce and wrap, stream header
      }
      CAPTURE(byte, bit);
      if (!pass.empty()) {
        CHECK(by_passphrase(flipped) == pass);
        CHECK(streamed(flipped, nullptr, 7) == pass);
      }
      CHECK(by_recovery(flipped, made.recovery_key) == rec);
      CHECK(streamed(flipped, &made.recovery_key, 5) == rec);
      ++cases;
    }
  }
  CHECK(cases == 8 * kVaultHeaderSize);
}

TEST_CASE("a version 2 vault truncated anywhere is truncated, both ways", "[vault][v2][tamper]") {
  const VaultCreated made = vault_create(kPass, bytes_of("a small vault"), kFastVault);
  for (std::size_t n = 0; n < made.vault.size(); ++n) {
    const ByteView cut = ByteView(made.vault).sub(0, n);
    CAPTURE(n);
    CHECK(by_passphrase(cut) == "truncated");
    CHECK(by_recovery(cut, made.recovery_key) == "truncated");
  }
  CHECK(outcome([&] { vault_info(ByteView(made.vault).sub(0, kVaultHeaderSize - 1)); }) == "truncated");
  CHECK(by_passphrase(concat({made.vault, Bytes{0}})) == "tampered");
  CHECK(by_recovery(bytes_of("not a vault"), made.recovery_key) == "not-a-bundle");
}

TEST_CASE("a recovery slot moved into the passphrase slot does not unwrap", "[vault][v2][tamper]") {
  // Same content key under both wraps; the additional data names the slot.
  const VaultCreated made = vault_create(kPass, bytes_of("x"), kFastVault);
  Bytes swapped = made.vault;
  std::copy(made.vault.begin() + kOffRecoveryNonce, made.vault.begin() + kOffStream, swapped.begin() + kOffPassNonce);
  CHECK(by_passphrase(swapped) == "tampered");
}

// ---- the recovery key as text ----

TEST_CASE("recovery key text: 13 groups of 5, round trip, forgiving", "[vault][recovery-text]") {
  for (int i = 0; i < 200; ++i) {
    const RecoveryKey key = recovery_key_generate();
    const SecretString text = recovery_key_encode(key);
    REQUIRE(text.size() == 13 * 5 + 12);
    for (std::size_t g = 0; g < 13; ++g) {
      if (g > 0) CHECK(text[g * 6 - 1] == '-');
    }
    CHECK(text.find_first_of("ILOU") == SecretString::npos);
    CHECK(equal(recovery_key_decode(std::string_view(text.data(), text.size())).view(), key.view()));
    // Lower case, spaces for dashes, no separators at all, O for 0 and l for 1.
    std::string loose(text.begin(), text.end());
    for (char& c : loose) {
      if (c == '-') c = ' ';
      else if (c == '0') c = 'o';
      else if (c == '1') c = 'l';
      else c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    CHECK(equal(recovery_key_decode("  " + loose + "\n").view(), key.view()));
    std::string packed;
    for (char c : text) {
      if (c != '-') packed.push_back(c);
    }
    CHECK(equal(recovery_key_decode(packed).view(), key.view()));
  }
  // A known key and its text (docs/vault-format.md §7).
  RecoveryKey zero;
  CHECK(std::string(recovery_key_encode(zero).c_str()) == "00001-00002-00003-00004-00005-00006-00007-00008-00009-0000A-0000B-0000C-0000D");
}

TEST_CASE("recovery key text: every single typo names its group", "[vault][recovery-text]") {
  const RecoveryKey key = recovery_key_generate();
  const SecretString good = recovery_key_encode(key);
  const std::string text(good.begin(), good.end());
  const std::string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::size_t cases = 0;
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '-') continue;
    const std::size_t group = at / 6 + 1;
    for (char c : alphabet) {
      if (c == text[at]) continue;
      std::string typo = text;
      typo[at] = c;
      CAPTURE(at, c);
      CHECK(text_outcome(typo) == std::make_pair(std::string("malformed"), group));
      ++cases;
    }
    // Two neighbours swapped within a group.
    if (at + 1 < text.size() && text[at + 1] != '-' && text[at] != text[at + 1]) {
      std::string swapped = text;
      std::swap(swapped[at], swapped[at + 1]);
      CHECK(text_outcome(swapped) == std::make_pair(std::string("malformed"), group));
    }
  }
  CHECK(cases == 65 * 31);
  // A character outside the alphabet; a group too short; too few characters; two groups swapped.
  std::string u = text;
  u[6 * 4 + 2] = 'U';
  CHECK(text_outcome(u) == std::make_pair(std::string("malformed"), std::size_t{5}));
  std::string shorter = text;
  shorter.erase(6 * 7 + 1, 1);
  CHECK(text_outcome(shorter) == std::make_pair(std::string("malformed"), std::size_t{8}));
  std::string packed;
  for (char c : text) {
    if (c != '-') packed.push_back(c);
  }
  CHECK(text_outcome(packed.substr(1)) == std::make_pair(std::string("malformed"), std::size_t{0}));
  std::string groups_swapped = text.substr(6, 5) + "-" + text.substr(0, 5) + text.substr(11);
  CHECK(text_outcome(groups_swapped).first == "malformed");
  CHECK(text_outcome("").first == "malformed");
  // The error never repeats what was typed.
  try {
    recovery_key_decode(u);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(text.substr(24, 5)) == std::string::npos);
  }
}

TEST_CASE("a recovery key that checks but is not this vault's: wrong-recovery-key", "[vault][recovery-text]") {
  const VaultCreated made = vault_create(kPass, bytes_of("x"), kFastVault);
  const SecretString text = recovery_key_encode(made.recovery_key);
  CHECK(vault_open_with_recovery_key(recovery_key_decode(std::string_view(text.data(), text.size())), made.vault) ==
        bytes_of("x"));
  CHECK(by_recovery(made.vault, recovery_key_decode(std::string(recovery_key_encode(other_key()).c_str()))) ==
        "wrong-recovery-key");
}
