// SPDX-License-Identifier: Apache-2.0
// The Store contract (store.hpp), run against every available backend:
// SQLite and memory always, PostgreSQL when CHARTLOCK_TEST_POSTGRES is set.
#include <atomic>
#include <vector>
#include <thread>

#include "chartlock/crypto/encoding.hpp"
#include "memory_store.hpp"
#include "migrations.hpp"
#include "sqlite_db.hpp"
#include "support.hpp"

using namespace chartlock;
using namespace chartlock::relay;
using namespace chartlock::relay::test;

namespace {

constexpr std::int64_t kNow = 1767225600;

Grant new_grant(std::int64_t expires_at = kNow + 3600) {
  Grant g;
  g.id = random_grant_id();
  g.patient_key = crypto::sign_keypair().public_key;
  g.tool_key = crypto::sign_keypair().public_key;
  g.created_at = kNow;
  g.expires_at = expires_at;
  return g;
}

crypto::Bytes bytes_of(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

}  // namespace

TEST_CASE("store: grants are created once, looked up, and counted per patient key", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      CHECK(s.schema_version() == 4);
      const Grant g = new_grant();
      CHECK(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::created);
      CHECK(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::exists);
      const auto got = s.get_grant(g.id);
      REQUIRE(got);
      CHECK(got->patient_key == g.patient_key);
      CHECK(got->tool_key == g.tool_key);
      CHECK(got->expires_at == g.expires_at);
      CHECK_FALSE(got->revoked_at);
      CHECK_FALSE(got->sequence);
      CHECK_FALSE(s.get_grant(random_grant_id()));

      // Two more for the same patient key reach a limit of 2 live grants.
      Grant second = new_grant();
      second.patient_key = g.patient_key;
      CHECK(s.create_grant(second, second.expires_at, 2, kNow) == CreateOutcome::created);
      Grant third = new_grant();
      third.patient_key = g.patient_key;
      CHECK(s.create_grant(third, third.expires_at, 2, kNow) == CreateOutcome::limit_reached);
      // Revoked and expired grants do not count.
      CHECK(s.revoke(second.id, kNow));
      CHECK(s.create_grant(third, third.expires_at, 2, kNow) == CreateOutcome::created);
      Grant fourth = new_grant();
      fourth.patient_key = g.patient_key;
      CHECK(s.create_grant(fourth, fourth.expires_at, 2, kNow + 7200) == CreateOutcome::created);
    }
  }
}

TEST_CASE("store: put_bundle is a compare-and-set on the sequence", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      const Grant g = new_grant();
      REQUIRE(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::created);
      CHECK_FALSE(s.get_bundle(g.id, kNow));
      CHECK(s.put_bundle(g.id, 3, kNow + 600, bytes_of("three"), kNow) == PutOutcome::created);
      CHECK(s.put_bundle(g.id, 3, kNow + 600, bytes_of("again"), kNow) == PutOutcome::stale_sequence);
      CHECK(s.put_bundle(g.id, 2, kNow + 600, bytes_of("older"), kNow) == PutOutcome::stale_sequence);
      CHECK(s.put_bundle(g.id, 4, kNow + 600, bytes_of("four"), kNow) == PutOutcome::replaced);
      auto b = s.get_bundle(g.id, kNow);
      REQUIRE(b);
      CHECK(b->sequence == 4);
      CHECK(b->bytes == bytes_of("four"));
      CHECK(s.get_grant(g.id)->sequence == std::optional<std::uint64_t>(4));
      CHECK(s.put_bundle(random_grant_id(), 1, kNow + 600, bytes_of("x"), kNow) == PutOutcome::gone);
      CHECK(s.put_bundle(g.id, 9, kNow + 600, bytes_of("late"), g.expires_at + 1) == PutOutcome::gone);
      // Large values and every byte value survive.
      crypto::Bytes big(3 << 20);
      for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
      CHECK(s.put_bundle(g.id, 5, kNow + 600, big, kNow) == PutOutcome::replaced);
      CHECK(s.get_bundle(g.id, kNow)->bytes == big);
    }
  }
}

