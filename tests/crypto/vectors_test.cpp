// SPDX-License-Identifier: Apache-2.0
// The test vectors published in docs/bundle-format.md, docs/vault-format.md
// and docs/relay-protocol.md: every vector there is checked here, as another
// implementation would check it. A hidden test printed the bundle and vault
// vectors (run once; output pasted).
#include <sodium.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/sync.hpp"
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

using Vector = std::map<std::string, std::string>;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Fenced blocks with the info string `vector` (or `fence`): "name: value"
// lines; a line starting with whitespace continues the previous value.
std::vector<Vector> parse_vectors(const std::string& markdown, const std::string& fence = "vector") {
  std::vector<Vector> out;
  std::istringstream in(markdown);
  std::string line, last;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside) {
      if (trim(line) == "```" + fence) {
        inside = true;
        out.emplace_back();
      }
      continue;
    }
    if (trim(line) == "```") {
      inside = false;
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      REQUIRE(!last.empty());
      out.back()[last] += trim(line);
    } else if (!trim(line).empty()) {
      const auto colon = line.find(':');
      REQUIRE(colon != std::string::npos);
      last = trim(line.substr(0, colon));
      out.back()[last] = trim(line.substr(colon + 1));
    }
  }
  REQUIRE_FALSE(inside);
  return out;
}

const std::string& field(const Vector& v, const std::string& name) {
  const auto it = v.find(name);
  INFO("vector field " << name);
  REQUIRE(it != v.end());
  return it->second;
}

std::vector<Part> parts_of(const Vector& v) {
  std::vector<Part> parts;
  for (std::size_t i = 0; v.count("part" + std::to_string(i) + "_name"); ++i) {
    const std::string p = "part" + std::to_string(i);
    parts.push_back(Part{field(v, p + "_name"), field(v, p + "_media_type"), hex_decode(field(v, p + "_hex"))});
  }
  return parts;
}

