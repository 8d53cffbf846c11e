// SPDX-License-Identifier: Apache-2.0
// Thin RAII wrappers over libpq for the PostgreSQL store: a connection that
// prepares its statements once (and again after a reconnect), parameters
// (bytea sent binary, integers as text), and results read in binary.
// Every failure throws StoreError; messages never contain the connection URL.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "store.hpp"

namespace chartlock::relay::postgres {

struct Statement {
  const char* name;
  const char* sql;
  int params;
};

class Result {
 public:
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // Binary int8 (big-endian), as every integer column here is bigint.
  std::int64_t integer(int row, int col) const;
  bool boolean(int row, int col) const;
  ByteView bytes(int row, int col) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  std::uint64_t changed() const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Params {
 public:
  Params& bytes(ByteView b);
  Params& integer(std::int64_t v);

 private:
  friend class Connection;
  std::deque<std::string> text_;  // stable addresses for integer texts
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

class Connection {
 public:
  // Connects and prepares `statements`. Throws StoreError.
  Connection(const std::string& url, const std::vector<Statement>& statements);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reconnects if the server went away (a restart, a failover); throws
  // StoreError if it still cannot connect.
  void ensure_connected();
  void exec(const char* sql);  // no parameters, no result rows wanted
  Result run(const char* statement_name, const Params& params = Params());
  // An unprepared query without parameters, results in binary (setup only).
  Result query(const char* sql);

 private:
  void prepare_all();
  [[noreturn]] void fail(const char* what, PGresult* r = nullptr) const;

  PGconn* conn_ = nullptr;
  const std::vector<Statement>& statements_;
};

// BEGIN … COMMIT, rolled back if destroyed before commit().
class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace chartlock::relay::postgres
