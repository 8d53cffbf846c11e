// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the relay's SMART Health Link area (relay::ShlService)
// on a fresh in-memory SQLite store and a fixed clock, driven by a script of
// up to 12 requests decoded from the input: create a link, upload its file,
// ask for the manifest, fetch a file location, revoke.
//
// Two link ids the script can name, managed by the fixed patient and tool
// keys; requests are signed by one of the three fixed keys (with fuzzed
// timestamps and nonces), carry a fuzzed Authorization header, or none.
// Bodies are built from fuzzed fields (a create body, sometimes with a
// passcode; a structurally valid JWE; a manifest request with the right, a
// wrong or no passcode) or are raw fuzzed bytes. Passcodes are rare: each
// hash or check is an Argon2id run.
//
// Oracles: every request is answered (an escaping exception is a crash),
// never with 1xx or 5xx; every error is {"error","message"} JSON with a
// code; a 401 from the manifest carries remainingAttempts, never more than
// the last one seen for the link; a file fetched is exactly the last file
// accepted for that link; a location opens once.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/request.hpp"
#include "config.hpp"
#include "fixed_keys.hpp"
#include "service.hpp"
#include "shl.hpp"
#include "sqlite_store.hpp"

namespace {

using namespace chartlock;
using crypto::ByteView;
using crypto::Bytes;

constexpr std::int64_t kStart = 1'800'000'000;
constexpr std::size_t kMaxRequests = 12;
constexpr const char* kPasscode = "2468";

struct Parties {
  crypto::KeySet patient = fuzz::fixed_keys(fuzz::Party::patient);
  crypto::KeySet tool = fuzz::fixed_keys(fuzz::Party::tool);
  crypto::KeySet stranger = fuzz::fixed_keys(fuzz::Party::stranger);
  const crypto::KeySet& pick(int i) const { return i == 0 ? patient : i == 1 ? tool : stranger; }
};

// Link 0 is managed by the patient key, link 1 by the tool key.
std::string known_link(int which) {
  crypto::ShlId id{};
  id.fill(static_cast<std::uint8_t>(0x20 + which));
  return crypto::base64url_encode(id);
}

std::string link_text(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 4)) {
    case 0: case 1: return known_link(0);
    case 2: return known_link(1);
    default: return in.ConsumeRandomLengthString(50);
  }
}

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string create_body(FuzzedDataProvider& in, const Parties& parties, const std::string& id, std::int64_t now) {
  if (in.ConsumeIntegralInRange<int>(0, 4) == 0) return in.ConsumeRandomLengthString(300);
  nlohmann::json body;
  body["id"] = id;
  const int manager = id == known_link(1) ? 1 : 0;
  body["managementKey"] = in.ConsumeIntegralInRange<int>(0, 7) == 0
                              ? in.ConsumeRandomLengthString(50)
                              : crypto::base64url_encode(parties.pick(manager).ed25519.public_key);
  body["expiresAt"] = now + in.ConsumeIntegralInRange<std::int64_t>(-100, 500LL * 86400);
  if (in.ConsumeBool()) body["longTerm"] = in.ConsumeBool();
  if (in.ConsumeIntegralInRange<int>(0, 7) == 0) {
    body["passcode"] = kPasscode;
    if (in.ConsumeBool()) body["maxAttempts"] = in.ConsumeIntegralInRange<int>(-1, 4);
  }
  if (in.ConsumeIntegralInRange<int>(0, 15) == 0) body["extra"] = 1;
  return dump(body);
}

std::string jwe_body(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<int>(0, 3) == 0) return in.ConsumeRandomLengthString(400);
  static const char* const kTypes[] = {"application/fhir+json", "application/smart-health-card", "text/html", ""};
  nlohmann::json header{{"alg", in.ConsumeIntegralInRange<int>(0, 7) == 0 ? "none" : "dir"}, {"enc", "A256GCM"}};
  const char* cty = kTypes[in.ConsumeIntegralInRange<int>(0, 3)];
  if (*cty) header["cty"] = cty;
  const std::string h = dump(header);
  return crypto::base64url_encode(ByteView(std::string_view(h))) + ".." +
         crypto::base64url_encode(Bytes(12, 1)) + "." +
         crypto::base64url_encode(in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200))) + "." +
         crypto::base64url_encode(Bytes(16, 2));
}

