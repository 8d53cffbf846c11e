// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the relay's vault sync area (relay::SyncService,
// docs/relay-protocol.md §11) on a fresh in-memory SQLite store and a fixed
// clock, driven by a script of up to 16 requests decoded from the input:
// PUT /v1/sync/{id}?version=N, GET /v1/sync/{id}[?version=N], DELETE.
//
// Two sync identities come from fixed recovery keys (the owner's and a
// stranger's), so requests are signed as a device would sign them and get
// past authentication into the compare-and-set, the pinned key, the kept
// versions and the store; or they carry a fuzzed Authorization header, or
// none. The id is either identity's or fuzzed text; the version is the one
// the script last saw stored, one either side, 0, any number or a fuzzed
// query; a PUT's body is a real sync copy (sealed under the owner's sync key,
// sometimes cut or with a flipped byte) or raw bytes.
//
// Oracles: every request is answered (an escaping exception is a crash),
// never with 1xx or 5xx; every error is {"error","message"} JSON with a code;
// and against a model of what the relay accepted: a PUT succeeds only naming
// the current version, signed by the pinned key (or the first writer), and
// stores version N + 1; a GET returns exactly the copy stored as the latest
// (with its version in Chartlock-Sync-Version) or as the kept version asked
// for, and nothing for a version not kept or a space turned off; only the
// pinned key reads or deletes.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/sync.hpp"
#include "chartlock/crypto/vault.hpp"
#include "config.hpp"
#include "service.hpp"
#include "sqlite_store.hpp"
#include "sync.hpp"

namespace {

using namespace chartlock;
using crypto::ByteView;
using crypto::Bytes;

constexpr std::int64_t kStart = 1'800'000'000;
constexpr std::size_t kMaxRequests = 16;

crypto::SyncIdentity fixed_identity(std::uint8_t fill) {
  crypto::RecoveryKey key;
  for (std::size_t i = 0; i < key.size(); ++i) key.data()[i] = static_cast<std::uint8_t>(fill + i);
  return crypto::sync_identity(key);
}

struct Parties {
  crypto::SyncIdentity owner = fixed_identity(0x41);
  crypto::SyncIdentity stranger = fixed_identity(0x97);
  std::string owner_id = crypto::sync_id_encode(owner.id);
  std::string stranger_id = crypto::sync_id_encode(stranger.id);
};

// What the relay should hold for one sync id, from the answers it gave.
struct Space {
  int signer = -1;  // 0 owner, 1 stranger: who pinned it
  std::uint64_t version = 0;
  std::map<std::uint64_t, Bytes> kept;  // the last kSyncVersionsKept copies
};

Bytes copy_body(FuzzedDataProvider& in, const Parties& parties) {
  if (in.ConsumeIntegralInRange<int>(0, 4) == 0) {
    return in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 300));
  }
  const Bytes plaintext = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 200));
  Bytes copy = crypto::sync_copy_seal(parties.owner.key, plaintext);
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: copy.resize(in.ConsumeIntegralInRange<std::size_t>(0, copy.size())); break;
    case 1: copy[in.ConsumeIntegralInRange<std::size_t>(0, copy.size() - 1)] ^= in.ConsumeIntegralInRange<std::uint8_t>(1, 255); break;
    default: break;
  }
  return copy;
}

std::string version_query(FuzzedDataProvider& in, std::uint64_t current) {
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: case 1: case 2: return "?version=" + std::to_string(current);
    case 3: return "?version=" + std::to_string(current + 1);
    case 4: return "?version=" + std::to_string(current == 0 ? 0 : current - 1);
    case 5: return "?version=" + std::to_string(in.ConsumeIntegral<std::uint64_t>());
    case 6: return "?" + in.ConsumeRandomLengthString(30);
    default: return "?version=0";
  }
}

void check_answer(const relay::ApiResponse& r) {
  if (r.status >= 500 || r.status < 200) std::abort();
  if (r.status >= 400) {
    if (r.error.empty() || r.content_type != "application/json") std::abort();
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error") || !j.contains("message")) std::abort();
  }
}