TEST_CASE("store: concurrent puts to one grant: exactly the highest acknowledged wins", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend, 8);
      Store& s = *t.store;
      const Grant g = new_grant();
      REQUIRE(s.create_grant(g, g.expires_at, 10, kNow) == CreateOutcome::created);
      std::atomic<std::uint64_t> highest{0};
      std::vector<std::thread> threads;
      for (int w = 0; w < 8; ++w) {
        threads.emplace_back([&, w] {
          for (std::uint64_t seq = 1 + static_cast<std::uint64_t>(w); seq <= 80; seq += 8) {
            const auto out = s.put_bundle(g.id, seq, kNow + 600, bytes_of(std::to_string(seq)), kNow);
            if (out == PutOutcome::created || out == PutOutcome::replaced) {
              std::uint64_t h = highest.load();
              while (seq > h && !highest.compare_exchange_weak(h, seq)) {
              }
            }
          }
        });
      }
      for (auto& th : threads) th.join();
      const auto b = s.get_bundle(g.id, kNow);
      REQUIRE(b);
      CHECK(b->sequence == highest.load());
      CHECK(b->sequence == 80);
      CHECK(b->bytes == bytes_of(std::to_string(b->sequence)));
    }
  }
}

TEST_CASE("store: revoke deletes the bundle and leaves a tombstone", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      const Grant g = new_grant();
      REQUIRE(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::created);
      REQUIRE(s.put_bundle(g.id, 1, kNow + 600, bytes_of("secret ciphertext"), kNow) == PutOutcome::created);
      CHECK(s.revoke(g.id, kNow + 5));
      CHECK_FALSE(s.revoke(g.id, kNow + 6));
      CHECK_FALSE(s.revoke(random_grant_id(), kNow));
      CHECK_FALSE(s.get_bundle(g.id, kNow + 5));
      const auto tomb = s.get_grant(g.id);
      REQUIRE(tomb);
      CHECK(tomb->revoked_at == std::optional<std::int64_t>(kNow + 5));
      CHECK(s.put_bundle(g.id, 2, kNow + 600, bytes_of("after"), kNow + 10) == PutOutcome::gone);
      CHECK(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::exists);
    }
  }
}

TEST_CASE("store: nonces are accepted once, also across threads", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend, 8);
      Store& s = *t.store;
      const auto key = crypto::sign_keypair().public_key;
      RequestNonce n{};
      n[0] = 1;
      CHECK(s.remember_nonce(key, n, kNow + 300));
      CHECK_FALSE(s.remember_nonce(key, n, kNow + 300));
      CHECK(s.remember_nonce(crypto::sign_keypair().public_key, n, kNow + 300));  // per key

      // 8 threads offer the same 50 nonces: each is accepted exactly once.
      std::atomic<int> accepted{0};
      std::vector<std::thread> threads;
      for (int w = 0; w < 8; ++w) {
        threads.emplace_back([&] {
          for (std::uint8_t i = 0; i < 50; ++i) {
            RequestNonce m{};
            m[0] = 2;
            m[1] = i;
            if (s.remember_nonce(key, m, kNow + 300)) ++accepted;
          }
        });
      }
      for (auto& th : threads) th.join();
      CHECK(accepted == 50);
    }
  }
}

TEST_CASE("store: purge deletes what expired, keeps tombstones until purge_at", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      const Grant g = new_grant(kNow + 100);
      REQUIRE(s.create_grant(g, kNow + 1000, 10, kNow) == CreateOutcome::created);
      REQUIRE(s.put_bundle(g.id, 1, kNow + 50, bytes_of("short-lived"), kNow) == PutOutcome::created);
      const auto key = crypto::sign_keypair().public_key;
      RequestNonce n{};
      REQUIRE(s.remember_nonce(key, n, kNow + 10));

      // Purges are global in a shared database: count at least ours.
      s.purge_expired(kNow);
      CHECK(s.get_bundle(g.id, kNow));
      CHECK(s.purge_expired(kNow + 60).bundles >= 1);  // the bundle expired at +50
      CHECK_FALSE(s.get_bundle(g.id, kNow + 60));
      CHECK(s.remember_nonce(key, n, kNow + 400));  // forgotten, so accepted again
      CHECK(s.get_grant(g.id));                      // expired at +100, kept until +1000
      s.purge_expired(kNow + 500);
      CHECK(s.get_grant(g.id));
      CHECK(s.purge_expired(kNow + 1001).grants >= 1);
      CHECK_FALSE(s.get_grant(g.id));
      CHECK(s.get_grant(g.id) == std::nullopt);

      const StoreStats st = s.stats(kNow);
      CHECK(st.bundle_bytes >= st.bundles);
      s.check_health();
    }
  }
}

