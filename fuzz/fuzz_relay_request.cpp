// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the relay's protocol layer (relay::Service) on a fresh
// in-memory SQLite store and a fixed clock, driven by a short script of
// requests decoded from the input: create a grant, put, get, revoke.
//
// Each request is signed by one of three fixed keys (patient, tool,
// stranger) so that fuzzing gets past the signature into the grant rules,
// the nonce memory and the store; or it carries a fuzzed Authorization
// header, or none. Bodies are either built from fuzzed fields (a create-grant
// JSON object, a bundle sealed by the patient with a fuzzed header) or raw
// fuzzed bytes, and times, timestamps and nonces are fuzzed too.
//
// Oracles: Service answers every request (an escaping exception is a
// crash; the server would turn it into a 500), never with 5xx; every error
// answer is {"error","message"} JSON with a code; a 200 GET returns exactly
// the last bundle the relay accepted for that grant.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/request.hpp"
#include "config.hpp"
#include "fixed_keys.hpp"
#include "service.hpp"
#include "sqlite_store.hpp"

namespace {

using namespace chartlock;
using crypto::ByteView;
using crypto::Bytes;

constexpr std::int64_t kStart = 1'800'000'000;  // the fixed clock's first reading
constexpr std::size_t kMaxRequests = 12;

struct Parties {
  crypto::KeySet patient = fuzz::fixed_keys(fuzz::Party::patient);
  crypto::KeySet tool = fuzz::fixed_keys(fuzz::Party::tool);
  crypto::KeySet stranger = fuzz::fixed_keys(fuzz::Party::stranger);
  const crypto::KeySet& pick(int i) const { return i == 0 ? patient : i == 1 ? tool : stranger; }
};

// Two grant ids the script can refer to, so requests meet the same grants.
crypto::GrantId known_grant(std::uint8_t which) {
  crypto::GrantId id{};
  id.fill(static_cast<std::uint8_t>(0x10 + which));
  return id;
}

std::string grant_text(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return crypto::hex_encode(known_grant(0));
    case 1: return crypto::hex_encode(known_grant(1));
    default: return in.ConsumeRandomLengthString(40);
  }
}

std::string key_text(FuzzedDataProvider& in, const Parties& parties) {
  const int choice = in.ConsumeIntegralInRange<int>(0, 3);
  if (choice == 3) return in.ConsumeRandomLengthString(50);
  return crypto::base64url_encode(parties.pick(choice).ed25519.public_key);
}

std::string create_body(FuzzedDataProvider& in, const Parties& parties, std::int64_t now) {
  if (in.ConsumeBool()) return in.ConsumeRandomLengthString(300);
  nlohmann::json body;
  body["grantId"] = grant_text(in);
  body["patientKey"] = key_text(in, parties);
  body["toolKey"] = key_text(in, parties);
  body["expiresAt"] = now + in.ConsumeIntegralInRange<std::int64_t>(-100, 500LL * 86400);
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0) body["extra"] = true;
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0) body.erase("toolKey");
  // Fuzzed strings need not be UTF-8; a client would send the bytes as they are.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A bundle sealed by the patient (or the stranger) to the tool, with fuzzed
// grant, sequence and times; sometimes cut or with a flipped byte.
Bytes put_body(FuzzedDataProvider& in, const Parties& parties, std::int64_t now) {
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 600));
  crypto::SealRequest req;
  req.meta.recipient_pk = parties.tool.x25519.public_key;
  req.meta.grant_id = known_grant(in.ConsumeIntegralInRange<std::uint8_t>(0, 1));
  req.meta.sequence = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::uint64_t>(0, 4) : in.ConsumeIntegral<std::uint64_t>();
  req.meta.created_at = now - in.ConsumeIntegralInRange<std::int64_t>(0, 86400);
  req.meta.expires_at = req.meta.created_at + in.ConsumeIntegralInRange<std::int64_t>(1, 40LL * 86400);
  const std::string receipt = R"({"type":"consent-receipt"})";
  req.receipt.assign(receipt.begin(), receipt.end());
  req.parts.push_back(crypto::Part{"summary.md", "text/markdown", in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200))});
  req.chunk_size = in.ConsumeIntegralInRange<std::size_t>(1, 256);
  const crypto::KeySet& signer = in.ConsumeIntegralInRange<int>(0, 7) == 0 ? parties.stranger : parties.patient;
  Bytes bundle = crypto::bundle_seal(req, signer.ed25519);
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: bundle.resize(in.ConsumeIntegralInRange<std::size_t>(0, bundle.size())); break;
    case 1: bundle[in.ConsumeIntegralInRange<std::size_t>(0, bundle.size() - 1)] ^= in.ConsumeIntegralInRange<std::uint8_t>(1, 255); break;
    default: break;
  }
  return bundle;
}