// Encrypts `plaintext` as frames under (key, stream header). libsodium picks
// the header itself in init_push, but init_pull builds the same state from a
// given header, so pushing from it reproduces the published bytes exactly.
Bytes frames_of(ByteView file_header, const detail::StreamKey& key, const detail::StreamHeader& header,
                ByteView plaintext, std::size_t chunk_size) {
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_pull(&st, header.data(), key.data());
  Bytes out(file_header.begin(), file_header.end());
  std::size_t at = 0;
  do {
    const std::size_t n = std::min(chunk_size, plaintext.size() - at);
    const bool final = at + n == plaintext.size();
    Bytes c(n + detail::kChunkOverhead);
    crypto_secretstream_xchacha20poly1305_push(
        &st, c.data(), nullptr, plaintext.data() + at, n, at == 0 ? file_header.data() : nullptr,
        at == 0 ? file_header.size() : 0,
        final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    std::uint8_t len[4];
    detail::store_le<std::uint32_t>(len, static_cast<std::uint32_t>(c.size()));
    out.insert(out.end(), len, len + 4);
    out.insert(out.end(), c.begin(), c.end());
    at += n;
  } while (at < plaintext.size());
  out.insert(out.end(), {0, 0, 0, 0});
  return out;
}

void check_ok_bundle_vector(const Vector& v, const BoxKeyPair& recipient, ByteView bundle) {
  const auto ephemeral_secret = hex_secret<32>(field(v, "ephemeral_secret"));
  const auto ephemeral_public = hex_array<32>(field(v, "ephemeral_public"));
  const auto signer_public = hex_array<32>(field(v, "signer_public"));
  const auto stream_key = hex_secret<32>(field(v, "stream_key"));
  const std::vector<Part> parts = parts_of(v);
  REQUIRE(parts.size() >= 2);

  // Keys: the published pairs are consistent, and both sides of the key
  // agreement give the published stream key.
  BoxKeyPair ephemeral{ephemeral_public, ephemeral_secret};
  CHECK(box_keypair_check(ephemeral));
  const SignKeyPair signer = sign_keypair_from_seed(hex_secret<32>(field(v, "signer_seed")));
  CHECK(signer.public_key == signer_public);
  const detail::StreamKey sender_key = detail::bundle_key_sender(ephemeral, recipient.public_key);
  const detail::StreamKey recipient_key = detail::bundle_key_recipient(recipient, ephemeral_public);
  CHECK(hex_encode(sender_key.view()) == field(v, "stream_key"));
  CHECK(hex_encode(recipient_key.view()) == field(v, "stream_key"));

  // Opening yields the published header fields and parts.
  OpenOptions options = open_at(std::stoll(field(v, "now")));
  options.expected_signer = signer_public;
  const OpenedBundle opened = bundle_open(bundle, recipient, options);
  const BundleHeader& h = opened.header;
  CHECK(h.version == std::stoi(field(v, "version")));
  CHECK(h.ephemeral_pk == ephemeral_public);
  CHECK(h.signer_pk == signer_public);
  CHECK(hex_encode(h.grant_id) == field(v, "grant_id"));
  CHECK(h.sequence == std::stoull(field(v, "sequence")));
  CHECK(h.created_at == std::stoll(field(v, "created_at")));
  CHECK(h.expires_at == std::stoll(field(v, "expires_at")));
  CHECK(hex_encode(h.receipt_digest) == field(v, "receipt_digest"));
  CHECK(hex_encode(h.stream_header) == field(v, "stream_header"));
  CHECK(opened.receipt == parts[0].bytes);
  REQUIRE(opened.parts.size() == parts.size() - 1);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    CHECK(opened.parts[i - 1].name == parts[i].name);
    CHECK(opened.parts[i - 1].media_type == parts[i].media_type);
    CHECK(opened.parts[i - 1].bytes == parts[i].bytes);
  }

  // Byte for byte: header, part encoding, chunking, frames, and the
  // (deterministic) Ed25519ph signature.
  const Bytes plaintext = encode_parts(parts);
  CHECK(hex_encode(plaintext) == field(v, "plaintext"));
  const Bytes body = frames_of(detail::bundle_header_encode(h), stream_key, h.stream_header, plaintext,
                               std::stoul(field(v, "chunk_size")));
  CHECK(concat({body, sign_ph(body, signer)}) == to_bytes(bundle));

  options.now = h.expires_at + 1;
  CHECK(outcome([&] { bundle_open(bundle, recipient, options); }) == "expired");
}

}  // namespace

TEST_CASE("the bundle test vectors in docs/bundle-format.md", "[vectors][bundle]") {
  const std::vector<Vector> vectors = parse_vectors(read_text(CHARTLOCK_DOCS "/bundle-format.md"));
  REQUIRE(vectors.size() >= 3);
  int ok = 0;
  for (const Vector& v : vectors) {
    INFO("vector " << field(v, "name"));
    BoxKeyPair recipient{hex_array<32>(field(v, "recipient_public")), hex_secret<32>(field(v, "recipient_secret"))};
    REQUIRE(box_keypair_check(recipient));
    const Bytes bundle = hex_decode(field(v, "bundle"));
    const std::string& expect = field(v, "expect");
    if (expect == "ok") {
      ++ok;
      check_ok_bundle_vector(v, recipient, bundle);
    } else {
      CHECK(outcome([&] { bundle_open(bundle, recipient, open_at(std::stoll(field(v, "now")))); }) == expect);
    }
  }
  CHECK(ok >= 1);
}

namespace {
// BLAKE2b keyed with the Argon2id output over a label: the vault's subkeys.
template <std::size_t N>
std::array<std::uint8_t, N> vault_subkey(const detail::StreamKey& key, const std::string& label) {
  std::array<std::uint8_t, N> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const std::uint8_t*>(label.data()),
                     label.size(), key.data(), key.size());
  return out;
}
}  // namespace

