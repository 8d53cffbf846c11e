// SPDX-License-Identifier: Apache-2.0
// ES256 and JWK thumbprints (crypto/jws) against the SMART Health Cards
// specification's example cards and their issuer's published keys
// (tests/fixtures/shc), with published SHA-256 vectors and forged inputs.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/jws.hpp"

using namespace chartlock::crypto;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CHARTLOCK_FIXTURES) + "/shc/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  std::string s = out.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct Parts {
  std::string signing_input;
  Bytes signature;
};

Parts parts(const std::string& jws) {
  const std::size_t dot = jws.rfind('.');
  return {jws.substr(0, dot), base64url_decode(jws.substr(dot + 1))};
}

std::string error_of(const std::string& jwks) {
  try {
    jws::parse_jwks(jwks);
  } catch (const Error& e) {
    return std::string(to_string(e.code())) + ": " + e.what();
  }
  return "ok";
}

// The example issuer's first key, as JWK text, with one member replaced.
std::string key_with(const std::string& member, const std::string& value) {
  std::string x = "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw";
  std::string y = "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8";
  std::string kid = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s";
  if (member == "x") x = value;
  if (member == "y") y = value;
  if (member == "kid") kid = value;
  return R"({"keys":[{"kty":"EC","crv":"P-256","kid":")" + kid + R"(","x":")" + x + R"(","y":")" + y + R"("}]})";
}

}  // namespace

TEST_CASE("SHA-256 gives the FIPS 180-2 example digests", "[crypto][jws]") {
  CHECK(hex_encode(jws::sha256(std::string("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(jws::sha256(std::string())) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(jws::sha256(std::string("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("The example issuer's JWKS gives its two P-256 keys, kids checked as RFC 7638 thumbprints", "[crypto][jws]") {
  const auto keys = jws::parse_jwks(fixture("issuer.jwks.json"));
  REQUIRE(keys.size() == 2);
  // The kids the issuer published, which the spec's generator computed: ours agree.
  CHECK(keys[0].kid == "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
  CHECK(keys[1].kid == "EBKOr72QQDcTBUuVzAzkfBTGew0ZA16GuWty64nS-sw");
  CHECK(jws::thumbprint(keys[0]) == keys[0].kid);
}

TEST_CASE("Example cards verify with the key that signed them, and only with it", "[crypto][jws]") {
  const auto keys = jws::parse_jwks(fixture("issuer.jwks.json"));
  const Parts card00 = parts(fixture("example-00-d-jws.txt"));  // kid 3Kfdg…
  const Parts card01 = parts(fixture("example-01-d-jws.txt"));  // kid EBKOr…
  CHECK(jws::verify_es256(keys[0], card00.signing_input, card00.signature));
  CHECK(jws::verify_es256(keys[1], card01.signing_input, card01.signature));
  SECTION("a wrong key") {
    CHECK_FALSE(jws::verify_es256(keys[1], card00.signing_input, card00.signature));
    CHECK_FALSE(jws::verify_es256(keys[0], card01.signing_input, card01.signature));
  }
  SECTION("a changed signature byte, at each end and in the middle") {
    for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
      Bytes sig = card00.signature;
      sig[i] ^= 0x01;
      CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, sig));
    }
  }
  SECTION("a changed payload character") {
    std::string input = card00.signing_input;
    char& c = input[input.size() - 10];
    c = c == 'A' ? 'B' : 'A';
    CHECK_FALSE(jws::verify_es256(keys[0], input, card00.signature));
  }
  SECTION("r || s of the wrong length, zero, or n (out of range)") {
    CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, ByteView(card00.signature).sub(0, 63)));
    Bytes longer = card00.signature;
    longer.push_back(0);
    CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, longer));
    CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, Bytes(64, 0)));
    // P-256's group order n as r and as s: outside [1, n-1].
    const Bytes n = hex_decode("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    Bytes r_is_n = n;
    r_is_n.insert(r_is_n.end(), card00.signature.begin() + 32, card00.signature.end());
    CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, r_is_n));
    Bytes s_is_n(card00.signature.begin(), card00.signature.begin() + 32);
    s_is_n.insert(s_is_n.end(), n.begin(), n.end());
    CHECK_FALSE(jws::verify_es256(keys[0], card00.signing_input, s_is_n));
  }
}

TEST_CASE("A JWKS that is not one, or a key that is not what it says, is refused", "[crypto][jws]") {
  CHECK(error_of(key_with("", "")) == "ok");
  CHECK(error_of("not json") == "malformed: the key set is not JSON");
  CHECK(error_of(R"({"kty":"EC"})") == "malformed: not a JWKS: no \"keys\" array");
  CHECK(error_of(key_with("kid", "someone-elses-kid")) ==
        "malformed: key 1: its kid is not its JWK thumbprint (RFC 7638)");
  // y of another point: not on the curve.
  CHECK(error_of(key_with("y", "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy4")) ==
        "malformed: key 1: not a point on P-256");
  CHECK(error_of(key_with("x", "AAAA")).find("malformed: key 1: x has 3 bytes") == 0);
  CHECK(error_of(key_with("x", "11XvRWy1I2S0EyJlyf/bWfw/TQ5CJJNLw78bHXNxcgw")).find("malformed: key 1: x") == 0);
  // Keys for other algorithms are not ours to judge: skipped.
  CHECK(jws::parse_jwks(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},{"kty":"EC","crv":"P-384"}]})").empty());
}
