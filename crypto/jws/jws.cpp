// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/jws.hpp"

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/sha256.h>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto::jws {

namespace {

// mbedTLS contexts freed on every path out.
struct Group {
  mbedtls_ecp_group g;
  Group() {
    mbedtls_ecp_group_init(&g);
    if (mbedtls_ecp_group_load(&g, MBEDTLS_ECP_DP_SECP256R1) != 0) {
      mbedtls_ecp_group_free(&g);
      throw Error(ErrorCode::invalid_argument, "P-256 is not available");
    }
  }
  ~Group() { mbedtls_ecp_group_free(&g); }
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
};

struct Point {
  mbedtls_ecp_point p;
  Point() { mbedtls_ecp_point_init(&p); }
  ~Point() { mbedtls_ecp_point_free(&p); }
  Point(const Point&) = delete;
  Point& operator=(const Point&) = delete;
};

struct Mpi {
  mbedtls_mpi m;
  Mpi() { mbedtls_mpi_init(&m); }
  ~Mpi() { mbedtls_mpi_free(&m); }
  Mpi(const Mpi&) = delete;
  Mpi& operator=(const Mpi&) = delete;
};

// Q = (x, y), checked to be a point of the group (not the point at infinity).
bool load_point(const Group& group, const EcPublicKey& key, Point& q) {
  std::uint8_t uncompressed[65];
  uncompressed[0] = 0x04;
  std::copy(key.x.begin(), key.x.end(), uncompressed + 1);
  std::copy(key.y.begin(), key.y.end(), uncompressed + 33);
  return mbedtls_ecp_point_read_binary(&group.g, &q.p, uncompressed, sizeof uncompressed) == 0 &&
         mbedtls_ecp_check_pubkey(&group.g, &q.p) == 0;
}

void decode_coordinate(const nlohmann::json& jwk, const char* name, std::size_t index,
                       std::array<std::uint8_t, 32>& out) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    throw Error(ErrorCode::malformed, "key " + std::to_string(index) + ": no " + name);
  }
  try {
    base64url_decode_exact(it->get_ref<const std::string&>(), out.data(), out.size());
  } catch (const Error& e) {
    throw Error(ErrorCode::malformed, "key " + std::to_string(index) + ": " + name + " " + e.what());
  }
}

}  // namespace

std::array<std::uint8_t, 32> sha256(ByteView data) {
  std::array<std::uint8_t, 32> out{};
  // is224 = 0: SHA-256. Fails only on a bad context, which this cannot be.
  if (mbedtls_sha256_ret(data.data(), data.size(), out.data(), 0) != 0) {
    throw Error(ErrorCode::invalid_argument, "SHA-256 failed");
  }
  return out;
}

std::string thumbprint(const EcPublicKey& key) {
  // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + base64url_encode(key.x) +
                                R"(","y":")" + base64url_encode(key.y) + R"("})";
  return base64url_encode(sha256(canonical));
}

std::vector<EcPublicKey> parse_jwks(std::string_view text) {
  const nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) throw Error(ErrorCode::malformed, "the key set is not JSON");
  if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
    throw Error(ErrorCode::malformed, "not a JWKS: no \"keys\" array");
  }
  std::vector<EcPublicKey> out;
  const Group group;
  std::size_t index = 0;
  for (const nlohmann::json& jwk : doc["keys"]) {
    ++index;
    if (!jwk.is_object()) throw Error(ErrorCode::malformed, "key " + std::to_string(index) + ": not an object");
    const auto kty = jwk.find("kty");
    const auto crv = jwk.find("crv");
    if (kty == jwk.end() || *kty != "EC" || crv == jwk.end() || *crv != "P-256") continue;
    EcPublicKey key;
    decode_coordinate(jwk, "x", index, key.x);
    decode_coordinate(jwk, "y", index, key.y);
    Point q;
    if (!load_point(group, key, q)) {
      throw Error(ErrorCode::malformed, "key " + std::to_string(index) + ": not a point on P-256");
    }
    key.kid = thumbprint(key);
    const auto kid = jwk.find("kid");
    if (kid == jwk.end() || !kid->is_string() || kid->get_ref<const std::string&>() != key.kid) {
      throw Error(ErrorCode::malformed,
                  "key " + std::to_string(index) + ": its kid is not its JWK thumbprint (RFC 7638)");
    }
    out.push_back(std::move(key));
  }
  return out;
}

bool verify_es256(const EcPublicKey& key, std::string_view signing_input, ByteView signature) {
  if (signature.size() != 64) return false;
  Group group;  // mbedTLS 2.28 takes it non-const in ecdsa_verify
  Point q;
  if (!load_point(group, key, q)) return false;
  Mpi r, s;
  if (mbedtls_mpi_read_binary(&r.m, signature.data(), 32) != 0 ||
      mbedtls_mpi_read_binary(&s.m, signature.data() + 32, 32) != 0) {
    return false;
  }
  const std::array<std::uint8_t, 32> digest = sha256(signing_input);
  // Checks 1 <= r, s < n itself (SEC 1 §4.1.4 step 1).
  return mbedtls_ecdsa_verify(&group.g, digest.data(), digest.size(), &q.p, &r.m, &s.m) == 0;
}

}  // namespace chartlock::crypto::jws