namespace {

// Version 1 (docs/vault-format.md §9, §10.1): the stream key from the passphrase.
void check_ok_vault_v1(const Vector& v, const std::string& pass, const Bytes& vault) {
  const VaultParams params = vault_params(vault);
  CHECK(params.opslimit == std::stoul(field(v, "opslimit")));
  CHECK(params.memlimit == std::stoull(field(v, "memlimit")));
  const auto salt = hex_array<16>(field(v, "salt"));
  CHECK(std::equal(salt.begin(), salt.end(), vault.begin() + 22));
  detail::StreamKey key;
  REQUIRE(crypto_pwhash(key.data(), key.size(), pass.data(), pass.size(), salt.data(), params.opslimit,
                        static_cast<std::size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13) == 0);
  CHECK(hex_encode(key.view()) == field(v, "key"));
  CHECK(hex_encode(vault_subkey<16>(key, "chartlock vault v1 key check")) == field(v, "key_check"));
  detail::StreamKey stream_key;
  const auto sk = vault_subkey<32>(key, "chartlock vault v1 stream key");
  std::copy(sk.begin(), sk.end(), stream_key.data());
  CHECK(hex_encode(stream_key.view()) == field(v, "stream_key"));
  const Bytes plaintext = hex_decode(field(v, "plaintext"));
  CHECK(vault_open(pass, vault) == plaintext);
  const auto stream_header = hex_array<24>(field(v, "stream_header"));
  CHECK(frames_of(ByteView(vault).sub(0, kVaultHeaderSizeV1), stream_key, stream_header, plaintext,
                  kVaultChunkSize) == vault);
}

// XChaCha20-Poly1305 of the content key, as the vault wraps it.
Bytes wrap_of(ByteView content_key, ByteView wrap_key, ByteView nonce, const std::string& ad) {
  Bytes out(content_key.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, content_key.data(), content_key.size(),
                                             reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size(), nullptr,
                                             nonce.data(), wrap_key.data());
  return out;
}

template <std::size_t N>
std::string hex_sub(ByteView vault, std::size_t at) { return hex_encode(vault.sub(at, N)); }

// Version 2 (§2, §7, §10.2): every key of the schedule, both wraps, the recovery key's text.
void check_ok_vault_v2(const Vector& v, const std::string& pass, const Bytes& vault) {
  const VaultInfo info = vault_info(vault);
  CHECK(info.version == 2);
  CHECK(info.has_recovery_key);
  CHECK(info.params.opslimit == std::stoul(field(v, "opslimit")));
  CHECK(info.params.memlimit == std::stoull(field(v, "memlimit")));
  const auto salt = hex_array<16>(field(v, "salt"));
  CHECK(hex_sub<16>(vault, 22) == field(v, "salt"));
  detail::StreamKey pass_key;
  REQUIRE(crypto_pwhash(pass_key.data(), 32, pass.data(), pass.size(), salt.data(), info.params.opslimit,
                        static_cast<std::size_t>(info.params.memlimit), crypto_pwhash_ALG_ARGON2ID13) == 0);
  CHECK(hex_encode(pass_key.view()) == field(v, "passphrase_key"));
  CHECK(hex_encode(vault_subkey<16>(pass_key, "chartlock vault v2 passphrase check")) == field(v, "passphrase_check"));
  CHECK(hex_sub<16>(vault, 38) == field(v, "passphrase_check"));
  const auto pass_wrap_key = vault_subkey<32>(pass_key, "chartlock vault v2 passphrase wrap");
  CHECK(hex_encode(pass_wrap_key) == field(v, "passphrase_wrap_key"));
  CHECK(hex_sub<24>(vault, 54) == field(v, "passphrase_nonce"));
  const auto content_key = hex_secret<32>(field(v, "content_key"));
  CHECK(hex_encode(wrap_of(content_key.view(), pass_wrap_key, hex_decode(field(v, "passphrase_nonce")),
                           "chartlock vault v2 passphrase slot")) == hex_sub<48>(vault, 78));
  CHECK(vault[126] == 1);
  const auto recovery = hex_secret<32>(field(v, "recovery_key"));
  CHECK(std::string(recovery_key_encode(recovery).c_str()) == field(v, "recovery_key_text"));
  CHECK(equal(recovery_key_decode(field(v, "recovery_key_text")).view(), recovery.view()));
  CHECK(hex_encode(vault_subkey<16>(recovery, "chartlock vault v2 recovery check")) == field(v, "recovery_check"));
  CHECK(hex_sub<16>(vault, 127) == field(v, "recovery_check"));
  const auto recovery_wrap_key = vault_subkey<32>(recovery, "chartlock vault v2 recovery wrap");
  CHECK(hex_encode(recovery_wrap_key) == field(v, "recovery_wrap_key"));
  CHECK(hex_sub<24>(vault, 143) == field(v, "recovery_nonce"));
  CHECK(hex_encode(wrap_of(content_key.view(), recovery_wrap_key, hex_decode(field(v, "recovery_nonce")),
                           "chartlock vault v2 recovery slot")) == hex_sub<48>(vault, 167));
  detail::StreamKey stream_key;
  const auto sk = vault_subkey<32>(content_key, "chartlock vault v2 stream key");
  std::copy(sk.begin(), sk.end(), stream_key.data());
  CHECK(hex_encode(stream_key.view()) == field(v, "stream_key"));
  const Bytes plaintext = hex_decode(field(v, "plaintext"));
  CHECK(vault_open(pass, vault) == plaintext);
  CHECK(vault_open_with_recovery_key(recovery, vault) == plaintext);
  const auto stream_header = hex_array<24>(field(v, "stream_header"));
  CHECK(hex_sub<24>(vault, 215) == field(v, "stream_header"));
  CHECK(frames_of(ByteView(vault).sub(0, kVaultHeaderSize), stream_key, stream_header, plaintext,
                  kVaultChunkSize) == vault);
  // Our sealer, given the same random values, writes the same header.
  testing::VaultRandom r;
  r.salt = salt;
  r.passphrase_nonce = hex_array<24>(field(v, "passphrase_nonce"));
  r.recovery_nonce = hex_array<24>(field(v, "recovery_nonce"));
  r.content_key = content_key;
  r.recovery_key = recovery;
  const VaultCreated made = testing::vault_create_with(r, pass, plaintext, info.params);
  CHECK(hex_encode(ByteView(made.vault).sub(0, kVaultSlotsSize)) == hex_encode(ByteView(vault).sub(0, kVaultSlotsSize)));
}

}  // namespace