void check_answer(const relay::ApiResponse& r) {
  if (r.status >= 500 || r.status < 200) std::abort();
  if (r.status >= 400) {
    if (r.error.empty() || r.content_type != "application/json") std::abort();
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error") || !j.contains("message")) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Parties parties;
  FuzzedDataProvider in(data, size);

  relay::SqliteStore store(":memory:", 1);
  relay::Config config;
  config.max_grants_per_key = in.ConsumeIntegralInRange<std::size_t>(1, 3);
  std::int64_t now = kStart;
  double monotonic = 1000;
  relay::Service service(store, config, relay::Clocks{[&] { return now; }, [&] { return monotonic; }});
  std::map<std::string, Bytes> accepted;  // grant id text → the last bundle stored for it

  for (std::size_t n = 0; n < kMaxRequests && in.remaining_bytes() > 0; ++n) {
    // Time passes: seconds, or days (grants and bundles expire).
    const std::int64_t step = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(0, 120)
                                               : in.ConsumeIntegralInRange<std::int64_t>(0, 60LL * 86400);
    now += step;
    monotonic += static_cast<double>(step);

    const int op = in.ConsumeIntegralInRange<int>(0, 3);
    const std::string id = op == 0 ? std::string() : grant_text(in);
    std::string method, target, text_body;
    Bytes body;
    switch (op) {
      case 0: method = "POST"; target = "/v1/grants"; text_body = create_body(in, parties, now); break;
      case 1: method = "PUT"; target = "/v1/grants/" + id + "/bundle"; body = put_body(in, parties, now); break;
      case 2: method = "GET"; target = "/v1/grants/" + id + "/bundle"; break;
      default: method = "DELETE"; target = "/v1/grants/" + id; break;
    }
    if (op == 0) body.assign(text_body.begin(), text_body.end());

    std::string authorization;
    bool has_authorization = true;
    const int auth_choice = in.ConsumeIntegralInRange<int>(0, 7);
    if (auth_choice <= 4) {
      const crypto::KeySet& signer = parties.pick(auth_choice % 3);
      const std::int64_t ts = now + in.ConsumeIntegralInRange<std::int64_t>(-400, 400);
      crypto::RequestNonce nonce{};
      const Bytes nonce_bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeBool() ? 1 : nonce.size());
      std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());  // short: repeats, i.e. replays
      try {
        authorization = crypto::request_sign(method, target, body, ts, nonce, signer.ed25519);
      } catch (const crypto::Error&) {
        has_authorization = false;  // a target no client can sign (fuzzed id); sent unsigned
      }
    } else if (auth_choice <= 6) {
      authorization = in.ConsumeRandomLengthString(600);
    } else {
      has_authorization = false;
    }

    relay::ApiRequest req;
    req.method = method;
    req.target = target;
    if (has_authorization) req.authorization = authorization;
    req.body = ByteView(body);
    relay::ApiResponse r;
    switch (op) {
      case 0: r = service.create_grant(req); break;
      case 1: r = service.put_bundle(req, id); break;
      case 2: r = service.get_bundle(req, id); break;
      default: r = service.revoke(req, id); break;
    }
    check_answer(r);
    if (op == 1 && (r.status == 200 || r.status == 201)) accepted[id] = body;
    if (op == 2 && r.status == 200) {
      const auto it = accepted.find(id);
      if (it == accepted.end() || Bytes(r.body.begin(), r.body.end()) != it->second) std::abort();
    }
  }
  return 0;
}
