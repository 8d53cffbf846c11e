// SPDX-License-Identifier: Apache-2.0
// SMART Health Links at the relay (shl.hpp, docs/relay-protocol.md §10): the
// store's link operations and the ShlService's answers, on every available
// backend (SQLite always, PostgreSQL when CHARTLOCK_TEST_POSTGRES is set),
// with a clock the test moves. Tagged [store] too where they run per backend:
// CI runs "[store]" again with a PostgreSQL. End to end, with a decoder written from the
// SHL specification alone: tests/js/shl-decode.test.mjs.
#include <deque>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/shl.hpp"
#include "shl.hpp"
#include "support.hpp"

using namespace chartlock;
using namespace chartlock::relay;
using namespace chartlock::relay::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1767225600;

crypto::Bytes bytes_of(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

// A structurally valid compact JWE (the relay never decrypts): `size` bytes
// of "ciphertext".
std::string fake_jwe(std::size_t size, const std::string& cty = "application/fhir+json") {
  const std::string header = R"({"alg":"dir","enc":"A256GCM","cty":")" + cty + R"("})";
  return crypto::base64url_encode(bytes_of(header)) + ".." + crypto::base64url_encode(crypto::Bytes(12, 7)) + "." +
         crypto::base64url_encode(crypto::Bytes(size, 9)) + "." + crypto::base64url_encode(crypto::Bytes(16, 3));
}

struct Harness {
  std::int64_t now = kNow;
  double mono = 0;
  Config config;
  TestStore t;
  std::unique_ptr<Service> service;
  std::unique_ptr<ShlService> shl;
  crypto::SignKeyPair manage = crypto::sign_keypair();
  crypto::SignKeyPair stranger = crypto::sign_keypair();
  crypto::ShlId id = crypto::shl_id();
  std::string id_text = crypto::base64url_encode(id);
  // Per harness: quotas per prefix are not shared with other tests (PostgreSQL).
  std::string prefix = crypto::hex_encode(crypto::shl_id());

  std::deque<std::string> keep;

  void use_link(const crypto::ShlId& other) {
    id = other;
    id_text = crypto::base64url_encode(id);
  }

  explicit Harness(const std::string& backend) : t(backend) {
    config.key_rate = RateLimit{0, 0};
    service = std::make_unique<Service>(*t.store, config, Clocks{[this] { return now; }, [this] { return mono; }});
    shl = std::make_unique<ShlService>(*t.store, *service, config);
  }

  ApiRequest request(const std::string& method, const std::string& target, const std::string& body,
                     const crypto::SignKeyPair* signer, std::string& auth_storage, crypto::Bytes& body_storage) {
    body_storage = bytes_of(body);
    ApiRequest r;
    r.method = keep.emplace_back(method);  // the request's views must outlive the call
    r.target = keep.emplace_back(target);
    if (signer) {
      auth_storage = crypto::request_sign(method, target, body_storage, now, *signer);
      r.authorization = auth_storage;
    }
    r.body = body_storage;
    r.host = "relay.test:8787";
    r.client_prefix = prefix;
    return r;
  }

  ApiResponse create(const std::string& extra = "", std::int64_t lifetime = 3600,
                     const crypto::SignKeyPair* signer = nullptr) {
    const std::string body = R"({"id":")" + id_text + R"(","managementKey":")" +
                             crypto::base64url_encode(manage.public_key) + R"(","expiresAt":)" +
                             std::to_string(now + lifetime) + extra + "}";
    std::string auth;
    crypto::Bytes b;
    return shl->create(request("POST", "/v1/shl", body, signer ? signer : &manage, auth, b));
  }
  ApiResponse put(const std::string& jwe, const crypto::SignKeyPair* signer = nullptr) {
    std::string auth;
    crypto::Bytes b;
    return shl->put_file(request("PUT", "/v1/shl/" + id_text + "/file", jwe, signer ? signer : &manage, auth, b),
                         id_text);
  }
  ApiResponse revoke(const crypto::SignKeyPair* signer = nullptr) {
    std::string auth;
    crypto::Bytes b;
    return shl->revoke(request("DELETE", "/v1/shl/" + id_text, "", signer ? signer : &manage, auth, b), id_text);
  }
  ApiResponse manifest(const std::string& body = R"({"recipient":"Dr. Test"})") {
    std::string auth;
    crypto::Bytes b;
    return shl->manifest(request("POST", "/v1/shl/" + id_text, body, nullptr, auth, b), id_text);
  }
  ApiResponse with_passcode(const std::string& passcode) {
    return manifest(json{{"recipient", "Dr. Test"}, {"passcode", passcode}}.dump());
  }
  ApiResponse fetch(const std::string& location) {
    const std::string prefix = "http://relay.test:8787/v1/shl-files/";
    REQUIRE(location.rfind(prefix, 0) == 0);
    std::string auth;
    crypto::Bytes b;
    return shl->file(request("GET", location.substr(prefix.size() - 14), "", nullptr, auth, b),
                     location.substr(prefix.size()));
  }
};

