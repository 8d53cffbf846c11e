// SPDX-License-Identifier: Apache-2.0
// Share bundles: round trips, streaming, header fields and seal arguments.
#include <sodium.h>

#include <numeric>

#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

Bytes pattern(std::size_t n, std::uint8_t seed = 1) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 31);
  return b;
}

void check_same_parts(const std::vector<Part>& got, const std::vector<Part>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].name == want[i].name);
    CHECK(got[i].media_type == want[i].media_type);
    CHECK(got[i].bytes == want[i].bytes);
  }
}

// Records the sink events of a streaming open.
struct RecordingSink : PartSink {
  std::vector<PartInfo> infos;
  std::vector<Bytes> data;
  void begin_part(const PartInfo& info) override {
    infos.push_back(info);
    data.emplace_back();
  }
  void part_data(ByteView bytes) override { data.back().insert(data.back().end(), bytes.begin(), bytes.end()); }
};

}  // namespace

TEST_CASE("a bundle round-trips with its header fields", "[bundle]") {
  Fixture f;
  const SealRequest req = f.request();
  const Bytes bundle = bundle_seal(req, f.patient);
  const OpenedBundle opened = f.open(bundle);

  CHECK(opened.receipt == req.receipt);
  check_same_parts(opened.parts, req.parts);
  const BundleHeader& h = opened.header;
  CHECK(h.version == 1);
  CHECK(h.recipient_pk == f.tool.public_key);
  CHECK(h.signer_pk == f.patient.public_key);
  CHECK(h.grant_id == req.meta.grant_id);
  CHECK(h.sequence == req.meta.sequence);
  CHECK(h.created_at == kCreated);
  CHECK(h.expires_at == kExpires);
  Digest d{};
  crypto_generichash(d.data(), d.size(), req.receipt.data(), req.receipt.size(), nullptr, 0);
  CHECK(h.receipt_digest == d);
  CHECK(h.ephemeral_pk != f.tool.public_key);

  const BundleHeader peeked = bundle_peek(bundle);
  CHECK(peeked.ephemeral_pk == h.ephemeral_pk);
  CHECK(peeked.stream_header == h.stream_header);
  CHECK(peeked.sequence == h.sequence);
  CHECK(detail::bundle_header_encode(peeked) == detail::bundle_header_encode(h));
  CHECK(std::equal(bundle.begin(), bundle.begin() + kBundleHeaderSize, detail::bundle_header_encode(h).begin()));
}

TEST_CASE("every bundle has a fresh ephemeral key and stream header", "[bundle]") {
  Fixture f;
  const BundleHeader a = bundle_peek(f.seal());
  const BundleHeader b = bundle_peek(f.seal());
  CHECK(a.ephemeral_pk != b.ephemeral_pk);
  CHECK(a.stream_header != b.stream_header);
}

TEST_CASE("the bundle layout is exactly as documented", "[bundle]") {
  Fixture f;
  const SealRequest req = f.request(16);
  const Bytes bundle = bundle_seal(req, f.patient);
  const Layout l = layout_of(bundle, kBundleHeaderSize);
  std::vector<Part> all{Part{"receipt", "application/json", req.receipt}};
  all.insert(all.end(), req.parts.begin(), req.parts.end());
  const std::size_t plain = encode_parts(all).size();
  const std::size_t chunks = (plain + 15) / 16;
  REQUIRE(l.frames.size() == chunks);
  for (std::size_t i = 0; i + 1 < chunks; ++i) CHECK(l.frames[i].size == 4 + 16 + 17);
  CHECK(l.frames.back().size == 4 + (plain - 16 * (chunks - 1)) + 17);
  CHECK(bundle.size() == l.trailer + kBundleSignatureSize);
}

