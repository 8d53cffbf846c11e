// SPDX-License-Identifier: Apache-2.0
// Exhaustive tampering with a small share bundle and a small vault: every
// single-bit flip, every truncation, every chunk dropped, every pair of chunks
// swapped, every chunk duplicated at every position. Each case must fail with
// the exact error docs/bundle-format.md §6 (docs/vault-format.md) gives for
// the region it hits — through the whole-buffer opener, the streaming opener
// fed in odd-sized pieces, and (bundles) the relay's keyless check.
//
// bundle_attack_test.cpp keeps the targeted attacks (forgeries, keys, expiry);
// this file is the brute-force sweep, with exact frame-length outcomes.
#include <sodium.h>

#include <map>

#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

constexpr std::size_t kChunk = 48;  // small chunks: a few hundred bytes make 6+ frames

struct NullSink : PartSink {
  void begin_part(const PartInfo&) override {}
  void part_data(ByteView) override {}
};

// A fixture whose bundle carries a few hundred bytes of plaintext.
struct Small {
  Fixture f;
  Bytes bundle;
  Layout layout;

  Small() {
    SealRequest r = f.request(kChunk);
    r.parts.push_back(Part{"notes.txt", "text/plain", Bytes(220, 'n')});
    bundle = bundle_seal(r, f.patient);
    layout = layout_of(bundle, kBundleHeaderSize);
  }
  std::string open(ByteView b) const { return outcome([&] { f.open(b); }); }
  // The streaming opener, fed `piece` bytes at a time.
  std::string stream(ByteView b, std::size_t piece = 13) const {
    return outcome([&] {
      NullSink sink;
      const OpenOptions options = open_at();
      BundleOpener opener(f.tool, options, sink);
      for (std::size_t at = 0; at < b.size(); at += piece) opener.write(b.sub(at, piece));
      opener.finish();
    });
  }
  std::string relay(ByteView b) const {
    return outcome([&] { bundle_verify_signature(b, f.patient.public_key); });
  }
};

// What opening gives when frame `at`'s length field reads `length` (§6 checks 10, 11, 9).
std::string frame_length_outcome(std::uint32_t length, std::size_t at, std::size_t total) {
  if (length == 0) return "truncated";  // an end marker before TAG_FINAL
  if (length < detail::kChunkOverhead || length > detail::kMaxFrameLength) return "malformed";
  if (at + 4 + length > total) return "truncated";  // the input ends inside the frame
  return "tampered";  // a frame of the wrong length does not authenticate
}

// The relay's check as docs/bundle-format.md describes it (bundle_verify_signature):
// walk the frames by their lengths, exactly 64 bytes of signature after the end
// marker; a bundle that passes the walk but was altered fails its signature.
std::string relay_model(ByteView b) {
  std::size_t at = kBundleHeaderSize;
  for (;;) {
    if (b.size() - at < 4) return "truncated";
    const auto length = detail::load_le<std::uint32_t>(b.data() + at);
    at += 4;
    if (length == 0) break;
    if (length < detail::kChunkOverhead || length > detail::kMaxFrameLength) return "malformed";
    if (b.size() - at < length) return "truncated";
    at += length;
  }
  if (b.size() - at < kBundleSignatureSize) return "truncated";
  if (b.size() - at > kBundleSignatureSize) return "tampered";
  return "bad-signature";
}

Bytes frames_reassembled(const Bytes& bundle, const Layout& l, const std::vector<std::size_t>& order) {
  Bytes out(bundle.begin(), bundle.begin() + kBundleHeaderSize);
  for (std::size_t i : order) {
    const Frame& fr = l.frames[i];
    out.insert(out.end(), bundle.begin() + fr.offset, bundle.begin() + fr.offset + fr.size);
  }
  out.insert(out.end(), bundle.begin() + l.end_marker, bundle.end());
  return out;
}

}  // namespace