TEST_CASE("the vault test vectors in docs/vault-format.md", "[vectors][vault]") {
  const std::vector<Vector> vectors = parse_vectors(read_text(CHARTLOCK_DOCS "/vault-format.md"));
  REQUIRE(vectors.size() >= 5);
  int ok_v1 = 0, ok_v2 = 0;
  for (const Vector& v : vectors) {
    INFO("vector " << field(v, "name"));
    const Bytes vault = hex_decode(field(v, "vault"));
    const std::string& expect = field(v, "expect");
    if (expect != "ok") {
      if (v.count("passphrase")) {
        CHECK(outcome([&] { vault_open(field(v, "passphrase"), vault); }) == expect);
      } else {
        CHECK(outcome([&] { vault_open_with_recovery_key(recovery_key_decode(field(v, "recovery_key_text")), vault); }) ==
              expect);
      }
      continue;
    }
    REQUIRE(vault.size() > 8);
    if (vault[8] == 1) {
      ++ok_v1;
      check_ok_vault_v1(v, field(v, "passphrase"), vault);
    } else {
      ++ok_v2;
      check_ok_vault_v2(v, field(v, "passphrase"), vault);
    }
  }
  CHECK(ok_v1 >= 1);
  CHECK(ok_v2 >= 1);
}

// ---- the generator: `chartlock_crypto_tests "[generate-vectors]"` ----