TEST_CASE("bundles round-trip across chunk sizes and part shapes", "[bundle]") {
  Fixture f;
  SealRequest req = f.request();
  req.parts = {
      Part{"empty.txt", "text/plain", {}},
      Part{"summary.md", "text/markdown", bytes_of("# Summary\n\nAll good.\n")},
      Part{"b\xc3\xa9 \xe2\x9c\x93.bin", "application/octet-stream", pattern(1000)},
      Part{"last-empty", "text/plain", {}},
  };
  std::vector<Part> all{Part{"receipt", "application/json", req.receipt}};
  all.insert(all.end(), req.parts.begin(), req.parts.end());
  const Bytes plain = encode_parts(all);

  // Chunk sizes that put boundaries exactly at part boundaries, one byte to
  // either side, on every byte, and around the whole plaintext.
  const std::size_t receipt_end = encode_parts({all[0]}).size();
  std::vector<std::size_t> sizes = {1, 2, 3, 7, 64, receipt_end - 1, receipt_end, receipt_end + 1,
                                    plain.size() - 1, plain.size(), plain.size() + 1, kDefaultChunkSize,
                                    kMaxChunkSize};
  for (std::size_t cs : sizes) {
    CAPTURE(cs);
    req.chunk_size = cs;
    const OpenedBundle opened = f.open(bundle_seal(req, f.patient));
    CHECK(opened.receipt == req.receipt);
    check_same_parts(opened.parts, req.parts);
  }
}

TEST_CASE("a bundle with only the receipt round-trips", "[bundle]") {
  Fixture f;
  SealRequest req = f.request();
  req.parts.clear();
  const OpenedBundle opened = f.open(bundle_seal(req, f.patient));
  CHECK(opened.receipt == req.receipt);
  CHECK(opened.parts.empty());
}

TEST_CASE("large multi-chunk bundles round-trip", "[bundle]") {
  Fixture f;
  SealRequest req = f.request();
  req.parts = {Part{"big.ndjson", "application/fhir+ndjson", pattern(kMaxChunkSize * 2 + 12345, 7)},
               Part{"after", "text/plain", pattern(3)}};
  for (std::size_t cs : {kDefaultChunkSize, kMaxChunkSize}) {
    req.chunk_size = cs;
    const Bytes bundle = bundle_seal(req, f.patient);
    CHECK(layout_of(bundle, kBundleHeaderSize).frames.size() > 2);
    check_same_parts(f.open(bundle).parts, req.parts);
  }
}

TEST_CASE("streaming seal and open agree with the whole-buffer functions", "[bundle][stream]") {
  Fixture f;
  const Bytes body = pattern(5000, 3);
  BundleSealer sealer(meta_for(f.tool.public_key), f.patient, bytes_of(kReceipt), 100);
  Bytes bundle = sealer.take();
  CHECK(bundle.size() >= kBundleHeaderSize);
  sealer.begin_part("stream.bin", "application/octet-stream", body.size());
  for (std::size_t at = 0; at < body.size(); at += 333) {
    sealer.write(ByteView(body).sub(at, 333));
    const Bytes piece = sealer.take();
    bundle.insert(bundle.end(), piece.begin(), piece.end());
  }
  sealer.add_part("tail.txt", "text/plain", bytes_of("tail"));
  const Bytes rest = sealer.finish();
  bundle.insert(bundle.end(), rest.begin(), rest.end());
  CHECK(sealer.header().sequence == 3);

  const OpenedBundle whole = f.open(bundle);
  REQUIRE(whole.parts.size() == 2);
  CHECK(whole.parts[0].bytes == body);

  // One byte at a time, and in uneven pieces: the same parts, in order.
  for (std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
    RecordingSink sink;
    BundleOpener opener(f.tool, open_at(), sink);
    for (std::size_t at = 0; at < bundle.size(); at += step) {
      opener.write(ByteView(bundle).sub(at, step));
      if (at + step >= kBundleHeaderSize) CHECK(opener.header() != nullptr);
    }
    const BundleHeader h = opener.finish();
    CHECK(h.grant_id == whole.header.grant_id);
    REQUIRE(sink.infos.size() == 3);
    CHECK(sink.infos[0].name == "receipt");
    CHECK(sink.infos[0].media_type == "application/json");
    CHECK(sink.infos[1].name == "stream.bin");
    CHECK(sink.infos[1].size == body.size());
    CHECK(sink.infos[2].name == "tail.txt");
    CHECK(sink.data[0] == bytes_of(kReceipt));
    CHECK(sink.data[1] == body);
    CHECK(sink.data[2] == bytes_of("tail"));
  }
}

