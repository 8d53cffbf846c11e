// SPDX-License-Identifier: Apache-2.0
#include "shc/card.hpp"

#include <algorithm>
#include <stdexcept>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "compress/inflate.hpp"
#include "json/json_parse.hpp"
#include "json/member_names.hpp"

namespace chartlock::shc {

namespace {

constexpr std::string_view kQrPrefix = "shc:/";
constexpr std::string_view kHealthCardType = "https://smarthealth.cards#health-card";

[[noreturn]] void fail(DiagnosticCode code, const std::string& source, std::string message) {
  throw IngestError(Diagnostic{code, source, "", 0, std::move(message)});
}
[[noreturn]] void malformed(const std::string& source, std::string message) {
  fail(DiagnosticCode::card_malformed, source, std::move(message));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // a UTF-8 byte order mark
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_base64url(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Shaped like a compact JWS: base64url parts, the header starting with '{"'
// (eyJ). A count of parts other than three is then a broken JWS, said as such.
bool is_compact_jws(std::string_view s) {
  return s.substr(0, 3) == "eyJ" && s.find('.') != std::string_view::npos &&
         std::all_of(s.begin(), s.end(), [](char c) { return c == '.' || is_base64url(c); });
}

// Small JSON texts (the JWS header) get tight limits of their own.
JsonLimits header_limits() {
  JsonLimits l;
  l.max_bytes = 4096;
  l.max_depth = 4;
  return l;
}

struct Jws {
  std::string_view signing_input;  // header.payload, as signed
  std::string_view payload;        // base64url
  std::string kid;
  crypto::Bytes signature;         // r || s
};

crypto::Bytes decode_part(std::string_view part, const std::string& source, const char* what) {
  try {
    return crypto::base64url_decode(part);
  } catch (const crypto::Error&) {
    malformed(source, std::string("the JWS ") + what + " is not base64url");
  }
}

Jws split_jws(std::string_view text, const std::string& source, simdjson::dom::parser& parser) {
  if (text.size() > max_card_jws_bytes) {
    fail(DiagnosticCode::too_large, source,
         "the card's JWS is " + std::to_string(text.size()) + " bytes; the limit is " +
             std::to_string(max_card_jws_bytes));
  }
  const std::size_t first = text.find('.');
  const std::size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos || text.find('.', second + 1) != std::string_view::npos ||
      first == 0 || second == first + 1 || second + 1 == text.size() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || is_base64url(c); })) {
    malformed(source, "not a compact JWS: expected three base64url parts separated by '.'");
  }
  Jws jws;
  jws.signing_input = text.substr(0, second);
  jws.payload = text.substr(first + 1, second - first - 1);
  const crypto::Bytes header = decode_part(text.substr(0, first), source, "header");
  simdjson::dom::element root;
  try {
    root = json::parse(parser, std::string_view(reinterpret_cast<const char*>(header.data()), header.size()), 0,
                       header_limits(), source);
  } catch (const IngestError&) {
    malformed(source, "the JWS header is not a small JSON object");
  }
  simdjson::dom::object h;
  std::string_view alg, zip, kid;
  if (root.get_object().get(h) != simdjson::SUCCESS) malformed(source, "the JWS header is not a JSON object");
  if (h.at_key("alg").get(alg) != simdjson::SUCCESS || alg != "ES256") {
    malformed(source, "the JWS header's alg is not ES256, the only one SMART Health Cards use");
  }
  if (h.at_key("zip").get(zip) != simdjson::SUCCESS || zip != "DEF") {
    malformed(source, "the JWS header's zip is not DEF (SMART Health Card payloads are compressed)");
  }
  if (h.at_key("kid").get(kid) != simdjson::SUCCESS || kid.empty()) malformed(source, "the JWS header has no kid");
  jws.kid = std::string(kid);
  jws.signature = decode_part(text.substr(second + 1), source, "signature");
  if (jws.signature.size() != 64) {
    malformed(source, "the JWS signature has " + std::to_string(jws.signature.size()) +
                          " bytes; ES256 has 64 (r || s)");
  }
  return jws;
}

struct Payload {
  std::string issuer;
  std::string bundle;
};

Payload read_payload(const Jws& jws, const std::string& source, simdjson::dom::parser& parser,
                     const JsonLimits& limits) {
  const crypto::Bytes deflated = decode_part(jws.payload, source, "payload");
  const compress::Inflated inflated = compress::inflate_raw(
      std::string_view(reinterpret_cast<const char*>(deflated.data()), deflated.size()), max_card_payload_bytes);
  if (inflated.error) {
    switch (*inflated.error) {
      case compress::InflateError::too_large:
        fail(DiagnosticCode::too_large, source,
             "the card's payload inflates to more than " + std::to_string(max_card_payload_bytes) + " bytes");
      case compress::InflateError::trailing:
        malformed(source, "bytes follow the end of the payload's DEFLATE stream");
      case compress::InflateError::malformed:
        malformed(source, "the payload is not valid raw DEFLATE");
    }
  }
  simdjson::dom::element root;
  try {
    root = json::parse(parser, inflated.bytes, 0, limits, source);
  } catch (const IngestError& e) {
    if (e.diagnostic().code != DiagnosticCode::malformed_json) throw;
    malformed(source, "the payload is not JSON (" + e.diagnostic().message + ")");
  }
  simdjson::dom::object payload, vc, subject, bundle;
  std::string_view iss, type;
  if (root.get_object().get(payload) != simdjson::SUCCESS) malformed(source, "the payload is not a JSON object");
  if (payload.at_key("iss").get(iss) != simdjson::SUCCESS || iss.empty()) malformed(source, "the payload has no iss");
  if (payload.at_key("vc").get(vc) != simdjson::SUCCESS) malformed(source, "the payload has no vc object");
  simdjson::dom::array types;
  bool health_card = false;
  if (vc.at_key("type").get(types) == simdjson::SUCCESS) {
    for (simdjson::dom::element t : types) {
      std::string_view s;
      if (t.get(s) == simdjson::SUCCESS && s == kHealthCardType) health_card = true;
    }
  }
  if (!health_card) malformed(source, "the payload's vc.type does not name " + std::string(kHealthCardType));
  if (vc.at_key("credentialSubject").get(subject) != simdjson::SUCCESS ||
      subject.at_key("fhirBundle").get(bundle) != simdjson::SUCCESS) {
    malformed(source, "the payload has no vc.credentialSubject.fhirBundle object");
  }
  if (bundle.at_key("resourceType").get(type) != simdjson::SUCCESS || type != "Bundle") {
    malformed(source, "vc.credentialSubject.fhirBundle is not a FHIR Bundle");
  }
  Payload out;
  out.issuer = std::string(iss);
  out.bundle = simdjson::minify(bundle);
  return out;
}

// Digits of one QR code → its characters (each pair: a code minus 45).
void append_numeric(std::string_view digits, const std::string& source, std::string& out) {
  if (digits.empty()) malformed(source, "shc:/ text with no digits");
  if (digits.size() % 2 != 0) malformed(source, "shc:/ text has an odd number of digits");
  if (out.size() + digits.size() / 2 > max_card_jws_bytes) {
    fail(DiagnosticCode::too_large, source,
         "the shc:/ text holds more than " + std::to_string(max_card_jws_bytes) + " characters");
  }
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const char a = digits[i], b = digits[i + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') malformed(source, "shc:/ text holds something other than digits");
    const int value = (a - '0') * 10 + (b - '0');
    if (value > 'z' - 45) {
      malformed(source, "shc:/ digit pair " + std::to_string(i / 2 + 1) + " is above 77, outside the QR alphabet");
    }
    out.push_back(static_cast<char>(value + 45));
  }
}

// A whole number 1..max_qr_chunks, for shc:/N/M/.
std::size_t chunk_number(std::string_view s, const std::string& source) {
  if (s.empty() || s.size() > 2 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    malformed(source, "shc:/N/M/ chunk numbers must be whole numbers from 1 to " + std::to_string(max_qr_chunks));
  }
  const std::size_t n = std::stoul(std::string(s));
  if (n < 1 || n > max_qr_chunks) {
    malformed(source, "shc:/N/M/ chunk numbers must be whole numbers from 1 to " + std::to_string(max_qr_chunks));
  }
  return n;
}

// Every QR text of the input: single codes are one card each; chunks
// (shc:/N/M/…, deprecated but still printed) are put together into one.
std::vector<std::string> qr_cards(std::string_view text, const std::string& source) {
  std::vector<std::string> cards;
  std::vector<std::optional<std::string>> chunks;
  std::size_t chunked_at = 0;  // where in `cards` the chunked card goes
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    if (pos == text.size()) break;
    std::size_t end = pos;
    while (end < text.size() && !is_space(text[end])) ++end;
    // Codes pasted one after another (files joined without a newline) part at their prefix.
    if (const std::size_t next = text.substr(0, end).find(kQrPrefix, pos + 1); next != std::string_view::npos) {
      end = next;
    }
    const std::string_view token = text.substr(pos, end - pos);
    pos = end;
    if (token.substr(0, kQrPrefix.size()) != kQrPrefix) {
      malformed(source, "text of shc:/ QR codes holds something that is not one");
    }
    const std::string_view rest = token.substr(kQrPrefix.size());
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      if (cards.size() >= max_cards_per_source) {
        malformed(source, "more than " + std::to_string(max_cards_per_source) + " cards in one input");
      }
      std::string jws;
      append_numeric(rest, source, jws);
      cards.push_back(std::move(jws));
      continue;
    }
    const std::size_t slash2 = rest.find('/', slash + 1);
    if (slash2 == std::string_view::npos) malformed(source, "a chunked shc:/N/M/ text without its digits");
    const std::size_t n = chunk_number(rest.substr(0, slash), source);
    const std::size_t m = chunk_number(rest.substr(slash + 1, slash2 - slash - 1), source);
    if (n > m) malformed(source, "QR chunk " + std::to_string(n) + " of " + std::to_string(m) + " is out of range");
    if (chunks.empty()) {
      chunks.resize(m);
      chunked_at = cards.size();
    } else if (chunks.size() != m) {
      malformed(source, "QR chunks of different totals (" + std::to_string(chunks.size()) + " and " +
                            std::to_string(m) + "): one card's chunks at a time");
    }
    if (chunks[n - 1]) malformed(source, "QR chunk " + std::to_string(n) + " of " + std::to_string(m) + " appears twice");
    std::string part;
    append_numeric(rest.substr(slash2 + 1), source, part);
    chunks[n - 1] = std::move(part);
  }
  if (!chunks.empty()) {
    std::string jws;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (!chunks[i]) {
        malformed(source, "QR chunk " + std::to_string(i + 1) + " of " + std::to_string(chunks.size()) + " is missing");
      }
      if (jws.size() + chunks[i]->size() > max_card_jws_bytes) {
        fail(DiagnosticCode::too_large, source,
             "the QR chunks hold more than " + std::to_string(max_card_jws_bytes) + " characters");
      }
      jws += *chunks[i];
    }
    cards.insert(cards.begin() + static_cast<std::ptrdiff_t>(chunked_at), std::move(jws));
  }
  if (cards.empty()) malformed(source, "no shc:/ QR text");
  return cards;
}

}  // namespace

