// SPDX-License-Identifier: Apache-2.0
// Share bundles under attack: every error code from a real case, every
// truncation, every single-bit flip, chunk surgery and forged bundles.
#include <sodium.h>

#include <map>

#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

Bytes without(ByteView b, std::size_t offset, std::size_t count) {
  Bytes out(b.begin(), b.begin() + offset);
  out.insert(out.end(), b.begin() + offset + count, b.end());
  return out;
}

Bytes inserted(ByteView b, std::size_t offset, ByteView piece) {
  Bytes out(b.begin(), b.begin() + offset);
  out.insert(out.end(), piece.begin(), piece.end());
  out.insert(out.end(), b.begin() + offset, b.end());
  return out;
}

// A sealed bundle's metadata and stream key, for building forgeries.
struct Forgery {
  Fixture f;
  BoxKeyPair ephemeral = box_keypair();
  BundleHeader header;
  detail::StreamKey key;

  Forgery() {
    const BundleMeta m = meta_for(f.tool.public_key);
    header.recipient_pk = m.recipient_pk;
    header.ephemeral_pk = ephemeral.public_key;
    header.signer_pk = f.patient.public_key;
    header.grant_id = m.grant_id;
    header.sequence = m.sequence;
    header.created_at = m.created_at;
    header.expires_at = m.expires_at;
    crypto_generichash(header.receipt_digest.data(), 32, reinterpret_cast<const std::uint8_t*>(kReceipt.data()),
                       kReceipt.size(), nullptr, 0);
    key = detail::bundle_key_sender(ephemeral, f.tool.public_key);
  }
  // A bundle of `plaintext` signed by the patient: authentic but possibly invalid.
  Bytes signed_by_patient(ByteView plaintext) const { return forge_bundle(header, key, plaintext, f.patient); }
  std::string open(ByteView bundle) const { return outcome([&] { f.open(bundle); }); }
};

Part receipt_part() { return Part{"receipt", "application/json", bytes_of(kReceipt)}; }

}  // namespace

TEST_CASE("every truncation of a bundle fails", "[bundle][tamper]") {
  Fixture f;
  const Bytes bundle = f.seal(24);
  REQUIRE(layout_of(bundle, kBundleHeaderSize).frames.size() >= 3);
  for (std::size_t n = 0; n < bundle.size(); ++n) {
    CAPTURE(n);
    // Every prefix matches the magic as far as it goes, so: truncated.
    CHECK(outcome([&] { f.open(ByteView(bundle).sub(0, n)); }) == "truncated");
  }
  CHECK(outcome([&] { f.open(bundle); }) == "ok");
}

TEST_CASE("short inputs that are not bundles", "[bundle][tamper]") {
  Fixture f;
  CHECK(outcome([&] { f.open(bytes_of("{")); }) == "not-a-bundle");
  CHECK(outcome([&] { f.open(bytes_of("\x89" "CLV\r\n\x1a\n")); }) == "not-a-bundle");  // a vault
  CHECK(outcome([&] { f.open(bytes_of("\x89" "CLB\n")); }) == "not-a-bundle");  // CR LF mangled to LF
  Bytes big(5000, 'x');
  CHECK(outcome([&] { f.open(big); }) == "not-a-bundle");
}

TEST_CASE("every single-bit flip of a bundle fails with the error of its region", "[bundle][tamper]") {
  Fixture f;
  const Bytes bundle = f.seal(24);
  const Layout l = layout_of(bundle, kBundleHeaderSize);
  REQUIRE(l.frames.size() >= 3);

  std::vector<std::string> expected(bundle.size(), "tampered");  // header fields and ciphertext
  for (std::size_t i = 0; i < 8; ++i) expected[i] = "not-a-bundle";
  expected[8] = "unsupported-version";
  for (std::size_t i = 9; i < 41; ++i) expected[i] = "wrong-recipient";
  for (const Frame& fr : l.frames) {
    for (std::size_t i = fr.offset; i < fr.offset + 4; ++i) expected[i] = "frame-length";
  }
  for (std::size_t i = l.trailer; i < bundle.size(); ++i) expected[i] = "bad-signature";

  std::map<std::string, int> seen;
  for (std::size_t byte = 0; byte < bundle.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = bundle;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      const std::string got = outcome([&] { f.open(flipped); });
      ++seen[got];
      CAPTURE(byte, bit);
      if (expected[byte] == "frame-length") {
        CHECK((got == "tampered" || got == "truncated" || got == "malformed"));
      } else {
        CHECK(got == expected[byte]);
      }
    }
  }
  // Each region produced its error at least once.
  for (const char* code : {"not-a-bundle", "unsupported-version", "wrong-recipient", "tampered", "truncated",
                           "malformed", "bad-signature"}) {
    CAPTURE(code);
    CHECK(seen[code] > 0);
  }
  CHECK(seen.count("ok") == 0);
}