std::string manifest_body(FuzzedDataProvider& in) {
  if (in.ConsumeIntegralInRange<int>(0, 4) == 0) return in.ConsumeRandomLengthString(200);
  nlohmann::json body;
  if (in.ConsumeIntegralInRange<int>(0, 7) != 0) body["recipient"] = "Dr. Fuzz";
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0: body["passcode"] = kPasscode; break;
    case 1: body["passcode"] = in.ConsumeRandomLengthString(8); break;
    default: break;
  }
  if (in.ConsumeBool()) body["embeddedLengthMax"] = in.ConsumeIntegralInRange<std::int64_t>(-1, 600);
  return dump(body);
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
  config.key_rate = relay::RateLimit{0, 0};
  std::int64_t now = kStart;
  double monotonic = 1000;
  relay::Service service(store, config, relay::Clocks{[&] { return now; }, [&] { return monotonic; }});
  relay::ShlService shl(store, service, config);
  std::map<std::string, std::string> accepted;    // link id → the last file stored
  std::map<std::string, std::int64_t> remaining;  // link id → the last remainingAttempts seen
  std::map<std::string, std::string> tickets;     // ticket → its link id, from manifests
  std::set<std::string> used;                     // tickets that opened a file

  for (std::size_t n = 0; n < kMaxRequests && in.remaining_bytes() > 0; ++n) {
    const std::int64_t step = in.ConsumeBool() ? in.ConsumeIntegralInRange<std::int64_t>(0, 400)
                                               : in.ConsumeIntegralInRange<std::int64_t>(0, 60LL * 86400);
    now += step;
    monotonic += static_cast<double>(step);

    const int op = in.ConsumeIntegralInRange<int>(0, 4);
    const std::string id = link_text(in);
    std::string method, target, body;
    switch (op) {
      case 0: method = "POST"; target = "/v1/shl"; body = create_body(in, parties, id, now); break;
      case 1: method = "PUT"; target = "/v1/shl/" + id + "/file"; body = jwe_body(in); break;
      case 2: method = "POST"; target = "/v1/shl/" + id; body = manifest_body(in); break;
      case 3: {
        method = "GET";
        std::string ticket = in.ConsumeRandomLengthString(50);
        if (!tickets.empty() && in.ConsumeIntegralInRange<int>(0, 3) != 0) {
          auto it = tickets.begin();
          std::advance(it, in.ConsumeIntegralInRange<std::size_t>(0, tickets.size() - 1));
          ticket = it->first;
        }
        target = "/v1/shl-files/" + ticket;
        break;
      }
      default: method = "DELETE"; target = "/v1/shl/" + id; break;
    }

    std::string authorization;
    bool has_authorization = false;
    if (op == 0 || op == 1 || op == 4) {
      const int auth_choice = in.ConsumeIntegralInRange<int>(0, 7);
      has_authorization = auth_choice <= 6;
      if (auth_choice <= 4) {
        const crypto::KeySet& signer = parties.pick(auth_choice % 3);
        crypto::RequestNonce nonce{};
        const Bytes nonce_bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeBool() ? 1 : nonce.size());
        std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());
        try {
          authorization = crypto::request_sign(method, target, ByteView(std::string_view(body)),
                                               now + in.ConsumeIntegralInRange<std::int64_t>(-400, 400), nonce,
                                               signer.ed25519);
        } catch (const crypto::Error&) {
          has_authorization = false;  // a target no client can sign (fuzzed id)
        }
      } else if (auth_choice <= 6) {
        authorization = in.ConsumeRandomLengthString(300);
      }
    }

    relay::ApiRequest req;
    req.method = method;
    req.target = target;
    if (has_authorization) req.authorization = authorization;
    req.body = ByteView(std::string_view(body));
    req.host = "relay.test";
    req.client_prefix = "203.0.113.7";
    relay::ApiResponse r;
    const std::string ticket_text = op == 3 ? target.substr(std::string("/v1/shl-files/").size()) : std::string();
    switch (op) {
      case 0: r = shl.create(req); break;
      case 1: r = shl.put_file(req, id); break;
      case 2: r = shl.manifest(req, id); break;
      case 3: r = shl.file(req, ticket_text); break;
      default: r = shl.revoke(req, id); break;
    }
    check_answer(r);

    if (op == 1 && (r.status == 200 || r.status == 201)) accepted[id] = body;
    if (op == 2 && r.status == 401) {
      const auto j = nlohmann::json::parse(r.body);
      if (!j.contains("remainingAttempts") || !j["remainingAttempts"].is_number_integer()) std::abort();
      const std::int64_t left = j["remainingAttempts"].get<std::int64_t>();
      const auto seen = remaining.find(id);
      if (left < 0 || (seen != remaining.end() && left > seen->second)) std::abort();
      remaining[id] = left;
    }
    if (op == 2 && r.status == 200) {
      const auto j = nlohmann::json::parse(r.body);
      const auto& file = j.at("files").at(0);
      if (file.contains("embedded") && file["embedded"] != accepted.at(id)) std::abort();
      if (file.contains("location")) {
        const std::string location = file["location"];
        const std::string prefix = "http://relay.test/v1/shl-files/";
        if (location.rfind(prefix, 0) != 0) std::abort();
        tickets[location.substr(prefix.size())] = id;
      }
    }
    if (op == 3 && r.status == 200) {
      const auto t = tickets.find(ticket_text);
      if (t == tickets.end() || used.count(ticket_text) || r.body != accepted.at(t->second)) std::abort();
      used.insert(ticket_text);
    }
  }
  return 0;
}
