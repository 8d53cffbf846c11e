#include "chartlock/crypto/vault.hpp"

#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>

#include "chartlock/crypto/detail/endian.hpp"
#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/detail/stream.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {
namespace {

using detail::StreamKey;

constexpr detail::Magic kVaultMagic = {0x89, 'C', 'L', 'V', '\r', '\n', 0x1a, '\n'};
constexpr std::uint8_t kKdfArgon2id13 = 1;
constexpr std::size_t kSaltSize = crypto_pwhash_SALTBYTES;
constexpr std::size_t kKeyCheckSize = 16;
constexpr char kKeyCheckLabel[] = "chartlock vault v1 key check";
constexpr char kStreamKeyLabel[] = "chartlock vault v1 stream key";
static_assert(kSaltSize == 16);

// Offsets (docs/vault-format.md, "Header").
constexpr std::size_t kOffVersion = 8;
constexpr std::size_t kOffKdf = 9;
constexpr std::size_t kOffOps = 10;
constexpr std::size_t kOffMem = 14;
constexpr std::size_t kOffSalt = 22;
constexpr std::size_t kOffCheck = 38;
constexpr std::size_t kOffStream = 54;
static_assert(kOffStream + detail::kStreamHeaderSize == kVaultHeaderSize);

using KeyCheck = std::array<std::uint8_t, kKeyCheckSize>;

struct VaultHeader {
  VaultParams params;
  std::array<std::uint8_t, kSaltSize> salt{};
  KeyCheck key_check{};
  detail::StreamHeader stream_header{};
};

bool params_in_bounds(const VaultParams& p) {
  return p.opslimit >= kVaultOpsLimitMin && p.opslimit <= kVaultOpsLimitMax &&
         p.memlimit >= kVaultMemLimitMin && p.memlimit <= kVaultMemLimitMax;
}

// testing::allow_vault_params_below_floor; off unless a test binary turns it on.
std::atomic<bool> g_below_floor_allowed{false};

std::string floor_text() {
  return "vault parameters below the floor: opslimit must be at least " + std::to_string(kVaultSealOpsLimitFloor) +
         " and memlimit at least " + std::to_string(kVaultSealMemLimitFloor) +
         " bytes (19 MiB; OWASP's minimum for Argon2id)";
}

std::string bounds_text() {
  return "opslimit must be " + std::to_string(kVaultOpsLimitMin) + ".." + std::to_string(kVaultOpsLimitMax) +
         " and memlimit " + std::to_string(kVaultMemLimitMin) + ".." + std::to_string(kVaultMemLimitMax) + " bytes";
}

VaultHeader header_decode(ByteView bytes) {
  detail::check_magic(bytes, kVaultMagic, "vault");
  if (bytes.size() < kVaultHeaderSize) detail::throw_short_header(bytes.size(), kVaultHeaderSize, "vault");
  const std::uint8_t* p = bytes.data();
  if (p[kOffVersion] != kVaultVersion) {
    throw Error(ErrorCode::unsupported_version, "vault version " + std::to_string(p[kOffVersion]) + " (this build reads 1)");
  }
  if (p[kOffKdf] != kKdfArgon2id13) {
    throw Error(ErrorCode::unsupported_version, "vault key derivation " + std::to_string(p[kOffKdf]) + " (this build knows 1, Argon2id)");
  }
  VaultHeader h;
  h.params.opslimit = detail::load_le<std::uint32_t>(p + kOffOps);
  h.params.memlimit = detail::load_le<std::uint64_t>(p + kOffMem);
  // Before anything is allocated: the header is not authenticated yet.
  if (!params_in_bounds(h.params)) throw Error(ErrorCode::malformed, "vault parameters out of bounds: " + bounds_text());
  std::copy(p + kOffSalt, p + kOffSalt + kSaltSize, h.salt.begin());
  std::copy(p + kOffCheck, p + kOffCheck + kKeyCheckSize, h.key_check.begin());
  std::copy(p + kOffStream, p + kVaultHeaderSize, h.stream_header.begin());
  return h;
}

std::array<std::uint8_t, kVaultHeaderSize> header_encode(const VaultHeader& h) {
  std::array<std::uint8_t, kVaultHeaderSize> out{};
  std::copy(kVaultMagic.begin(), kVaultMagic.end(), out.begin());
  out[kOffVersion] = kVaultVersion;
  out[kOffKdf] = kKdfArgon2id13;
  detail::store_le<std::uint32_t>(&out[kOffOps], h.params.opslimit);
  detail::store_le<std::uint64_t>(&out[kOffMem], h.params.memlimit);
  std::copy(h.salt.begin(), h.salt.end(), out.begin() + kOffSalt);
  std::copy(h.key_check.begin(), h.key_check.end(), out.begin() + kOffCheck);
  std::copy(h.stream_header.begin(), h.stream_header.end(), out.begin() + kOffStream);
  return out;
}

// Argon2id v1.3; the parameters are within bounds (so memlimit fits size_t
// even in 32-bit wasm). Failure can only mean the memory was not available.
StreamKey derive_key(ByteView passphrase, const VaultHeader& h) {
  StreamKey key;
  // An empty passphrase may have a null data pointer, which libsodium rejects.
  const char* pw = passphrase.empty() ? "" : reinterpret_cast<const char*>(passphrase.data());
  if (crypto_pwhash(key.data(), key.size(), pw, passphrase.size(),
                    h.salt.data(), h.params.opslimit, static_cast<std::size_t>(h.params.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();
  }
  return key;
}

// Two subkeys of the Argon2id output, one per purpose, so the value stored in
// the header is never computed with the key that encrypts.
template <std::size_t N, std::size_t L>
std::array<std::uint8_t, N> subkey(const StreamKey& master, const char (&label)[L]) {
  std::array<std::uint8_t, N> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const std::uint8_t*>(label), L - 1,
                     master.data(), master.size());
  return out;
}

// A MAC of a fixed string tells a wrong passphrase apart from a damaged file.
KeyCheck key_check(const StreamKey& master) { return subkey<kKeyCheckSize>(master, kKeyCheckLabel); }

StreamKey stream_key(const StreamKey& master) {
  auto bytes = subkey<detail::kStreamKeySize>(master, kStreamKeyLabel);
  StreamKey key;
  std::copy(bytes.begin(), bytes.end(), key.data());
  wipe(bytes.data(), bytes.size());
  return key;
}

}  // namespace

// ---- sealing ----

struct VaultSealer::Impl {
  Impl(ByteView passphrase, VaultHeader h)
      : header(h), writer(derive(passphrase), kVaultChunkSize) {
    header.stream_header = writer.stream_header();
    writer.start(header_encode(header), out);
  }

