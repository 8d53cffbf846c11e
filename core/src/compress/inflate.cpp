// SPDX-License-Identifier: Apache-2.0
#include "compress/inflate.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>
#include <new>

namespace chartlock::compress {

namespace {

struct Stream {
  z_stream z{};
  bool ready = false;
  Stream() {
    // Negative windowBits: raw DEFLATE, no header or checksum (RFC 1951).
    ready = inflateInit2(&z, -15) == Z_OK;
  }
  ~Stream() {
    if (ready) inflateEnd(&z);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
};

}  // namespace

Inflated inflate_raw(std::string_view in, std::size_t max_out) {
  Inflated out;
  Stream s;
  if (!s.ready) throw std::bad_alloc();
  // zlib counts in uInt: feed the input and take the output in slices.
  constexpr std::size_t slice = std::numeric_limits<uInt>::max() / 2;
  const auto* next_in = reinterpret_cast<const Bytef*>(in.data());
  std::size_t in_left = in.size();
  char buffer[16384];
  for (;;) {
    if (s.z.avail_in == 0 && in_left > 0) {
      const std::size_t n = std::min(in_left, slice);
      s.z.next_in = const_cast<Bytef*>(next_in);  // zlib's API is not const-correct; it only reads
      s.z.avail_in = static_cast<uInt>(n);
      next_in += n;
      in_left -= n;
    }
    s.z.next_out = reinterpret_cast<Bytef*>(buffer);
    s.z.avail_out = sizeof buffer;
    const int rc = inflate(&s.z, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - s.z.avail_out;
    if (produced > max_out - out.bytes.size()) {
      out.bytes.clear();
      out.error = InflateError::too_large;
      return out;
    }
    out.bytes.append(buffer, produced);
    if (rc == Z_STREAM_END) {
      if (s.z.avail_in != 0 || in_left != 0) {
        out.bytes.clear();
        out.error = InflateError::trailing;
      }
      return out;
    }
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    // Output space left over and no input to give: the stream ended before
    // its final block (truncated). Z_BUF_ERROR is that same case.
    const bool starved = s.z.avail_out != 0 && s.z.avail_in == 0 && in_left == 0;
    if ((rc != Z_OK && rc != Z_BUF_ERROR) || starved) {
      out.bytes.clear();
      out.error = InflateError::malformed;
      return out;
    }
  }
}

}  // namespace chartlock::compress
