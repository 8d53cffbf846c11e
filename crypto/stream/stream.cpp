// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/detail/stream.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "chartlock/crypto/detail/endian.hpp"
#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto::detail {
namespace {

constexpr auto kTagMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr auto kTagFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;

std::string chunk_name(std::uint64_t index) { return "chunk " + std::to_string(index); }

}  // namespace

void check_magic(ByteView data, const Magic& magic, const char* what) {
  const std::size_t n = std::min(data.size(), magic.size());
  if (!std::equal(data.begin(), data.begin() + n, magic.begin())) {
    throw Error(ErrorCode::not_a_bundle, std::string("not a Chartlock ") + what +
                                             " (wrong magic bytes)");
  }
}

void throw_short_header(std::size_t have, std::size_t need, const char* what) {
  throw Error(ErrorCode::truncated,
              have == 0 ? std::string("empty input, expected a Chartlock ") + what
                        : std::string(what) + " ends inside its header (" + std::to_string(have) +
                              " of " + std::to_string(need) + " bytes)");
}

// ---- FrameWriter ----

FrameWriter::FrameWriter(const StreamKey& key, std::size_t chunk_size) : chunk_size_(chunk_size) {
  ensure_sodium();
  if (chunk_size == 0 || chunk_size > kMaxChunkSize) {
    throw Error(ErrorCode::invalid_argument, "chunk size must be 1.." +
                                                 std::to_string(kMaxChunkSize) + " bytes");
  }
  crypto_secretstream_xchacha20poly1305_init_push(&state_, header_.data(), key.data());
  buffer_.reserve(chunk_size_);
}

FrameWriter::~FrameWriter() { wipe(&state_, sizeof state_); }

void FrameWriter::start(ByteView file_header, Bytes& out) {
  if (phase_ != Phase::created) throw std::logic_error("FrameWriter::start called twice");
  first_ad_.assign(file_header.begin(), file_header.end());
  out.insert(out.end(), file_header.begin(), file_header.end());
  phase_ = Phase::started;
}

void FrameWriter::write(ByteView plaintext, Bytes& out) {
  if (phase_ != Phase::started) throw std::logic_error("FrameWriter::write outside start..finish");
  while (!plaintext.empty()) {
    // A full chunk is emitted only once more data arrives: until then it may
    // still be the last one, which must carry TAG_FINAL.
    if (buffer_.size() == chunk_size_) emit(false, out);
    const std::size_t n = std::min(chunk_size_ - buffer_.size(), plaintext.size());
    buffer_.insert(buffer_.end(), plaintext.begin(), plaintext.begin() + n);
    plaintext = plaintext.sub(n);
  }
}

void FrameWriter::finish(Bytes& out) {
  if (phase_ != Phase::started) throw std::logic_error("FrameWriter::finish outside start..finish");
  emit(true, out);
  const std::size_t at = out.size();
  out.resize(at + kFrameLengthSize);
  store_le<std::uint32_t>(&out[at], 0);  // end marker
  phase_ = Phase::finished;
}

void FrameWriter::emit(bool final, Bytes& out) {
  const std::size_t length = buffer_.size() + kChunkOverhead;  // <= kMaxFrameLength
  const std::size_t at = out.size();
  out.resize(at + kFrameLengthSize + length);
  store_le<std::uint32_t>(&out[at], static_cast<std::uint32_t>(length));
  const bool first = chunks_ == 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_, &out[at + kFrameLengthSize], nullptr, buffer_.data(), buffer_.size(),
      first ? first_ad_.data() : nullptr, first ? first_ad_.size() : 0,
      final ? kTagFinal : kTagMessage);
  buffer_.clear();
  if (first) Bytes().swap(first_ad_);
  ++chunks_;
}

// ---- FrameReader ----

FrameReader::FrameReader(const StreamKey& key, const StreamHeader& header, ByteView first_ad)
    : first_ad_(first_ad.begin(), first_ad.end()) {
  ensure_sodium();
  // Cannot fail for a 24-byte header: it only derives the subkey and nonce.
  crypto_secretstream_xchacha20poly1305_init_pull(&state_, header.data(), key.data());
}

FrameReader::~FrameReader() { wipe(&state_, sizeof state_); }

// Moves bytes from in[used..] into pending_ until it holds `want`; true then.
bool FrameReader::fill(ByteView in, std::size_t& used, std::size_t want) {
  const std::size_t n = std::min(want - pending_.size(), in.size() - used);
  pending_.insert(pending_.end(), in.begin() + used, in.begin() + used + n);
  used += n;
  return pending_.size() == want;
}

std::size_t FrameReader::read(ByteView in, const ChunkFn& on_chunk) {
  std::size_t used = 0;
  while (used < in.size() && phase_ != Phase::done) {
    if (phase_ == Phase::frame) {
      if (pending_.empty() && in.size() - used >= frame_length_) {
        open_chunk(in.sub(used, frame_length_), on_chunk);  // no copy when whole
        used += frame_length_;
      } else if (fill(in, used, frame_length_)) {
        open_chunk(pending_, on_chunk);
        pending_.clear();
      }
      continue;
    }
    if (!fill(in, used, kFrameLengthSize)) break;
    const auto length = load_le<std::uint32_t>(pending_.data());
    pending_.clear();
    on_length(length);
  }
  return used;
}

void FrameReader::on_length(std::uint32_t length) {
  if (phase_ == Phase::end_marker) {
    if (length != 0) throw Error(ErrorCode::tampered, "data follows the final chunk");
    phase_ = Phase::done;
    return;
  }
  if (length == 0) {
    throw Error(ErrorCode::truncated, "end marker before the final chunk (after " +
                                          std::to_string(chunks_) + " chunks)");
  }
  if (length < kChunkOverhead || length > kMaxFrameLength) {
    throw Error(ErrorCode::malformed, chunk_name(chunks_) + ": frame length " +
                                          std::to_string(length) + " is outside 17.." +
                                          std::to_string(kMaxFrameLength));
  }
  frame_length_ = length;
  pending_.reserve(length);
  phase_ = Phase::frame;
}

void FrameReader::open_chunk(ByteView ciphertext, const ChunkFn& on_chunk) {
  const bool first = chunks_ == 0;
  plain_.resize(ciphertext.size() - kChunkOverhead);
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(
          &state_, plain_.data(), nullptr, &tag, ciphertext.data(), ciphertext.size(),
          first ? first_ad_.data() : nullptr, first ? first_ad_.size() : 0) != 0) {
    throw Error(ErrorCode::tampered,
                first ? "the header or chunk 0 was altered (authentication failed)"
                      : chunk_name(chunks_) + " failed authentication (altered, dropped, "
                                              "reordered or duplicated)");
  }
  if (tag != kTagMessage && tag != kTagFinal) {
    throw Error(ErrorCode::malformed, chunk_name(chunks_) + " has an unexpected tag");
  }
  if (first) Bytes().swap(first_ad_);
  phase_ = tag == kTagFinal ? Phase::end_marker : Phase::length;
  on_chunk(chunks_++, plain_);
}

void FrameReader::finish() const {
  if (phase_ == Phase::done) return;
  throw Error(ErrorCode::truncated, phase_ == Phase::end_marker
                                        ? std::string("the input ends before the end marker")
                                        : "the input ends after " + std::to_string(chunks_) +
                                              " chunks, before the final chunk");
}

}  // namespace chartlock::crypto::detail