  // Derives the key, records its check value, and hands the stream subkey to the writer.
  StreamKey derive(ByteView passphrase) {
    const StreamKey master = derive_key(passphrase, header);
    header.key_check = key_check(master);
    return stream_key(master);
  }

  VaultHeader header;
  detail::FrameWriter writer;
  Bytes out;
  bool finished = false;
};

VaultSealer::VaultSealer(std::string_view passphrase, const VaultParams& params) {
  detail::ensure_sodium();
  if (passphrase.empty()) throw Error(ErrorCode::invalid_argument, "the passphrase is empty");
  if (!params_in_bounds(params)) throw Error(ErrorCode::invalid_argument, "vault parameters out of bounds: " + bounds_text());
  if (vault_below_floor(params) && !g_below_floor_allowed) throw Error(ErrorCode::invalid_argument, floor_text());
  VaultHeader h;
  h.params = params;
  randombytes_buf(h.salt.data(), h.salt.size());
  impl_ = std::make_unique<Impl>(passphrase, h);
}

VaultSealer::~VaultSealer() = default;

void VaultSealer::write(ByteView plaintext) {
  if (impl_->finished) throw std::logic_error("VaultSealer::write after finish()");
  impl_->writer.write(plaintext, impl_->out);
}

Bytes VaultSealer::take() {
  Bytes result;
  result.swap(impl_->out);
  return result;
}

Bytes VaultSealer::finish() {
  if (impl_->finished) throw std::logic_error("VaultSealer::finish called twice");
  impl_->writer.finish(impl_->out);
  impl_->finished = true;
  return take();
}

// ---- opening ----

struct VaultOpener::Impl {
  explicit Impl(std::string_view pass) : passphrase(pass.begin(), pass.end()) {}

