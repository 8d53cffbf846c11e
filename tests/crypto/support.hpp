// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the crypto suites.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/detail/bundle.hpp"
#include "chartlock/crypto/detail/endian.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/keys.hpp"
#include "chartlock/crypto/vault.hpp"

namespace chartlock::crypto::test {

// "ok", or the kebab-case code of the crypto::Error that f() threw.
template <class F>
std::string outcome(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return to_string(e.code());
  }
  return "ok";
}

// Fixed-size values from the hex of a test vector; the length must match.
template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view hex) {
  const Bytes b = hex_decode(hex);
  REQUIRE(b.size() == N);
  std::array<std::uint8_t, N> a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

template <std::size_t N>
SecretArray<N> hex_secret(std::string_view hex) {
  const auto a = hex_array<N>(hex);
  SecretArray<N> s;
  std::copy(a.begin(), a.end(), s.data());
  return s;
}

inline Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

inline Bytes concat(std::initializer_list<ByteView> pieces) {
  Bytes out;
  for (ByteView p : pieces) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Fast Argon2id parameters (libsodium's minimum) for everything but one test.
inline constexpr VaultParams kFastVault{1, 8192};

inline constexpr std::int64_t kCreated = 1767225600;  // 2026-01-01T00:00:00Z
inline constexpr std::int64_t kExpires = kCreated + 30 * 86400;

inline OpenOptions open_at(std::int64_t now = kCreated + 60) {
  OpenOptions o;
  o.now = now;
  return o;
}

inline BundleMeta meta_for(const PublicKey& recipient) {
  BundleMeta m;
  m.recipient_pk = recipient;
  for (std::size_t i = 0; i < m.grant_id.size(); ++i) m.grant_id[i] = static_cast<std::uint8_t>(0xa0 + i);
  m.sequence = 3;
  m.created_at = kCreated;
  m.expires_at = kExpires;
  return m;
}

inline const std::string kReceipt = R"({"grant":"a0a1","scope":["Observation"]})";

// A patient, a tool and a small bundle from one to the other.
struct Fixture {
  SignKeyPair patient = sign_keypair();
  BoxKeyPair tool = box_keypair();

  SealRequest request(std::size_t chunk_size = kDefaultChunkSize) const {
    SealRequest r;
    r.meta = meta_for(tool.public_key);
    r.receipt = bytes_of(kReceipt);
    r.parts.push_back(Part{"obs.json", "application/fhir+json", bytes_of(R"({"resourceType":"Observation"})")});
    r.chunk_size = chunk_size;
    return r;
  }
  Bytes seal(std::size_t chunk_size = kDefaultChunkSize) const { return bundle_seal(request(chunk_size), patient); }
  OpenedBundle open(ByteView bundle, OpenOptions options = open_at()) const {
    return bundle_open(bundle, tool, options);
  }
};

// Where each structure of a bundle or vault lies (offsets into the file).
struct Frame {
  std::size_t offset;  // of the length field
  std::size_t size;    // length field + ciphertext
};
struct Layout {
  std::vector<Frame> frames;
  std::size_t end_marker;  // offset of the u32 0
  std::size_t trailer;     // offset just after the end marker
};

inline Layout layout_of(ByteView file, std::size_t header_size) {
  Layout l;
  std::size_t at = header_size;
  for (;;) {
    const auto len = detail::load_le<std::uint32_t>(file.data() + at);
    if (len == 0) break;
    l.frames.push_back(Frame{at, 4 + std::size_t{len}});
    at += 4 + len;
  }
  l.end_marker = at;
  l.trailer = at + 4;
  return l;
}

// The part encoding of the given parts (the plaintext before chunking).
inline Bytes encode_parts(const std::vector<Part>& parts) {
  Bytes out;
  for (const Part& p : parts) {
    detail::part_header_encode(p.name, p.media_type, p.bytes.size(), out);
    out.insert(out.end(), p.bytes.begin(), p.bytes.end());
  }
  return out;
}

// Ed25519ph over `bytes`, as the bundle signature.
Bytes sign_ph(ByteView bytes, const SignKeyPair& signer);

// A bundle built from raw pieces, as someone holding the stream key could:
// any header, any plaintext (even an invalid part encoding), any signer.
Bytes forge_bundle(const BundleHeader& header, const detail::StreamKey& key, ByteView plaintext,
                   const SignKeyPair& signer, std::size_t chunk_size = 64);

}  // namespace chartlock::crypto::test
