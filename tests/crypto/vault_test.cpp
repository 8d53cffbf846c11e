// SPDX-License-Identifier: Apache-2.0
// Vaults: round trips, wrong passphrases, truncation, bit flips, hostile headers,
// the sealing floor for Argon2id; version 2's recovery key and passphrase
// changes; version 1 vaults still opening.
#include <sodium.h>

#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

constexpr std::size_t kOffOps = 10;
constexpr std::size_t kOffMem = 14;
const std::string kPass = "correct horse battery staple";
// The floor: what a real vault may use at the least.
constexpr VaultParams kFloor{kVaultSealOpsLimitFloor, kVaultSealMemLimitFloor};

// TEST ONLY: the crypto test binary (native and wasm) may seal below the
// floor, with kFastVault (support.hpp), so that suites which open a vault
// thousands of times (bit flips, bundle_tamper_exhaustive_test.cpp) stay fast.
// The floor itself is tested below with the switch off (FloorEnforced).
const bool kBelowFloorForTests = [] {
  testing::allow_vault_params_below_floor(true);
  return true;
}();

// Turns the test-only switch off for one scope: sealing as the product does.
struct FloorEnforced {
  FloorEnforced() { testing::allow_vault_params_below_floor(false); }
  ~FloorEnforced() { testing::allow_vault_params_below_floor(kBelowFloorForTests); }
  FloorEnforced(const FloorEnforced&) = delete;
  FloorEnforced& operator=(const FloorEnforced&) = delete;
};

std::string open_outcome(ByteView vault, std::string_view pass = kPass) {
  return outcome([&] { vault_open(pass, vault); });
}

}  // namespace

TEST_CASE("vaults round-trip", "[vault]") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, kVaultChunkSize - 1, kVaultChunkSize,
                        kVaultChunkSize + 1, 3 * kVaultChunkSize + 5}) {
    CAPTURE(n);
    Bytes plain(n, 0x5a);
    if (n > 0) randombytes_buf(plain.data(), plain.size());
    const Bytes vault = vault_seal(kPass, plain, kFloor);
    const std::size_t chunks = n == 0 ? 1 : (n + kVaultChunkSize - 1) / kVaultChunkSize;
    CHECK(layout_of(vault, kVaultHeaderSize).frames.size() == chunks);
    CHECK(vault.size() == kVaultHeaderSize + chunks * (4 + 17) + n + 4);
    CHECK(vault_open(kPass, vault) == plain);
  }
}

TEST_CASE("vault header: magic, parameters, fresh salt", "[vault]") {
  const Bytes a = vault_seal(kPass, bytes_of("x"), kFastVault);
  const Bytes b = vault_seal(kPass, bytes_of("x"), VaultParams{2, 16384});
  CHECK(std::equal(a.begin(), a.begin() + 8, bytes_of("\x89" "CLV\r\n\x1a\n").begin()));
  CHECK(a[8] == 2);
  CHECK(a[9] == 1);
  CHECK(vault_info(a).version == 2);
  CHECK(!vault_info(a).has_recovery_key);
  CHECK(vault_params(a).opslimit == 1);
  CHECK(vault_params(a).memlimit == 8192);
  CHECK(vault_params(b).opslimit == 2);
  CHECK(vault_params(b).memlimit == 16384);
  const Bytes c = vault_seal(kPass, bytes_of("x"), kFastVault);
  CHECK(!std::equal(a.begin() + 22, a.begin() + 38, c.begin() + 22));  // salt
  CHECK(a != c);
}

TEST_CASE("vault with the default Argon2id parameters", "[vault][slow]") {
  const Bytes vault = vault_seal(kPass, bytes_of("records"));
  CHECK(vault_params(vault).opslimit == 3);
  CHECK(vault_params(vault).memlimit == 64u << 20);
  CHECK(vault_open(kPass, vault) == bytes_of("records"));
}

