// SPDX-License-Identifier: Apache-2.0
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
using Key = SecretArray<32>;

constexpr detail::Magic kVaultMagic = {0x89, 'C', 'L', 'V', '\r', '\n', 0x1a, '\n'};
constexpr std::uint8_t kKdfArgon2id13 = 1;
constexpr std::size_t kSaltSize = crypto_pwhash_SALTBYTES;
constexpr std::size_t kCheckSize = 16;
constexpr std::size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kWrapSize = kVaultContentKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kSaltSize == 16 && kNonceSize == 24 && kWrapSize == 48);

// Version 1: the key derived from the passphrase encrypts the stream.
constexpr char kV1KeyCheckLabel[] = "chartlock vault v1 key check";
constexpr char kV1StreamKeyLabel[] = "chartlock vault v1 stream key";
// Version 2: one subkey per purpose, of the passphrase's key, of the
// recovery key and of the content key.
constexpr char kPassCheckLabel[] = "chartlock vault v2 passphrase check";
constexpr char kPassWrapLabel[] = "chartlock vault v2 passphrase wrap";
constexpr char kRecoveryCheckLabel[] = "chartlock vault v2 recovery check";
constexpr char kRecoveryWrapLabel[] = "chartlock vault v2 recovery wrap";
constexpr char kStreamKeyLabel[] = "chartlock vault v2 stream key";
// The additional data of each wrap: a slot cannot stand in for the other.
constexpr char kPassSlotAd[] = "chartlock vault v2 passphrase slot";
constexpr char kRecoverySlotAd[] = "chartlock vault v2 recovery slot";

// Offsets (docs/vault-format.md §1 and §2). Both versions share the first 54 bytes.
constexpr std::size_t kOffVersion = 8;
constexpr std::size_t kOffKdf = 9;
constexpr std::size_t kOffOps = 10;
constexpr std::size_t kOffMem = 14;
constexpr std::size_t kOffSalt = 22;
constexpr std::size_t kOffCheck = 38;  // v1 key check; v2 passphrase check
constexpr std::size_t kOffStreamV1 = 54;
constexpr std::size_t kOffPassNonce = 54;
constexpr std::size_t kOffPassWrap = 78;
constexpr std::size_t kOffRecovery = 126;
constexpr std::size_t kOffRecoveryCheck = 127;
constexpr std::size_t kOffRecoveryNonce = 143;
constexpr std::size_t kOffRecoveryWrap = 167;
constexpr std::size_t kOffStream = 215;
static_assert(kOffStreamV1 + detail::kStreamHeaderSize == kVaultHeaderSizeV1);
static_assert(kOffRecoveryWrap + kWrapSize == kOffStream && kOffStream == kVaultSlotsSize);
static_assert(kOffStream + detail::kStreamHeaderSize == kVaultHeaderSize);

using Check = std::array<std::uint8_t, kCheckSize>;
using Nonce = std::array<std::uint8_t, kNonceSize>;
using Wrap = std::array<std::uint8_t, kWrapSize>;
using Salt = std::array<std::uint8_t, kSaltSize>;
using Slots = std::array<std::uint8_t, kVaultSlotsSize>;

struct Header {
  std::uint8_t version = kVaultVersion;
  VaultParams params;
  Salt salt{};
  Check check{};  // v1: key check; v2: passphrase check
  // Version 2 only.
  Nonce pass_nonce{};
  Wrap pass_wrap{};
  bool has_recovery = false;
  Check recovery_check{};
  Nonce recovery_nonce{};
  Wrap recovery_wrap{};
  detail::StreamHeader stream_header{};
};

template <std::size_t N>
std::array<std::uint8_t, N> field(const std::uint8_t* p, std::size_t offset) {
  std::array<std::uint8_t, N> out{};
  std::copy(p + offset, p + offset + N, out.begin());
  return out;
}

template <std::size_t N>
void put(std::uint8_t* p, std::size_t offset, const std::array<std::uint8_t, N>& value) {
  std::copy(value.begin(), value.end(), p + offset);
}

bool all_zero(const std::uint8_t* p, std::size_t n) {
  return std::all_of(p, p + n, [](std::uint8_t b) { return b == 0; });
}

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

