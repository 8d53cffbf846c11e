// SPDX-License-Identifier: Apache-2.0
// A UTF-8 text's runs of non-ASCII bytes, and the text made Latin-1 in place
// when every run is U+0080-U+00FF: how bindings.cpp's js_text chooses the
// way a long text becomes a JavaScript string (docs/performance.md, "Wasm
// against native, a fourth time"). Plain C++, so the native tests hold it
// (tests/core/text_runs_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace chartlock::wasm {

// Where each run of bytes >= 0x80 in s starts and ends, as pairs of offsets.
// Eight ASCII bytes at a time: the summary has a run every kilobyte or so.
inline std::vector<std::uint32_t> non_ascii_runs(const std::string& s) {
  std::vector<std::uint32_t> runs;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    for (std::uint64_t word; i + 8 <= n; i += 8) {
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
    }
    while (i < n && p[i] < 0x80) ++i;
    if (i == n) break;
    const std::size_t start = i;
    while (i < n && p[i] >= 0x80) ++i;
    runs.push_back(static_cast<std::uint32_t>(start));
    runs.push_back(static_cast<std::uint32_t>(i));
  }
  return runs;
}

// True when every run is whole two-byte sequences of U+0080-U+00FF: a lead
// byte C2 or C3, then a continuation byte.
inline bool latin1_runs(const std::string& s, const std::vector<std::uint32_t>& runs) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t k = 0; k < runs.size(); k += 2) {
    if ((runs[k + 1] - runs[k]) % 2 != 0) return false;
    for (std::size_t i = runs[k]; i < runs[k + 1]; i += 2) {
      if ((p[i] != 0xC2 && p[i] != 0xC3) || (p[i + 1] & 0xC0) != 0x80) return false;
    }
  }
  return true;
}

// s made Latin-1 in place (latin1_runs holds): each two-byte sequence
// becomes its one byte, the ASCII between moved down. Returns the new length.
inline std::size_t to_latin1(std::string& s, const std::vector<std::uint32_t>& runs) {
  auto* p = reinterpret_cast<unsigned char*>(s.data());
  std::size_t out = 0;
  std::size_t at = 0;
  for (std::size_t k = 0; k < runs.size(); k += 2) {
    if (out != at) std::memmove(p + out, p + at, runs[k] - at);
    out += runs[k] - at;
    for (std::size_t i = runs[k]; i < runs[k + 1]; i += 2) {
      p[out++] = static_cast<unsigned char>((p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F));
    }
    at = runs[k + 1];
  }
  if (out != at) std::memmove(p + out, p + at, s.size() - at);
  return out + (s.size() - at);
}

}  // namespace chartlock::wasm
