#pragma once

// A schema made once and copied: every seed of an explore (and every run of a suite)
// creates the same three databases, and parsing their DDL was most of a seed's fixed
// cost (55% of its instructions for a one-order scenario, by callgrind).

#include <string>

#include "base/status.h"
#include "store/db.h"

namespace store {

// Gives `db` the tables and indexes of `schema_sql` (DDL only: no pragmas, no rows).
// A private in-memory db (":memory:", opened exclusive) starts as a copy of an image
// of that schema, made on first use and kept for the process (sqlite3_serialize /
// sqlite3_deserialize); any other db runs the DDL. Either way the database holds the
// same pages, so what runs on it afterwards is the same.
// Thread-safety: any thread; the images are shared under a lock.
base::Status ApplySchema(Db* db, const std::string& schema_sql);

}  // namespace store
