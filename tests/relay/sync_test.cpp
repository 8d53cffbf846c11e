// SPDX-License-Identifier: Apache-2.0
// Vault sync at the relay (sync.hpp, docs/relay-protocol.md §11): the
// store's sync operations and the SyncService's answers, on every available
// backend (SQLite always, PostgreSQL when CHARTLOCK_TEST_POSTGRES is set;
// tagged [store] so CI's PostgreSQL pass runs them), with a clock the test
// moves: compare-and-set conflicts, the history kept, quotas, signatures,
// turning sync off, the purger, and what the database holds.
#include <deque>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/sync.hpp"
#include "chartlock/crypto/vault.hpp"
#include "support.hpp"
#include "sync.hpp"

using namespace chartlock;
using namespace chartlock::relay;
using namespace chartlock::relay::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kNow = 1767225600;

crypto::Bytes bytes_of(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

struct Harness {
  std::int64_t now = kNow;
  double mono = 0;
  Config config;
  TestStore t;
  std::unique_ptr<Service> service;
  std::unique_ptr<SyncService> sync;
  crypto::SyncIdentity me = crypto::sync_identity(crypto::recovery_key_generate());
  crypto::SignKeyPair stranger = crypto::sign_keypair();
  std::string id_text = crypto::sync_id_encode(me.id);
  // Per harness: quotas per prefix are not shared with other tests (PostgreSQL).
  std::string prefix = crypto::hex_encode(crypto::shl_id());
  std::deque<std::string> keep;

  explicit Harness(const std::string& backend) : t(backend) {
    config.key_rate = RateLimit{0, 0};
    service = std::make_unique<Service>(*t.store, config, Clocks{[this] { return now; }, [this] { return mono; }});
    sync = std::make_unique<SyncService>(*t.store, *service, config);
  }

  // A signed request (the signer's header kept in `keep`: views must outlive the call).
  ApiRequest request(const std::string& method, const std::string& target, const crypto::Bytes& body,
                     const crypto::SignKeyPair* signer) {
    ApiRequest r;
    r.method = keep.emplace_back(method);
    r.target = keep.emplace_back(target);
    if (signer) r.authorization = keep.emplace_back(crypto::request_sign(method, target, body, now, *signer));
    r.body = body;
    r.host = "relay.test:8787";
    r.client_prefix = prefix;
    return r;
  }

  crypto::Bytes seal(const std::string& plaintext) { return crypto::sync_copy_seal(me.key, bytes_of(plaintext)); }

  ApiResponse put(std::uint64_t base, const crypto::Bytes& body, const crypto::SignKeyPair* signer = nullptr) {
    return sync->put(request("PUT", "/v1/sync/" + id_text + "?version=" + std::to_string(base), body,
                             signer ? signer : &me.signing),
                     id_text);
  }
  ApiResponse get(std::optional<std::uint64_t> version = std::nullopt, const crypto::SignKeyPair* signer = nullptr) {
    const std::string q = version ? "?version=" + std::to_string(*version) : "";
    return sync->get(request("GET", "/v1/sync/" + id_text + q, {}, signer ? signer : &me.signing), id_text);
  }
  ApiResponse remove(const crypto::SignKeyPair* signer = nullptr) {
    return sync->remove(request("DELETE", "/v1/sync/" + id_text, {}, signer ? signer : &me.signing), id_text);
  }
  std::uint64_t global_usage() { return t.store->usage(crypto::PublicKey{}, "", now).global; }
};

std::string outcome(const ApiResponse& r) { return std::to_string(r.status) + (r.error.empty() ? "" : " " + r.error); }

json body_of(const ApiResponse& r) { return json::parse(r.body); }

std::string version_header(const ApiResponse& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == kSyncVersionHeader) return value;
  }
  return "";
}

crypto::Bytes body_bytes(const ApiResponse& r) { return crypto::Bytes(r.body.begin(), r.body.end()); }

}  // namespace

TEST_CASE("sync: first write, read back, next version, an older version by number", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      CHECK(outcome(h.get()) == "404 no-sync");
      const crypto::Bytes v1 = h.seal(R"({"providers":["a"]})");
      const ApiResponse p1 = h.put(0, v1);
      REQUIRE(outcome(p1) == "201");
      CHECK(body_of(p1)["version"] == 1);
      CHECK(body_of(p1)["size"] == v1.size());
      const ApiResponse g1 = h.get();
      REQUIRE(outcome(g1) == "200");
      CHECK(g1.content_type == "application/octet-stream");
      CHECK(version_header(g1) == "1");
      CHECK(body_bytes(g1) == v1);
      CHECK(crypto::sync_copy_open(h.me.key, body_bytes(g1)) == bytes_of(R"({"providers":["a"]})"));

      const crypto::Bytes v2 = h.seal(R"({"providers":["a","b"]})");
      const ApiResponse p2 = h.put(1, v2);
      REQUIRE(outcome(p2) == "200");
      CHECK(body_of(p2)["version"] == 2);
      CHECK(body_bytes(h.get()) == v2);
      CHECK(version_header(h.get()) == "2");
      const ApiResponse old = h.get(1);
      CHECK(outcome(old) == "200");
      CHECK(version_header(old) == "1");
      CHECK(body_bytes(old) == v1);
      CHECK(outcome(h.get(3)) == "404 version-gone");
    }
  }
}

