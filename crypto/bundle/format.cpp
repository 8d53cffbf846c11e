// SPDX-License-Identifier: Apache-2.0
// The bundle header, the key agreement and the part encoding.
#include <sodium.h>

#include <algorithm>

#include "chartlock/crypto/detail/bundle.hpp"
#include "chartlock/crypto/detail/endian.hpp"
#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto::detail {
namespace {

// Offsets of the header fields (docs/bundle-format.md, "Header").
constexpr std::size_t kOffVersion = 8;
constexpr std::size_t kOffRecipient = 9;
constexpr std::size_t kOffEphemeral = 41;
constexpr std::size_t kOffSigner = 73;
constexpr std::size_t kOffGrant = 105;
constexpr std::size_t kOffSequence = 121;
constexpr std::size_t kOffCreated = 129;
constexpr std::size_t kOffExpires = 137;
constexpr std::size_t kOffDigest = 145;
constexpr std::size_t kOffStream = 177;
static_assert(kOffStream + kStreamHeaderSize == kBundleHeaderSize);

template <std::size_t N>
void put(std::uint8_t* out, const std::array<std::uint8_t, N>& field) {
  std::copy(field.begin(), field.end(), out);
}
template <std::size_t N>
void get(const std::uint8_t* in, std::array<std::uint8_t, N>& field) {
  std::copy(in, in + N, field.begin());
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1Fu; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0Fu; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07u; }
    else return false;
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3Fu);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

HeaderBytes bundle_header_encode(const BundleHeader& h) {
  HeaderBytes out{};
  put(&out[0], kBundleMagic);
  out[kOffVersion] = h.version;
  put(&out[kOffRecipient], h.recipient_pk);
  put(&out[kOffEphemeral], h.ephemeral_pk);
  put(&out[kOffSigner], h.signer_pk);
  put(&out[kOffGrant], h.grant_id);
  store_le<std::uint64_t>(&out[kOffSequence], h.sequence);
  store_le<std::int64_t>(&out[kOffCreated], h.created_at);
  store_le<std::int64_t>(&out[kOffExpires], h.expires_at);
  put(&out[kOffDigest], h.receipt_digest);
  put(&out[kOffStream], h.stream_header);
  return out;
}

BundleHeader bundle_header_decode(ByteView bytes) {
  check_magic(bytes, kBundleMagic, "share bundle");
  if (bytes.size() < kBundleHeaderSize) throw_short_header(bytes.size(), kBundleHeaderSize, "share bundle");
  const std::uint8_t* p = bytes.data();
  BundleHeader h;
  h.version = p[kOffVersion];
  if (h.version != kBundleVersion) {
    throw Error(ErrorCode::unsupported_version,
                "share bundle version " + std::to_string(h.version) + " (this build reads 1)");
  }
  get(p + kOffRecipient, h.recipient_pk);
  get(p + kOffEphemeral, h.ephemeral_pk);
  get(p + kOffSigner, h.signer_pk);
  get(p + kOffGrant, h.grant_id);
  h.sequence = load_le<std::uint64_t>(p + kOffSequence);
  h.created_at = load_le<std::int64_t>(p + kOffCreated);
  h.expires_at = load_le<std::int64_t>(p + kOffExpires);
  get(p + kOffDigest, h.receipt_digest);
  get(p + kOffStream, h.stream_header);
  return h;
}

StreamKey bundle_key_sender(const BoxKeyPair& ephemeral, const PublicKey& recipient_pk) {
  ensure_sodium();
  StreamKey rx, tx;
  if (crypto_kx_client_session_keys(rx.data(), tx.data(), ephemeral.public_key.data(),
                                    ephemeral.secret_key.data(), recipient_pk.data()) != 0) {
    throw Error(ErrorCode::invalid_argument, "the recipient key is not a usable X25519 public key");
  }
  return tx;
}

StreamKey bundle_key_recipient(const BoxKeyPair& recipient, const PublicKey& ephemeral_pk) {
  ensure_sodium();
  StreamKey rx, tx;
  if (crypto_kx_server_session_keys(rx.data(), tx.data(), recipient.public_key.data(),
                                    recipient.secret_key.data(), ephemeral_pk.data()) != 0) {
    throw Error(ErrorCode::tampered, "the ephemeral key in the header is not a usable X25519 key");
  }
  return rx;
}

