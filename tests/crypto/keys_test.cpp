// SPDX-License-Identifier: Apache-2.0
// Key pairs and text encodings.
#include "chartlock/crypto/encoding.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

TEST_CASE("X25519 key pairs and their check", "[keys]") {
  const BoxKeyPair a = box_keypair();
  const BoxKeyPair b = box_keypair();
  CHECK(a.public_key != b.public_key);
  CHECK(box_keypair_check(a));
  BoxKeyPair mixed = a;
  mixed.secret_key = b.secret_key;
  CHECK_FALSE(box_keypair_check(mixed));
  BoxKeyPair flipped = a;
  flipped.public_key[0] ^= 1;
  CHECK_FALSE(box_keypair_check(flipped));
}

TEST_CASE("Ed25519 key pairs: seeds, checks, point validity", "[keys]") {
  const SignKeyPair a = sign_keypair();
  CHECK(sign_keypair_check(a));
  const SignKeyPair again = sign_keypair_from_seed(a.seed());
  CHECK(again.public_key == a.public_key);
  CHECK(std::equal(again.secret_key.data(), again.secret_key.data() + 64, a.secret_key.data()));

  SignKeyPair wrong_public = a;
  wrong_public.public_key = sign_keypair().public_key;
  CHECK_FALSE(sign_keypair_check(wrong_public));
  SignKeyPair wrong_seed = a;
  wrong_seed.secret_key.data()[0] ^= 1;
  CHECK_FALSE(sign_keypair_check(wrong_seed));

  CHECK(sign_public_key_valid(a.public_key));
  CHECK_FALSE(sign_public_key_valid(PublicKey{}));  // small order
  PublicKey non_canonical;
  non_canonical.fill(0xff);
  CHECK_FALSE(sign_public_key_valid(non_canonical));
}

TEST_CASE("secret containers wipe and copy independently", "[keys]") {
  SecretArray<4> a;
  a.data()[0] = 7;
  SecretArray<4> b = a;
  a = SecretArray<4>();
  CHECK(a.data()[0] == 0);
  CHECK(b.data()[0] == 7);
  CHECK(b.view().size() == 4);
}

TEST_CASE("hex encoding", "[encoding]") {
  CHECK(hex_encode(Bytes{0x00, 0x9f, 0xff}) == "009fff");
  CHECK(hex_encode(Bytes{}).empty());
  CHECK(hex_decode("009FfF") == Bytes{0x00, 0x9f, 0xff});
  CHECK(outcome([] { hex_decode("abc"); }) == "malformed");
  CHECK(outcome([] { hex_decode("zz"); }) == "malformed");
  CHECK(outcome([] { hex_decode("0x"); }) == "malformed");
}

TEST_CASE("base64url encoding (RFC 4648 vectors, strict decoding)", "[encoding]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [plain, text] : vectors) {
    CAPTURE(text);
    CHECK(base64url_encode(bytes_of(plain)) == text);
    CHECK(std::string(base64url_encode_secret(bytes_of(plain)).c_str()) == text);
    CHECK(base64url_decode(text) == bytes_of(plain));
  }
  for (const char* bad : {"Zg==", "Zm9v Yg", "+/8", "Z", "Zh", "Zm9vYmF=", "Zm9\n"}) {
    CAPTURE(bad);
    CHECK(outcome([&] { base64url_decode(bad); }) == "malformed");
  }
  std::array<std::uint8_t, 3> out{};
  base64url_decode_exact("Zm9v", out.data(), out.size());
  CHECK(out == std::array<std::uint8_t, 3>{'f', 'o', 'o'});
  try {
    base64url_decode_exact("Zm9vYg", out.data(), out.size());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "has 4 bytes, expected 3");
  }
  CHECK(outcome([&] { base64url_decode_exact("Zm9*", out.data(), out.size()); }) == "malformed");
  CHECK(out == std::array<std::uint8_t, 3>{0, 0, 0});  // a failed decode leaves no partial secret
}

TEST_CASE("error codes have stable names", "[keys]") {
  CHECK(std::string(to_string(ErrorCode::not_a_bundle)) == "not-a-bundle");
  CHECK(std::string(to_string(ErrorCode::unsupported_version)) == "unsupported-version");
  CHECK(std::string(to_string(ErrorCode::truncated)) == "truncated");
  CHECK(std::string(to_string(ErrorCode::tampered)) == "tampered");
  CHECK(std::string(to_string(ErrorCode::wrong_recipient)) == "wrong-recipient");
  CHECK(std::string(to_string(ErrorCode::wrong_key)) == "wrong-key");
  CHECK(std::string(to_string(ErrorCode::wrong_signer)) == "wrong-signer");
  CHECK(std::string(to_string(ErrorCode::bad_signature)) == "bad-signature");
  CHECK(std::string(to_string(ErrorCode::receipt_mismatch)) == "receipt-mismatch");
  CHECK(std::string(to_string(ErrorCode::wrong_grant)) == "wrong-grant");
  CHECK(std::string(to_string(ErrorCode::stale_sequence)) == "stale-sequence");
  CHECK(std::string(to_string(ErrorCode::expired)) == "expired");
  CHECK(std::string(to_string(ErrorCode::wrong_passphrase)) == "wrong-passphrase");
  CHECK(std::string(to_string(ErrorCode::malformed)) == "malformed");
  CHECK(std::string(to_string(ErrorCode::invalid_argument)) == "invalid-argument");
}