namespace {

void print_field(const std::string& name, const std::string& value) {
  constexpr std::size_t kWidth = 64;
  if (value.size() <= kWidth) {
    std::cout << name << ": " << value << "\n";
    return;
  }
  std::cout << name << ":\n";
  for (std::size_t at = 0; at < value.size(); at += kWidth) std::cout << "  " << value.substr(at, kWidth) << "\n";
}

// A fixed key derived from a label, so re-running keeps the keys.
template <std::size_t N>
SecretArray<N> test_secret(const std::string& label) {
  SecretArray<N> s;
  crypto_generichash(s.data(), N, reinterpret_cast<const std::uint8_t*>(label.data()), label.size(), nullptr, 0);
  return s;
}

}  // namespace

TEST_CASE("print the test vectors", "[.generate-vectors]") {
  BoxKeyPair recipient;
  recipient.secret_key = test_secret<32>("chartlock test vector: recipient");
  crypto_scalarmult_base(recipient.public_key.data(), recipient.secret_key.data());
  BoxKeyPair ephemeral;
  ephemeral.secret_key = test_secret<32>("chartlock test vector: ephemeral");
  crypto_scalarmult_base(ephemeral.public_key.data(), ephemeral.secret_key.data());
  const SignKeyPair signer = sign_keypair_from_seed(test_secret<32>("chartlock test vector: signer"));

  BundleMeta meta = meta_for(recipient.public_key);
  meta.grant_id = hex_array<16>("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
  meta.sequence = 1;
  const std::string receipt = R"({"grant":"0f1e2d3c4b5a69788796a5b4c3d2e1f0","tool":"Example Health AI","scope":["patient/Observation.rs?category=laboratory"],"expires":"2026-01-31T00:00:00Z"})";
  const std::string fhir = R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},"valueQuantity":{"value":6.1,"unit":"%"}})";
  const std::size_t chunk_size = 128;
  const std::vector<Part> parts = {Part{"receipt", "application/json", bytes_of(receipt)},
                                   Part{"observation.json", "application/fhir+json", bytes_of(fhir)}};

  BundleSealer sealer = detail::SealerAccess::with_ephemeral(meta, signer, parts[0].bytes, chunk_size, ephemeral);
  sealer.add_part(parts[1].name, parts[1].media_type, parts[1].bytes);
  Bytes bundle = sealer.take();
  const Bytes rest = sealer.finish();
  bundle.insert(bundle.end(), rest.begin(), rest.end());
  const BundleHeader h = sealer.header();
  const detail::StreamKey key = detail::bundle_key_sender(ephemeral, recipient.public_key);
  const Layout l = layout_of(bundle, kBundleHeaderSize);

  auto keys = [&] {
    print_field("recipient_public", hex_encode(recipient.public_key));
    print_field("recipient_secret", hex_encode(recipient.secret_key.view()));
  };
  std::cout << "```vector\n";
  print_field("name", "bundle-basic");
  keys();
  print_field("ephemeral_public", hex_encode(ephemeral.public_key));
  print_field("ephemeral_secret", hex_encode(ephemeral.secret_key.view()));
  print_field("signer_public", hex_encode(signer.public_key));
  print_field("signer_seed", hex_encode(signer.seed().view()));
  print_field("stream_key", hex_encode(key.view()));
  print_field("version", "1");
  print_field("grant_id", hex_encode(h.grant_id));
  print_field("sequence", std::to_string(h.sequence));
  print_field("created_at", std::to_string(h.created_at));
  print_field("expires_at", std::to_string(h.expires_at));
  print_field("receipt_digest", hex_encode(h.receipt_digest));
  print_field("stream_header", hex_encode(h.stream_header));
  print_field("chunk_size", std::to_string(chunk_size));
  for (std::size_t i = 0; i < parts.size(); ++i) {
    print_field("part" + std::to_string(i) + "_name", parts[i].name);
    print_field("part" + std::to_string(i) + "_media_type", parts[i].media_type);
    print_field("part" + std::to_string(i) + "_hex", hex_encode(parts[i].bytes));
  }
  print_field("plaintext", hex_encode(encode_parts(parts)));
  print_field("now", std::to_string(kCreated + 3600));
  print_field("expect", "ok");
  print_field("bundle", hex_encode(bundle));
  std::cout << "```\n\nframes at offsets:";
  for (const Frame& fr : l.frames) std::cout << " " << fr.offset << "(+" << fr.size << ")";
  std::cout << " end marker " << l.end_marker << " signature " << l.trailer << " size " << bundle.size() << "\n\n";

  Bytes tampered = bundle;
  tampered[l.frames[1].offset + 4 + 10] ^= 0x01;
  std::cout << "```vector\n";
  print_field("name", "bundle-tampered-chunk1");
  keys();
  print_field("now", std::to_string(kCreated + 3600));
  print_field("expect", "tampered");
  print_field("bundle", hex_encode(tampered));
  std::cout << "```\n\n";

  std::cout << "```vector\n";
  print_field("name", "bundle-truncated-before-final");
  keys();
  print_field("now", std::to_string(kCreated + 3600));
  print_field("expect", "truncated");
  print_field("bundle", hex_encode(ByteView(bundle).sub(0, l.frames.back().offset)));
  std::cout << "```\n\n";

  // Vault.
  const std::string pass = "correct horse battery staple";
  const std::string plain = R"({"records":[],"note":"vault test vector"})";
  const Bytes vault = testing::vault_seal_v1(pass, bytes_of(plain), kFastVault);
  detail::StreamKey vkey;
  REQUIRE(crypto_pwhash(vkey.data(), 32, pass.data(), pass.size(), vault.data() + 22, 1, 8192,
                        crypto_pwhash_ALG_ARGON2ID13) == 0);
  std::cout << "```vector\n";
  print_field("name", "vault-basic");
  print_field("passphrase", pass);
  print_field("opslimit", "1");
  print_field("memlimit", "8192");
  print_field("salt", hex_encode(ByteView(vault).sub(22, 16)));
  print_field("key", hex_encode(vkey.view()));
  print_field("key_check", hex_encode(ByteView(vault).sub(38, 16)));
  print_field("stream_key", hex_encode(vault_subkey<32>(vkey, "chartlock vault v1 stream key")));
  print_field("stream_header", hex_encode(ByteView(vault).sub(54, 24)));
  print_field("plaintext", hex_encode(bytes_of(plain)));
  print_field("expect", "ok");
  print_field("vault", hex_encode(vault));
  std::cout << "```\n\n```vector\n";
  print_field("name", "vault-wrong-passphrase");
  print_field("passphrase", "correct horse battery stapler");
  print_field("expect", "wrong-passphrase");
  print_field("vault", hex_encode(vault));
  std::cout << "```\n";

  // Vault, version 2: fixed random values, so re-running keeps the vector.
  testing::VaultRandom r;
  r.salt = hex_array<16>(hex_encode(ByteView(test_secret<32>("chartlock test vector: vault salt").view()).sub(0, 16)));
  const auto nonces = test_secret<64>("chartlock test vector: vault nonces");
  std::copy(nonces.data(), nonces.data() + 24, r.passphrase_nonce.begin());
  std::copy(nonces.data() + 32, nonces.data() + 56, r.recovery_nonce.begin());
  r.content_key = test_secret<32>("chartlock test vector: vault content key");
  r.recovery_key = test_secret<32>("chartlock test vector: recovery key");
  const std::string plain2 = R"({"records":[],"note":"vault version 2 test vector"})";
  const VaultCreated made = testing::vault_create_with(r, pass, bytes_of(plain2), kFastVault);
  const Bytes& v2 = made.vault;
  detail::StreamKey pkey;
  REQUIRE(crypto_pwhash(pkey.data(), 32, pass.data(), pass.size(), r.salt.data(), 1, 8192,
                        crypto_pwhash_ALG_ARGON2ID13) == 0);
  const SecretString text = recovery_key_encode(r.recovery_key);
  std::cout << "\n```vector\n";
  print_field("name", "vault-v2-basic");
  print_field("passphrase", pass);
  print_field("opslimit", "1");
  print_field("memlimit", "8192");
  print_field("salt", hex_encode(r.salt));
  print_field("passphrase_key", hex_encode(pkey.view()));
  print_field("passphrase_check", hex_encode(vault_subkey<16>(pkey, "chartlock vault v2 passphrase check")));
  print_field("passphrase_wrap_key", hex_encode(vault_subkey<32>(pkey, "chartlock vault v2 passphrase wrap")));
  print_field("passphrase_nonce", hex_encode(r.passphrase_nonce));
  print_field("content_key", hex_encode(r.content_key.view()));
  print_field("recovery_key", hex_encode(r.recovery_key.view()));
  print_field("recovery_key_text", std::string(text.c_str()));
  print_field("recovery_check", hex_encode(vault_subkey<16>(r.recovery_key, "chartlock vault v2 recovery check")));
  print_field("recovery_wrap_key", hex_encode(vault_subkey<32>(r.recovery_key, "chartlock vault v2 recovery wrap")));
  print_field("recovery_nonce", hex_encode(r.recovery_nonce));
  print_field("stream_key", hex_encode(vault_subkey<32>(r.content_key, "chartlock vault v2 stream key")));
  print_field("stream_header", hex_encode(ByteView(v2).sub(215, 24)));
  print_field("plaintext", hex_encode(bytes_of(plain2)));
  print_field("expect", "ok");
  print_field("vault", hex_encode(v2));
  std::cout << "```\n\n```vector\n";
  print_field("name", "vault-v2-wrong-passphrase");
  print_field("passphrase", "correct horse battery stapler");
  print_field("expect", "wrong-passphrase");
  print_field("vault", hex_encode(v2));
  std::cout << "```\n\n```vector\n";
  RecoveryKey other = r.recovery_key;
  other.data()[0] ^= 1;
  print_field("name", "vault-v2-wrong-recovery-key");
  print_field("recovery_key_text", std::string(recovery_key_encode(other).c_str()));
  print_field("expect", "wrong-recovery-key");
  print_field("vault", hex_encode(v2));
  std::cout << "```\n\n```vector\n";
  Bytes bad_wrap = v2;
  bad_wrap[78 + 5] ^= 0x10;
  print_field("name", "vault-v2-passphrase-wrap-tampered");
  print_field("passphrase", pass);
  print_field("expect", "tampered");
  print_field("vault", hex_encode(bad_wrap));
  std::cout << "```\n";
}