  void write(ByteView in) {
    in = read_header(in);
    if (reader && !reader->done()) {
      in = in.sub(reader->read(in, [this](std::uint64_t, ByteView plain) {
        out.insert(out.end(), plain.begin(), plain.end());
      }));
    }
    if (!in.empty()) throw Error(ErrorCode::tampered, "data follows the vault's end marker");
  }

  ByteView read_header(ByteView in) {
    if (reader) return in;
    const std::size_t n = std::min(kVaultHeaderSize - header_len, in.size());
    std::copy(in.begin(), in.begin() + n, header_bytes.begin() + static_cast<std::ptrdiff_t>(header_len));
    header_len += n;
    detail::check_magic(ByteView(header_bytes.data(), header_len), kVaultMagic, "vault");
    if (header_len == kVaultHeaderSize) on_header();
    return in.sub(n);
  }

  void on_header() {
    const VaultHeader h = header_decode(header_bytes);
    const StreamKey master = derive_key(passphrase, h);
    SecretBytes().swap(passphrase);  // wiped: no longer needed
    const KeyCheck check = key_check(master);
    if (sodium_memcmp(check.data(), h.key_check.data(), check.size()) != 0) {
      throw Error(ErrorCode::wrong_passphrase, "the passphrase does not unlock this vault");
    }
    reader.emplace(stream_key(master), h.stream_header, header_bytes);
  }

  void finish() {
    if (!reader) detail::throw_short_header(header_len, kVaultHeaderSize, "vault");
    reader->finish();
  }

  SecretBytes passphrase;
  std::array<std::uint8_t, kVaultHeaderSize> header_bytes{};
  std::size_t header_len = 0;
  std::optional<detail::FrameReader> reader;
  Bytes out;  // provisional plaintext
  bool spent = false;
};

VaultOpener::VaultOpener(std::string_view passphrase) {
  detail::ensure_sodium();
  impl_ = std::make_unique<Impl>(passphrase);
}

VaultOpener::~VaultOpener() = default;

void VaultOpener::write(ByteView bytes) {
  if (impl_->spent) throw std::logic_error("VaultOpener used after an error or finish()");
  try {
    impl_->write(bytes);
  } catch (...) {
    impl_->spent = true;
    throw;
  }
}

Bytes VaultOpener::take() {
  Bytes result;
  result.swap(impl_->out);
  return result;
}

void VaultOpener::finish() {
  if (impl_->spent) throw std::logic_error("VaultOpener used after an error or finish()");
  impl_->spent = true;
  impl_->finish();
}

// ---- whole buffers ----

Bytes vault_seal(std::string_view passphrase, ByteView plaintext, const VaultParams& params) {
  VaultSealer sealer(passphrase, params);
  sealer.write(plaintext);
  return sealer.finish();
}

Bytes vault_open(std::string_view passphrase, ByteView vault) {
  VaultOpener opener(passphrase);
  opener.write(vault);
  opener.finish();
  return opener.take();
}

VaultParams vault_params(ByteView vault) { return header_decode(vault).params; }

bool vault_below_floor(const VaultParams& params) {
  return params.opslimit < kVaultSealOpsLimitFloor || params.memlimit < kVaultSealMemLimitFloor;
}

namespace testing {
void allow_vault_params_below_floor(bool allow) { g_below_floor_allowed = allow; }
bool vault_params_below_floor_allowed() { return g_below_floor_allowed; }
}  // namespace testing

}  // namespace chartlock::crypto
