// SPDX-License-Identifier: Apache-2.0
#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "chartlock/crypto/detail/bundle.hpp"
#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto {
namespace {

// Forwards parts to the caller's sink and hashes part 0, the receipt.
class ReceiptTap : public PartSink {
 public:
  explicit ReceiptTap(PartSink& next) : next_(next) { crypto_generichash_init(&hash_, nullptr, 0, 32); }
  void begin_part(const PartInfo& info) override {
    ++parts_;
    next_.begin_part(info);
  }
  void part_data(ByteView bytes) override {
    if (parts_ == 1) crypto_generichash_update(&hash_, bytes.data(), bytes.size());
    next_.part_data(bytes);
  }
  bool matches(const Digest& expected) {
    Digest d{};
    crypto_generichash_final(&hash_, d.data(), d.size());
    return sodium_memcmp(d.data(), expected.data(), d.size()) == 0;
  }

 private:
  PartSink& next_;
  crypto_generichash_state hash_{};
  std::uint64_t parts_ = 0;
};

// Collects parts in memory for bundle_open(); grows only as bytes arrive, so a
// hostile declared size allocates nothing. Part 0 is the receipt (the
// decoder forwards nothing once the first part is not).
class CollectingSink : public PartSink {
 public:
  void begin_part(const PartInfo& info) override {
    if (!has_receipt_) {
      has_receipt_ = true;
      current_ = &receipt_;
      return;
    }
    parts_.push_back(Part{info.name, info.media_type, {}});
    current_ = &parts_.back().bytes;
  }
  void part_data(ByteView bytes) override { current_->insert(current_->end(), bytes.begin(), bytes.end()); }

  OpenedBundle take(const BundleHeader& header) {
    return OpenedBundle{header, std::move(receipt_), std::move(parts_)};
  }

 private:
  bool has_receipt_ = false;
  Bytes receipt_;
  std::vector<Part> parts_;
  Bytes* current_ = nullptr;
};

}  // namespace

struct BundleOpener::Impl {
  Impl(const BoxKeyPair& recipient_in, const OpenOptions& options_in, PartSink& sink)
      : recipient(recipient_in), options(options_in), tap(sink), parts(tap) {
    crypto_sign_init(&sign);
  }

  void write(ByteView in) {
    in = read_header(in);
    if (reader && !reader->done()) {
      const std::size_t used =
          reader->read(in, [this](std::uint64_t index, ByteView plain) { on_chunk(index, plain); });
      crypto_sign_update(&sign, in.data(), used);
      in = in.sub(used);
    }
    if (in.empty()) return;
    if (in.size() > signature.size() - signature_len) throw Error(ErrorCode::tampered, "data follows the signature");
    std::copy(in.begin(), in.end(), signature.begin() + static_cast<std::ptrdiff_t>(signature_len));
    signature_len += in.size();
  }

  // Takes header bytes from the front of `in`; returns the rest.
  ByteView read_header(ByteView in) {
    if (header) return in;
    const std::size_t n = std::min(kBundleHeaderSize - header_len, in.size());
    std::copy(in.begin(), in.begin() + n, header_bytes.begin() + static_cast<std::ptrdiff_t>(header_len));
    header_len += n;
    detail::check_magic(ByteView(header_bytes.data(), header_len), detail::kBundleMagic, "share bundle");
    crypto_sign_update(&sign, in.data(), n);
    if (header_len == kBundleHeaderSize) on_header();
    return in.sub(n);
  }

  void on_header() {
    const BundleHeader h = detail::bundle_header_decode(header_bytes);
    if (h.recipient_pk != recipient.public_key) {
      throw Error(ErrorCode::wrong_recipient, "the bundle is sealed to a different recipient key");
    }
    if (!box_keypair_check(recipient)) {
      throw Error(ErrorCode::wrong_key, "the recipient's secret key does not match its public key");
    }
    reader.emplace(detail::bundle_key_recipient(recipient, h.ephemeral_pk), h.stream_header, header_bytes);
    header = h;
  }

  void on_chunk(std::uint64_t index, ByteView plaintext) {
    // Chunk 0 authenticated the header: now the signer field can be trusted
    // to be what the sealer wrote (the signature proves who that was).
    if (index == 0 && options.expected_signer && header->signer_pk != *options.expected_signer) {
      throw Error(ErrorCode::wrong_signer, "the bundle is signed by a key other than the expected one");
    }
    parts.write(plaintext);
  }

  BundleHeader finish() {
    if (!header) detail::throw_short_header(header_len, kBundleHeaderSize, "share bundle");
    reader->finish();
    if (signature_len < signature.size()) throw Error(ErrorCode::truncated, "the bundle ends inside its signature");
    if (crypto_sign_final_verify(&sign, signature.data(), header->signer_pk.data()) != 0) {
      throw Error(ErrorCode::bad_signature, "the signature does not verify with the signer key in the header");
    }
    // Authentic from here on: report content errors.
    if (auto error = parts.finish()) throw *error;
    if (header->expires_at <= header->created_at) {
      throw Error(ErrorCode::malformed, "expires_at is not later than created_at");
    }
    if (!tap.matches(header->receipt_digest)) {
      throw Error(ErrorCode::receipt_mismatch, "the consent receipt does not match the digest in the header");
    }
    if (options.check_expiry && *options.now > header->expires_at) {
      throw Error(ErrorCode::expired, "the bundle expired at " + std::to_string(header->expires_at) +
                                          " (unix time); now is " + std::to_string(*options.now));
    }
    return *header;
  }

  BoxKeyPair recipient;
  OpenOptions options;
  ReceiptTap tap;
  detail::PartDecoder parts;
  crypto_sign_state sign{};
  detail::HeaderBytes header_bytes{};
  std::size_t header_len = 0;
  std::optional<BundleHeader> header;  // set once the header passed its checks
  std::optional<detail::FrameReader> reader;
  std::array<std::uint8_t, kBundleSignatureSize> signature{};
  std::size_t signature_len = 0;
  bool spent = false;
};

BundleOpener::BundleOpener(const BoxKeyPair& recipient, const OpenOptions& options, PartSink& sink) {
  detail::ensure_sodium();
  if (options.check_expiry && !options.now) {
    throw Error(ErrorCode::invalid_argument, "checking expiry needs the current time");
  }
  impl_ = std::make_unique<Impl>(recipient, options, sink);
}

BundleOpener::~BundleOpener() = default;

const BundleHeader* BundleOpener::header() const noexcept {
  return impl_->header ? &*impl_->header : nullptr;
}

void BundleOpener::write(ByteView bytes) {
  if (impl_->spent) throw std::logic_error("BundleOpener used after an error or finish()");
  try {
    impl_->write(bytes);
  } catch (...) {
    impl_->spent = true;
    throw;
  }
}

BundleHeader BundleOpener::finish() {
  if (impl_->spent) throw std::logic_error("BundleOpener used after an error or finish()");
  impl_->spent = true;
  return impl_->finish();
}

OpenedBundle bundle_open(ByteView bundle, const BoxKeyPair& recipient, const OpenOptions& options) {
  CollectingSink sink;
  BundleOpener opener(recipient, options, sink);
  opener.write(bundle);
  const BundleHeader header = opener.finish();
  return sink.take(header);
}

BundleHeader bundle_peek(ByteView bundle) { return detail::bundle_header_decode(bundle); }

}  // namespace chartlock::crypto