TEST_CASE("exhaustive: every bit of a small bundle, flipped, fails with its region's error", "[bundle][tamper][exhaustive]") {
  const Small s;
  const Bytes& bundle = s.bundle;
  const Layout& l = s.layout;
  REQUIRE(l.frames.size() == 9);  // about 400 bytes of parts in 48-byte chunks
  REQUIRE(bundle.size() == 855);
  REQUIRE(s.open(bundle) == "ok");
  REQUIRE(s.stream(bundle) == "ok");
  REQUIRE(s.relay(bundle) == "ok");

  // The region of each byte, by the layout table of §1.
  std::vector<std::string> region(bundle.size(), "ciphertext");
  for (std::size_t i = 0; i < 8; ++i) region[i] = "magic";
  region[8] = "version";
  for (std::size_t i = 9; i < 41; ++i) region[i] = "recipient";
  for (std::size_t i = 41; i < 73; ++i) region[i] = "ephemeral";
  for (std::size_t i = 73; i < 105; ++i) region[i] = "signer";
  for (std::size_t i = 105; i < kBundleHeaderSize; ++i) region[i] = "header";
  for (const Frame& fr : l.frames) {
    for (std::size_t i = fr.offset; i < fr.offset + 4; ++i) region[i] = "frame-length";
  }
  for (std::size_t i = l.end_marker; i < l.trailer; ++i) region[i] = "end-marker";
  for (std::size_t i = l.trailer; i < bundle.size(); ++i) region[i] = "signature";

  std::map<std::string, int> seen;
  std::size_t cases = 0;
  for (std::size_t byte = 0; byte < bundle.size(); ++byte) {
    std::size_t frame_at = 0;
    for (const Frame& fr : l.frames) {
      if (byte >= fr.offset && byte < fr.offset + 4) frame_at = fr.offset;
    }
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = bundle;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      const std::string& where = region[byte];
      std::string open_expected, relay_expected;
      if (where == "magic") {
        open_expected = relay_expected = "not-a-bundle";
      } else if (where == "version") {
        open_expected = relay_expected = "unsupported-version";
      } else if (where == "recipient") {
        open_expected = "wrong-recipient";
        relay_expected = "bad-signature";
      } else if (where == "signer") {
        open_expected = "tampered";  // chunk 0 authenticates the header first
        relay_expected = "wrong-signer";
      } else if (where == "frame-length") {
        open_expected = frame_length_outcome(detail::load_le<std::uint32_t>(&flipped[frame_at]), frame_at,
                                             flipped.size());
        relay_expected = relay_model(flipped);
      } else if (where == "end-marker") {
        open_expected = "tampered";  // the 4 bytes after FINAL must be u32 0
        relay_expected = relay_model(flipped);
      } else if (where == "signature") {
        open_expected = relay_expected = "bad-signature";
      } else {  // ephemeral key, other header fields, ciphertext
        open_expected = "tampered";
        relay_expected = "bad-signature";
      }
      CAPTURE(byte, bit, where);
      const std::string got = s.open(flipped);
      CHECK(got == open_expected);
      CHECK(s.stream(flipped) == open_expected);
      CHECK(s.relay(flipped) == relay_expected);
      ++seen[got];
      ++cases;
    }
  }
  CHECK(cases == 8 * bundle.size());
  for (const char* code : {"not-a-bundle", "unsupported-version", "wrong-recipient", "tampered", "truncated",
                           "malformed", "bad-signature"}) {
    CAPTURE(code);
    CHECK(seen[code] > 0);
  }
}

TEST_CASE("exhaustive: every truncation of a small bundle is truncated, however it is fed", "[bundle][tamper][exhaustive]") {
  const Small s;
  for (std::size_t n = 0; n < s.bundle.size(); ++n) {
    const ByteView cut = ByteView(s.bundle).sub(0, n);
    CAPTURE(n);
    CHECK(s.open(cut) == "truncated");
    CHECK(s.stream(cut, 1) == "truncated");
    CHECK(s.stream(cut, 64) == "truncated");
    CHECK(s.relay(cut) == "truncated");
  }
}

TEST_CASE("exhaustive: every chunk dropped, every pair swapped, every chunk duplicated anywhere", "[bundle][tamper][exhaustive]") {
  const Small s;
  const Layout& l = s.layout;
  const std::size_t n = l.frames.size();
  REQUIRE(n >= 6);
  std::vector<std::size_t> identity(n);
  for (std::size_t i = 0; i < n; ++i) identity[i] = i;
  REQUIRE(frames_reassembled(s.bundle, l, identity) == s.bundle);

  auto check = [&](const std::vector<std::size_t>& order, const std::string& expected) {
    const Bytes b = frames_reassembled(s.bundle, l, order);
    CHECK(s.open(b) == expected);
    CHECK(s.stream(b) == expected);
    CHECK(s.relay(b) == "bad-signature");  // well formed, but not what was signed
  };
  std::size_t cases = 0;
  for (std::size_t drop = 0; drop < n; ++drop) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i) {
      if (i != drop) order.push_back(i);
    }
    CAPTURE(drop);
    // Without the last chunk no FINAL comes before the end marker.
    check(order, drop == n - 1 ? "truncated" : "tampered");
    ++cases;
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      std::vector<std::size_t> order = identity;
      std::swap(order[i], order[j]);
      CAPTURE(i, j);
      check(order, "tampered");
      ++cases;
    }
  }
  for (std::size_t dup = 0; dup < n; ++dup) {
    for (std::size_t at = 0; at <= n; ++at) {
      std::vector<std::size_t> order = identity;
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), dup);
      CAPTURE(dup, at);
      // Out of place, or where a later chunk (or, after FINAL, the end
      // marker) should be: either way it is not the next chunk.
      check(order, "tampered");
      ++cases;
    }
  }
  CHECK(cases == n + n * (n - 1) / 2 + n * (n + 1));
}

namespace {

constexpr std::size_t kVaultOffOps = 10;
constexpr std::size_t kVaultOffMem = 14;
const std::string kVaultPass = "correct horse battery staple";

std::string vault_outcome(ByteView v) { return outcome([&] { vault_open(kVaultPass, v); }); }

std::string vault_stream_outcome(ByteView v, std::size_t piece) {
  return outcome([&] {
    VaultOpener opener(kVaultPass);
    for (std::size_t at = 0; at < v.size(); at += piece) {
      opener.write(v.sub(at, piece));
      opener.take();
    }
    opener.finish();
  });
}

}  // namespace