Shape shape_of(std::string_view bytes) {
  const std::string_view s = trim(bytes);
  if (s.substr(0, kQrPrefix.size()) == kQrPrefix) return Shape::qr;
  if (is_compact_jws(s)) return Shape::jws;
  if (s.empty() || s.front() != '{') return Shape::none;
  // A card file is an object with a verifiableCredential member and no
  // resourceType. The member names are read by a scan that stops at
  // resourceType (the first name of most FHIR JSON), so a large Bundle costs
  // neither a search of its every byte nor a DOM of the whole input.
  bool card_member = false, resource_member = false;
  const bool scanned = json::for_each_member_name(s, [&](std::string_view name) {
    if (name == "resourceType") resource_member = true;
    else if (name == "verifiableCredential") card_member = true;
    return !resource_member;
  });
  if (resource_member || (scanned && !card_member)) return Shape::none;
  // A card, or text the scan cannot read (an escaped name, not JSON): the
  // parse decides, as it does for any text that names the key.
  if (!scanned && s.find("\"verifiableCredential\"") == std::string_view::npos) return Shape::none;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(s.data(), s.size()).get(root) != simdjson::SUCCESS) return Shape::none;
  simdjson::dom::element ignored;
  if (root.at_key("resourceType").get(ignored) == simdjson::SUCCESS) return Shape::none;
  return root.at_key("verifiableCredential").get(ignored) == simdjson::SUCCESS ? Shape::file : Shape::none;
}

