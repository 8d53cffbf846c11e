// SPDX-License-Identifier: Apache-2.0
// SMART Health Cards read into the record: the specification's example cards
// (tests/fixtures/shc) in every shape, verified against their issuer's keys,
// their Bundles' entries counted against the unminified Bundle published with
// them; tampered, unknown-key and hostile cards refused with their reason.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/health_card.hpp"
#include "chartlock/ingest.hpp"
#include "compress/inflate.hpp"
#include "shc/card.hpp"

using chartlock::CardKeys;
using chartlock::DiagnosticCode;
using chartlock::IngestError;
using chartlock::IngestOptions;
using chartlock::Record;
using chartlock::Source;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CHARTLOCK_FIXTURES) + "/shc/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

IngestOptions with_keys(bool allow_unverified = false) {
  IngestOptions o;
  o.card_keys.push_back(CardKeys{"", fixture("issuer.jwks.json")});
  o.allow_unverified_cards = allow_unverified;
  return o;
}

Record read(const std::string& bytes, const IngestOptions& options, const std::string& name = "card") {
  return chartlock::ingest({Source{name, bytes}}, options);
}

// "code: message" of what reading throws, "" when it reads.
std::string refusal(const std::string& bytes, const IngestOptions& options) {
  try {
    read(bytes, options);
  } catch (const IngestError& e) {
    return std::string(to_string(e.diagnostic().code)) + ": " + e.diagnostic().message;
  }
  return {};
}

// The independent count: resources by type in the published, unminified Bundle.
std::map<std::string, std::uint64_t> published_counts(const std::string& name) {
  std::map<std::string, std::uint64_t> counts;
  const nlohmann::json bundle = nlohmann::json::parse(fixture(name));
  for (const auto& entry : bundle["entry"]) {
    ++counts[entry["resource"]["resourceType"].get<std::string>()];
  }
  return counts;
}

// Every item of the record (and the patient) came from a card of this issuer.
void check_card_provenance(const Record& r, bool verified) {
  const std::string issuer = "https://spec.smarthealth.cards/examples/issuer";
  auto check = [&](const auto& list) {
    for (const auto& item : list) {
      REQUIRE_FALSE(item.sources.empty());
      for (const auto& p : item.sources) {
        REQUIRE(p.card);
        CHECK(p.card->issuer == issuer);
        CHECK(p.card->verified == verified);
      }
    }
  };
  check(r.conditions), check(r.observations), check(r.medications), check(r.allergies);
  check(r.immunizations), check(r.other);
  for (const auto& p : r.patient.sources) {
    REQUIRE(p.card);
    CHECK(p.card->verified == verified);
  }
  for (const auto& s : r.sources) {
    CHECK(s.format == "smart-health-card");
    REQUIRE(s.card);
    CHECK(s.card->issuer == issuer);
    CHECK(s.card->verified == verified);
  }
}

// One base64url character of the JWS's `part` (0 header, 1 payload, 2
// signature) changed, `from_end` characters before the part's end.
std::string tampered(const std::string& jws, int part, std::size_t from_end) {
  std::size_t begin = 0;
  for (int i = 0; i < part; ++i) begin = jws.find('.', begin) + 1;
  std::size_t end = jws.find('.', begin);
  if (end == std::string::npos) end = jws.size();
  std::string out = jws;
  char& c = out[end - 1 - from_end];
  c = c == 'A' ? 'B' : 'A';
  return out;
}

std::string deflate_raw(const std::string& in) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// An unsigned JWS of the example's header with this payload (already deflated).
std::string jws_with_payload(const std::string& deflated) {
  const std::string jws = trimmed(fixture("example-00-d-jws.txt"));
  const std::size_t dot = jws.find('.');
  const std::size_t sig = jws.rfind('.');
  return jws.substr(0, dot + 1) + chartlock::crypto::base64url_encode(deflated) + jws.substr(sig);
}

}  // namespace