TEST_CASE("the request signing vector in docs/relay-protocol.md", "[vectors][request]") {
  const std::vector<Vector> vectors = parse_vectors(read_text(CHARTLOCK_DOCS "/relay-protocol.md"));
  REQUIRE(vectors.size() >= 1);
  for (const Vector& v : vectors) {
    INFO("vector " << field(v, "name"));
    const SignKeyPair key = sign_keypair_from_seed(hex_secret<32>(field(v, "seed")));
    CHECK(hex_encode(key.public_key) == field(v, "public"));
    const auto nonce = hex_array<kRequestNonceSize>(field(v, "nonce"));
    const Bytes body = hex_decode(field(v, "body"));
    const std::int64_t ts = std::stoll(field(v, "ts"));
    const Digest digest = request_body_digest(body);
    CHECK(hex_encode(digest) == field(v, "body_digest"));
    const std::string signing = request_signing_string(field(v, "method"), field(v, "target"), ts, nonce, digest);
    CHECK(hex_encode(ByteView(signing)) == field(v, "signing_string_hex"));
    const std::string header = request_sign(field(v, "method"), field(v, "target"), body, ts, nonce, key);
    CHECK(header == field(v, "authorization"));
    const SignedRequest parsed = request_auth_parse(field(v, "authorization"));
    CHECK(parsed.key == key.public_key);
    CHECK(parsed.nonce == nonce);
    CHECK(outcome([&] { request_auth_verify(parsed, field(v, "method"), field(v, "target"), digest); }) == "ok");
  }
}

