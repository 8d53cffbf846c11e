// SPDX-License-Identifier: Apache-2.0
#include "ips/uuid.hpp"

#include <cstdint>

#include "text/fnv1a.hpp"

namespace chartlock::ips {

namespace {

void put_hex(std::string& out, std::uint64_t v, int digits) {
  static const char* const kHex = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += kHex[(v >> (4 * i)) & 0xF];
}

}  // namespace

std::string urn_uuid(std::string_view name) {
  std::uint64_t hi = text::fnv1a(name);
  std::uint64_t lo = text::fnv1a(name, 0x84222325cbf29ce4ULL ^ hi);
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