TEST_CASE("The example card reads in each of its shapes, verified, its Bundle's entries all there", "[core][shc]") {
  const auto expected = published_counts("example-00-a-fhirBundle.json");
  REQUIRE(expected.at("Immunization") == 3);
  for (const std::string name : {"example-00-e-file.smart-health-card", "example-00-d-jws.txt",
                                 "example-00-f-qr-code-numeric-value-0.txt"}) {
    INFO(name);
    const Record r = read(fixture(name), with_keys(), name);
    CHECK(r.counts == expected);
    CHECK(r.immunizations.size() == expected.at("Immunization"));
    CHECK(r.patient.name == "John B. Anyperson");
    CHECK(r.patient.birthDate == "1951-01-20");
    REQUIRE(r.sources.size() == 1);
    CHECK(r.sources[0].name == name);
    CHECK(r.warnings.empty());
    check_card_provenance(r, true);
  }
}

TEST_CASE("The IPS example reads as a file and from its three chunked QR codes, in any order", "[core][shc]") {
  const auto expected = published_counts("example-02-a-fhirBundle.json");
  const Record file = read(fixture("example-02-e-file.smart-health-card"), with_keys());
  CHECK(file.counts == expected);
  check_card_provenance(file, true);
  const std::string q1 = fixture("example-02-f-qr-code-numeric-value-0.txt");
  const std::string q2 = fixture("example-02-f-qr-code-numeric-value-1.txt");
  const std::string q3 = fixture("example-02-f-qr-code-numeric-value-2.txt");
  CHECK(read(q1 + "\n" + q2 + "\n" + q3, with_keys()).counts == expected);
  CHECK(read(q3 + "\n" + q1 + "\n" + q2 + "\n", with_keys()).counts == expected);
  CHECK(refusal(q1 + "\n" + q3, with_keys()) == "card-malformed: QR chunk 2 of 3 is missing");
  CHECK(refusal(q1 + "\n" + q2 + "\n" + q2 + "\n" + q3, with_keys()) ==
        "card-malformed: QR chunk 2 of 3 appears twice");
}

TEST_CASE("Cards signed with the issuer's second key, and a file of two cards, read as separate sources",
          "[core][shc]") {
  const Record r01 = read(fixture("example-01-d-jws.txt"), with_keys());
  CHECK(r01.immunizations.size() == 3);
  check_card_provenance(r01, true);

  // The same three doses signed with each key: one person, the doses merged,
  // each with both cards as provenance.
  const std::string two = R"({"verifiableCredential":[")" + trimmed(fixture("example-00-d-jws.txt")) + R"(",")" +
                          trimmed(fixture("example-01-d-jws.txt")) + R"("]})";
  const Record r = read(two, with_keys(), "wallet.smart-health-card");
  REQUIRE(r.sources.size() == 2);
  CHECK(r.sources[0].name == "wallet.smart-health-card#1");
  CHECK(r.sources[1].name == "wallet.smart-health-card#2");
  CHECK(r.counts.at("Immunization") == 3 + 3);
  REQUIRE(r.immunizations.size() == 3);
  for (const auto& imm : r.immunizations) {
    REQUIRE(imm.sources.size() == 2);
    CHECK(imm.sources[0].source == "wallet.smart-health-card#1");
    CHECK(imm.sources[1].source == "wallet.smart-health-card#2");
  }
  check_card_provenance(r, true);
}