TEST_CASE("store: sqlite files are in WAL mode; a newer schema is refused", "[store]") {
  TempDir dir;
  const std::string path = dir.file("relay.db");
  { open_store(path, 2); }
  sqlite::Connection c(path);
  {
    sqlite::Query q(c, "PRAGMA journal_mode");
    REQUIRE(q.step());
    const ByteView mode = q.blob(0);
    CHECK(std::string(mode.begin(), mode.end()) == "wal");
  }
  c.exec("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
  CHECK_THROWS_WITH(open_store(path, 1), Catch::Contains("schema version 99, newer than this relay's 4"));
  CHECK_THROWS_AS(open_store(dir.file("missing-dir/relay.db"), 1), StoreError);
}

TEST_CASE("store: an unreachable PostgreSQL is a StoreError without the URL", "[store]") {
  try {
    open_store("postgres://relay:hunter2@127.0.0.1:1/relay?connect_timeout=2", 1);
    FAIL("connected");
  } catch (const StoreError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("postgres: cannot connect"));
    CHECK_THAT(e.what(), !Catch::Contains("hunter2"));
  }
}

TEST_CASE("store: a GET's nonce and bundle in one step", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      const Grant g = new_grant();
      REQUIRE(s.create_grant(g, g.expires_at, 10, kNow) == CreateOutcome::created);
      const auto key = crypto::sign_keypair().public_key;
      RequestNonce n{};
      n[5] = 9;
      Store::NonceAndBundle first = s.remember_nonce_and_get_bundle(key, n, kNow + 300, g.id, kNow);
      CHECK(first.fresh);
      CHECK_FALSE(first.bundle);
      REQUIRE(s.put_bundle(g.id, 1, kNow + 600, bytes_of("cipher"), kNow) == PutOutcome::created);
      Store::NonceAndBundle replay = s.remember_nonce_and_get_bundle(key, n, kNow + 300, g.id, kNow);
      CHECK_FALSE(replay.fresh);
      CHECK_FALSE(replay.bundle);  // a replay gets nothing
      n[5] = 10;
      Store::NonceAndBundle second = s.remember_nonce_and_get_bundle(key, n, kNow + 300, g.id, kNow);
      CHECK(second.fresh);
      REQUIRE(second.bundle);
      CHECK(second.bundle->bytes == bytes_of("cipher"));
      CHECK(second.bundle->sequence == 1);
      n[5] = 11;
      CHECK_FALSE(s.remember_nonce_and_get_bundle(key, n, kNow + 300, g.id, kNow + 601).bundle);  // expired
    }
  }
}