TEST_CASE("sync: compare-and-set — a write naming a version that is not the current one is 409", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      // Nothing stored: only version 0 may be named.
      const ApiResponse early = h.put(3, h.seal("{}"));
      CHECK(outcome(early) == "409 version-conflict");
      CHECK(body_of(early)["version"] == 0);
      REQUIRE(outcome(h.put(0, h.seal(R"({"from":"A"})"))) == "201");
      // Device B read version 1 and writes first; device A, also from 1, loses.
      REQUIRE(outcome(h.put(1, h.seal(R"({"from":"B"})"))) == "200");
      const ApiResponse lost = h.put(1, h.seal(R"({"from":"A again"})"));
      CHECK(outcome(lost) == "409 version-conflict");
      CHECK(body_of(lost)["version"] == 2);
      CHECK(body_of(lost)["error"] == "version-conflict");
      CHECK(outcome(h.put(0, h.seal("{}"))) == "409 version-conflict");
      CHECK(outcome(h.put(7, h.seal("{}"))) == "409 version-conflict");
      // Nothing was written by the losers.
      CHECK(crypto::sync_copy_open(h.me.key, body_bytes(h.get())) == bytes_of(R"({"from":"B"})"));
      // A fetches, merges, and writes naming the current version.
      REQUIRE(version_header(h.get()) == "2");
      const ApiResponse merged = h.put(2, h.seal(R"({"from":["A","B"]})"));
      CHECK(outcome(merged) == "200");
      CHECK(body_of(merged)["version"] == 3);
    }
  }
}

TEST_CASE("sync: the relay keeps the last five versions and drops older ones", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      std::vector<crypto::Bytes> copies;
      for (std::uint64_t v = 1; v <= 8; ++v) {
        copies.push_back(h.seal(R"({"n":)" + std::to_string(v) + "}"));
        REQUIRE(outcome(h.put(v - 1, copies.back())) == (v == 1 ? "201" : "200"));
        const std::size_t kept = std::min<std::size_t>(v, kSyncVersionsKept);
        CHECK(h.t.store->sync_versions(h.me.id).size() == kept);
      }
      CHECK(h.t.store->sync_versions(h.me.id) == std::vector<std::uint64_t>{4, 5, 6, 7, 8});
      for (std::uint64_t v = 1; v <= 3; ++v) CHECK(outcome(h.get(v)) == "404 version-gone");
      for (std::uint64_t v = 4; v <= 8; ++v) CHECK(body_bytes(h.get(v)) == copies[v - 1]);
      CHECK(version_header(h.get()) == "8");
    }
  }
}

TEST_CASE("sync: copies count toward the address and global quotas, every version kept", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      const crypto::Bytes copy = h.seal(std::string(900, 'x'));
      const std::uint64_t size = copy.size();
      h.config.max_bytes_per_address = 3 * size + 10;
      CHECK(outcome(h.put(0, copy)) == "201");
      CHECK(outcome(h.put(1, copy)) == "200");
      CHECK(outcome(h.put(2, copy)) == "200");
      // Three versions kept fill the address's room; a fourth does not fit.
      CHECK(outcome(h.put(3, copy)) == "429 address-quota-exceeded");
      CHECK(version_header(h.get()) == "3");
      // Turning sync off frees them.
      CHECK(outcome(h.remove()) == "204");
      CHECK(outcome(h.put(0, copy)) == "201");

      // Room for exactly the five versions kept: writing on drops the oldest,
      // whose bytes stop counting, so every later write fits.
      Harness k(backend);
      k.config.max_bytes_per_address = kSyncVersionsKept * size;
      for (std::uint64_t v = 1; v <= 8; ++v) CHECK(outcome(k.put(v - 1, k.seal(std::string(900, 'y')))) != "429 address-quota-exceeded");
      CHECK(version_header(k.get()) == "8");

      // The relay's global room.
      Harness g(backend);
      g.config.max_stored_bytes = g.global_usage() + 2 * size + 10;
      CHECK(outcome(g.put(0, copy)) == "201");
      CHECK(outcome(g.put(1, copy)) == "200");
      CHECK(outcome(g.put(2, copy)) == "507 storage-full");
      // And sync copies count against what bundles and links may take.
      const StorageUsage u = g.t.store->usage(crypto::PublicKey{}, Service::stored_prefix(g.prefix), g.now);
      CHECK(u.prefix == 2 * size);
    }
  }
}

