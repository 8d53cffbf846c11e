// SPDX-License-Identifier: Apache-2.0
// The relay's database schema as numbered, append-only steps, one list per
// SQL dialect. A store applies the steps its database lacks, in one
// transaction, when it opens, and records each in the schema_version table;
// it refuses a database whose version is newer than the last step here.
// Never edit a published step: add the next one.
#pragma once

#include <vector>

namespace chartlock::relay {

struct Migration {
  int version;              // 1, 2, 3… in order
  const char* description;  // recorded with it
  const char* sql;          // one or more statements
};

// The bookkeeping table itself (not a step: it must exist to read the version).
extern const char* const kSchemaVersionTableSqlite;
extern const char* const kSchemaVersionTablePostgres;

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

}  // namespace chartlock::relay
