// SPDX-License-Identifier: Apache-2.0
// Opening a database-backed store (the native relay's): kept apart from
// store.cpp so that the store contract builds without SQLite or PostgreSQL
// (the static demo's wasm relay keeps a MemoryStore).
#include "postgres_store.hpp"
#include "sqlite_store.hpp"
#include "store.hpp"

namespace chartlock::relay {

bool is_postgres_url(const std::string& db) {
  return db.rfind("postgres://", 0) == 0 || db.rfind("postgresql://", 0) == 0;
}

std::unique_ptr<Store> open_store(const std::string& db, std::size_t connections) {
  if (is_postgres_url(db)) return std::make_unique<PostgresStore>(db, connections);
  return std::make_unique<SqliteStore>(db, connections);
}

}  // namespace chartlock::relay