std::string outcome(const ApiResponse& r) {
  return std::to_string(r.status) + (r.error.empty() ? "" : " " + r.error);
}

json body_of(const ApiResponse& r) { return json::parse(r.body); }

}  // namespace

TEST_CASE("shl: create, upload, manifest with a single-use location, file", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      CHECK(outcome(h.create()) == "201");
      CHECK(outcome(h.create()) == "409 link-exists");
      CHECK(outcome(h.manifest()) == "404 no-file");
      const std::string jwe = fake_jwe(1000);
      CHECK(outcome(h.put(jwe)) == "201");

      const ApiResponse m = h.manifest();
      REQUIRE(outcome(m) == "200");
      CHECK(m.content_type == "application/json");
      const json j = body_of(m);
      CHECK(j["status"] == "finalized");
      REQUIRE(j["files"].size() == 1);
      CHECK(j["files"][0]["contentType"] == "application/fhir+json");
      CHECK(j["files"][0]["lastUpdated"] == "2026-01-01T00:00:00Z");
      CHECK_FALSE(j["files"][0].contains("embedded"));
      const std::string location = j["files"][0]["location"];
      // The location names a fresh 256-bit ticket, not the link.
      CHECK(location.find(h.id_text) == std::string::npos);

      const ApiResponse f = h.fetch(location);
      REQUIRE(outcome(f) == "200");
      CHECK(f.content_type == "application/jose");
      CHECK(f.body == jwe);
      CHECK(outcome(h.fetch(location)) == "404 no-such-file");  // single use

      // A location dies after kShlLocationSeconds.
      const std::string late = body_of(h.manifest())["files"][0]["location"];
      h.now += kShlLocationSeconds + 1;
      CHECK(outcome(h.fetch(late)) == "404 no-such-file");

      // A manifest request needs a recipient; unknown ids are 404 like dead links.
      CHECK(outcome(h.manifest("{}")) == "400 malformed");
      CHECK(outcome(h.manifest("[]")) == "400 malformed");
      std::string auth;
      crypto::Bytes b;
      const std::string other = crypto::base64url_encode(crypto::shl_id());
      CHECK(outcome(h.shl->manifest(h.request("POST", "/v1/shl/" + other, R"({"recipient":"x"})", nullptr, auth, b),
                                    other)) == "404 no-such-link");
      CHECK(outcome(h.shl->manifest(h.request("POST", "/v1/shl/abc", R"({"recipient":"x"})", nullptr, auth, b),
                                    "abc")) == "404 no-such-link");
    }
  }
}

