// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the relay suites: temporary SQLite stores, the
// PostgreSQL URL when CHARTLOCK_TEST_POSTGRES is set, keys and bundles.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "api.hpp"
#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/keys.hpp"
#include "store.hpp"

namespace chartlock::relay::test {

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::optional<std::string> postgres_url() {
  const char* url = std::getenv("CHARTLOCK_TEST_POSTGRES");
  if (!url || !*url) return std::nullopt;
  return std::string(url);
}

// "sqlite" always, "postgres" when a server is available: tests that take a
// backend name run once per entry.
std::vector<std::string> test_backends();
// The stores that keep vault sync copies: the static demo's MemoryStore does
// not (its relay is one browser's; sync is between browsers).
std::vector<std::string> sync_backends();

// A store of that backend: a new SQLite file, or the shared PostgreSQL
// database (tests use random ids and keys, so they do not collide).
struct TestStore {
  TempDir dir;
  std::unique_ptr<Store> store;
  explicit TestStore(const std::string& backend, std::size_t connections = 4);
};

crypto::GrantId random_grant_id();

// A whole-buffer bundle for a grant, signed by `patient`.
crypto::Bytes make_bundle(const crypto::SignKeyPair& patient, const crypto::GrantId& grant,
                          std::uint64_t sequence, std::int64_t created_at, std::int64_t expires_at);

}  // namespace chartlock::relay::test