TEST_CASE("exhaustive: every bit of a small version 1 vault, flipped, fails with its region's error", "[vault][tamper][exhaustive]") {
  // Version 1 (still opened); version 2's header: vault_recovery_test.cpp.
  const Bytes vault = testing::vault_seal_v1(kVaultPass, bytes_of("a small vault of records"), kFastVault);
  const Layout l = layout_of(vault, kVaultHeaderSizeV1);
  REQUIRE(l.frames.size() == 1);
  const std::size_t frame_at = l.frames[0].offset;
  std::size_t cases = 0, skipped = 0;
  for (std::size_t byte = 0; byte < vault.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = vault;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      std::string expected;
      if (byte < 8) {
        expected = "not-a-bundle";
      } else if (byte < kVaultOffOps) {
        expected = "unsupported-version";  // version, kdf
      } else if (byte < kVaultOffMem) {
        const auto ops = detail::load_le<std::uint32_t>(&flipped[kVaultOffOps]);
        expected = ops >= kVaultOpsLimitMin && ops <= kVaultOpsLimitMax ? "wrong-passphrase" : "malformed";
      } else if (byte < 22) {
        const auto mem = detail::load_le<std::uint64_t>(&flipped[kVaultOffMem]);
        if (mem < kVaultMemLimitMin || mem > kVaultMemLimitMax) {
          expected = "malformed";  // refused before Argon2 allocates anything
        } else if (mem > (std::uint64_t{2} << 20)) {
          ++skipped;  // valid, but 2 MiB..1 GiB of Argon2id: slow, and another key anyway
          continue;
        } else if (mem / 1024 == kFastVault.memlimit / 1024) {
          expected = "tampered";  // Argon2 counts whole KiB: the same key; chunk 0's AD differs
        } else {
          expected = "wrong-passphrase";
        }
      } else if (byte < 54) {
        expected = "wrong-passphrase";  // salt, key check
      } else if (byte >= frame_at && byte < frame_at + 4) {
        expected = frame_length_outcome(detail::load_le<std::uint32_t>(&flipped[frame_at]), frame_at, flipped.size());
      } else {
        expected = "tampered";  // stream header, ciphertext, end marker
      }
      CAPTURE(byte, bit);
      CHECK(vault_outcome(flipped) == expected);
      CHECK(vault_stream_outcome(flipped, 7) == expected);
      ++cases;
    }
  }
  CHECK(cases + skipped == 8 * vault.size());
  CHECK(skipped == 9);  // memlimit bits 21..29
}

TEST_CASE("exhaustive: every truncation of a vault, and its chunks dropped, swapped, duplicated", "[vault][tamper][exhaustive]") {
  const Bytes small = vault_seal(kVaultPass, bytes_of("a small vault of records"), kFastVault);
  for (std::size_t n = 0; n < small.size(); ++n) {
    const ByteView cut = ByteView(small).sub(0, n);
    CAPTURE(n);
    CHECK(vault_outcome(cut) == "truncated");
    CHECK(vault_stream_outcome(cut, 1) == "truncated");
  }

  Bytes plain(3 * kVaultChunkSize + 5);
  randombytes_buf(plain.data(), plain.size());
  const Bytes vault = vault_seal(kVaultPass, plain, kFastVault);
  const Layout l = layout_of(vault, kVaultHeaderSize);
  const std::size_t n = l.frames.size();
  REQUIRE(n == 4);
  auto reassembled = [&](const std::vector<std::size_t>& order) {
    Bytes out(vault.begin(), vault.begin() + kVaultHeaderSize);
    for (std::size_t i : order) {
      out.insert(out.end(), vault.begin() + l.frames[i].offset,
                 vault.begin() + l.frames[i].offset + l.frames[i].size);
    }
    out.insert(out.end(), vault.begin() + l.end_marker, vault.end());
    return out;
  };
  REQUIRE(vault_outcome(reassembled({0, 1, 2, 3})) == "ok");
  for (std::size_t drop = 0; drop < n; ++drop) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i) {
      if (i != drop) order.push_back(i);
    }
    CAPTURE(drop);
    CHECK(vault_outcome(reassembled(order)) == (drop == n - 1 ? "truncated" : "tampered"));
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      std::vector<std::size_t> order = {0, 1, 2, 3};
      std::swap(order[i], order[j]);
      CAPTURE(i, j);
      CHECK(vault_outcome(reassembled(order)) == "tampered");
    }
  }
  for (std::size_t dup = 0; dup < n; ++dup) {
    for (std::size_t at = 0; at <= n; ++at) {
      std::vector<std::size_t> order = {0, 1, 2, 3};
      order.insert(order.begin() + static_cast<std::ptrdiff_t>(at), dup);
      CAPTURE(dup, at);
      CHECK(vault_outcome(reassembled(order)) == "tampered");
    }
  }
}