// The checks every new passphrase slot passes, whoever asks.
void check_new_passphrase(std::string_view passphrase, const VaultParams& params) {
  if (passphrase.empty()) throw Error(ErrorCode::invalid_argument, "the passphrase is empty");
  if (!params_in_bounds(params)) throw Error(ErrorCode::invalid_argument, "vault parameters out of bounds: " + bounds_text());
  if (vault_below_floor(params) && !g_below_floor_allowed) throw Error(ErrorCode::invalid_argument, floor_text());
}

// The header's size, from its version byte.
std::size_t header_size(std::uint8_t version) {
  if (version == kVaultVersion1) return kVaultHeaderSizeV1;
  if (version == kVaultVersion) return kVaultHeaderSize;
  throw Error(ErrorCode::unsupported_version, "vault version " + std::to_string(version) + " (this build reads 1 and 2)");
}

// Everything a header says, checked as far as it can be without a key.
Header header_decode(ByteView bytes) {
  detail::check_magic(bytes, kVaultMagic, "vault");
  if (bytes.size() <= kOffVersion) detail::throw_short_header(bytes.size(), kVaultHeaderSizeV1, "vault");
  const std::size_t size = header_size(bytes[kOffVersion]);
  if (bytes.size() < size) detail::throw_short_header(bytes.size(), size, "vault");
  const std::uint8_t* p = bytes.data();
  if (p[kOffKdf] != kKdfArgon2id13) {
    throw Error(ErrorCode::unsupported_version, "vault key derivation " + std::to_string(p[kOffKdf]) + " (this build knows 1, Argon2id)");
  }
  Header h;
  h.version = p[kOffVersion];
  h.params.opslimit = detail::load_le<std::uint32_t>(p + kOffOps);
  h.params.memlimit = detail::load_le<std::uint64_t>(p + kOffMem);
  // Before anything is allocated: the header is not authenticated yet.
  if (!params_in_bounds(h.params)) throw Error(ErrorCode::malformed, "vault parameters out of bounds: " + bounds_text());
  h.salt = field<kSaltSize>(p, kOffSalt);
  h.check = field<kCheckSize>(p, kOffCheck);
  if (h.version == kVaultVersion1) {
    h.stream_header = field<detail::kStreamHeaderSize>(p, kOffStreamV1);
    return h;
  }
  h.pass_nonce = field<kNonceSize>(p, kOffPassNonce);
  h.pass_wrap = field<kWrapSize>(p, kOffPassWrap);
  const std::uint8_t recovery = p[kOffRecovery];
  if (recovery > 1) throw Error(ErrorCode::malformed, "vault recovery slot marker " + std::to_string(recovery) + " (0 or 1)");
  h.has_recovery = recovery == 1;
  if (!h.has_recovery && !all_zero(p + kOffRecoveryCheck, kOffStream - kOffRecoveryCheck)) {
    throw Error(ErrorCode::malformed, "vault recovery slot marked absent but not empty");
  }
  h.recovery_check = field<kCheckSize>(p, kOffRecoveryCheck);
  h.recovery_nonce = field<kNonceSize>(p, kOffRecoveryNonce);
  h.recovery_wrap = field<kWrapSize>(p, kOffRecoveryWrap);
  h.stream_header = field<detail::kStreamHeaderSize>(p, kOffStream);
  return h;
}

// A version 2 header without its stream header.
Slots slots_encode(const Header& h) {
  Slots out{};
  std::copy(kVaultMagic.begin(), kVaultMagic.end(), out.begin());
  out[kOffVersion] = kVaultVersion;
  out[kOffKdf] = kKdfArgon2id13;
  detail::store_le<std::uint32_t>(&out[kOffOps], h.params.opslimit);
  detail::store_le<std::uint64_t>(&out[kOffMem], h.params.memlimit);
  put(out.data(), kOffSalt, h.salt);
  put(out.data(), kOffCheck, h.check);
  put(out.data(), kOffPassNonce, h.pass_nonce);
  put(out.data(), kOffPassWrap, h.pass_wrap);
  if (h.has_recovery) {
    out[kOffRecovery] = 1;
    put(out.data(), kOffRecoveryCheck, h.recovery_check);
    put(out.data(), kOffRecoveryNonce, h.recovery_nonce);
    put(out.data(), kOffRecoveryWrap, h.recovery_wrap);
  }
  return out;
}