TEST_CASE("store: storage quotas per patient key, per prefix and in all; freed by revoke and expiry", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend);
      Store& s = *t.store;
      const crypto::Bytes kb(1000, 7), two_kb(2000, 7), three_kb(3000, 7);
      const std::string prefix = "2001:db8:" + crypto::hex_encode(random_grant_id()).substr(0, 4) + "::/64";
      // A PostgreSQL database may hold other tests' bundles: the global cap
      // is set above what is there.
      const std::uint64_t before = s.usage(crypto::sign_keypair().public_key, prefix, kNow).global;

      Grant a = new_grant(), b = new_grant();
      b.patient_key = a.patient_key;
      REQUIRE(s.create_grant(a, a.expires_at + 100, 10, kNow) == CreateOutcome::created);
      REQUIRE(s.create_grant(b, b.expires_at + 100, 10, kNow) == CreateOutcome::created);

      StorageQuota per_key;
      per_key.per_patient_bytes = 3000;
      per_key.prefix = prefix;
      CHECK(s.put_bundle(a.id, 1, kNow + 600, two_kb, kNow, per_key) == PutOutcome::created);
      // 2000 + 2000 > 3000, across the key's grants; nothing was written.
      CHECK(s.put_bundle(b.id, 1, kNow + 600, two_kb, kNow, per_key) == PutOutcome::over_patient_quota);
      CHECK_FALSE(s.get_bundle(b.id, kNow));
      CHECK_FALSE(s.get_grant(b.id)->sequence);
      CHECK(s.put_bundle(b.id, 1, kNow + 600, kb, kNow, per_key) == PutOutcome::created);
      // Replacing counts the new size in place of the old: 3000 - 2000 + 2000.
      CHECK(s.put_bundle(a.id, 2, kNow + 600, two_kb, kNow, per_key) == PutOutcome::replaced);
      CHECK(s.put_bundle(a.id, 3, kNow + 600, three_kb, kNow, per_key) == PutOutcome::over_patient_quota);
      CHECK(s.get_bundle(a.id, kNow)->sequence == 2);
      const StorageUsage u = s.usage(a.patient_key, prefix, kNow);
      CHECK(u.patient == 3000);
      CHECK(u.prefix == 3000);
      CHECK(u.global == before + 3000);
      // Revoking frees the key's bytes.
      CHECK(s.revoke(b.id, kNow));
      CHECK(s.usage(a.patient_key, prefix, kNow).patient == 2000);
      CHECK(s.put_bundle(a.id, 3, kNow + 600, three_kb, kNow, per_key) == PutOutcome::replaced);
      CHECK(s.get_bundle(a.id, kNow)->bytes == three_kb);

      // Per prefix: another patient key uploading from the same prefix.
      Grant c = new_grant();
      REQUIRE(s.create_grant(c, c.expires_at + 100, 10, kNow) == CreateOutcome::created);
      StorageQuota per_prefix;
      per_prefix.prefix = prefix;
      per_prefix.per_prefix_bytes = 4000;
      CHECK(s.put_bundle(c.id, 1, kNow + 600, two_kb, kNow, per_prefix) == PutOutcome::over_prefix_quota);
      per_prefix.prefix = prefix + "-other";
      CHECK(s.put_bundle(c.id, 1, kNow + 600, two_kb, kNow, per_prefix) == PutOutcome::created);
      CHECK(s.usage(c.patient_key, prefix + "-other", kNow).prefix == 2000);

      // The global cap.
      Grant d = new_grant();
      REQUIRE(s.create_grant(d, d.expires_at + 100, 10, kNow) == CreateOutcome::created);
      StorageQuota global;
      global.global_bytes = s.usage(d.patient_key, prefix, kNow).global + 1500;
      CHECK(s.put_bundle(d.id, 1, kNow + 600, two_kb, kNow, global) == PutOutcome::over_global_quota);
      CHECK(s.put_bundle(d.id, 1, kNow + 600, kb, kNow, global) == PutOutcome::created);

      // Bundles past their expiry no longer count, purged or not.
      CHECK(s.usage(a.patient_key, prefix, kNow + 601).patient == 0);
      CHECK(s.usage(a.patient_key, prefix, kNow + 601).prefix == 0);
      per_key.per_patient_bytes = 2000;
      CHECK(s.put_bundle(a.id, 4, kNow + 1200, two_kb, kNow + 601, per_key) == PutOutcome::created);
    }
  }
}

TEST_CASE("store: quota usage is read from the database, so it holds across a restart", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TempDir dir;
      const std::string db = backend == "postgres" ? *postgres_url() : dir.file("relay.db");
      const Grant a = new_grant();
      Grant b = new_grant();
      b.patient_key = a.patient_key;
      const std::string prefix = "198.51.100." + std::to_string(random_grant_id()[0]);
      StorageQuota quota;
      quota.per_patient_bytes = 3000;
      quota.prefix = prefix;
      {
        auto s = open_store(db, 2);
        REQUIRE(s->create_grant(a, a.expires_at + 100, 10, kNow) == CreateOutcome::created);
        REQUIRE(s->create_grant(b, b.expires_at + 100, 10, kNow) == CreateOutcome::created);
        REQUIRE(s->put_bundle(a.id, 1, kNow + 600, crypto::Bytes(2000, 1), kNow, quota) == PutOutcome::created);
      }
      auto s = open_store(db, 2);  // a restart, or another instance
      CHECK(s->usage(a.patient_key, prefix, kNow).patient == 2000);
      CHECK(s->put_bundle(b.id, 1, kNow + 600, crypto::Bytes(2000, 1), kNow, quota) == PutOutcome::over_patient_quota);
      CHECK(s->put_bundle(b.id, 1, kNow + 600, crypto::Bytes(1000, 1), kNow, quota) == PutOutcome::created);
    }
  }
}

