// SPDX-License-Identifier: Apache-2.0
// SMART Health Cards (spec.smarthealth.cards): a FHIR Bundle signed by its
// issuer (ES256 JWS, payload raw-DEFLATE compressed), held as a
// .smart-health-card file, as the JWS text, or as shc:/ QR numeric text.
// ingest() reads them like any other source; this header holds what a caller
// needs around that: the keys' form, the limits, and telling a card apart.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chartlock {

// One issuer's keys, as its /.well-known/jwks.json serves them (a JWKS).
// With an empty issuer the keys verify cards of any issuer (the CLI's
// --jwks FILE, where the patient vouches for the file).
struct CardKeys {
  std::string issuer;  // the iss the keys belong to; empty: any
  std::string jwks;    // JSON text {"keys": [...]}
};

// Limits on untrusted cards (docs/limits.md). A JWS that fits in QR codes is
// a few KB; a file may hold an IPS of tens of KB.
inline constexpr std::size_t max_card_jws_bytes = std::size_t{1} << 20;      // one JWS, compressed
inline constexpr std::size_t max_card_payload_bytes = std::size_t{8} << 20;  // its payload, inflated
inline constexpr std::size_t max_cards_per_source = 100;                     // JWSs in one file
inline constexpr std::size_t max_qr_chunks = 99;                             // shc:/N/M/… parts

// Whether the input is shaped like a card: shc:/ text, a compact JWS, or a
// JSON object with "verifiableCredential" (and no "resourceType").
bool looks_like_health_card(std::string_view bytes);

// What a card says about itself before it is verified: whose keys to fetch.
struct CardIssuer {
  std::string issuer;  // iss
  std::string kid;     // the signing key's thumbprint
};
// Per card in the input. Throws IngestError (card_malformed, too_large) as
// ingest() would; nothing here is trusted yet.
std::vector<CardIssuer> health_card_issuers(std::string_view bytes, const std::string& source_name);

// A JWS as QR numeric text "shc:/…" (each character as two digits, its code
// minus 45), the form a single QR code holds. std::invalid_argument for a
// character outside '-'…'z' (a JWS has none).
std::string qr_numeric_encode(std::string_view jws);

}  // namespace chartlock