TEST_CASE("dropped, duplicated, reordered chunks and appended bytes fail", "[bundle][tamper]") {
  Fixture f;
  const Bytes bundle = f.seal(16);
  const Layout l = layout_of(bundle, kBundleHeaderSize);
  REQUIRE(l.frames.size() >= 4);
  const Frame first = l.frames.front();
  const Frame mid = l.frames[1];
  const Frame last = l.frames.back();
  auto open = [&](const Bytes& b) { return outcome([&] { f.open(b); }); };

  CHECK(open(without(bundle, first.offset, first.size)) == "tampered");
  CHECK(open(without(bundle, mid.offset, mid.size)) == "tampered");
  CHECK(open(without(bundle, last.offset, last.size)) == "truncated");  // no FINAL before the end marker
  CHECK(open(inserted(bundle, mid.offset, ByteView(bundle).sub(mid.offset, mid.size))) == "tampered");
  CHECK(open(inserted(bundle, l.end_marker, ByteView(bundle).sub(last.offset, last.size))) == "tampered");
  // Swap chunks 1 and 2.
  const Frame next = l.frames[2];
  Bytes swapped(bundle.begin(), bundle.begin() + mid.offset);
  swapped.insert(swapped.end(), bundle.begin() + next.offset, bundle.begin() + next.offset + next.size);
  swapped.insert(swapped.end(), bundle.begin() + mid.offset, bundle.begin() + mid.offset + mid.size);
  swapped.insert(swapped.end(), bundle.begin() + next.offset + next.size, bundle.end());
  CHECK(open(swapped) == "tampered");
  // Frames of another bundle with the same keys and header cannot be spliced in.
  const Bytes other = f.seal(16);
  const Layout lo = layout_of(other, kBundleHeaderSize);
  Bytes spliced(bundle.begin(), bundle.begin() + mid.offset);
  spliced.insert(spliced.end(), other.begin() + lo.frames[1].offset, other.end());
  CHECK(open(spliced) == "tampered");

  CHECK(open(concat({bundle, bytes_of("x")})) == "tampered");
  CHECK(open(concat({bundle, bundle})) == "tampered");
  CHECK(open(without(bundle, l.end_marker, 4)) == "tampered");  // signature read as a frame length
  CHECK(open(inserted(bundle, l.trailer, bytes_of("x"))) == "tampered");
  // An end marker inserted before the final chunk.
  CHECK(open(inserted(bundle, mid.offset, Bytes(4, 0))) == "truncated");
  // A frame length over the maximum.
  Bytes huge = bundle;
  detail::store_le<std::uint32_t>(&huge[mid.offset], detail::kMaxFrameLength + 1);
  CHECK(open(huge) == "malformed");
  detail::store_le<std::uint32_t>(&huge[mid.offset], 16);  // shorter than a tag
  CHECK(open(huge) == "malformed");
}

TEST_CASE("keys: wrong recipient, mismatched halves, wrong signer", "[bundle][tamper]") {
  Fixture f;
  const Bytes bundle = f.seal();
  CHECK(outcome([&] { bundle_open(bundle, box_keypair(), open_at()); }) == "wrong-recipient");

  BoxKeyPair mismatched;
  mismatched.public_key = f.tool.public_key;
  mismatched.secret_key = box_keypair().secret_key;
  CHECK(outcome([&] { bundle_open(bundle, mismatched, open_at()); }) == "wrong-key");

  OpenOptions pinned = open_at();
  pinned.expected_signer = f.patient.public_key;
  CHECK(outcome([&] { f.open(bundle, pinned); }) == "ok");
  pinned.expected_signer = sign_keypair().public_key;
  CHECK(outcome([&] { f.open(bundle, pinned); }) == "wrong-signer");
}

TEST_CASE("the recipient cannot forge a bundle from the patient", "[bundle][tamper]") {
  // The tool holds the stream key: it can decrypt the real bundle and
  // re-encrypt anything under the same header. Only the signature stops it.
  Fixture f;
  const Bytes real = f.seal();
  const BundleHeader h = bundle_peek(real);
  const detail::StreamKey key = detail::bundle_key_recipient(f.tool, h.ephemeral_pk);
  const Bytes plain = encode_parts({receipt_part(), Part{"obs.json", "application/fhir+json", bytes_of("forged")}});
  const SignKeyPair tool_signer = sign_keypair();

  const Bytes forged = forge_bundle(h, key, plain, tool_signer);
  CHECK(outcome([&] { f.open(forged); }) == "bad-signature");
  // Reusing the patient's real signature does not help either.
  Bytes resigned(forged.begin(), forged.end() - kBundleSignatureSize);
  resigned.insert(resigned.end(), real.end() - kBundleSignatureSize, real.end());
  CHECK(outcome([&] { f.open(resigned); }) == "bad-signature");

  // Naming its own signing key in the header makes a valid bundle - from
  // the tool, not the patient - which is why callers pin the expected signer.
  BundleHeader own = h;
  own.signer_pk = tool_signer.public_key;
  const Bytes self_signed = forge_bundle(own, key, plain, tool_signer);
  CHECK(outcome([&] { f.open(self_signed); }) == "ok");
  OpenOptions pinned = open_at();
  pinned.expected_signer = f.patient.public_key;
  CHECK(outcome([&] { f.open(self_signed, pinned); }) == "wrong-signer");
}

