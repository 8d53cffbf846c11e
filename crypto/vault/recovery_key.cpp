// SPDX-License-Identifier: Apache-2.0
// The recovery key as text a patient can write down and type back
// (docs/vault-format.md §7): Crockford base32 in 13 groups of five
// characters, four carrying the key and one checking its group.
#include <sodium.h>

#include <array>
#include <string>
#include <vector>

#include "chartlock/crypto/detail/sodium.hpp"
#include "chartlock/crypto/vault.hpp"

namespace chartlock::crypto {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kDataSymbols = kRecoveryKeyGroups * (kRecoveryKeyGroupSize - 1);  // 52: 256 bits + 4 zero bits
constexpr std::size_t kTextSymbols = kRecoveryKeyGroups * kRecoveryKeyGroupSize;       // 65
static_assert(kDataSymbols * 5 == kRecoveryKeySize * 8 + 4);

// GF(32) with x^5 + x^2 + 1: every weight below is a nonzero element, so one
// changed character always changes the check, and distinct weights make a
// swap of two neighbours change it too.
std::uint8_t gf32_mul(std::uint8_t a, std::uint8_t b) {
  std::uint8_t r = 0;
  for (int i = 0; i < 5; ++i) {
    if (b & 1) r ^= a;
    b >>= 1;
    a = static_cast<std::uint8_t>(a << 1);
    if (a & 0x20) a ^= 0x25;
  }
  return r;
}

// The check symbol of group g (0-based) over its four data symbols: the
// weights are x, x^2, x^3, x^4 (the check's own weight is 1); g + 1 is added
// so that a group typed in another group's place does not check.
std::uint8_t group_check(std::size_t g, const std::uint8_t* data) {
  std::uint8_t c = static_cast<std::uint8_t>(g + 1);
  std::uint8_t w = 2;
  for (std::size_t j = 0; j < kRecoveryKeyGroupSize - 1; ++j) {
    c ^= gf32_mul(w, data[j]);
    w = gf32_mul(w, 2);
  }
  return c;
}

// The value of a character, forgiving of case and of the letters Crockford
// reads as digits; -1 for anything else.
int symbol_of(char ch) {
  if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  if (ch == 'O') ch = '0';
  if (ch == 'I' || ch == 'L') ch = '1';
  for (int v = 0; v < 32; ++v) {
    if (kAlphabet[v] == ch) return v;
  }
  return -1;
}

bool is_separator(char ch) { return ch == ' ' || ch == '-' || ch == '\t' || ch == '\n' || ch == '\r'; }

[[noreturn]] void fail(std::size_t group, const std::string& message) { throw RecoveryKeyTextError(group, message); }

std::string group_name(std::size_t g) {
  return "group " + std::to_string(g + 1) + " of " + std::to_string(kRecoveryKeyGroups);
}

}  // namespace

RecoveryKey recovery_key_generate() {
  detail::ensure_sodium();
  RecoveryKey key;
  randombytes_buf(key.data(), key.size());
  return key;
}

SecretString recovery_key_encode(const RecoveryKey& key) {
  std::array<std::uint8_t, kDataSymbols> data{};
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < key.size(); ++i) {
    acc = (acc << 8) | key.data()[i];
    bits += 8;
    while (bits >= 5) {
      data[n++] = static_cast<std::uint8_t>((acc >> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  data[n++] = static_cast<std::uint8_t>((acc << (5 - bits)) & 31);  // the last bit, then four zero bits
  SecretString out;
  out.reserve(kTextSymbols + kRecoveryKeyGroups);
  for (std::size_t g = 0; g < kRecoveryKeyGroups; ++g) {
    if (g > 0) out.push_back('-');
    const std::uint8_t* d = &data[g * (kRecoveryKeyGroupSize - 1)];
    for (std::size_t j = 0; j + 1 < kRecoveryKeyGroupSize; ++j) out.push_back(kAlphabet[d[j]]);
    out.push_back(kAlphabet[group_check(g, d)]);
  }
  wipe(data.data(), data.size());
  acc = 0;
  return out;
}

RecoveryKey recovery_key_decode(std::string_view text) {
  // The groups as the patient separated them.
  std::vector<std::size_t> group_lengths;
  bool in_group = false;
  for (const char ch : text) {
    if (is_separator(ch)) {
      in_group = false;
      continue;
    }
    if (!in_group) group_lengths.push_back(0);
    in_group = true;
    ++group_lengths.back();
  }
  const bool spaced = group_lengths.size() == kRecoveryKeyGroups;
  // The characters; a wrong one is placed by the patient's own spacing, else by position.
  std::vector<std::uint8_t, SecretAllocator<std::uint8_t>> symbols;
  symbols.reserve(text.size());
  std::size_t token = 0;
  in_group = false;
  for (const char ch : text) {
    if (is_separator(ch)) {
      if (in_group) ++token;
      in_group = false;
      continue;
    }
    in_group = true;
    const int v = symbol_of(ch);
    if (v < 0) {
      const std::size_t g = spaced ? token : symbols.size() / kRecoveryKeyGroupSize;
      fail(g < kRecoveryKeyGroups ? g + 1 : 0,
           (g < kRecoveryKeyGroups ? group_name(g) : std::string("the recovery key")) +
               " has a character that is not in a recovery key (letters and digits, without U)");
    }
    symbols.push_back(static_cast<std::uint8_t>(v));
  }
  // Typed in 13 groups: a group of the wrong length is named.
  if (spaced) {
    for (std::size_t g = 0; g < kRecoveryKeyGroups; ++g) {
      if (group_lengths[g] != kRecoveryKeyGroupSize) {
        fail(g + 1, group_name(g) + " has " + std::to_string(group_lengths[g]) + " characters, expected " +
                        std::to_string(kRecoveryKeyGroupSize));
      }
    }
  }
  if (symbols.size() != kTextSymbols) {
    fail(0, "a recovery key has " + std::to_string(kTextSymbols) + " letters and digits (13 groups of 5); this has " +
                std::to_string(symbols.size()));
  }
  std::array<std::uint8_t, kDataSymbols> data{};
  for (std::size_t g = 0; g < kRecoveryKeyGroups; ++g) {
    const std::uint8_t* s = &symbols[g * kRecoveryKeyGroupSize];
    if (group_check(g, s) != s[kRecoveryKeyGroupSize - 1]) {
      fail(g + 1, group_name(g) + " is mistyped (its check character does not match)");
    }
    std::copy(s, s + kRecoveryKeyGroupSize - 1, data.begin() + static_cast<std::ptrdiff_t>(g * (kRecoveryKeyGroupSize - 1)));
  }
  if ((data[kDataSymbols - 1] & 0x0f) != 0) {
    fail(kRecoveryKeyGroups, group_name(kRecoveryKeyGroups - 1) + " is mistyped (it is not one a recovery key can end with)");
  }
  RecoveryKey key;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < kDataSymbols && n < key.size(); ++i) {
    acc = (acc << 5) | data[i];
    bits += 5;
    if (bits >= 8) {
      key.data()[n++] = static_cast<std::uint8_t>((acc >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  wipe(data.data(), data.size());
  acc = 0;
  return key;
}

}  // namespace chartlock::crypto
