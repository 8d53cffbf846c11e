// SPDX-License-Identifier: Apache-2.0
// Protocol v1 in process (service.hpp): the order of the checks and every
// error code, on a SQLite store with a clock the test moves. The same
// protocol is tested end to end against the binary in tests/js/relay-*.
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/request.hpp"
#include "service.hpp"
#include "support.hpp"

using namespace chartlock;
using namespace chartlock::relay;
using namespace chartlock::relay::test;

namespace {

struct Harness {
  std::int64_t now = 1767225600;
  double mono = 0;
  Config config;
  TestStore t{"sqlite"};
  std::unique_ptr<Service> service;
  crypto::SignKeyPair patient = crypto::sign_keypair();
  crypto::SignKeyPair tool = crypto::sign_keypair();
  crypto::SignKeyPair stranger = crypto::sign_keypair();
  crypto::GrantId id = random_grant_id();
  std::string id_hex = crypto::hex_encode(id);

  explicit Harness(RateLimit key_rate = RateLimit{0, 0}) {
    config.key_rate = key_rate;
    service = std::make_unique<Service>(*t.store, config, Clocks{[this] { return now; }, [this] { return mono; }});
  }

  struct Call {
    std::string method, target, auth;
    crypto::Bytes body;
  };
  Call signed_call(const std::string& method, const std::string& target, const crypto::Bytes& body,
                   const crypto::SignKeyPair& key, std::int64_t ts_offset = 0) {
    return Call{method, target, crypto::request_sign(method, target, body, now + ts_offset, key), body};
  }
  ApiResponse send(const Call& c, bool with_auth = true) {
    ApiRequest r;
    r.method = c.method;
    r.target = c.target;
    if (with_auth) r.authorization = c.auth;
    r.body = c.body;
    const std::string bundle_prefix = "/v1/grants/";
    if (c.method == "POST") return service->create_grant(r);
    const std::string rest = c.target.substr(bundle_prefix.size());
    const std::string gid = rest.substr(0, rest.find('/'));
    if (c.method == "PUT") return service->put_bundle(r, gid);
    if (c.method == "GET") return service->get_bundle(r, gid);
    return service->revoke(r, gid);
  }
  ApiResponse create(std::int64_t lifetime = 3600, const crypto::SignKeyPair* signer = nullptr) {
    const std::string body = R"({"grantId":")" + id_hex + R"(","patientKey":")" +
                             crypto::base64url_encode(patient.public_key) + R"(","toolKey":")" +
                             crypto::base64url_encode(tool.public_key) + R"(","expiresAt":)" +
                             std::to_string(now + lifetime) + "}";
    return send(signed_call("POST", "/v1/grants", crypto::Bytes(body.begin(), body.end()), signer ? *signer : patient));
  }
  std::string bundle_path() const { return "/v1/grants/" + id_hex + "/bundle"; }
  ApiResponse put(std::uint64_t seq, const crypto::SignKeyPair* signer = nullptr) {
    return send(signed_call("PUT", bundle_path(), make_bundle(patient, id, seq, now - 10, now + 1800), signer ? *signer : patient));
  }
  ApiResponse get(const crypto::SignKeyPair* signer = nullptr) {
    return send(signed_call("GET", bundle_path(), {}, signer ? *signer : tool));
  }
  ApiResponse revoke(const crypto::SignKeyPair* signer = nullptr) {
    return send(signed_call("DELETE", "/v1/grants/" + id_hex, {}, signer ? *signer : patient));
  }
};

std::string outcome(const ApiResponse& r) {
  return std::to_string(r.status) + (r.error.empty() ? "" : " " + r.error);
}

}  // namespace

TEST_CASE("service: the happy path", "[service]") {
  Harness h;
  CHECK(outcome(h.create()) == "201");
  CHECK(outcome(h.get()) == "404 no-bundle");
  const ApiResponse put = h.put(1);
  CHECK(outcome(put) == "201");
  CHECK(put.body == R"({"sequence":1,"size":)" + std::to_string(make_bundle(h.patient, h.id, 1, 0, 1).size()) + "}");
  CHECK(outcome(h.put(2)) == "200");
  const ApiResponse got = h.get();
  CHECK(outcome(got) == "200");
  CHECK(got.content_type == "application/octet-stream");
  CHECK(got.headers == std::vector<std::pair<std::string, std::string>>{{"Chartlock-Sequence", "2"}});
  CHECK(crypto::bundle_peek(crypto::ByteView(std::string_view(got.body))).sequence == 2);
  CHECK(got.grant == std::optional<crypto::GrantId>(h.id));
  CHECK(outcome(h.revoke()) == "204");
  CHECK(outcome(h.get()) == "410 revoked");
}