TEST_CASE("A tampered card says so; an unknown key says so; neither is read unless asked", "[core][shc]") {
  const std::string jws = trimmed(fixture("example-00-d-jws.txt"));
  const std::string bad_signature =
      "card-bad-signature: the signature does not verify with the issuer's key "
      "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s: the card was changed after it was signed";
  CHECK(refusal(tampered(jws, 1, 20), with_keys()) == bad_signature);  // one payload character
  CHECK(refusal(tampered(jws, 2, 30), with_keys()) == bad_signature);  // one signature character
  // The same inside a file, and as QR text.
  CHECK(refusal(R"({"verifiableCredential":[")" + tampered(jws, 1, 5) + "\"]}", with_keys()) == bad_signature);
  CHECK(refusal(chartlock::qr_numeric_encode(tampered(jws, 2, 3)), with_keys()) == bad_signature);

  CHECK(refusal(jws, IngestOptions{}) ==
        "card-unknown-key: signed by key 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s, which is not among the "
        "issuer keys given");
  IngestOptions other_issuer;
  other_issuer.card_keys.push_back(CardKeys{"https://issuer.example", fixture("issuer.jwks.json")});
  CHECK(refusal(jws, other_issuer) ==
        "card-unknown-key: signed by key 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s, which was given for "
        "another issuer than the card's");
  IngestOptions right_issuer;
  right_issuer.card_keys.push_back(CardKeys{"https://spec.smarthealth.cards/examples/issuer", fixture("issuer.jwks.json")});
  CHECK(refusal(jws, right_issuer).empty());

  SECTION("kept when asked: every item unverified, the reason the source's first warning") {
    IngestOptions no_keys;
    no_keys.allow_unverified_cards = true;
    const Record unknown = read(jws, no_keys);
    CHECK(unknown.immunizations.size() == 3);
    check_card_provenance(unknown, false);
    REQUIRE_FALSE(unknown.warnings.empty());
    CHECK(unknown.warnings[0].code == DiagnosticCode::card_unknown_key);
    CHECK(unknown.warnings[0].message.rfind("kept unverified: signed by key 3Kfdg", 0) == 0);

    const Record forged = read(tampered(jws, 2, 30), with_keys(true));
    CHECK(forged.immunizations.size() == 3);
    check_card_provenance(forged, false);
    REQUIRE_FALSE(forged.warnings.empty());
    CHECK(forged.warnings[0].code == DiagnosticCode::card_bad_signature);
  }
  SECTION("a malformed card is refused even then") {
    CHECK(refusal(jws.substr(0, jws.rfind('.')), with_keys(true)).rfind("card-malformed: not a compact JWS", 0) == 0);
  }
}

TEST_CASE("QR numeric text: the published QR text is the JWS, both ways", "[core][shc]") {
  const std::string jws = trimmed(fixture("example-00-d-jws.txt"));
  const std::string qr = trimmed(fixture("example-00-f-qr-code-numeric-value-0.txt"));
  CHECK(chartlock::qr_numeric_encode(jws) == qr);
  CHECK(chartlock::shc::qr_numeric_decode(qr, "qr") == jws);
  // Every character the alphabet allows, there and back.
  std::string all;
  for (char c = '-'; c <= 'z'; ++c) all.push_back(c);
  CHECK(chartlock::shc::qr_numeric_decode(chartlock::qr_numeric_encode(all), "qr") == all);

  CHECK(refusal("shc:/567", with_keys()) == "card-malformed: shc:/ text has an odd number of digits");
  CHECK(refusal("shc:/5678", with_keys()) ==
        "card-malformed: shc:/ digit pair 2 is above 77, outside the QR alphabet");
  CHECK(refusal("shc:/56a8", with_keys()) == "card-malformed: shc:/ text holds something other than digits");
  CHECK(refusal("shc:/", with_keys()) == "card-malformed: shc:/ text with no digits");
  CHECK(refusal(qr + "\nhello", with_keys()) == "card-malformed: text of shc:/ QR codes holds something that is not one");
  CHECK(refusal("shc:/2/1/5656", with_keys()) == "card-malformed: QR chunk 2 of 1 is out of range");
  CHECK(refusal("shc:/1/100/5656", with_keys()).rfind("card-malformed: shc:/N/M/ chunk numbers", 0) == 0);
  CHECK(refusal("shc:/1/2/5656\nshc:/1/3/5656", with_keys()).rfind("card-malformed: QR chunks of different totals", 0) == 0);
  // Digits that decode to something other than a JWS.
  CHECK(refusal("shc:/5656", with_keys()).rfind("card-malformed: not a compact JWS", 0) == 0);
}