TEST_CASE("sync: requests are signed by the key the first write pinned; replays and forgeries refused",
          "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      const crypto::Bytes copy = h.seal("{}");
      REQUIRE(outcome(h.put(0, copy)) == "201");
      CHECK(outcome(h.get(std::nullopt, &h.stranger)) == "403 wrong-key");
      CHECK(outcome(h.put(1, copy, &h.stranger)) == "403 wrong-key");
      CHECK(outcome(h.remove(&h.stranger)) == "403 wrong-key");
      // Another recovery key's identity is a stranger too.
      const crypto::SyncIdentity other = crypto::sync_identity(crypto::recovery_key_generate());
      CHECK(outcome(h.put(1, copy, &other.signing)) == "403 wrong-key");
      // Unsigned.
      ApiRequest bare = h.request("GET", "/v1/sync/" + h.id_text, {}, nullptr);
      CHECK(outcome(h.sync->get(bare, h.id_text)) == "401 missing-auth");
      // Replayed: the same signed request twice.
      const std::string target = "/v1/sync/" + h.id_text + "?version=1";
      const crypto::Bytes next = h.seal(R"({"n":2})");
      ApiRequest once = h.request("PUT", target, next, &h.me.signing);
      CHECK(outcome(h.sync->put(once, h.id_text)) == "200");
      CHECK(outcome(h.sync->put(once, h.id_text)) == "401 replayed-nonce");
      ApiRequest read = h.request("GET", "/v1/sync/" + h.id_text, {}, &h.me.signing);
      CHECK(outcome(h.sync->get(read, h.id_text)) == "200");
      CHECK(outcome(h.sync->get(read, h.id_text)) == "401 replayed-nonce");
      // Signed for another body, or another version, or another id.
      ApiRequest swapped = h.request("PUT", "/v1/sync/" + h.id_text + "?version=2", next, &h.me.signing);
      const crypto::Bytes other_body = h.seal(R"({"n":3})");
      swapped.body = other_body;
      CHECK(outcome(h.sync->put(swapped, h.id_text)) == "401 bad-signature");
      ApiRequest moved = h.request("PUT", "/v1/sync/" + h.id_text + "?version=2", next, &h.me.signing);
      moved.target = h.keep.emplace_back("/v1/sync/" + h.id_text + "?version=3");
      CHECK(outcome(h.sync->put(moved, h.id_text)) == "401 bad-signature");
      // A stale timestamp.
      h.now -= 3600;
      ApiRequest stale = h.request("GET", "/v1/sync/" + h.id_text, {}, &h.me.signing);
      h.now += 3600;
      CHECK(outcome(h.sync->get(stale, h.id_text)) == "401 stale-timestamp");
      CHECK(version_header(h.get()) == "2");
    }
  }
}

TEST_CASE("sync: bad ids, queries and bodies get a clear 400", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      const crypto::Bytes copy = h.seal("{}");
      for (const std::string& bad : std::vector<std::string>{"short", std::string(43, '*'), std::string(44, 'A')}) {
        ApiRequest r = h.request("PUT", "/v1/sync/x?version=0", copy, &h.me.signing);
        CHECK(outcome(h.sync->put(r, bad)) == "400 malformed");
      }
      for (const std::string q : {"", "?version=", "?version=01", "?version=x", "?v=1", "?version=1&x=2",
                                  "?version=-1", "?version=99999999999999999999",
                                  "?version=9223372036854775808"}) {
        INFO("query " << q);
        ApiRequest r = h.request("PUT", "/v1/sync/" + h.id_text + q, copy, &h.me.signing);
        CHECK(outcome(h.sync->put(r, h.id_text)) == "400 malformed");
      }
      CHECK(outcome(h.get(0)) == "400 malformed");
      // Not a sync copy: a vault, a bundle-like blob, nothing, a future version.
      crypto::testing::allow_vault_params_below_floor(true);
      const crypto::Bytes vault = crypto::vault_seal("a passphrase", bytes_of("{}"), crypto::VaultParams{1, 8192});
      CHECK(outcome(h.put(0, vault)) == "400 bad-copy");
      CHECK(outcome(h.put(0, {})) == "400 bad-copy");
      CHECK(outcome(h.put(0, bytes_of("{\"plaintext\":true}"))) == "400 bad-copy");
      crypto::Bytes future = copy;
      future[8] = 2;
      CHECK(outcome(h.put(0, future)) == "400 bad-copy");
      CHECK(outcome(h.get()) == "404 no-sync");
      // A DELETE takes no query.
      ApiRequest d = h.request("DELETE", "/v1/sync/" + h.id_text + "?version=1", {}, &h.me.signing);
      CHECK(outcome(h.sync->remove(d, h.id_text)) == "400 malformed");
    }
  }
}

