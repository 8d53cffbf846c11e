// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: SMART Health Cards as the CLI and the widget read them.
// The input is read as a card (file, JWS or shc:/ text) with the example
// issuer's key (tests/fixtures/shc), once refusing unverified cards and once
// keeping them, so the fuzzer reaches the payload (DEFLATE, JSON, Bundle)
// without having to forge a signature; health_card_issuers on the same bytes;
// the QR numeric encoding and raw inflation on their own.
//
// Only IngestError and DifferentPersons may escape reading; a card read
// without allow_unverified_cards must say verified (a forgery that verified
// would be the finding); inflation never returns more than its limit.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "chartlock/diagnostic.hpp"
#include "chartlock/health_card.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/persons.hpp"
#include "compress/inflate.hpp"
#include "shc/card.hpp"

namespace {

// The spec's example issuer's first key (its kid is the thumbprint), public.
constexpr const char* kExampleJwks =
    R"({"keys":[{"kty":"EC","kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s","use":"sig","alg":"ES256",)"
    R"("crv":"P-256","x":"11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw","y":"eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8"}]})";

void check(bool ok) {
  if (!ok) std::abort();
}

void read(std::string_view input, bool allow_unverified) {
  chartlock::IngestOptions options;
  options.card_keys.push_back({"", kExampleJwks});
  options.allow_unverified_cards = allow_unverified;
  options.keep_raw = false;
  try {
    const chartlock::Record r = chartlock::ingest({chartlock::Source{"card", input}}, options);
    if (!allow_unverified) {
      for (const chartlock::SourceSummary& s : r.sources) check(!s.card || s.card->verified);
    }
  } catch (const chartlock::IngestError&) {
  } catch (const chartlock::DifferentPersons&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  read(input, false);
  read(input, true);
  try {
    (void)chartlock::health_card_issuers(input, "card");
  } catch (const chartlock::IngestError&) {
  }

  // Any text of the QR alphabet encodes and decodes back to itself.
  std::string text;
  for (char c : input) {
    if (c >= '-' && c <= 'z') text.push_back(c);
  }
  if (!text.empty()) check(chartlock::shc::qr_numeric_decode(chartlock::qr_numeric_encode(text), "qr") == text);

  // Raw DEFLATE straight from the input, under a small limit.
  constexpr std::size_t kLimit = 1 << 16;
  const chartlock::compress::Inflated inflated = chartlock::compress::inflate_raw(input, kLimit);
  check(inflated.bytes.size() <= kLimit);
  check(!inflated.error || inflated.bytes.empty());
  return 0;
}