// The slots of a VaultKeys, read as a header (with an empty stream header).
Header slots_decode(const Slots& slots) {
  std::array<std::uint8_t, kVaultHeaderSize> bytes{};
  std::copy(slots.begin(), slots.end(), bytes.begin());
  if (slots[kOffVersion] != kVaultVersion) {
    throw Error(ErrorCode::invalid_argument, "vault keys: not a version 2 header");
  }
  return header_decode(bytes);
}

// Argon2id v1.3; the parameters are within bounds (so memlimit fits size_t
// even in 32-bit wasm). Failure can only mean the memory was not available.
Key passphrase_key(ByteView passphrase, const Salt& salt, const VaultParams& params) {
  Key key;
  // An empty passphrase may have a null data pointer, which libsodium rejects.
  const char* pw = passphrase.empty() ? "" : reinterpret_cast<const char*>(passphrase.data());
  if (crypto_pwhash(key.data(), key.size(), pw, passphrase.size(), salt.data(), params.opslimit,
                    static_cast<std::size_t>(params.memlimit), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::bad_alloc();
  }
  return key;
}

// BLAKE2b keyed with a key over a label: one subkey per purpose, so the
// value stored in the header is never computed with a key that encrypts.
template <std::size_t L>
Check check_of(const Key& key, const char (&label)[L]) {
  Check out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const std::uint8_t*>(label), L - 1, key.data(),
                     key.size());
  return out;
}

template <std::size_t L>
Key subkey(const Key& key, const char (&label)[L]) {
  Key out;
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const std::uint8_t*>(label), L - 1, key.data(),
                     key.size());
  return out;
}

// XChaCha20-Poly1305 of the content key under a wrapping key.
template <std::size_t L>
Wrap wrap(const Key& content_key, const Key& wrap_key, const Nonce& nonce, const char (&ad)[L]) {
  Wrap out{};
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), nullptr, content_key.data(), content_key.size(),
                                             reinterpret_cast<const std::uint8_t*>(ad), L - 1, nullptr,
                                             nonce.data(), wrap_key.data());
  return out;
}

// The content key, or Error(tampered) when the wrap does not authenticate.
template <std::size_t L>
Key unwrap(const Wrap& wrapped, const Key& wrap_key, const Nonce& nonce, const char (&ad)[L], const char* slot) {
  Key out;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), nullptr, nullptr, wrapped.data(), wrapped.size(),
                                                 reinterpret_cast<const std::uint8_t*>(ad), L - 1, nonce.data(),
                                                 wrap_key.data()) != 0) {
    throw Error(ErrorCode::tampered, std::string("the vault's ") + slot + " slot fails authentication (the file was changed)");
  }
  return out;
}

// The passphrase slot of h: params and salt must be set; fills check, nonce and wrap.
void set_passphrase_slot(Header& h, const Key& pass_key, const Key& content_key) {
  h.check = check_of(pass_key, kPassCheckLabel);
  h.pass_wrap = wrap(content_key, subkey(pass_key, kPassWrapLabel), h.pass_nonce, kPassSlotAd);
}

void set_recovery_slot(Header& h, const RecoveryKey& recovery, const Key& content_key) {
  h.has_recovery = true;
  h.recovery_check = check_of(recovery, kRecoveryCheckLabel);
  h.recovery_wrap = wrap(content_key, subkey(recovery, kRecoveryWrapLabel), h.recovery_nonce, kRecoverySlotAd);
}

template <std::size_t N>
void fill_random(std::array<std::uint8_t, N>& a) { randombytes_buf(a.data(), a.size()); }

Key random_key() {
  Key k;
  randombytes_buf(k.data(), k.size());
  return k;
}

// Writes `header` (ending with the writer's stream header) and the plaintext's frames.
Bytes seal_frames(const StreamKey& stream_key, ByteView header_prefix, ByteView plaintext) {
  detail::FrameWriter writer(stream_key, kVaultChunkSize);
  Bytes header(header_prefix.begin(), header_prefix.end());
  header.insert(header.end(), writer.stream_header().begin(), writer.stream_header().end());
  Bytes out;
  writer.start(header, out);
  writer.write(plaintext, out);
  writer.finish(out);
  return out;
}

std::string no_second_way(bool has_recovery, const char* other) {
  return has_recovery ? std::string(" (its ") + other + " can; without both, nothing can)"
                      : std::string(", and it has no recovery key: without the passphrase it cannot be opened");
}

}  // namespace