std::string qr_numeric_decode(std::string_view text, const std::string& source) {
  text = trim(text);
  if (text.substr(0, kQrPrefix.size()) != kQrPrefix) malformed(source, "QR text does not start with shc:/");
  std::string out;
  append_numeric(text.substr(kQrPrefix.size()), source, out);
  return out;
}

std::vector<std::string> card_jws(std::string_view bytes, const std::string& source, simdjson::dom::parser& parser) {
  const std::string_view s = trim(bytes);
  switch (shape_of(s)) {
    case Shape::qr:
      return qr_cards(s, source);
    case Shape::jws:
      return {std::string(s)};
    case Shape::none:
      malformed(source, "not a SMART Health Card (a .smart-health-card file, a JWS or shc:/ text)");
    case Shape::file:
      break;
  }
  JsonLimits limits;
  limits.max_bytes = max_cards_per_source * max_card_jws_bytes;
  limits.max_depth = 4;
  simdjson::dom::element root;
  try {
    root = json::parse(parser, s, 0, limits, source);
  } catch (const IngestError& e) {
    if (e.diagnostic().code != DiagnosticCode::malformed_json && e.diagnostic().code != DiagnosticCode::too_deep) throw;
    malformed(source, "not a .smart-health-card file (" + e.diagnostic().message + ")");
  }
  simdjson::dom::array list;
  if (root.at_key("verifiableCredential").get(list) != simdjson::SUCCESS) {
    malformed(source, "verifiableCredential is not an array");
  }
  std::vector<std::string> out;
  for (simdjson::dom::element e : list) {
    std::string_view jws;
    if (e.get(jws) != simdjson::SUCCESS) {
      malformed(source, "verifiableCredential " + std::to_string(out.size() + 1) + " is not a JWS string");
    }
    if (out.size() == max_cards_per_source) {
      malformed(source, "more than " + std::to_string(max_cards_per_source) + " cards in one file");
    }
    out.emplace_back(jws);
  }
  if (out.empty()) malformed(source, "verifiableCredential holds no card");
  return out;
}

