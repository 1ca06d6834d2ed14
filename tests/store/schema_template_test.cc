// store::ApplySchema: a private in-memory db gets a copy of the schema's image, and
// holds the same pages as one that ran the DDL.

#include "store/schema_template.h"

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "store/db.h"

namespace store {
namespace {

const char* kSchema =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, n INTEGER DEFAULT 0);"
    "CREATE INDEX t_n ON t(n);";

std::vector<unsigned char> Image(Db* db) {
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db->handle(), "main", &size, 0);
  REQUIRE(bytes != nullptr);
  std::vector<unsigned char> out(bytes, bytes + size);
  sqlite3_free(bytes);
  return out;
}

std::string Pragma(Db* db, const char* sql) {
  Statement& q = db->Prepare(sql);
  REQUIRE(q.Step());
  std::string v = q.Text(0);
  q.Reset();
  return v;
}

TEST_CASE("ApplySchema: a copied schema holds the pages the DDL makes, and works as the DDL's would") {
  auto by_ddl = Db::Open(":memory:", true);
  REQUIRE(by_ddl.ok());
  REQUIRE(by_ddl.value()->Exec(kSchema).ok());
  for (int i = 0; i < 3; ++i) {  // the first makes the image, the others copy it
    auto copied = Db::Open(":memory:", true);
    REQUIRE(copied.ok());
    Db* db = copied.value().get();
    REQUIRE(ApplySchema(db, kSchema).ok());
    CHECK(Image(db) == Image(by_ddl.value().get()));
    CHECK(Pragma(db, "PRAGMA journal_mode") == "memory");
    CHECK(Pragma(db, "PRAGMA locking_mode") == "exclusive");
    CHECK(Pragma(db, "PRAGMA synchronous") == "0");
    // Constraints and defaults came with it; each copy is its own database.
    REQUIRE(db->Prepare("INSERT INTO t(name) VALUES('a')").Run().ok());
    CHECK_FALSE(db->Prepare("INSERT INTO t(name) VALUES('a')").Run().ok());
    Statement& q = db->Prepare("SELECT COUNT(*), SUM(n) FROM t");
    REQUIRE(q.Step());
    CHECK(q.Int(0) == 1);
    CHECK(q.Int(1) == 0);
    q.Reset();
  }
}

TEST_CASE("ApplySchema: a db on disk or shared in memory runs the DDL, and bad DDL is an error") {
  auto shared = Db::Open(Db::MemoryName("schema-test"), false);
  REQUIRE(shared.ok());
  REQUIRE(ApplySchema(shared.value().get(), kSchema).ok());
  CHECK(shared.value()->Prepare("INSERT INTO t(name) VALUES('x')").Run().ok());
  auto fresh = Db::Open(":memory:", true);
  REQUIRE(fresh.ok());
  CHECK_FALSE(ApplySchema(fresh.value().get(), "CREATE TABLE (").ok());
}

}  // namespace
}  // namespace store
