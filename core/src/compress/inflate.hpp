// SPDX-License-Identifier: Apache-2.0
// Raw DEFLATE (RFC 1951, no zlib or gzip header) decompression with a hard
// output limit: SMART Health Card payloads are compressed this way, and a few
// hundred bytes of DEFLATE can expand to gigabytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chartlock::compress {

enum class InflateError {
  malformed,  // not valid DEFLATE, or it ends before its final block
  too_large,  // would expand past max_out bytes
  trailing,   // bytes follow the final block
};

struct Inflated {
  std::string bytes;                  // when !error
  std::optional<InflateError> error;  // what was wrong
};

// Decompresses all of `in`; stops as soon as the output would pass max_out.
Inflated inflate_raw(std::string_view in, std::size_t max_out);

}  // namespace chartlock::compress
