// SPDX-License-Identifier: Apache-2.0
// Reading SMART Health Cards: the JWS texts an input holds (file, JWS or QR
// numeric text), and one JWS verified, inflated and opened to its FHIR Bundle.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/crypto/jws.hpp"
#include "chartlock/diagnostic.hpp"
#include "chartlock/health_card.hpp"
#include "chartlock/json_limits.hpp"

namespace chartlock::shc {

// The card's shape, by content.
enum class Shape { none, file, jws, qr };
Shape shape_of(std::string_view bytes);

// The JWS texts of the input, in order. Throws IngestError(card_malformed or
// too_large) naming `source`.
std::vector<std::string> card_jws(std::string_view bytes, const std::string& source,
                                  simdjson::dom::parser& parser);

// "shc:/" + digits (one QR code) → the JWS. Throws IngestError(card_malformed).
std::string qr_numeric_decode(std::string_view text, const std::string& source);

// The keys to verify with, each bound to its issuer (empty: any).
struct IssuerKey {
  std::string issuer;
  crypto::jws::EcPublicKey key;
};
// Throws std::invalid_argument naming which JWKS is not one.
std::vector<IssuerKey> key_ring(const std::vector<CardKeys>& keys);

struct OpenedCard {
  std::string issuer;
  std::string kid;
  bool verified = false;
  std::optional<Diagnostic> unverified_because;  // when kept unverified
  std::string bundle;  // the FHIR Bundle, minified JSON
};

// Verifies (before anything of the payload is read), inflates and opens one
// JWS. A bad signature or an unknown key throws IngestError unless
// allow_unverified; malformed cards always throw.
OpenedCard open_card(std::string_view jws, const std::vector<IssuerKey>& keys, bool allow_unverified,
                     const std::string& source, simdjson::dom::parser& parser, const JsonLimits& limits);

// The card's iss and kid, unverified (for fetching the issuer's keys).
CardIssuer peek_issuer(std::string_view jws, const std::string& source, simdjson::dom::parser& parser,
                       const JsonLimits& limits);

}  // namespace chartlock::shc