TEST_CASE("sealing below the Argon2id floor is refused", "[vault][floor]") {
  FloorEnforced enforced;
  REQUIRE(kFloor.opslimit == 2);
  REQUIRE(kFloor.memlimit == 19456u * 1024u);  // OWASP: m = 19 MiB, t = 2, p = 1
  const auto sealed_with = [](VaultParams p) { return outcome([&] { vault_seal(kPass, bytes_of("x"), p); }); };
  CHECK(sealed_with(VaultParams{1, 8192}) == "invalid-argument");  // libsodium's minimum, once accepted
  CHECK(sealed_with(VaultParams{1, kFloor.memlimit}) == "invalid-argument");
  CHECK(sealed_with(VaultParams{2, kFloor.memlimit - 1}) == "invalid-argument");
  CHECK(sealed_with(VaultParams{10, kFloor.memlimit - 1024}) == "invalid-argument");
  CHECK(sealed_with(VaultParams{2, 8192}) == "invalid-argument");
  CHECK_THROWS_AS(VaultSealer(kPass, VaultParams{1, 8192}), Error);
  try {
    vault_seal(kPass, bytes_of("x"), VaultParams{1, 8192});
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("below the floor") != std::string::npos);
  }
  // At the floor and above: sealed with exactly what was asked.
  const Bytes at = vault_seal(kPass, bytes_of("x"), kFloor);
  CHECK(vault_params(at).opslimit == kFloor.opslimit);
  CHECK(vault_params(at).memlimit == kFloor.memlimit);
  CHECK(!vault_below_floor(vault_params(at)));
  CHECK(vault_open(kPass, at) == bytes_of("x"));
  const Bytes above = vault_seal(kPass, bytes_of("x"), VaultParams{3, kFloor.memlimit + 1024});
  CHECK(vault_params(above).opslimit == 3);
  CHECK(vault_open(kPass, above) == bytes_of("x"));
  CHECK(vault_below_floor(VaultParams{1, std::uint64_t{64} << 20}));
  CHECK(vault_below_floor(VaultParams{3, kFloor.memlimit - 1}));
  CHECK(!vault_below_floor(VaultParams{}));  // the defaults are above it
}

TEST_CASE("a vault sealed below the floor still opens, and is sealed again at the floor", "[vault][floor]") {
  // An existing vault from before the floor: libsodium's minimum parameters.
  Bytes old;
  {
    REQUIRE(testing::vault_params_below_floor_allowed());
    old = vault_seal(kPass, bytes_of("records from before the floor"), kFastVault);
  }
  FloorEnforced enforced;
  REQUIRE(vault_below_floor(vault_params(old)));
  const Bytes plain = vault_open(kPass, old);  // the data is not lost
  CHECK(plain == bytes_of("records from before the floor"));
  CHECK(open_outcome(old, "not the passphrase") == "wrong-passphrase");
  // The next save: the caller's parameters, never the old file's, and the
  // core refuses to keep the old ones.
  CHECK(outcome([&] { vault_seal(kPass, plain, vault_params(old)); }) == "invalid-argument");
  const Bytes resealed = vault_seal(kPass, plain, kFloor);
  CHECK(!vault_below_floor(vault_params(resealed)));
  CHECK(vault_open(kPass, resealed) == plain);
}

TEST_CASE("a wrong passphrase is told apart from damage", "[vault]") {
  const Bytes vault = vault_seal(kPass, bytes_of("secret records"), kFloor);
  CHECK(open_outcome(vault, "correct horse battery stapl") == "wrong-passphrase");
  CHECK(open_outcome(vault, "") == "wrong-passphrase");
  CHECK(open_outcome(vault, kPass + " ") == "wrong-passphrase");
  CHECK(open_outcome(vault) == "ok");
}

TEST_CASE("vault seal rejects bad arguments", "[vault][args]") {
  CHECK(outcome([] { vault_seal("", bytes_of("x"), kFastVault); }) == "invalid-argument");
  CHECK(outcome([] { vault_seal(kPass, bytes_of("x"), VaultParams{0, 8192}); }) == "invalid-argument");
  CHECK(outcome([] { vault_seal(kPass, bytes_of("x"), VaultParams{11, 8192}); }) == "invalid-argument");
  CHECK(outcome([] { vault_seal(kPass, bytes_of("x"), VaultParams{1, 8191}); }) == "invalid-argument");
  CHECK(outcome([] { vault_seal(kPass, bytes_of("x"), VaultParams{1, (1u << 30) + 1}); }) == "invalid-argument");
}

TEST_CASE("every truncation of a vault fails", "[vault][tamper]") {
  const Bytes vault = vault_seal(kPass, bytes_of("a small vault"), kFastVault);
  for (std::size_t n = 0; n < vault.size(); ++n) {
    CAPTURE(n);
    CHECK(open_outcome(ByteView(vault).sub(0, n)) == "truncated");
  }
  CHECK(outcome([&] { vault_params(ByteView(vault).sub(0, kVaultHeaderSize - 1)); }) == "truncated");
}

TEST_CASE("every single-bit flip of a version 1 vault fails", "[vault][tamper][v1]") {
  const Bytes vault = testing::vault_seal_v1(kPass, bytes_of("a small vault"), kFastVault);
  REQUIRE(vault[8] == 1);
  const Layout l = layout_of(vault, kVaultHeaderSizeV1);
  REQUIRE(l.frames.size() == 1);
  for (std::size_t byte = 0; byte < vault.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = vault;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      if (byte >= kOffMem && byte < kOffMem + 8) {
        // Skip memlimits that are valid but slow to derive (1 MiB..1 GiB).
        const auto mem = detail::load_le<std::uint64_t>(&flipped[kOffMem]);
        if (mem > (1u << 20) && mem <= kVaultMemLimitMax) continue;
      }
      CAPTURE(byte, bit);
      const std::string got = open_outcome(flipped);
      if (byte < 8) {
        CHECK(got == "not-a-bundle");
      } else if (byte < 10) {
        CHECK(got == "unsupported-version");  // version, KDF
      } else if (byte < 22) {
        // Out of bounds, or another key; or (memlimit's low bits, which
        // Argon2 rounds away to whole KiB) the same key, caught by chunk 0's AD.
        CHECK((got == "malformed" || got == "wrong-passphrase" || got == "tampered"));
      } else if (byte < 54) {
        CHECK(got == "wrong-passphrase");  // salt, key check
      } else if (byte >= l.frames[0].offset && byte < l.frames[0].offset + 4) {
        CHECK((got == "tampered" || got == "truncated" || got == "malformed"));
      } else {
        CHECK(got == "tampered");  // stream header, ciphertext, end marker
      }
    }
  }
}