std::string header(const relay::ApiResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
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
  relay::SyncService sync(store, service, config);
  std::map<std::string, Space> model;  // sync id text → what was accepted

  for (std::size_t n = 0; n < kMaxRequests && in.remaining_bytes() > 0; ++n) {
    const std::int64_t step = in.ConsumeIntegralInRange<std::int64_t>(0, in.ConsumeBool() ? 400 : 30LL * 86400);
    now += step;
    monotonic += static_cast<double>(step);

    const int op = in.ConsumeIntegralInRange<int>(0, 2);
    std::string id;
    switch (in.ConsumeIntegralInRange<int>(0, 5)) {
      case 0: case 1: case 2: id = parties.owner_id; break;
      case 3: id = parties.stranger_id; break;
      default: id = in.ConsumeRandomLengthString(50); break;
    }
    const Space before = model.count(id) ? model[id] : Space{};
    std::string method, target = "/v1/sync/" + id;
    Bytes body;
    std::uint64_t asked = 0;
    bool asked_version = false;
    switch (op) {
      case 0: {
        method = "PUT";
        const std::string q = version_query(in, before.version);
        target += q;
        body = copy_body(in, parties);
        break;
      }
      case 1: {
        method = "GET";
        if (in.ConsumeBool()) target += version_query(in, before.version);
        break;
      }
      default: {
        method = "DELETE";
        if (in.ConsumeIntegralInRange<int>(0, 7) == 0) target += "?version=1";
        break;
      }
    }
    const std::size_t q = target.find("?version=");
    if (q != std::string::npos) {
      const std::string digits = target.substr(q + 9);
      if (!digits.empty() && digits.size() <= 19 && digits.find_first_not_of("0123456789") == std::string::npos &&
          (digits == "0" || digits[0] != '0')) {
        asked = std::stoull(digits);
        asked_version = true;
      }
    }

    int signer = -1;
    std::string authorization;
    bool has_authorization = true;
    const int auth_choice = in.ConsumeIntegralInRange<int>(0, 9);
    if (auth_choice <= 6) {
      signer = auth_choice <= 4 ? 0 : 1;
      const crypto::SyncIdentity& who = signer == 0 ? parties.owner : parties.stranger;
      crypto::RequestNonce nonce{};
      const Bytes nonce_bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeBool() ? 1 : nonce.size());
      std::copy(nonce_bytes.begin(), nonce_bytes.end(), nonce.begin());  // short: repeats, i.e. replays
      try {
        authorization = crypto::request_sign(method, target, body, now + in.ConsumeIntegralInRange<std::int64_t>(-400, 400),
                                             nonce, who.signing);
      } catch (const crypto::Error&) {
        has_authorization = false;  // a target no client can sign (fuzzed id)
        signer = -1;
      }
    } else if (auth_choice <= 8) {
      authorization = in.ConsumeRandomLengthString(300);
      signer = -1;
    } else {
      has_authorization = false;
    }

    relay::ApiRequest req;
    req.method = method;
    req.target = target;
    if (has_authorization) req.authorization = authorization;
    req.body = ByteView(body);
    req.host = "relay.test";
    req.client_prefix = "203.0.113.7";
    relay::ApiResponse r;
    switch (op) {
      case 0: r = sync.put(req, id); break;
      case 1: r = sync.get(req, id); break;
      default: r = sync.remove(req, id); break;
    }
    check_answer(r);

    const bool ok = r.status >= 200 && r.status < 300;
    if (!ok) continue;
    // Whatever succeeded was signed by a device's key, the pinned one once pinned.
    if (signer < 0 || (before.signer >= 0 && signer != before.signer)) std::abort();
    if (op == 0) {
      // Stored as N + 1, N being the current version (0: nothing stored).
      if (!asked_version || asked != before.version) std::abort();
      const auto j = nlohmann::json::parse(r.body, nullptr, false);
      if (j.is_discarded() || !j.contains("version") || j["version"] != before.version + 1) std::abort();
      if (r.status != (before.version == 0 ? 201 : 200)) std::abort();
      Space& s = model[id];
      s.signer = signer;
      s.version = before.version + 1;
      s.kept[s.version] = body;
      while (!s.kept.empty() && s.kept.begin()->first + relay::kSyncVersionsKept <= s.version) s.kept.erase(s.kept.begin());
    } else if (op == 1) {
      if (before.signer < 0) std::abort();  // nothing was ever accepted there
      const std::uint64_t v = asked_version ? asked : before.version;
      const auto it = before.kept.find(v);
      if (it == before.kept.end() || Bytes(r.body.begin(), r.body.end()) != it->second) std::abort();
      if (header(r, relay::kSyncVersionHeader) != std::to_string(v)) std::abort();
    } else {
      if (before.signer < 0) std::abort();
      model.erase(id);
    }
  }
  return 0;
}