TEST_CASE("Hostile cards: a DEFLATE bomb, a huge numeric string, truncated JWS, bad payloads", "[core][shc]") {
  IngestOptions unverified = with_keys(true);  // so the payload is reached at all
  SECTION("a payload that inflates past the limit stops there") {
    const std::string bomb = deflate_raw(std::string(chartlock::max_card_payload_bytes + 1, ' '));
    CHECK(bomb.size() < 20000);
    CHECK(refusal(jws_with_payload(bomb), unverified) ==
          "too-large: the card's payload inflates to more than 8388608 bytes");
    // Without asking for unverified cards it is never even inflated.
    CHECK(refusal(jws_with_payload(bomb), with_keys()).rfind("card-bad-signature", 0) == 0);
  }
  SECTION("payloads that are not DEFLATE, end early, carry more, or are not a card") {
    CHECK(refusal(jws_with_payload("not deflate at all"), unverified) ==
          "card-malformed: the payload is not valid raw DEFLATE");
    const std::string good = deflate_raw(R"({"iss":"https://x.example","vc":{}})");
    CHECK(refusal(jws_with_payload(good.substr(0, good.size() / 2)), unverified) ==
          "card-malformed: the payload is not valid raw DEFLATE");
    CHECK(refusal(jws_with_payload(good + "xx"), unverified) ==
          "card-malformed: bytes follow the end of the payload's DEFLATE stream");
    CHECK(refusal(jws_with_payload(deflate_raw("[1,2")), unverified).rfind("card-malformed: the payload is not JSON", 0) == 0);
    CHECK(refusal(jws_with_payload(deflate_raw(R"({"vc":{}})")), unverified) == "card-malformed: the payload has no iss");
    CHECK(refusal(jws_with_payload(good), unverified) ==
          "card-malformed: the payload's vc.type does not name https://smarthealth.cards#health-card");
    CHECK(refusal(jws_with_payload(deflate_raw(
                      R"({"iss":"https://x.example","vc":{"type":["https://smarthealth.cards#health-card"],)"
                      R"("credentialSubject":{"fhirBundle":{"resourceType":"Patient"}}}})")),
                  unverified) == "card-malformed: vc.credentialSubject.fhirBundle is not a FHIR Bundle");
  }
  SECTION("a huge numeric string is refused before it is decoded") {
    std::string huge = "shc:/";
    huge.append(2 * chartlock::max_card_jws_bytes + 2, '5');
    CHECK(refusal(huge, unverified) == "too-large: the shc:/ text holds more than 1048576 characters");
  }
  SECTION("every truncation of a JWS is refused, none crashes or reads") {
    const std::string jws = trimmed(fixture("example-00-d-jws.txt"));
    for (std::size_t n = 1; n < jws.size(); ++n) {
      INFO(n);
      CHECK_FALSE(refusal(jws.substr(0, n), unverified).empty());
    }
  }
  SECTION("headers that are not ES256 + DEF, or signatures of the wrong size") {
    const std::string jws = trimmed(fixture("example-00-d-jws.txt"));
    const std::string rest = jws.substr(jws.find('.'));
    using chartlock::crypto::base64url_encode;
    CHECK(refusal(base64url_encode(std::string(R"({"zip":"DEF","alg":"RS256","kid":"k"})")) + rest, unverified) ==
          "card-malformed: the JWS header's alg is not ES256, the only one SMART Health Cards use");
    CHECK(refusal(base64url_encode(std::string(R"({"alg":"ES256","kid":"k"})")) + rest, unverified) ==
          "card-malformed: the JWS header's zip is not DEF (SMART Health Card payloads are compressed)");
    CHECK(refusal(base64url_encode(std::string(R"({"zip":"DEF","alg":"ES256"})")) + rest, unverified) ==
          "card-malformed: the JWS header has no kid");
    CHECK(refusal(jws + "AAAA", unverified) == "card-malformed: the JWS signature has 67 bytes; ES256 has 64 (r || s)");
  }
  SECTION("a file whose verifiableCredential is not a list of JWS") {
    CHECK(refusal(R"({"verifiableCredential":"x"})", with_keys()) == "card-malformed: verifiableCredential is not an array");
    CHECK(refusal(R"({"verifiableCredential":[]})", with_keys()) == "card-malformed: verifiableCredential holds no card");
    CHECK(refusal(R"({"verifiableCredential":[7]})", with_keys()) ==
          "card-malformed: verifiableCredential 1 is not a JWS string");
  }
}

TEST_CASE("A card file said to be JSON is still a card; NDJSON never is", "[core][shc]") {
  const std::string file = fixture("example-00-e-file.smart-health-card");
  Source json{"card", file};
  json.format = Source::Format::json;
  CHECK(chartlock::ingest({json}, with_keys()).immunizations.size() == 3);
  Source ndjson{"card", file};
  ndjson.format = Source::Format::ndjson;
  try {
    CHECK(chartlock::ingest({ndjson}, with_keys()).immunizations.empty());
  } catch (const IngestError& e) {
    CHECK(e.diagnostic().code != DiagnosticCode::card_malformed);
  }
}

TEST_CASE("FHIR that mentions verifiableCredential is still FHIR", "[core][shc]") {
  const std::string obs = R"({"resourceType":"Observation","id":"o","status":"final",)"
                          R"("code":{"text":"verifiableCredential"},"valueString":"{\"verifiableCredential\":[]}"})";
  const Record r = read(obs, IngestOptions{});
  CHECK(r.observations.size() == 1);
  CHECK_FALSE(r.observations[0].sources[0].card);
  CHECK(r.sources[0].format == "resource");
}