const char* part_name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxPartFieldSize) return "part name must be 1..255 bytes";
  if (!valid_utf8(name)) return "part name is not valid UTF-8";
  return nullptr;
}

const char* media_type_problem(std::string_view media_type) {
  if (media_type.empty() || media_type.size() > kMaxPartFieldSize) return "media type must be 1..255 bytes";
  const bool printable = std::all_of(media_type.begin(), media_type.end(),
                                     [](char c) { return c >= 0x20 && c <= 0x7e; });
  return printable ? nullptr : "media type is not printable ASCII";
}

void part_header_encode(std::string_view name, std::string_view media_type, std::uint64_t size,
                        Bytes& out) {
  const std::size_t at = out.size();
  out.resize(at + 2 + name.size() + 2 + media_type.size() + 8);
  std::uint8_t* p = &out[at];
  store_le<std::uint16_t>(p, static_cast<std::uint16_t>(name.size()));
  p = std::copy(name.begin(), name.end(), p + 2);
  store_le<std::uint16_t>(p, static_cast<std::uint16_t>(media_type.size()));
  p = std::copy(media_type.begin(), media_type.end(), p + 2);
  store_le<std::uint64_t>(p, size);
}

// ---- PartDecoder ----

void PartDecoder::fail(const std::string& what) {
  error_ = Error(ErrorCode::malformed, "part " + std::to_string(count_) + ": " + what);
}

// Moves bytes from `in` into buffer_ until it holds `want`; true then.
bool PartDecoder::fill(ByteView& in, std::size_t want) {
  const std::size_t n = std::min(want - buffer_.size(), in.size());
  buffer_.append(reinterpret_cast<const char*>(in.data()), n);
  in = in.sub(n);
  return buffer_.size() == want;
}

void PartDecoder::write(ByteView in) {
  while (!in.empty() && !error_) {
    if (field_ == Field::body) {
      const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
      sink_.part_data(in.sub(0, n));
      in = in.sub(n);
      remaining_ -= n;
      if (remaining_ == 0) field_ = Field::name_length;
      continue;
    }
    if (!fill(in, want_)) return;
    on_field();
    buffer_.clear();
  }
}

// Called with a complete field in buffer_; validates it and picks the next.
void PartDecoder::on_field() {
  const auto* raw = reinterpret_cast<const std::uint8_t*>(buffer_.data());
  switch (field_) {
    case Field::name_length:
    case Field::media_length:
      want_ = load_le<std::uint16_t>(raw);
      if (want_ == 0 || want_ > kMaxPartFieldSize) {
        return fail(field_ == Field::name_length ? "name length must be 1..255"
                                                 : "media type length must be 1..255");
      }
      field_ = field_ == Field::name_length ? Field::name : Field::media;
      return;
    case Field::name:
      if (const char* problem = part_name_problem(buffer_)) return fail(problem);
      if (count_ == 0 && buffer_ != kReceiptPartName) return fail("the first part is not \"receipt\"");
      if (!names_.insert(buffer_).second) return fail("duplicate part name");
      part_.name = buffer_;
      field_ = Field::media_length;
      want_ = 2;
      return;
    case Field::media:
      if (const char* problem = media_type_problem(buffer_)) return fail(problem);
      if (count_ == 0 && buffer_ != kReceiptMediaType) return fail("the receipt's media type is not application/json");
      part_.media_type = buffer_;
      field_ = Field::size;
      want_ = 8;
      return;
    case Field::size:
      part_.size = remaining_ = load_le<std::uint64_t>(raw);
      ++count_;
      sink_.begin_part(part_);
      field_ = remaining_ == 0 ? Field::name_length : Field::body;
      want_ = 2;
      return;
    case Field::body:
      return;  // handled in write()
  }
}

std::optional<Error> PartDecoder::finish() const {
  if (error_) return error_;
  if (field_ != Field::name_length || !buffer_.empty()) {
    const std::uint64_t index = field_ == Field::body ? count_ - 1 : count_;
    return Error(ErrorCode::malformed, "the plaintext ends inside part " + std::to_string(index));
  }
  if (count_ == 0) return Error(ErrorCode::malformed, "the bundle has no parts");
  return std::nullopt;
}

}  // namespace chartlock::crypto::detail
