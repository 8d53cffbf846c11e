// SPDX-License-Identifier: Apache-2.0
// Internal: the framing shared by vaults and share bundles, so it is written
// (and reviewed) once.
//
//   file header (ends with the 24-byte secretstream header)
//   frame*      u32 LE length L, then L bytes of secretstream ciphertext
//   end marker  u32 LE 0
//
// Chunk 0 is authenticated together with the whole file header (its AD);
// later chunks have no AD; the last chunk carries TAG_FINAL. secretstream's
// internal counter makes dropped, duplicated or reordered chunks fail, FINAL
// makes truncation at a chunk boundary visible, and the end marker makes
// anything after the final chunk visible.
#pragma once

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "chartlock/crypto/bytes.hpp"

namespace chartlock::crypto::detail {

inline constexpr std::size_t kStreamKeySize = crypto_secretstream_xchacha20poly1305_KEYBYTES;
inline constexpr std::size_t kStreamHeaderSize = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
inline constexpr std::size_t kChunkOverhead = crypto_secretstream_xchacha20poly1305_ABYTES;
inline constexpr std::size_t kMaxChunkSize = std::size_t{1} << 20;
inline constexpr std::uint32_t kMaxFrameLength = kMaxChunkSize + kChunkOverhead;
inline constexpr std::size_t kFrameLengthSize = 4;

using StreamKey = SecretArray<kStreamKeySize>;
using StreamHeader = std::array<std::uint8_t, kStreamHeaderSize>;
using Magic = std::array<std::uint8_t, 8>;

// Error(not_a_bundle) unless `data` (possibly shorter than the magic) is a
// prefix of `magic` or starts with it. `what` names the format in the message.
void check_magic(ByteView data, const Magic& magic, const char* what);

// Error(truncated) for a file shorter than its fixed header, after the magic
// check has passed on what is there.
[[noreturn]] void throw_short_header(std::size_t have, std::size_t need, const char* what);

// Encrypts plaintext written in any pieces into frames of chunk_size bytes of
// plaintext (the last chunk 1..chunk_size bytes, or 0 if there was none).
class FrameWriter {
 public:
  // Error(invalid_argument) unless 1 <= chunk_size <= kMaxChunkSize.
  FrameWriter(const StreamKey& key, std::size_t chunk_size);
  ~FrameWriter();
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // The random secretstream header; the file header must end with it.
  const StreamHeader& stream_header() const noexcept { return header_; }
  // Appends the file header to `out` and binds it as chunk 0's AD.
  void start(ByteView file_header, Bytes& out);
  void write(ByteView plaintext, Bytes& out);
  // Emits the last chunk with TAG_FINAL, then the end marker.
  void finish(Bytes& out);

 private:
  void emit(bool final, Bytes& out);

  crypto_secretstream_xchacha20poly1305_state state_{};
  StreamHeader header_{};
  std::size_t chunk_size_;
  SecretBytes buffer_;  // plaintext of the chunk being filled
  Bytes first_ad_;
  std::uint64_t chunks_ = 0;
  enum class Phase { created, started, finished } phase_ = Phase::created;
};

// Decrypts frames fed in pieces of any size. Errors: tampered (a chunk fails
// authentication, or data follows the final chunk), truncated (an end marker
// before the final chunk; finish() before the end marker), malformed (a frame
// length outside 17..kMaxFrameLength, an unknown chunk tag).
class FrameReader {
 public:
  using ChunkFn = std::function<void(std::uint64_t index, ByteView plaintext)>;

  FrameReader(const StreamKey& key, const StreamHeader& header, ByteView first_ad);
  ~FrameReader();
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;

  // Consumes frames and the end marker from the front of `in`, calling
  // on_chunk for each authenticated chunk. Returns the bytes consumed: all of
  // `in` unless the end marker was reached (what follows is the caller's).
  std::size_t read(ByteView in, const ChunkFn& on_chunk);
  bool done() const noexcept { return phase_ == Phase::done; }
  // Error(truncated) unless the end marker has been read.
  void finish() const;

 private:
  bool fill(ByteView in, std::size_t& used, std::size_t want);
  void on_length(std::uint32_t length);
  void open_chunk(ByteView ciphertext, const ChunkFn& on_chunk);

  crypto_secretstream_xchacha20poly1305_state state_{};
  Bytes first_ad_;
  Bytes pending_;        // a length or frame split across read() calls
  SecretBytes plain_;    // the chunk being decrypted
  std::uint32_t frame_length_ = 0;
  std::uint64_t chunks_ = 0;
  enum class Phase { length, frame, end_marker, done } phase_ = Phase::length;
};

}  // namespace chartlock::crypto::detail