TEST_CASE("a spent opener refuses further use", "[bundle][stream]") {
  Fixture f;
  const Bytes bundle = f.seal();
  RecordingSink sink;
  BundleOpener opener(f.tool, open_at(), sink);
  CHECK(outcome([&] { opener.write(bytes_of("not a bundle at all")); }) == "not-a-bundle");
  CHECK_THROWS_AS(opener.write(bundle), std::logic_error);
  CHECK_THROWS_AS(opener.finish(), std::logic_error);

  BundleOpener done(f.tool, open_at(), sink);
  done.write(bundle);
  done.finish();
  CHECK_THROWS_AS(done.finish(), std::logic_error);
}

TEST_CASE("seal rejects invalid arguments", "[bundle][args]") {
  Fixture f;
  auto seal_with = [&](auto&& change) {
    SealRequest r = f.request();
    change(r);
    return outcome([&] { bundle_seal(r, f.patient); });
  };
  CHECK(seal_with([](SealRequest&) {}) == "ok");
  CHECK(seal_with([](SealRequest& r) { r.meta.expires_at = r.meta.created_at; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.meta.expires_at = r.meta.created_at - 1; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.chunk_size = 0; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.chunk_size = kMaxChunkSize + 1; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.receipt.clear(); }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = ""; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = std::string(256, 'a'); }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = std::string(255, 'a'); }) == "ok");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = "bad\xff"; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = "overlong\xc0\xaf"; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = "surrogate\xed\xa0\x80"; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].name = "receipt"; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts.push_back(r.parts[0]); }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].media_type = ""; }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].media_type = std::string(256, 'a'); }) == "invalid-argument");
  CHECK(seal_with([](SealRequest& r) { r.parts[0].media_type = "text/plain\n"; }) == "invalid-argument");
  // A low-order X25519 point would give a predictable stream key.
  CHECK(seal_with([](SealRequest& r) { r.meta.recipient_pk = PublicKey{}; }) == "invalid-argument");

  SignKeyPair mismatched = f.patient;
  mismatched.public_key = sign_keypair().public_key;
  CHECK(outcome([&] { bundle_seal(f.request(), mismatched); }) == "wrong-key");
  SignKeyPair bad_secret = f.patient;
  bad_secret.secret_key.data()[40] ^= 1;  // the embedded public half
  CHECK(outcome([&] { bundle_seal(f.request(), bad_secret); }) == "wrong-key");
}

TEST_CASE("the streaming sealer enforces declared part sizes", "[bundle][args][stream]") {
  Fixture f;
  BundleSealer sealer(meta_for(f.tool.public_key), f.patient, bytes_of(kReceipt), 64);
  sealer.begin_part("a", "text/plain", 3);
  sealer.write(bytes_of("ab"));
  CHECK(outcome([&] { sealer.write(bytes_of("cd")); }) == "invalid-argument");
  CHECK(outcome([&] { sealer.begin_part("b", "text/plain", 1); }) == "invalid-argument");
  CHECK(outcome([&] { sealer.finish(); }) == "invalid-argument");
  sealer.write(bytes_of("c"));  // the failed calls changed nothing
  CHECK(outcome([&] { sealer.begin_part("a", "text/plain", 0); }) == "invalid-argument");
  Bytes bundle = sealer.take();
  const Bytes rest = sealer.finish();
  bundle.insert(bundle.end(), rest.begin(), rest.end());
  CHECK_THROWS_AS(sealer.finish(), std::logic_error);
  CHECK_THROWS_AS(sealer.take(), std::logic_error);
  const OpenedBundle opened = f.open(bundle);
  REQUIRE(opened.parts.size() == 1);
  CHECK(opened.parts[0].bytes == bytes_of("abc"));
}

TEST_CASE("bundle_peek reads the header without keys", "[bundle]") {
  Fixture f;
  const Bytes bundle = f.seal();
  const BundleHeader h = bundle_peek(ByteView(bundle).sub(0, kBundleHeaderSize));
  CHECK(h.signer_pk == f.patient.public_key);
  CHECK(outcome([&] { bundle_peek(ByteView(bundle).sub(0, kBundleHeaderSize - 1)); }) == "truncated");
  CHECK(outcome([&] { bundle_peek(ByteView()); }) == "truncated");
  CHECK(outcome([&] { bundle_peek(bytes_of("{\"resourceType\":\"Bundle\"}")); }) == "not-a-bundle");
  Bytes v2 = bundle;
  v2[8] = 2;
  CHECK(outcome([&] { bundle_peek(v2); }) == "unsupported-version");
}
