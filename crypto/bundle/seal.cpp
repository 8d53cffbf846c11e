// SPDX-License-Identifier: Apache-2.0
#include <sodium.h>

#include <set>
#include <stdexcept>

#include "chartlock/crypto/detail/bundle.hpp"
#include "chartlock/crypto/detail/sodium.hpp"

namespace chartlock::crypto {
namespace {

[[noreturn]] void invalid(const std::string& what) { throw Error(ErrorCode::invalid_argument, what); }

void check_meta(const BundleMeta& meta, ByteView receipt) {
  if (meta.expires_at <= meta.created_at) invalid("expires_at must be later than created_at");
  if (receipt.empty()) invalid("the consent receipt is empty");
}

}  // namespace

struct BundleSealer::Impl {
  Impl(const BundleMeta& meta, const SignKeyPair& signer, ByteView receipt,
       std::size_t chunk_size, const BoxKeyPair& ephemeral)
      : writer(detail::bundle_key_sender(ephemeral, meta.recipient_pk), chunk_size),
        signer_sk(signer.secret_key) {
    header.recipient_pk = meta.recipient_pk;
    header.ephemeral_pk = ephemeral.public_key;
    header.signer_pk = signer.public_key;
    header.grant_id = meta.grant_id;
    header.sequence = meta.sequence;
    header.created_at = meta.created_at;
    header.expires_at = meta.expires_at;
    header.receipt_digest = hash(receipt);
    header.stream_header = writer.stream_header();
    crypto_sign_init(&sign);
    writer.start(detail::bundle_header_encode(header), out);
  }

  // Every byte handed out is first fed to the signature.
  Bytes drain() {
    crypto_sign_update(&sign, out.data(), out.size());
    Bytes result;
    result.swap(out);
    return result;
  }

  void check_open(const char* what) const {
    if (finished) throw std::logic_error(std::string("BundleSealer::") + what + " after finish()");
  }

  detail::FrameWriter writer;
  SecretArray<64> signer_sk;
  crypto_sign_state sign{};
  BundleHeader header;
  Bytes out;
  std::set<std::string> names;
  std::uint64_t part_remaining = 0;
  bool finished = false;
};

BundleSealer::BundleSealer(const BundleMeta& meta, const SignKeyPair& signer, ByteView receipt,
                           std::size_t chunk_size)
    : BundleSealer(meta, signer, receipt, chunk_size, box_keypair()) {}

BundleSealer::BundleSealer(const BundleMeta& meta, const SignKeyPair& signer, ByteView receipt,
                           std::size_t chunk_size, const BoxKeyPair& ephemeral) {
  detail::ensure_sodium();
  check_meta(meta, receipt);
  if (!sign_keypair_check(signer)) throw Error(ErrorCode::wrong_key, "the signer's key halves do not match");
  impl_ = std::make_unique<Impl>(meta, signer, receipt, chunk_size, ephemeral);
  add_part(kReceiptPartName, kReceiptMediaType, receipt);
}

BundleSealer::~BundleSealer() = default;
BundleSealer::BundleSealer(BundleSealer&&) noexcept = default;
BundleSealer& BundleSealer::operator=(BundleSealer&&) noexcept = default;

const BundleHeader& BundleSealer::header() const noexcept { return impl_->header; }

void BundleSealer::begin_part(std::string_view name, std::string_view media_type, std::uint64_t size) {
  impl_->check_open("begin_part");
  if (impl_->part_remaining != 0) {
    invalid("the previous part is " + std::to_string(impl_->part_remaining) + " bytes short");
  }
  if (const char* problem = detail::part_name_problem(name)) invalid(problem);
  if (const char* problem = detail::media_type_problem(media_type)) invalid(problem);
  if (impl_->names.count(std::string(name))) invalid("duplicate part name (\"receipt\" is reserved)");
  impl_->names.emplace(name);
  Bytes encoded;
  detail::part_header_encode(name, media_type, size, encoded);
  impl_->writer.write(encoded, impl_->out);
  impl_->part_remaining = size;
}

void BundleSealer::write(ByteView bytes) {
  impl_->check_open("write");
  if (bytes.size() > impl_->part_remaining) invalid("more bytes than the part's declared size");
  impl_->writer.write(bytes, impl_->out);
  impl_->part_remaining -= bytes.size();
}

void BundleSealer::add_part(std::string_view name, std::string_view media_type, ByteView bytes) {
  begin_part(name, media_type, bytes.size());
  write(bytes);
}

Bytes BundleSealer::take() {
  impl_->check_open("take");
  return impl_->drain();
}

Bytes BundleSealer::finish() {
  impl_->check_open("finish");
  if (impl_->part_remaining != 0) {
    invalid("the last part is " + std::to_string(impl_->part_remaining) + " bytes short");
  }
  impl_->writer.finish(impl_->out);
  Bytes result = impl_->drain();
  std::array<std::uint8_t, kBundleSignatureSize> signature{};
  crypto_sign_final_create(&impl_->sign, signature.data(), nullptr, impl_->signer_sk.data());
  result.insert(result.end(), signature.begin(), signature.end());
  impl_->finished = true;
  impl_->signer_sk = SecretArray<64>();  // no longer needed
  return result;
}

GrantId grant_id_generate() {
  detail::ensure_sodium();
  GrantId id{};
  randombytes_buf(id.data(), id.size());
  return id;
}

Bytes bundle_seal(const SealRequest& request, const SignKeyPair& signer) {
  BundleSealer sealer(request.meta, signer, request.receipt, request.chunk_size);
  for (const Part& part : request.parts) sealer.add_part(part.name, part.media_type, part.bytes);
  return sealer.finish();
}

}  // namespace chartlock::crypto
