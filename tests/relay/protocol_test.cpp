// SPDX-License-Identifier: Apache-2.0
// Wire formats and CORS (protocol.hpp, cors.hpp).
#include "chartlock/crypto/encoding.hpp"
#include "cors.hpp"
#include "protocol.hpp"
#include "support.hpp"

using namespace chartlock;
using namespace chartlock::relay;

namespace {

std::string failure_code(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiFailure& e) {
    CHECK(e.error.status == 400);
    return e.error.code + ": " + e.error.message;
  }
  return "ok";
}

}  // namespace

TEST_CASE("grant ids: 32 lowercase hex digits", "[protocol]") {
  const auto id = parse_grant_id("00112233445566778899aabbccddeeff");
  CHECK(crypto::hex_encode(id) == "00112233445566778899aabbccddeeff");
  for (const char* bad : {"", "0011", "00112233445566778899AABBCCDDEEFF", "00112233445566778899aabbccddeeffaa",
                          "0011223344556677889gaabbccddeeff", "%0112233445566778899aabbccddeeff"}) {
    CAPTURE(bad);
    CHECK_THAT(failure_code([&] { parse_grant_id(bad); }), Catch::StartsWith("malformed"));
  }
}

TEST_CASE("create-grant bodies", "[protocol]") {
  const std::int64_t now = 1767225600;
  const auto patient = crypto::sign_keypair(), tool = crypto::sign_keypair();
  const std::string pk = crypto::base64url_encode(patient.public_key), tk = crypto::base64url_encode(tool.public_key);
  auto body = [&](const std::string& id, const std::string& p, const std::string& t, const std::string& exp,
                  const std::string& extra = "") {
    return R"({"grantId":")" + id + R"(","patientKey":")" + p + R"(","toolKey":")" + t + R"(","expiresAt":)" + exp +
           extra + "}";
  };
  const std::string id = "00112233445566778899aabbccddeeff";
  const CreateGrant g = parse_create_grant(body(id, pk, tk, std::to_string(now + 60)), now, 400 * 86400);
  CHECK(crypto::hex_encode(g.grant_id) == id);
  CHECK(g.patient_key == patient.public_key);
  CHECK(g.tool_key == tool.public_key);
  CHECK(g.expires_at == now + 60);

  const std::pair<std::string, std::string> bad[] = {
      {"", "must be a JSON object"},
      {"[1]", "must be a JSON object"},
      {body(id, pk, tk, "1", R"(,"x":1)"), "unknown field"},
      {R"({"grantId":")" + id + R"(","patientKey":")" + pk + R"(","expiresAt":1})", "toolKey is missing"},
      {body(id, pk, tk, "\"soon\""), "expiresAt must be a whole number"},
      {body(id, pk, tk, "1.5"), "expiresAt must be a whole number"},
      {body(id, pk, tk, std::to_string(now)), "not in the future"},
      {body(id, pk, tk, std::to_string(now + 401 * 86400)), "more than 400 days"},
      {body(id, pk, pk, std::to_string(now + 60)), "must differ"},
      {body(id, pk, tk.substr(1), std::to_string(now + 60)), "toolKey has 31 bytes"},
      {body(id, pk, std::string(43, 'A'), std::to_string(now + 60)), "not a valid Ed25519"},
      {body("XYZ", pk, tk, std::to_string(now + 60)), "grant id"},
  };
  for (const auto& [text, message] : bad) {
    CAPTURE(text);
    CHECK_THAT(failure_code([&] { parse_create_grant(text, now, 400 * 86400); }), Catch::Contains(message));
  }
}

TEST_CASE("JSON answers and the log hash", "[protocol]") {
  CHECK(error_json("too-large", "the body is too large") == R"({"error":"too-large","message":"the body is too large"})");
  CHECK(error_json("x", "bad \xff byte") == "{\"error\":\"x\",\"message\":\"bad \xef\xbf\xbd byte\"}");
  CHECK(stored_bundle_json(7, 777) == R"({"sequence":7,"size":777})");
  const auto id = parse_grant_id("00112233445566778899aabbccddeeff");
  CHECK(created_grant_json(id, 5) == R"({"grantId":"00112233445566778899aabbccddeeff","expiresAt":5})");
  const std::string h = grant_log_hash(id);
  CHECK(h.size() == 8);
  CHECK(h == grant_log_hash(id));
  CHECK(h != grant_log_hash(parse_grant_id("00112233445566778899aabbccddeef0")));
  CHECK(std::string("00112233445566778899aabbccddeeff").find(h) == std::string::npos);
  const ApiResponse r = error_response(ApiError{429, "rate-limited", "slow down", 3});
  CHECK(r.status == 429);
  CHECK(r.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "3"}});
}

TEST_CASE("CORS: exact origins only", "[cors]") {
  const CorsPolicy none({});
  CHECK(none.response_headers(std::string_view("https://w.example")).empty());
  CHECK_FALSE(none.preflight_headers(std::string_view("https://w.example")));

  const CorsPolicy cors({"https://w.example"});
  CHECK(cors.allowed("https://w.example"));
  CHECK_FALSE(cors.allowed("https://w.example.evil"));
  CHECK_FALSE(cors.allowed("http://w.example"));
  CHECK_FALSE(cors.allowed("null"));
  const HeaderList h = cors.response_headers(std::string_view("https://w.example"));
  CHECK(std::count(h.begin(), h.end(), HeaderList::value_type{"Access-Control-Allow-Origin", "https://w.example"}) == 1);
  CHECK(cors.response_headers(std::string_view("https://other.example")) == HeaderList{{"Vary", "Origin"}});
  CHECK(cors.response_headers(std::nullopt) == HeaderList{{"Vary", "Origin"}});
  const auto pre = cors.preflight_headers(std::string_view("https://w.example"));
  REQUIRE(pre);
  CHECK(std::count(pre->begin(), pre->end(), HeaderList::value_type{"Access-Control-Allow-Headers", "Authorization, Content-Type"}) == 1);
  CHECK_FALSE(cors.preflight_headers(std::string_view("https://other.example")));
}

TEST_CASE("CORS: a SMART Health Link's recipient routes answer any origin, without credentials", "[cors]") {
  const HeaderList h = CorsPolicy::public_response_headers();
  CHECK(h == HeaderList{{"Access-Control-Allow-Origin", "*"}});
  const HeaderList pre = CorsPolicy::public_preflight_headers("POST");
  CHECK(std::count(pre.begin(), pre.end(), HeaderList::value_type{"Access-Control-Allow-Methods", "POST"}) == 1);
  CHECK(std::count(pre.begin(), pre.end(), HeaderList::value_type{"Access-Control-Allow-Headers", "Content-Type"}) == 1);
  CHECK(std::none_of(pre.begin(), pre.end(), [](const auto& kv) { return kv.first == "Access-Control-Allow-Credentials"; }));
}