std::vector<IssuerKey> key_ring(const std::vector<CardKeys>& keys) {
  std::vector<IssuerKey> ring;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    try {
      for (crypto::jws::EcPublicKey& k : crypto::jws::parse_jwks(keys[i].jwks)) {
        ring.push_back({keys[i].issuer, std::move(k)});
      }
    } catch (const crypto::Error& e) {
      throw std::invalid_argument("issuer key set " + std::to_string(i + 1) + ": " + e.what());
    }
  }
  return ring;
}

OpenedCard open_card(std::string_view text, const std::vector<IssuerKey>& keys, bool allow_unverified,
                     const std::string& source, simdjson::dom::parser& parser, const JsonLimits& limits) {
  const Jws jws = split_jws(text, source, parser);
  OpenedCard card;
  card.kid = jws.kid;
  // Verified first: nothing of an unverified payload is read unless asked for.
  std::vector<const IssuerKey*> signers;
  bool known = false;
  for (const IssuerKey& k : keys) {
    if (k.key.kid != jws.kid) continue;
    known = true;
    if (crypto::jws::verify_es256(k.key, jws.signing_input, jws.signature)) signers.push_back(&k);
  }
  std::optional<Diagnostic> problem;
  if (!known) {
    problem = Diagnostic{DiagnosticCode::card_unknown_key, source, "", 0,
                         "signed by key " + jws.kid + ", which is not among the issuer keys given"};
  } else if (signers.empty()) {
    problem = Diagnostic{DiagnosticCode::card_bad_signature, source, "", 0,
                         "the signature does not verify with the issuer's key " + jws.kid +
                             ": the card was changed after it was signed"};
  }
  if (problem && !allow_unverified) throw IngestError(*problem);
  Payload payload = read_payload(jws, source, parser, limits);
  if (!problem && std::none_of(signers.begin(), signers.end(), [&](const IssuerKey* k) {
        return k->issuer.empty() || k->issuer == payload.issuer;
      })) {
    problem = Diagnostic{DiagnosticCode::card_unknown_key, source, "", 0,
                         "signed by key " + jws.kid + ", which was given for another issuer than the card's"};
    if (!allow_unverified) throw IngestError(*problem);
  }
  card.issuer = std::move(payload.issuer);
  card.bundle = std::move(payload.bundle);
  card.verified = !problem;
  if (problem) {
    problem->message = "kept unverified: " + problem->message;
    card.unverified_because = std::move(problem);
  }
  return card;
}

CardIssuer peek_issuer(std::string_view text, const std::string& source, simdjson::dom::parser& parser,
                       const JsonLimits& limits) {
  const Jws jws = split_jws(text, source, parser);
  return {read_payload(jws, source, parser, limits).issuer, jws.kid};
}

}  // namespace chartlock::shc

namespace chartlock {

bool looks_like_health_card(std::string_view bytes) { return shc::shape_of(bytes) != shc::Shape::none; }

std::vector<CardIssuer> health_card_issuers(std::string_view bytes, const std::string& source_name) {
  simdjson::dom::parser parser;
  std::vector<CardIssuer> out;
  for (const std::string& jws : shc::card_jws(bytes, source_name, parser)) {
    out.push_back(shc::peek_issuer(jws, source_name, parser, JsonLimits{}));
  }
  return out;
}

std::string qr_numeric_encode(std::string_view jws) {
  std::string out = "shc:/";
  out.reserve(5 + jws.size() * 2);
  for (char c : jws) {
    const int v = static_cast<unsigned char>(c) - 45;
    if (v < 0 || v > 'z' - 45) throw std::invalid_argument("qr_numeric_encode: not JWS text");
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  }
  return out;
}

}  // namespace chartlock
