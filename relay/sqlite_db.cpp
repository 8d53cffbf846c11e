// SPDX-License-Identifier: Apache-2.0
#include "sqlite_db.hpp"

#include <limits>

namespace chartlock::relay::sqlite {

Connection::Connection(const std::string& path) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError("sqlite: cannot open the database file: " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // Waiting is mostly done on the store's own writer mutex; this covers
  // other processes (an operator's sqlite3 shell, a backup).
  sqlite3_busy_timeout(db_, 5000);
  exec("PRAGMA synchronous = FULL");  // a commit survives power loss, not only a crash
  exec("PRAGMA foreign_keys = ON");
  exec("PRAGMA secure_delete = ON");  // deleted ciphertext is overwritten, not left in free pages
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Connection::fail(const char* what) const {
  throw StoreError(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db_));
}

void Connection::exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail("statement failed");
}

sqlite3_stmt* Connection::statement(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    fail("cannot prepare a statement");
  }
  statements_.emplace(sql, stmt);
  return stmt;
}

Query::Query(Connection& conn, const char* sql) : conn_(conn), stmt_(conn.statement(sql)) {}

Query::~Query() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::bind(int index, ByteView bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw StoreError("sqlite: a value is too large");
  }
  // SQLITE_STATIC: the caller's bytes outlive the statement's use of them.
  if (sqlite3_bind_blob(stmt_, index, bytes.empty() ? "" : static_cast<const void*>(bytes.data()),
                        static_cast<int>(bytes.size()), SQLITE_STATIC) != SQLITE_OK) {
    conn_.fail("cannot bind a value");
  }
  return *this;
}

Query& Query::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) conn_.fail("cannot bind a value");
  return *this;
}

bool Query::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  conn_.fail("query failed");
}

int Query::run() {
  while (step()) {
  }
  return sqlite3_changes(conn_.handle());
}

bool Query::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Query::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

ByteView Query::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  return ByteView(static_cast<const std::uint8_t*>(p), static_cast<std::size_t>(n));
}

WriteTransaction::WriteTransaction(Connection& conn) : conn_(conn) { conn_.exec("BEGIN IMMEDIATE"); }

WriteTransaction::~WriteTransaction() {
  if (open_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::commit() {
  conn_.exec("COMMIT");
  open_ = false;
}

}  // namespace chartlock::relay::sqlite
