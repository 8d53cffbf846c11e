// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a SMART Health Link's JWE (jwe.hpp) as the relay checks
// it on upload (jwe_inspect, no key) and as a recipient opens it
// (jwe_decrypt with the fixed key of the seeds, fuzz/seeds/jwe/, so
// mutations reach the AES-GCM tag check, not only the parser); and the input
// as a plaintext, encrypted and decrypted again.
//
// Oracles: every refusal is a crypto::Error (anything else escapes and is a
// crash); inspect and decrypt agree (decrypt never accepts what inspect
// refuses, and names the same content type); a round trip gives back the
// input and its content type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/jwe.hpp"
#include "fixed_keys.hpp"

namespace {

using namespace chartlock;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const crypto::JweKey key = fuzz::fixed_jwe_key();
  static const bool aes = crypto::jwe_available();
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  std::optional<crypto::JweHeader> header;
  try {
    header = crypto::jwe_inspect(text);
  } catch (const crypto::Error&) {
  }
  if (aes) {
    try {
      const crypto::JweContent opened = crypto::jwe_decrypt(text, key);
      if (!header || opened.content_type != header->content_type) std::abort();
    } catch (const crypto::Error& e) {
      // A structure inspect accepts is refused for its tag, nothing else.
      if (header && e.code() != crypto::ErrorCode::tampered) std::abort();
    }

    // The input as a plaintext (content type from its first bytes, when printable).
    const std::string cty = size > 0 && data[0] >= 0x21 && data[0] <= 0x7e ? std::string(1, static_cast<char>(data[0]))
                                                                            : "application/fhir+json";
    const std::string jwe = crypto::jwe_encrypt(crypto::ByteView(data, size), key, cty);
    const crypto::JweContent back = crypto::jwe_decrypt(jwe, key);
    if (back.content_type != cty || back.plaintext.size() != size) std::abort();
    for (std::size_t i = 0; i < size; ++i) {
      if (back.plaintext[i] != data[i]) std::abort();
    }
  }
  return 0;
}