TEST_CASE("service: authentication errors", "[service]") {
  Harness h;
  REQUIRE(outcome(h.create()) == "201");
  auto call = h.signed_call("GET", h.bundle_path(), {}, h.tool);
  CHECK(outcome(h.send(call, false)) == "401 missing-auth");
  auto garbled = call;
  garbled.auth = "Chartlock-Ed25519 nonsense";
  CHECK(outcome(h.send(garbled)) == "400 malformed");
  auto other_path = call;
  other_path.target = "/v1/grants/" + crypto::hex_encode(random_grant_id()) + "/bundle";
  CHECK(outcome(h.send(other_path)) == "401 bad-signature");
  CHECK(outcome(h.send(h.signed_call("GET", h.bundle_path(), {}, h.tool, -301))) == "401 stale-timestamp");
  CHECK(outcome(h.send(h.signed_call("GET", h.bundle_path(), {}, h.tool, 301))) == "401 stale-timestamp");
  CHECK(outcome(h.send(h.signed_call("GET", h.bundle_path(), {}, h.tool, -300))) == "404 no-bundle");
  CHECK(outcome(h.send(call)) == "404 no-bundle");
  CHECK(outcome(h.send(call)) == "401 replayed-nonce");
  // A body changed after signing.
  auto put = h.signed_call("PUT", h.bundle_path(), make_bundle(h.patient, h.id, 1, h.now, h.now + 60), h.patient);
  put.body.back() ^= 1;
  CHECK(outcome(h.send(put)) == "401 bad-signature");
}

TEST_CASE("service: keys, grants and their states", "[service]") {
  Harness h;
  CHECK(outcome(h.get()) == "404 unknown-grant");
  CHECK(outcome(h.create(3600, &h.stranger)) == "403 wrong-key");
  REQUIRE(outcome(h.create()) == "201");
  CHECK(outcome(h.create()) == "409 grant-exists");
  CHECK(outcome(h.put(1, &h.tool)) == "403 wrong-key");
  CHECK(outcome(h.get(&h.patient)) == "403 wrong-key");
  CHECK(outcome(h.revoke(&h.stranger)) == "403 wrong-key");
  CHECK(outcome(h.put(5)) == "201");
  CHECK(outcome(h.put(5)) == "409 stale-sequence");
  // Expiry, by the clock: 410, not 404, until the tombstone is purged.
  h.now += 3601;
  CHECK(outcome(h.get()) == "410 expired");
  CHECK(outcome(h.put(6)) == "410 expired");
  CHECK(outcome(h.revoke()) == "410 expired");
  h.t.store->purge_expired(h.now + 31 * 86400);
  CHECK(outcome(h.get()) == "404 unknown-grant");
}

TEST_CASE("service: bundle content checks", "[service]") {
  Harness h;
  REQUIRE(outcome(h.create()) == "201");
  auto put_bytes = [&](const crypto::Bytes& b) { return h.send(h.signed_call("PUT", h.bundle_path(), b, h.patient)); };
  CHECK(outcome(put_bytes(crypto::Bytes{1, 2, 3})) == "400 bad-bundle");
  CHECK(outcome(put_bytes(make_bundle(h.patient, random_grant_id(), 1, h.now, h.now + 60))) == "400 bad-bundle");
  const ApiResponse other = put_bytes(make_bundle(h.stranger, h.id, 1, h.now, h.now + 60));
  CHECK(outcome(other) == "400 bad-bundle");
  CHECK_THAT(other.body, Catch::Contains("wrong-signer"));
  CHECK(outcome(put_bytes(make_bundle(h.patient, h.id, 1, h.now - 100, h.now - 1))) == "400 bad-bundle");
  CHECK(outcome(put_bytes(make_bundle(h.patient, h.id, std::uint64_t{1} << 63, h.now, h.now + 60))) == "400 bad-bundle");
  CHECK(outcome(put_bytes(make_bundle(h.patient, h.id, 1, h.now, h.now + 60))) == "201");
}

TEST_CASE("service: per-key rate limit after the signature", "[service]") {
  Harness h(RateLimit{60, 5});  // 5 saved up, one a second
  for (int i = 0; i < 5; ++i) CHECK(outcome(h.get()) == "404 unknown-grant");
  const ApiResponse limited = h.get();
  CHECK(outcome(limited) == "429 rate-limited");
  CHECK(limited.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}});
  // Forged requests naming the tool's key do not spend its budget.
  h.mono += 10;
  for (int i = 0; i < 20; ++i) {
    auto forged = h.signed_call("GET", h.bundle_path(), {}, h.stranger);
    forged.auth.replace(forged.auth.find("key=\"") + 5, 43, crypto::base64url_encode(h.tool.public_key));
    CHECK(outcome(h.send(forged)) == "401 bad-signature");
  }
  CHECK(outcome(h.get()) == "404 unknown-grant");
}