// ---- vault sync (docs/vault-format.md §11.6) ----

TEST_CASE("the sync copy test vector in docs/vault-format.md", "[vectors][sync]") {
  const std::vector<Vector> vectors = parse_vectors(read_text(CHARTLOCK_DOCS "/vault-format.md"), "sync-vector");
  REQUIRE(vectors.size() >= 1);
  for (const Vector& v : vectors) {
    INFO("vector " << field(v, "name"));
    const auto recovery = hex_secret<32>(field(v, "recovery_key"));
    CHECK(equal(recovery_key_decode(field(v, "recovery_key_text")).view(), recovery.view()));
    // The derivations, as another implementation would write them.
    const auto id = vault_subkey<32>(recovery, "chartlock sync v1 id");
    CHECK(base64url_encode(id) == field(v, "sync_id"));
    const auto seed = vault_subkey<32>(recovery, "chartlock sync v1 signing key");
    CHECK(hex_encode(seed) == field(v, "signing_seed"));
    const auto sync_key = vault_subkey<32>(recovery, "chartlock sync v1 encryption key");
    CHECK(hex_encode(sync_key) == field(v, "sync_key"));
    // And as ours does.
    const SyncIdentity ours = sync_identity(recovery);
    CHECK(sync_id_encode(ours.id) == field(v, "sync_id"));
    CHECK(hex_encode(ours.signing.seed().view()) == field(v, "signing_seed"));
    CHECK(hex_encode(ours.signing.public_key) == field(v, "signing_public"));
    CHECK(hex_encode(ours.key.view()) == field(v, "sync_key"));
    SyncKey key;
    std::copy(sync_key.begin(), sync_key.end(), key.data());
    CHECK(hex_encode(vault_subkey<16>(key, "chartlock sync v1 key check")) == field(v, "key_check"));
    detail::StreamKey stream_key;
    const auto sk = vault_subkey<32>(key, "chartlock sync v1 stream key");
    std::copy(sk.begin(), sk.end(), stream_key.data());
    CHECK(hex_encode(stream_key.view()) == field(v, "stream_key"));
    const Bytes copy = hex_decode(field(v, "copy"));
    const Bytes plaintext = hex_decode(field(v, "plaintext"));
    CHECK(sync_copy_open(key, copy) == plaintext);
    const auto stream_header = hex_array<24>(field(v, "stream_header"));
    CHECK(hex_encode(ByteView(copy).sub(kSyncCopyHeaderSize - 24, 24)) == field(v, "stream_header"));
    CHECK(frames_of(ByteView(copy).sub(0, kSyncCopyHeaderSize), stream_key, stream_header, plaintext,
                    kVaultChunkSize) == copy);
  }
}