TEST_CASE("sync: turning sync off deletes every version; the id can start again", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      CHECK(outcome(h.remove()) == "404 no-sync");
      for (std::uint64_t v = 1; v <= 3; ++v) REQUIRE(outcome(h.put(v - 1, h.seal("{}"))).substr(0, 1) == "2");
      CHECK(outcome(h.remove()) == "204");
      CHECK(h.t.store->sync_versions(h.me.id).empty());
      CHECK_FALSE(h.t.store->get_sync(h.me.id));
      CHECK(outcome(h.get()) == "404 no-sync");
      CHECK(outcome(h.get(2)) == "404 no-sync");
      CHECK(outcome(h.remove()) == "404 no-sync");
      CHECK(outcome(h.put(0, h.seal("{}"))) == "201");
    }
  }
}

TEST_CASE("sync: the purger drops a space not written for kSyncIdleDays, with its copies", "[sync][store]") {
  for (const std::string& backend : sync_backends()) {
    SECTION(backend) {
      Harness h(backend);
      REQUIRE(outcome(h.put(0, h.seal("{}"))) == "201");
      REQUIRE(outcome(h.put(1, h.seal("{}"))) == "200");
      const std::optional<SyncState> s = h.t.store->get_sync(h.me.id);
      REQUIRE(s);
      CHECK(s->expires_at == h.now + kSyncIdleDays * 86400);
      CHECK(h.t.store->purge_expired(s->expires_at).sync_spaces == 0);  // still within its time
      CHECK(h.t.store->purge_expired(s->expires_at + 1).sync_spaces >= 1);
      CHECK_FALSE(h.t.store->get_sync(h.me.id));
      CHECK(h.t.store->sync_versions(h.me.id).empty());
    }
  }
}

TEST_CASE("sync: the database holds neither plaintext nor anything derived from the passphrase", "[sync]") {
  // SQLite: every byte of the database files is searched.
  Harness h("sqlite");
  crypto::testing::allow_vault_params_below_floor(true);
  const std::string marker = "Patient-Name-Sync-Marker-Ada-Lovelace";
  const std::string plaintext = R"({"providers":[{"name":")" + marker + R"("}]})";
  const std::string passphrase = "the patient's passphrase, 2026";
  const crypto::VaultCreated vault =
      crypto::vault_create(passphrase, bytes_of(plaintext), crypto::VaultParams{1, 8192});
  const crypto::SyncIdentity id = crypto::sync_identity(vault.recovery_key);
  h.me = id;
  h.id_text = crypto::sync_id_encode(id.id);
  const crypto::Bytes copy = crypto::sync_copy_seal(id.key, bytes_of(plaintext));
  REQUIRE(outcome(h.put(0, copy)) == "201");
  REQUIRE(outcome(h.put(1, crypto::sync_copy_seal(id.key, bytes_of(plaintext)))) == "200");
  h.t.store.reset();  // closes the file, checkpointing the WAL

  std::string db;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(h.t.dir.file("relay.db")).parent_path())) {
    std::ifstream in(entry.path(), std::ios::binary);
    db.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  REQUIRE(db.size() > copy.size());
  const auto holds = [&](crypto::ByteView needle) {
    return db.find(std::string(needle.begin(), needle.end())) != std::string::npos;
  };
  CHECK(holds(copy));  // what was uploaded, and only that
  CHECK_FALSE(holds(bytes_of(marker)));
  CHECK_FALSE(holds(bytes_of(passphrase)));
  // The vault's passphrase slot — salt, passphrase check, wrap — and its recovery slot.
  const crypto::ByteView slots(vault.keys.slots.data(), vault.keys.slots.size());
  CHECK_FALSE(holds(slots.sub(22, 16)));   // salt
  CHECK_FALSE(holds(slots.sub(38, 16)));   // passphrase check
  CHECK_FALSE(holds(slots.sub(78, 48)));   // passphrase wrap
  CHECK_FALSE(holds(slots.sub(127, 16)));  // recovery check
  // No key: recovery, content, sync, signing seed.
  CHECK_FALSE(holds(vault.recovery_key.view()));
  CHECK_FALSE(holds(vault.keys.content_key.view()));
  CHECK_FALSE(holds(id.key.view()));
  CHECK_FALSE(holds(id.signing.seed().view()));
}

TEST_CASE("sync: the version query is read strictly", "[sync]") {
  CHECK_FALSE(sync_version_query("/v1/sync/abc"));
  CHECK(sync_version_query("/v1/sync/abc?version=0") == 0u);
  CHECK(sync_version_query("/v1/sync/abc?version=42") == 42u);
  CHECK(sync_version_query("/v1/sync/abc?version=9223372036854775807") == 9223372036854775807u);
}