TEST_CASE("service: storage quotas refuse a bundle before it is stored", "[service][quota]") {
  Harness h;
  const std::uint64_t size = make_bundle(h.patient, h.id, 1, h.now - 10, h.now + 1800).size();
  const auto next_grant = [&] {
    h.id = random_grant_id();
    h.id_hex = crypto::hex_encode(h.id);
    REQUIRE(outcome(h.create()) == "201");
  };
  const auto put_from = [&](std::uint64_t seq, const std::string& prefix) {
    auto call = h.signed_call("PUT", h.bundle_path(), make_bundle(h.patient, h.id, seq, h.now - 10, h.now + 1800),
                              h.patient);
    ApiRequest r;
    r.method = call.method;
    r.target = call.target;
    r.authorization = call.auth;
    r.body = call.body;
    r.client_prefix = prefix;
    return h.service->put_bundle(r, h.id_hex);
  };

  SECTION("per patient key: 429, freed by revoking") {
    h.config.max_bytes_per_key = 2 * size + size / 2;  // room for two bundles
    next_grant();
    CHECK(outcome(h.put(1)) == "201");
    CHECK(outcome(h.put(2)) == "200");  // a replacement counts its own size once
    const crypto::GrantId first = h.id;
    const std::string first_hex = h.id_hex;
    next_grant();
    CHECK(outcome(h.put(1)) == "201");
    next_grant();
    const ApiResponse refused = h.put(1);
    CHECK(outcome(refused) == "429 key-quota-exceeded");
    CHECK(refused.content_type == "application/json");
    CHECK_THAT(refused.body, Catch::Contains(R"("error":"key-quota-exceeded")"));
    CHECK(refused.headers.empty());  // no Retry-After: waiting alone does not help
    CHECK(outcome(h.get()) == "404 no-bundle");  // nothing was stored
    // The patient revokes another grant: its bytes are free again.
    const crypto::GrantId third = h.id;
    h.id = first;
    h.id_hex = first_hex;
    CHECK(outcome(h.revoke()) == "204");
    h.id = third;
    h.id_hex = crypto::hex_encode(third);
    CHECK(outcome(h.put(1)) == "201");
  }

  SECTION("per address prefix: 429, other prefixes unaffected") {
    h.config.max_bytes_per_address = size + size / 2;
    next_grant();
    CHECK(outcome(put_from(1, "2001:db8:1:2::/64")) == "201");
    h.patient = crypto::sign_keypair();  // a fresh patient key does not help
    next_grant();
    CHECK(outcome(put_from(1, "2001:db8:1:2::/64")) == "429 address-quota-exceeded");
    CHECK(outcome(put_from(1, "2001:db8:1:3::/64")) == "201");
  }

  SECTION("global cap: 507, freed when a bundle expires") {
    h.config.max_stored_bytes = size + size / 2;
    next_grant();
    CHECK(outcome(h.put(1)) == "201");
    h.patient = crypto::sign_keypair();
    next_grant();
    const ApiResponse full = h.put(1);
    CHECK(outcome(full) == "507 storage-full");
    CHECK_THAT(full.body, Catch::Contains(R"("error":"storage-full")"));
    h.now += 1801;  // the first bundle expired (its grant did not)
    CHECK(outcome(h.send(h.signed_call("PUT", h.bundle_path(),
                                       make_bundle(h.patient, h.id, 1, h.now - 10, h.now + 60), h.patient))) == "201");
  }

  SECTION("0 turns a quota off") {
    h.config.max_bytes_per_key = 0;
    h.config.max_bytes_per_address = 0;
    h.config.max_stored_bytes = 0;
    for (int i = 0; i < 5; ++i) {
      next_grant();
      CHECK(outcome(h.put(1)) == "201");
    }
  }
}

// Written against the default configuration only, so that it also builds
// (and fails) on a relay without quotas: one patient key cannot keep an
// unbounded number of large bundles.
TEST_CASE("service: the default quota bounds what one patient key stores", "[service][quota]") {
  Harness h;
  const auto big_bundle = [&](std::size_t payload) {
    crypto::SealRequest r;
    r.meta.recipient_pk = crypto::box_keypair().public_key;
    r.meta.grant_id = h.id;
    r.meta.sequence = 1;
    r.meta.created_at = h.now - 10;
    r.meta.expires_at = h.now + 1800;
    const std::string receipt = R"({"type":"chartlock-consent-receipt"})";
    r.receipt.assign(receipt.begin(), receipt.end());
    r.parts.push_back(crypto::Part{"records.json", "application/fhir+json", crypto::Bytes(payload, 'x')});
    return crypto::bundle_seal(r, h.patient);
  };
  std::vector<std::string> outcomes;
  for (int i = 0; i < 5; ++i) {  // 5 x 15 MiB: more than the default 64 MiB
    h.id = random_grant_id();
    h.id_hex = crypto::hex_encode(h.id);
    REQUIRE(outcome(h.create()) == "201");
    outcomes.push_back(outcome(h.send(h.signed_call("PUT", h.bundle_path(), big_bundle(15u << 20), h.patient))));
  }
  CHECK(outcomes == std::vector<std::string>{"201", "201", "201", "201", "429 key-quota-exceeded"});
}