TEST_CASE("shl: embedded files when the recipient allows the length", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      REQUIRE(outcome(h.create()) == "201");
      const std::string jwe = fake_jwe(100);
      REQUIRE(outcome(h.put(jwe)) == "201");
      const json small = body_of(h.manifest(json{{"recipient", "r"}, {"embeddedLengthMax", jwe.size()}}.dump()));
      CHECK(small["files"][0]["embedded"] == jwe);
      CHECK_FALSE(small["files"][0].contains("location"));
      const json big = body_of(h.manifest(json{{"recipient", "r"}, {"embeddedLengthMax", jwe.size() - 1}}.dump()));
      CHECK(big["files"][0].contains("location"));
      CHECK(outcome(h.manifest(R"({"recipient":"r","embeddedLengthMax":-1})")) == "400 malformed");
    }
  }
}

TEST_CASE("shl: passcode right, wrong (attempts counted), exhausted", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      REQUIRE(outcome(h.create(R"(,"passcode":"4711","maxAttempts":3)")) == "201");
      REQUIRE(outcome(h.put(fake_jwe(10))) == "201");
      // Only the hash is kept.
      const auto link = h.t.store->get_link(h.id);
      REQUIRE(link);
      REQUIRE(link->passcode_hash);
      CHECK(link->passcode_hash->find("4711") == std::string::npos);
      CHECK(link->passcode_hash->rfind("$argon2id$", 0) == 0);

      const ApiResponse missing = h.manifest();
      CHECK(outcome(missing) == "401 passcode-required");
      CHECK(body_of(missing)["remainingAttempts"] == 3);
      CHECK(outcome(h.with_passcode("4711")) == "200");
      const ApiResponse wrong = h.with_passcode("1234");
      CHECK(outcome(wrong) == "401 wrong-passcode");
      CHECK(body_of(wrong)["remainingAttempts"] == 2);
      CHECK(outcome(h.with_passcode("4711")) == "200");  // a right one costs nothing
      CHECK(body_of(h.with_passcode("0000"))["remainingAttempts"] == 1);
      CHECK(body_of(h.with_passcode("0001"))["remainingAttempts"] == 0);
      // Locked: even the right passcode is refused, as for a link that is gone.
      CHECK(outcome(h.with_passcode("4711")) == "404 no-such-link");
      CHECK(outcome(h.manifest()) == "404 no-such-link");
    }
  }
}

TEST_CASE("shl: expiry and revocation end the manifest and its locations", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      REQUIRE(outcome(h.create("", 600)) == "201");
      REQUIRE(outcome(h.put(fake_jwe(10))) == "201");
      const std::string location = body_of(h.manifest())["files"][0]["location"];
      CHECK(outcome(h.revoke(&h.stranger)) == "403 wrong-key");
      CHECK(outcome(h.revoke()) == "204");
      CHECK(outcome(h.manifest()) == "404 no-such-link");
      CHECK(outcome(h.fetch(location)) == "404 no-such-file");
      CHECK(outcome(h.revoke()) == "410 revoked");
      CHECK(outcome(h.put(fake_jwe(10))) == "410 revoked");
      CHECK(outcome(h.create()) == "409 link-exists");  // the id is never reused

      Harness e(backend);
      REQUIRE(outcome(e.create("", 600)) == "201");
      REQUIRE(outcome(e.put(fake_jwe(10))) == "201");
      e.now += 601;
      CHECK(outcome(e.manifest()) == "404 no-such-link");
      CHECK(outcome(e.put(fake_jwe(10))) == "410 expired");
      // The purger drops the expired file, then (after the tombstone days) the row.
      CHECK(e.t.store->purge_expired(e.now).shl_files >= 1);
      CHECK(e.t.store->get_link(e.id));
      CHECK(e.t.store->purge_expired(e.now + e.config.tombstone_days * 86400).shl_links >= 1);
      CHECK_FALSE(e.t.store->get_link(e.id));
    }
  }
}