// ---- keys ----

namespace {

VaultCreated create(std::string_view passphrase, const VaultParams& params, const Salt& salt,
                    const Nonce& pass_nonce, const Key& content_key, const RecoveryKey* recovery,
                    const Nonce& recovery_nonce) {
  detail::ensure_sodium();
  check_new_passphrase(passphrase, params);
  Header h;
  h.params = params;
  h.salt = salt;
  h.pass_nonce = pass_nonce;
  set_passphrase_slot(h, passphrase_key(passphrase, h.salt, h.params), content_key);
  VaultCreated out;
  if (recovery != nullptr) {
    h.recovery_nonce = recovery_nonce;
    set_recovery_slot(h, *recovery, content_key);
    out.recovery_key = *recovery;
  }
  out.keys.content_key = content_key;
  out.keys.slots = slots_encode(h);
  return out;
}

VaultCreated create_fresh(std::string_view passphrase, const VaultParams& params, bool with_recovery) {
  detail::ensure_sodium();
  Salt salt;
  Nonce pass_nonce, recovery_nonce;
  fill_random(salt);
  fill_random(pass_nonce);
  fill_random(recovery_nonce);
  const RecoveryKey recovery = recovery_key_generate();
  return create(passphrase, params, salt, pass_nonce, random_key(), with_recovery ? &recovery : nullptr,
                recovery_nonce);
}

}  // namespace

VaultCreated vault_create(std::string_view passphrase, ByteView plaintext, const VaultParams& params) {
  VaultCreated out = create_fresh(passphrase, params, true);
  out.vault = vault_reseal(out.keys, plaintext);
  return out;
}

VaultCreated vault_create_with_recovery_key(std::string_view passphrase, const RecoveryKey& recovery_key,
                                            ByteView plaintext, const VaultParams& params) {
  detail::ensure_sodium();
  Salt salt;
  Nonce pass_nonce, recovery_nonce;
  fill_random(salt);
  fill_random(pass_nonce);
  fill_random(recovery_nonce);
  VaultCreated out = create(passphrase, params, salt, pass_nonce, random_key(), &recovery_key, recovery_nonce);
  out.vault = vault_reseal(out.keys, plaintext);
  return out;
}

VaultCreated vault_make_recovery_key(std::string_view passphrase, ByteView vault, const VaultParams& params) {
  Bytes plaintext = vault_open(passphrase, vault);
  VaultCreated out = vault_create(passphrase, plaintext, params);
  wipe(plaintext.data(), plaintext.size());
  return out;
}

Bytes vault_seal(std::string_view passphrase, ByteView plaintext, const VaultParams& params) {
  return vault_reseal(create_fresh(passphrase, params, false).keys, plaintext);
}

Bytes vault_reseal(const VaultKeys& keys, ByteView plaintext) {
  VaultSealer sealer(keys);
  sealer.write(plaintext);
  return sealer.finish();
}

VaultKeys vault_change_passphrase(const VaultKeys& keys, std::string_view new_passphrase, const VaultParams& params) {
  detail::ensure_sodium();
  Header h = slots_decode(keys.slots);
  check_new_passphrase(new_passphrase, params);
  h.params = params;
  fill_random(h.salt);
  fill_random(h.pass_nonce);
  set_passphrase_slot(h, passphrase_key(new_passphrase, h.salt, h.params), keys.content_key);
  VaultKeys out;
  out.content_key = keys.content_key;
  out.slots = slots_encode(h);  // the recovery slot as it was
  return out;
}

// ---- sealing ----

struct VaultSealer::Impl {
  explicit Impl(const VaultKeys& keys) : writer(subkey(keys.content_key, kStreamKeyLabel), kVaultChunkSize) {
    std::array<std::uint8_t, kVaultHeaderSize> header{};
    std::copy(keys.slots.begin(), keys.slots.end(), header.begin());
    put(header.data(), kOffStream, writer.stream_header());
    writer.start(header, out);
  }

  detail::FrameWriter writer;
  Bytes out;
  bool finished = false;
};

VaultSealer::VaultSealer(std::string_view passphrase, const VaultParams& params)
    : VaultSealer(create_fresh(passphrase, params, false).keys) {}

