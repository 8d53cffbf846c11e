// SPDX-License-Identifier: Apache-2.0
// Thin RAII wrappers over the SQLite C API for the SQLite store: a
// connection with its prepared statements cached, a statement in use, and a
// write transaction. Every failure throws StoreError.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <unordered_map>

#include "store.hpp"

namespace chartlock::relay::sqlite {

class Connection {
 public:
  // Opens (creating if needed) the file and sets the per-connection pragmas:
  // synchronous=FULL, foreign_keys=ON, secure_delete=ON, busy_timeout.
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL without results (pragmas, migrations, BEGIN/COMMIT).
  void exec(const char* sql);
  // The cached statement for `sql` (keyed by the pointer: pass literals).
  sqlite3_stmt* statement(const char* sql);
  sqlite3* handle() const noexcept { return db_; }
  [[noreturn]] void fail(const char* what) const;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// One execution of a cached statement; reset (and unbound) when destroyed.
class Query {
 public:
  Query(Connection& conn, const char* sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int index, ByteView bytes);
  Query& bind(int index, std::int64_t value);
  // True when a row is available; false when done.
  bool step();
  // step() to completion; the number of rows changed.
  int run();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  ByteView blob(int column) const;

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE … COMMIT, rolled back if destroyed before commit().
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& conn);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace chartlock::relay::sqlite