TEST_CASE("hostile vault parameters are refused before any allocation", "[vault][tamper]") {
  const Bytes vault = vault_seal(kPass, bytes_of("x"), kFastVault);
  auto with = [&](std::uint32_t ops, std::uint64_t mem) {
    Bytes v = vault;
    detail::store_le<std::uint32_t>(&v[kOffOps], ops);
    detail::store_le<std::uint64_t>(&v[kOffMem], mem);
    return v;
  };
  // 4 GiB would not even fit a 32-bit size_t; it must not reach Argon2.
  CHECK(open_outcome(with(1, std::uint64_t{4} << 30)) == "malformed");
  CHECK(open_outcome(with(1, UINT64_MAX)) == "malformed");
  CHECK(open_outcome(with(1, kVaultMemLimitMax + 1)) == "malformed");
  CHECK(open_outcome(with(1, 8191)) == "malformed");
  CHECK(open_outcome(with(0, 8192)) == "malformed");
  CHECK(open_outcome(with(11, 8192)) == "malformed");
  CHECK(open_outcome(with(UINT32_MAX, 8192)) == "malformed");
  CHECK(outcome([&] { vault_params(with(1, std::uint64_t{4} << 30)); }) == "malformed");
  CHECK(open_outcome(with(2, 8192)) == "wrong-passphrase");  // in bounds: another key
}

TEST_CASE("vault structure attacks", "[vault][tamper]") {
  Bytes plain(3 * kVaultChunkSize);
  randombytes_buf(plain.data(), plain.size());
  const Bytes vault = vault_seal(kPass, plain, kFastVault);
  const Layout l = layout_of(vault, kVaultHeaderSize);
  REQUIRE(l.frames.size() == 3);
  const Frame mid = l.frames[1];
  Bytes dropped(vault.begin(), vault.begin() + mid.offset);
  dropped.insert(dropped.end(), vault.begin() + mid.offset + mid.size, vault.end());
  CHECK(open_outcome(dropped) == "tampered");
  Bytes no_final(vault.begin(), vault.begin() + l.frames[2].offset);
  no_final.insert(no_final.end(), {0, 0, 0, 0});
  CHECK(open_outcome(no_final) == "truncated");
  CHECK(open_outcome(concat({vault, Bytes{0}})) == "tampered");
  CHECK(open_outcome(bytes_of("\x89" "CLB\r\n\x1a\n")) == "not-a-bundle");  // a bundle is not a vault
  Bytes v3 = vault;
  v3[8] = 3;
  CHECK(open_outcome(v3) == "unsupported-version");
  Bytes as_v1 = vault;
  as_v1[8] = 1;  // read as a version 1 header: another key check
  CHECK(open_outcome(as_v1) == "wrong-passphrase");
  Bytes kdf2 = vault;
  kdf2[9] = 2;
  CHECK(open_outcome(kdf2) == "unsupported-version");
}

TEST_CASE("streaming vault seal and open", "[vault][stream]") {
  Bytes plain(2 * kVaultChunkSize + 77);
  randombytes_buf(plain.data(), plain.size());
  VaultSealer sealer(kPass, kFastVault);
  Bytes vault = sealer.take();
  for (std::size_t at = 0; at < plain.size(); at += 1000) {
    sealer.write(ByteView(plain).sub(at, 1000));
    const Bytes piece = sealer.take();
    vault.insert(vault.end(), piece.begin(), piece.end());
  }
  const Bytes rest = sealer.finish();
  vault.insert(vault.end(), rest.begin(), rest.end());
  CHECK(vault_open(kPass, vault) == plain);

  VaultOpener opener(kPass);
  Bytes got;
  for (std::size_t at = 0; at < vault.size(); at += 4999) {
    opener.write(ByteView(vault).sub(at, 4999));
    const Bytes piece = opener.take();
    got.insert(got.end(), piece.begin(), piece.end());
  }
  opener.finish();
  CHECK(got == plain);
  CHECK_THROWS_AS(opener.finish(), std::logic_error);
  CHECK_THROWS_AS(sealer.finish(), std::logic_error);
}