TEST_CASE("print the sync copy test vector", "[.generate-sync-vector]") {
  const auto recovery = test_secret<32>("chartlock sync test vector recovery key");
  const SyncIdentity id = sync_identity(recovery);
  const std::string text = R"({"providers":[],"note":"sync copy version 1 test vector"})";
  const Bytes plaintext(text.begin(), text.end());
  const Bytes copy = sync_copy_seal(id.key, plaintext);
  std::cout << "```sync-vector\n";
  print_field("name", "sync-v1-basic");
  print_field("recovery_key", hex_encode(recovery.view()));
  print_field("recovery_key_text", recovery_key_encode(recovery).c_str());
  print_field("sync_id", sync_id_encode(id.id));
  print_field("signing_seed", hex_encode(id.signing.seed().view()));
  print_field("signing_public", hex_encode(id.signing.public_key));
  print_field("sync_key", hex_encode(id.key.view()));
  print_field("key_check", hex_encode(ByteView(copy).sub(9, 16)));
  print_field("stream_key", hex_encode(vault_subkey<32>(id.key, "chartlock sync v1 stream key")));
  print_field("stream_header", hex_encode(ByteView(copy).sub(25, 24)));
  print_field("plaintext", hex_encode(plaintext));
  print_field("copy", hex_encode(copy));
  std::cout << "```\n";
}