VaultSealer::VaultSealer(const VaultKeys& keys) {
  detail::ensure_sodium();
  const Header h = slots_decode(keys.slots);
  if (vault_below_floor(h.params) && !g_below_floor_allowed) {
    throw Error(ErrorCode::invalid_argument, floor_text() + "; change the passphrase to seal with new parameters");
  }
  impl_ = std::make_unique<Impl>(keys);
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
  explicit Impl(const RecoveryKey& key) : recovery(key) {}

  void write(ByteView in) {
    in = read_header(in);
    if (reader && !reader->done()) {
      in = in.sub(reader->read(in, [this](std::uint64_t, ByteView plain) {
        out.insert(out.end(), plain.begin(), plain.end());
      }));
    }
    if (!in.empty()) throw Error(ErrorCode::tampered, "data follows the vault's end marker");
  }

  // Collects the header: its version byte says how long it is.
  ByteView read_header(ByteView in) {
    while (!reader && !in.empty()) {
      const std::size_t target = need != 0 ? need : kOffVersion + 1;
      const std::size_t n = std::min(target - header_len, in.size());
      std::copy(in.begin(), in.begin() + n, header_bytes.begin() + static_cast<std::ptrdiff_t>(header_len));
      header_len += n;
      in = in.sub(n);
      detail::check_magic(ByteView(header_bytes.data(), header_len), kVaultMagic, "vault");
      if (need == 0 && header_len > kOffVersion) need = header_size(header_bytes[kOffVersion]);
      if (need != 0 && header_len == need) on_header();
    }
    return in;
  }

  void on_header() {
    const ByteView header(header_bytes.data(), need);
    const Header h = header_decode(header);
    const StreamKey stream_key = recovery ? by_recovery_key(h) : by_passphrase(h);
    reader.emplace(stream_key, h.stream_header, header);
  }

  StreamKey by_passphrase(const Header& h) {
    const Key pass_key = passphrase_key(passphrase, h.salt, h.params);
    SecretBytes().swap(passphrase);  // wiped: no longer needed
    if (h.version == kVaultVersion1) {
      if (!equal(check_of(pass_key, kV1KeyCheckLabel), h.check)) {
        throw Error(ErrorCode::wrong_passphrase, "the passphrase does not unlock this vault" + no_second_way(false, ""));
      }
      upgrade_keys(h, pass_key);
      return subkey(pass_key, kV1StreamKeyLabel);
    }
    if (!equal(check_of(pass_key, kPassCheckLabel), h.check)) {
      throw Error(ErrorCode::wrong_passphrase, "the passphrase does not unlock this vault" + no_second_way(h.has_recovery, "recovery key"));
    }
    keys.emplace();
    keys->content_key = unwrap(h.pass_wrap, subkey(pass_key, kPassWrapLabel), h.pass_nonce, kPassSlotAd, "passphrase");
    keys->slots = field<kVaultSlotsSize>(header_bytes.data(), 0);
    return subkey(keys->content_key, kStreamKeyLabel);
  }

  StreamKey by_recovery_key(const Header& h) {
    if (!h.has_recovery) {
      throw Error(ErrorCode::no_recovery_key, h.version == kVaultVersion1
          ? "this vault (version 1) has no recovery key: only its passphrase opens it"
          : "this vault has no recovery key: only its passphrase opens it");
    }
    if (!equal(check_of(*recovery, kRecoveryCheckLabel), h.recovery_check)) {
      throw Error(ErrorCode::wrong_recovery_key, "this recovery key does not unlock this vault" + no_second_way(true, "passphrase"));
    }
    keys.emplace();
    keys->content_key = unwrap(h.recovery_wrap, subkey(*recovery, kRecoveryWrapLabel), h.recovery_nonce,
                               kRecoverySlotAd, "recovery key");
    keys->slots = field<kVaultSlotsSize>(header_bytes.data(), 0);
    return subkey(keys->content_key, kStreamKeyLabel);
  }

  // A version 1 vault's keys as version 2 ones: a new content key wrapped
  // with the same Argon2id output (same salt and parameters), no recovery key.
  void upgrade_keys(const Header& v1, const Key& pass_key) {
    Header h;
    h.params = v1.params;
    h.salt = v1.salt;
    fill_random(h.pass_nonce);
    keys.emplace();
    keys->content_key = random_key();
    set_passphrase_slot(h, pass_key, keys->content_key);
    keys->slots = slots_encode(h);
  }

  void finish() {
    if (!reader) detail::throw_short_header(header_len, need != 0 ? need : kVaultHeaderSizeV1, "vault");
    reader->finish();
  }

  SecretBytes passphrase;
  std::optional<RecoveryKey> recovery;
  std::array<std::uint8_t, kVaultHeaderSize> header_bytes{};
  std::size_t header_len = 0;
  std::size_t need = 0;  // the header's size, once its version is known
  std::optional<detail::FrameReader> reader;
  std::optional<VaultKeys> keys;
  Bytes out;  // provisional plaintext
  bool spent = false;
};

