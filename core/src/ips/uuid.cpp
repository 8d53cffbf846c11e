// SPDX-License-Identifier: Apache-2.0
#include "ips/uuid.hpp"

#include <cstdint>

namespace chartlock::ips {

namespace {

std::uint64_t fnv1a(std::string_view s, std::uint64_t basis) {
  std::uint64_t h = basis;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

void put_hex(std::string& out, std::uint64_t v, int digits) {
  static const char* const kHex = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += kHex[(v >> (4 * i)) & 0xF];
}

}  // namespace

std::string urn_uuid(std::string_view name) {
  std::uint64_t hi = fnv1a(name, 0xcbf29ce484222325ULL);
  std::uint64_t lo = fnv1a(name, 0x84222325cbf29ce4ULL ^ hi);
  hi = (hi & ~0xF000ULL) | 0x8000ULL;                        // version 8
  lo = (lo & ~(0x3ULL << 62)) | (0x2ULL << 62);              // variant 10
  std::string out = "urn:uuid:";
  put_hex(out, hi >> 32, 8);
  out += '-';
  put_hex(out, (hi >> 16) & 0xFFFF, 4);
  out += '-';
  put_hex(out, hi & 0xFFFF, 4);
  out += '-';
  put_hex(out, lo >> 48, 4);
  out += '-';
  put_hex(out, lo & 0xFFFFFFFFFFFFULL, 12);
  return out;
}

}  // namespace chartlock::ips