TEST_CASE("store: concurrent puts cannot together pass a quota", "[store]") {
  for (const std::string& backend : test_backends()) {
    SECTION(backend) {
      TestStore t(backend, 8);
      Store& s = *t.store;
      const PublicKey patient = crypto::sign_keypair().public_key;
      std::vector<Grant> grants;
      for (int i = 0; i < 8; ++i) {
        Grant g = new_grant();
        g.patient_key = patient;
        REQUIRE(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::created);
        grants.push_back(g);
      }
      StorageQuota quota;
      quota.per_patient_bytes = 3500;  // room for three of the eight
      std::atomic<int> stored{0};
      std::vector<std::thread> threads;
      for (const Grant& g : grants) {
        threads.emplace_back([&, id = g.id] {
          if (s.put_bundle(id, 1, kNow + 600, crypto::Bytes(1000, 2), kNow, quota) == PutOutcome::created) ++stored;
        });
      }
      for (auto& th : threads) th.join();
      CHECK(stored == 3);
      CHECK(s.usage(patient, "", kNow).patient == 3000);
    }
  }
}

TEST_CASE("store: a version 1 SQLite file migrates; its bundles count toward the quotas", "[store]") {
  TempDir dir;
  const std::string path = dir.file("relay.db");
  const Grant g = new_grant();
  {
    sqlite::Connection c(path);
    c.exec(kSchemaVersionTableSqlite);
    c.exec(sqlite_migrations().front().sql);
    c.exec("INSERT INTO schema_version (version, description, applied_at) VALUES (1, 'v1', 0)");
    sqlite::Query(c, "INSERT INTO grants (id, patient_key, tool_key, created_at, expires_at, purge_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, g.id).bind(2, g.patient_key).bind(3, g.tool_key).bind(4, g.created_at)
        .bind(5, g.expires_at).bind(6, g.expires_at + 100).run();
    sqlite::Query(c, "INSERT INTO bundles (grant_id, sequence, expires_at, stored_at, size, bytes)"
                     " VALUES (?1, 1, ?2, ?3, 2000, ?4)")
        .bind(1, g.id).bind(2, kNow + 600).bind(3, kNow).bind(4, crypto::Bytes(2000, 3)).run();
  }
  auto s = open_store(path, 1);
  CHECK(s->schema_version() == 4);
  const StorageUsage u = s->usage(g.patient_key, "", kNow);
  CHECK(u.patient == 2000);
  CHECK(u.prefix == 2000);  // stored before prefixes were kept: the '' prefix
  CHECK(u.global == 2000);
  CHECK(s->get_bundle(g.id, kNow)->bytes == crypto::Bytes(2000, 3));
}

TEST_CASE("store: a memory store saved and restored holds the same grants, bundles and nonces", "[store]") {
  MemoryStore s;
  const Grant g = new_grant(), revoked = new_grant();
  REQUIRE(s.create_grant(g, g.expires_at + 100, 10, kNow) == CreateOutcome::created);
  REQUIRE(s.create_grant(revoked, revoked.expires_at + 100, 10, kNow) == CreateOutcome::created);
  REQUIRE(s.revoke(revoked.id, kNow));
  StorageQuota quota;
  quota.prefix = std::string("\x00\xff\x80 hashed", 10);  // as the service stores it: bytes, not text
  REQUIRE(s.put_bundle(g.id, 3, kNow + 600, bytes_of("ciphertext"), kNow, quota) == PutOutcome::created);
  const PublicKey key = crypto::sign_keypair().public_key;
  RequestNonce nonce{};
  nonce[0] = 1;
  REQUIRE(s.remember_nonce(key, nonce, kNow + 300));

  MemoryStore r(s.save());
  const auto got = r.get_grant(g.id);
  REQUIRE(got);
  CHECK(got->patient_key == g.patient_key);
  CHECK(got->tool_key == g.tool_key);
  CHECK(got->sequence == 3);
  CHECK(r.get_grant(revoked.id)->revoked_at == kNow);
  CHECK(r.get_bundle(g.id, kNow)->bytes == bytes_of("ciphertext"));
  CHECK(r.put_bundle(g.id, 3, kNow + 600, bytes_of("older"), kNow) == PutOutcome::stale_sequence);
  CHECK(r.usage(g.patient_key, quota.prefix, kNow).prefix == 10);
  CHECK_FALSE(r.remember_nonce(key, nonce, kNow + 300));  // still a replay
  CHECK(r.save() == s.save());

  const crypto::Bytes saved = s.save();
  for (const crypto::Bytes& bad : {bytes_of(""), bytes_of("{}"), bytes_of("not json"),
                                   crypto::Bytes(saved.begin(), saved.begin() + static_cast<std::ptrdiff_t>(saved.size() / 2))}) {
    CHECK_THROWS_AS(MemoryStore(bad), StoreError);
  }
}

TEST_CASE("store: a memory store saved and restored holds the same links, files and tickets", "[store][shl]") {
  MemoryStore s;
  ShlLink l;
  l.id = crypto::shl_id();
  l.manage_key = crypto::sign_keypair().public_key;
  l.created_at = kNow;
  l.expires_at = kNow + 600;
  l.long_term = true;
  l.passcode_hash = "$argon2id$not-a-real-hash";
  l.attempts_left = 5;
  ShlLink revoked = l;
  revoked.id = crypto::shl_id();
  revoked.passcode_hash.reset();
  revoked.attempts_left = 0;
  REQUIRE(s.create_link(l, kNow + 1000));
  REQUIRE(s.create_link(revoked, kNow + 1000));
  StorageQuota quota;
  quota.prefix = std::string("\x01\xfe prefix", 9);
  REQUIRE(s.put_link_file(l.id, "application/jose", bytes_of("a.compact.jwe"), kNow, quota) == PutOutcome::created);
  REQUIRE(s.revoke_link(revoked.id, kNow));
  REQUIRE(s.take_passcode_attempt(l.id, kNow) == 4);
  crypto::Digest ticket{}, spent{};
  ticket[0] = 7;
  spent[0] = 8;
  s.add_ticket(ticket, l.id, kNow + 60);
  s.add_ticket(spent, l.id, kNow + 60);
  REQUIRE(s.take_ticket(spent, kNow));

  MemoryStore r(s.save());
  const auto got = r.get_link(l.id);
  REQUIRE(got);
  CHECK(got->manage_key == l.manage_key);
  CHECK(got->long_term);
  CHECK(got->passcode_hash == l.passcode_hash);
  CHECK(got->attempts_left == 4);
  CHECK(got->content_type == "application/jose");
  CHECK(got->file_size == 13);
  CHECK(got->file_updated_at == kNow);
  CHECK(r.get_link(revoked.id)->revoked_at == kNow);
  CHECK_FALSE(r.get_link_file(revoked.id, kNow));
  CHECK(r.usage(PublicKey{}, quota.prefix, kNow).prefix == 13);
  CHECK_FALSE(r.take_ticket(spent, kNow));  // a location opens once, also across a restore
  CHECK(r.take_ticket(ticket, kNow)->bytes == bytes_of("a.compact.jwe"));
  CHECK(s.save() != r.save());
  CHECK(MemoryStore(s.save()).save() == s.save());
  // The links are purged as the SQL stores purge them.
  const PurgeCounts n = r.purge_expired(kNow + 1001);
  CHECK(n.shl_files == 1);
  CHECK(n.shl_links == 2);
  CHECK_FALSE(r.get_link(l.id));

  // Saved before links were kept (format 1): restored with none.
  CHECK_NOTHROW(MemoryStore(bytes_of(R"({"format":1,"grants":[],"bundles":[],"nonces":[]})")));
  CHECK_THROWS_AS(MemoryStore(bytes_of(R"({"format":2,"grants":[],"bundles":[],"nonces":[]})")), StoreError);
}