TEST_CASE("authentic bundles with broken contents are malformed", "[bundle][tamper]") {
  Forgery g;
  const Part receipt = receipt_part();
  const Part obs{"obs.json", "application/fhir+json", bytes_of("{}")};
  CHECK(g.open(g.signed_by_patient(encode_parts({receipt, obs}))) == "ok");  // the forge itself is sound

  CHECK(g.open(g.signed_by_patient(encode_parts({obs, receipt}))) == "malformed");   // receipt not first
  CHECK(g.open(g.signed_by_patient(encode_parts({Part{"receipt", "text/plain", receipt.bytes}}))) == "malformed");
  CHECK(g.open(g.signed_by_patient(encode_parts({receipt, obs, obs}))) == "malformed");  // duplicate
  CHECK(g.open(g.signed_by_patient(encode_parts({receipt, receipt}))) == "malformed");
  CHECK(g.open(g.signed_by_patient(encode_parts({receipt, Part{"a\xff", "text/plain", {}}}))) == "malformed");
  CHECK(g.open(g.signed_by_patient(encode_parts({receipt, Part{"a", "text/\x01", {}}}))) == "malformed");

  const Bytes good = encode_parts({receipt, obs});
  CHECK(g.open(g.signed_by_patient(ByteView(good).sub(0, good.size() - 1))) == "malformed");  // ends in a body
  CHECK(g.open(g.signed_by_patient(ByteView(good).sub(0, good.size() - 3))) == "malformed");
  CHECK(g.open(g.signed_by_patient(concat({good, Bytes{1}}))) == "malformed");             // ends in a length
  CHECK(g.open(g.signed_by_patient(concat({good, Bytes{0, 0}}))) == "malformed");          // name length 0
  Bytes long_size = good;
  long_size[good.size() - 3] = 0x01;  // top byte of obs's u64 size: 2^56 + 2 bytes declared
  CHECK(g.open(g.signed_by_patient(long_size)) == "malformed");
  CHECK(g.open(g.signed_by_patient(Bytes{})) == "malformed");  // no parts at all

  // Content errors are reported only for authentic bundles.
  CHECK(g.open(forge_bundle(g.header, g.key, concat({good, Bytes{0, 0}}), sign_keypair())) == "bad-signature");
}

TEST_CASE("a receipt that does not match the header digest", "[bundle][tamper]") {
  Forgery g;
  const Part obs{"obs.json", "application/fhir+json", bytes_of("{}")};
  Part other = receipt_part();
  other.bytes.back() = ']';
  CHECK(g.open(g.signed_by_patient(encode_parts({other, obs}))) == "receipt-mismatch");
  // A header whose times are inverted, authentic or not.
  Forgery inverted;
  inverted.header.expires_at = inverted.header.created_at;
  CHECK(inverted.open(inverted.signed_by_patient(encode_parts({receipt_part()}))) == "malformed");
}

TEST_CASE("expiry is checked last and only when asked", "[bundle][expiry]") {
  Fixture f;
  const Bytes bundle = f.seal();
  CHECK(outcome([&] { f.open(bundle, open_at(kExpires)); }) == "ok");
  CHECK(outcome([&] { f.open(bundle, open_at(kExpires + 1)); }) == "expired");
  CHECK(outcome([&] { f.open(bundle, open_at(INT64_MAX)); }) == "expired");
  OpenOptions lenient;
  lenient.check_expiry = false;
  CHECK(outcome([&] { f.open(bundle, lenient); }) == "ok");
  OpenOptions no_clock;  // check_expiry without a time is a caller error
  CHECK(outcome([&] { f.open(bundle, no_clock); }) == "invalid-argument");
  // An expired bundle that is also damaged reports the damage.
  Bytes damaged = bundle;
  damaged[kBundleHeaderSize + 10] ^= 1;
  CHECK(outcome([&] { f.open(damaged, open_at(kExpires + 1)); }) == "tampered");
}