TEST_CASE("shl: only a long-term link's file is replaced; uploads are checked", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      REQUIRE(outcome(h.create()) == "201");
      CHECK(outcome(h.put(fake_jwe(10), &h.stranger)) == "403 wrong-key");
      CHECK(outcome(h.put("not a jwe")) == "400 bad-file");
      CHECK(outcome(h.put(fake_jwe(10, "text/html"))) == "400 bad-file");
      CHECK(outcome(h.put(fake_jwe(10, "application/fhir+jsonx"))) == "400 bad-file");
      CHECK(outcome(h.put(fake_jwe(10, "application/fhir+json;" + std::string(100, 'x')))) == "400 bad-file");
      CHECK(outcome(h.put(fake_jwe(10))) == "201");
      CHECK(outcome(h.put(fake_jwe(20))) == "409 link-finalized");

      Harness l(backend);
      REQUIRE(outcome(l.create(R"(,"longTerm":true)")) == "201");
      // The IG's own example type carries a parameter; the manifest names it as uploaded.
      CHECK(outcome(l.put(fake_jwe(10, "application/fhir+json;fhirVersion=4.0.1"))) == "201");
      CHECK(body_of(l.manifest())["files"][0]["contentType"] == "application/fhir+json;fhirVersion=4.0.1");
      l.now += 60;
      const std::string newer = fake_jwe(30);
      CHECK(outcome(l.put(newer)) == "200");
      const json m = body_of(l.manifest());
      CHECK(m["status"] == "can-change");
      CHECK(m["files"][0]["lastUpdated"] == "2026-01-01T00:01:00Z");
      CHECK(l.fetch(m["files"][0]["location"]).body == newer);
    }
  }
}

TEST_CASE("shl: create checks its body and its signer", "[shl]") {
  Harness h("sqlite");
  CHECK(outcome(h.create("", 3600, &h.stranger)) == "403 wrong-key");
  CHECK(outcome(h.create(R"(,"x":1)")) == "400 malformed");
  CHECK(outcome(h.create("", 0)) == "400 malformed");
  CHECK(outcome(h.create("", h.config.max_grant_days * 86400 + 1)) == "400 malformed");
  CHECK(outcome(h.create(R"(,"maxAttempts":3)")) == "400 malformed");
  CHECK(outcome(h.create(R"(,"passcode":"")")) == "400 malformed");
  CHECK(outcome(h.create(R"(,"passcode":"1","maxAttempts":0)")) == "400 malformed");
  CHECK(outcome(h.create(R"(,"longTerm":"yes")")) == "400 malformed");
  std::string auth;
  crypto::Bytes b;
  CHECK(outcome(h.shl->create(h.request("POST", "/v1/shl", "{}", nullptr, auth, b))) == "401 missing-auth");
  // A replayed create is refused by its nonce.
  ApiRequest r = h.request("POST", "/v1/shl",
                           R"({"id":")" + h.id_text + R"(","managementKey":")" +
                               crypto::base64url_encode(h.manage.public_key) + R"(","expiresAt":)" +
                               std::to_string(h.now + 60) + "}",
                           &h.manage, auth, b);
  const ApiResponse first = h.shl->create(r);
  INFO(first.body);
  CHECK(outcome(first) == "201");
  const ApiResponse again = h.shl->create(r);
  INFO(again.body);
  CHECK(outcome(again) == "401 replayed-nonce");
}

TEST_CASE("shl: link files count toward the address and global quotas", "[shl][store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      Harness h(backend);
      h.config.max_bytes_per_address = 3000;
      REQUIRE(outcome(h.create(R"(,"longTerm":true)")) == "201");
      CHECK(outcome(h.put(fake_jwe(1500))) == "201");
      CHECK(outcome(h.put(fake_jwe(1600))) == "200");  // a replacement counts its new size only
      const crypto::ShlId first = h.id;
      h.use_link(crypto::shl_id());
      REQUIRE(outcome(h.create()) == "201");
      CHECK(outcome(h.put(fake_jwe(1500))) == "429 address-quota-exceeded");
      const crypto::ShlId second = h.id;
      h.use_link(first);
      CHECK(outcome(h.revoke()) == "204");  // frees its bytes
      h.use_link(second);
      CHECK(outcome(h.put(fake_jwe(1500))) == "201");
    }
  }
}
