// SPDX-License-Identifier: Apache-2.0
#include "postgres_db.hpp"

#include <cstring>

namespace chartlock::relay::postgres {
namespace {

// libpq messages end with a newline and may span lines; one line for logs.
std::string one_line(const char* message) {
  std::string s = message ? message : "";
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::int64_t Result::integer(int row, int col) const {
  if (PQgetlength(r_.get(), row, col) != 8) throw StoreError("postgres: expected a bigint column");
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col));
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return static_cast<std::int64_t>(v);
}

bool Result::boolean(int row, int col) const {
  if (PQgetlength(r_.get(), row, col) != 1) throw StoreError("postgres: expected a boolean column");
  return PQgetvalue(r_.get(), row, col)[0] != 0;
}

ByteView Result::bytes(int row, int col) const {
  return ByteView(reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col)),
                  static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}

std::uint64_t Result::changed() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::stoull(n) : 0;
}

Params& Params::bytes(ByteView b) {
  values_.push_back(reinterpret_cast<const char*>(b.empty() ? reinterpret_cast<const std::uint8_t*>("") : b.data()));
  lengths_.push_back(static_cast<int>(b.size()));
  formats_.push_back(1);
  return *this;
}

Params& Params::integer(std::int64_t v) {
  text_.push_back(std::to_string(v));
  values_.push_back(text_.back().c_str());
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

Connection::Connection(const std::string& url, const std::vector<Statement>& statements)
    : statements_(statements) {
  conn_ = PQconnectdb(url.c_str());
  try {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) fail("cannot connect");
    prepare_all();
  } catch (...) {
    PQfinish(conn_);  // the destructor does not run for a throwing constructor
    throw;
  }
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::fail(const char* what, PGresult* r) const {
  std::string message = std::string("postgres: ") + what;
  const char* detail = r ? PQresultErrorMessage(r) : (conn_ ? PQerrorMessage(conn_) : "out of memory");
  if (detail && *detail) message += ": " + one_line(detail);
  if (r) PQclear(r);
  throw StoreError(message);
}

void Connection::prepare_all() {
  for (const Statement& s : statements_) {
    PGresult* r = PQprepare(conn_, s.name, s.sql, s.params, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail("cannot prepare a statement", r);
    PQclear(r);
  }
}

void Connection::ensure_connected() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) fail("cannot reconnect");
  prepare_all();
}

void Connection::exec(const char* sql) {
  PGresult* r = PQexec(conn_, sql);
  const ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail("statement failed", r);
  PQclear(r);
}

Result Connection::run(const char* name, const Params& p) {
  PGresult* r = PQexecPrepared(conn_, name, static_cast<int>(p.values_.size()), p.values_.data(),
                               p.lengths_.data(), p.formats_.data(), /*resultFormat=binary*/ 1);
  const ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail("query failed", r);
  return Result(r);
}

Result Connection::query(const char* sql) {
  PGresult* r = PQexecParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, /*resultFormat=binary*/ 1);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) fail("query failed", r);
  return Result(r);
}

Transaction::Transaction(Connection& conn) : conn_(conn) { conn_.exec("BEGIN"); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    conn_.exec("ROLLBACK");
  } catch (const StoreError&) {
    // The connection is broken; ensure_connected() resets it on next use.
  }
}

void Transaction::commit() {
  conn_.exec("COMMIT");
  open_ = false;
}

}  // namespace chartlock::relay::postgres