VaultOpener::VaultOpener(std::string_view passphrase) {
  detail::ensure_sodium();
  impl_ = std::make_unique<Impl>(passphrase);
}

VaultOpener::VaultOpener(const RecoveryKey& recovery_key) {
  detail::ensure_sodium();
  impl_ = std::make_unique<Impl>(recovery_key);
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

const VaultKeys& VaultOpener::keys() const {
  if (!impl_->keys) throw std::logic_error("VaultOpener::keys before the header was read");
  return *impl_->keys;
}

// ---- whole buffers ----

namespace {
template <class Credential>
VaultUnlocked unlock(const Credential& credential, ByteView vault) {
  VaultOpener opener(credential);
  opener.write(vault);
  opener.finish();
  VaultUnlocked out;
  out.plaintext = opener.take();
  out.keys = opener.keys();
  return out;
}
}  // namespace

VaultUnlocked vault_unlock(std::string_view passphrase, ByteView vault) { return unlock(passphrase, vault); }

VaultUnlocked vault_unlock_with_recovery_key(const RecoveryKey& key, ByteView vault) { return unlock(key, vault); }

Bytes vault_open(std::string_view passphrase, ByteView vault) { return vault_unlock(passphrase, vault).plaintext; }

Bytes vault_open_with_recovery_key(const RecoveryKey& key, ByteView vault) {
  return vault_unlock_with_recovery_key(key, vault).plaintext;
}

VaultInfo vault_info(ByteView vault) {
  const Header h = header_decode(vault);
  VaultInfo info;
  info.version = h.version;
  info.params = h.params;
  info.has_recovery_key = h.has_recovery;
  return info;
}

VaultParams vault_params(ByteView vault) { return header_decode(vault).params; }

bool vault_below_floor(const VaultParams& params) {
  return params.opslimit < kVaultSealOpsLimitFloor || params.memlimit < kVaultSealMemLimitFloor;
}

namespace testing {
void allow_vault_params_below_floor(bool allow) { g_below_floor_allowed = allow; }
bool vault_params_below_floor_allowed() { return g_below_floor_allowed; }

Bytes vault_seal_v1(std::string_view passphrase, ByteView plaintext, const VaultParams& params) {
  detail::ensure_sodium();
  check_new_passphrase(passphrase, params);
  Header h;
  fill_random(h.salt);
  const Key pass_key = passphrase_key(passphrase, h.salt, params);
  std::array<std::uint8_t, kOffStreamV1> prefix{};
  std::copy(kVaultMagic.begin(), kVaultMagic.end(), prefix.begin());
  prefix[kOffVersion] = kVaultVersion1;
  prefix[kOffKdf] = kKdfArgon2id13;
  detail::store_le<std::uint32_t>(&prefix[kOffOps], params.opslimit);
  detail::store_le<std::uint64_t>(&prefix[kOffMem], params.memlimit);
  put(prefix.data(), kOffSalt, h.salt);
  put(prefix.data(), kOffCheck, check_of(pass_key, kV1KeyCheckLabel));
  return seal_frames(subkey(pass_key, kV1StreamKeyLabel), prefix, plaintext);
}

VaultCreated vault_create_with(const VaultRandom& random, std::string_view passphrase, ByteView plaintext,
                               const VaultParams& params) {
  VaultCreated out = create(passphrase, params, random.salt, random.passphrase_nonce, random.content_key,
                            &random.recovery_key, random.recovery_nonce);
  out.vault = vault_reseal(out.keys, plaintext);
  return out;
}
}  // namespace testing

}  // namespace chartlock::crypto