TEST_CASE("raw DEFLATE inflation: round trip, limit, truncation, trailing bytes", "[core][shc]") {
  using chartlock::compress::InflateError;
  using chartlock::compress::inflate_raw;
  const std::string text(100000, 'x');
  const std::string d = deflate_raw(text);
  CHECK(inflate_raw(d, text.size()).bytes == text);
  CHECK(inflate_raw(d, text.size() - 1).error == InflateError::too_large);
  CHECK(inflate_raw(d.substr(0, d.size() - 1), text.size()).error == InflateError::malformed);
  CHECK(inflate_raw(d + "!", text.size()).error == InflateError::trailing);
  CHECK(inflate_raw("", 10).error == InflateError::malformed);
  CHECK(inflate_raw(deflate_raw(""), 0).bytes.empty());
}

TEST_CASE("A JWKS that is not one is the caller's error", "[core][shc]") {
  IngestOptions o;
  o.card_keys.push_back(CardKeys{"", "{}"});
  CHECK_THROWS_AS(chartlock::ingest({}, o), std::invalid_argument);
}

TEST_CASE("health_card_issuers says whose keys to fetch, before any key is known", "[core][shc]") {
  const auto issuers = chartlock::health_card_issuers(fixture("example-00-e-file.smart-health-card"), "card");
  REQUIRE(issuers.size() == 1);
  CHECK(issuers[0].issuer == "https://spec.smarthealth.cards/examples/issuer");
  CHECK(issuers[0].kid == "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s");
  CHECK(chartlock::looks_like_health_card(fixture("example-00-d-jws.txt")));
  CHECK_FALSE(chartlock::looks_like_health_card(R"({"resourceType":"Bundle"})"));
}

TEST_CASE("Cards of two persons are two persons, as other sources are", "[core][shc]") {
  const std::string john = fixture("example-00-e-file.smart-health-card");
  const std::string johnny = fixture("example-03-e-file.smart-health-card");
  const std::vector<Source> sources{{"john", john}, {"johnny", johnny}};
  CHECK_THROWS_AS(chartlock::ingest(sources, with_keys()), chartlock::DifferentPersons);
  const auto persons = chartlock::find_persons(sources, with_keys());
  CHECK(persons.size() == 2);
}
