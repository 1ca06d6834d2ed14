#include "store/db.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <doctest/doctest.h>

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

namespace store {
namespace {

std::unique_ptr<Db> OpenOrDie(const std::string& path) {
  base::Result<std::unique_ptr<Db>> db = Db::Open(path);
  REQUIRE_MESSAGE(db.ok(), db.status().ToString());
  return std::move(db.value());
}

std::unique_ptr<Db> MemoryDbWithTable() {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  REQUIRE(db->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)").ok());
  return db;
}

int64_t Count(Db* db) {
  Statement& s = db->Prepare("SELECT COUNT(*) FROM t");
  REQUIRE(s.Step());
  int64_t n = s.Int(0);
  s.Reset();
  return n;
}

// A directory under /tmp removed with its files at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/sagasim_db_test.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((File() + suffix).c_str());
    rmdir(path_.c_str());
  }
  std::string File() const { return path_ + "/test.db"; }

 private:
  std::string path_;
};

TEST_CASE("Exec runs several statements and reports SQL errors with SQLite's message") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  CHECK(db->Exec("INSERT INTO t (name, n) VALUES ('a', 1); INSERT INTO t (name, n) VALUES ('b', 2);").ok());
  CHECK(Count(db.get()) == 2);
  CHECK(db->LastInsertRowId() == 2);
  CHECK(db->Exec("UPDATE t SET n = n + 1").ok());
  CHECK(db->Changes() == 2);

  base::Status bad = db->Exec("SELEKT 1");
  CHECK_FALSE(bad.ok());
  CHECK(bad.code() == base::Status::Code::kIo);
  CHECK(bad.message().find("syntax error") != std::string::npos);
  CHECK(bad.message().find("SELEKT 1") != std::string::npos);
}

TEST_CASE("Prepare returns the cached statement for the same SQL, reset and unbound") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('a', 1), ('b', 2)").ok());
  const std::string sql = "SELECT name FROM t WHERE n >= ? ORDER BY n";
  Statement& first = db->Prepare(sql);
  first.Bind(1, 2);
  REQUIRE(first.Step());
  CHECK(first.Text(0) == "b");

  Statement& again = db->Prepare(sql);
  CHECK(&again == &first);
  CHECK(&db->Prepare("SELECT 1") != &first);
  // Bindings were cleared: n >= NULL matches nothing.
  CHECK_FALSE(again.Step());
  again.Reset();
  again.Bind(1, 1);
  REQUIRE(again.Step());
  CHECK(again.Text(0) == "a");
}

TEST_CASE("Bind, Step, Int, Text and IsNull round-trip values") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  Statement& insert = db->Prepare("INSERT INTO t (name, n) VALUES (?, ?)");
  CHECK(insert.Bind(1, std::string("big")).Bind(2, INT64_C(9000000000)).Run().ok());
  CHECK(db->Prepare("INSERT INTO t (name, n) VALUES (?, ?)").Bind(1, "null").BindNull(2).Run().ok());
  CHECK(db->Prepare("INSERT INTO t (name, n) VALUES (?, ?)")
            .Bind(1, std::string_view("a\0b", 3))
            .Bind(2, -1)
            .Run()
            .ok());

  Statement& select = db->Prepare("SELECT name, n FROM t ORDER BY id");
  REQUIRE(select.Step());
  CHECK(select.Text(0) == "big");
  CHECK(select.Int(1) == INT64_C(9000000000));
  CHECK_FALSE(select.IsNull(1));
  REQUIRE(select.Step());
  CHECK(select.Text(0) == "null");
  CHECK(select.IsNull(1));
  CHECK(select.Text(1).empty());
  REQUIRE(select.Step());
  CHECK(select.Text(0) == std::string("a\0b", 3));
  CHECK(select.Int(1) == -1);
  CHECK_FALSE(select.Step());
  CHECK(select.status().ok());
}

TEST_CASE("A failing Step sets status() with SQLite's message until Reset") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('dup', 1)").ok());
  Statement& insert = db->Prepare("INSERT INTO t (name, n) VALUES (?, 2)");
  insert.Bind(1, "dup");
  CHECK_FALSE(insert.Step());
  CHECK_FALSE(insert.status().ok());
  CHECK(insert.status().message().find("UNIQUE constraint failed: t.name") != std::string::npos);
  insert.Reset();
  CHECK(insert.status().ok());

  base::Status run = db->Prepare("INSERT INTO t (name, n) VALUES (?, 2)").Bind(1, "dup").Run();
  CHECK_FALSE(run.ok());
  CHECK(Count(db.get()) == 1);
}

TEST_CASE("Check maps SQLite result codes to a Status") {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  CHECK(Check(db->handle(), SQLITE_OK, "x").ok());
  CHECK(Check(db->handle(), SQLITE_DONE, "x").ok());
  CHECK(Check(db->handle(), SQLITE_ROW, "x").ok());

  base::Status busy = Check(nullptr, SQLITE_BUSY, "write");
  CHECK_FALSE(busy.ok());
  CHECK(busy.message() == "write: database is locked");

  (void)db->Exec("SELECT * FROM missing_table");
  base::Status err = Check(db->handle(), SQLITE_ERROR, "query");
  CHECK_FALSE(err.ok());
  CHECK(err.message() == "query: no such table: missing_table");
}

TEST_CASE("Open fails with SQLite's message when the file cannot be created") {
  base::Result<std::unique_ptr<Db>> db = Db::Open("/nonexistent-sagasim-dir/sub/x.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.status().message().find("unable to open database file") != std::string::npos);
}

TEST_CASE("A transaction that is not committed rolls back") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  {
    Transaction txn(db.get());
    REQUIRE(txn.begin_status().ok());
    REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('gone', 1)").ok());
    CHECK(Count(db.get()) == 1);
  }
  CHECK(Count(db.get()) == 0);
}

TEST_CASE("A committed transaction keeps its data, it cannot commit twice or nest") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  {
    Transaction txn(db.get());
    REQUIRE(txn.begin_status().ok());
    REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('kept', 1)").ok());
    Transaction nested(db.get());
    CHECK_FALSE(nested.begin_status().ok());
    CHECK(nested.begin_status().message().find("within a transaction") != std::string::npos);
    CHECK(txn.Commit().ok());
    CHECK_FALSE(txn.Commit().ok());
  }
  CHECK(Count(db.get()) == 1);
}

TEST_CASE("A file database is in WAL mode and keeps committed data across connections") {
  TempDir dir;
  {
    std::unique_ptr<Db> db = OpenOrDie(dir.File());
    CHECK(db->path() == dir.File());
    Statement& mode = db->Prepare("PRAGMA journal_mode");
    REQUIRE(mode.Step());
    CHECK(mode.Text(0) == "wal");
    mode.Reset();
    REQUIRE(db->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)").ok());
    Transaction committed(db.get());
    REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('kept', 1)").ok());
    REQUIRE(committed.Commit().ok());
    Transaction abandoned(db.get());
    REQUIRE(db->Exec("INSERT INTO t (name, n) VALUES ('gone', 2)").ok());
  }
  std::unique_ptr<Db> reopened = OpenOrDie(dir.File());
  Statement& names = reopened->Prepare("SELECT name FROM t");
  REQUIRE(names.Step());
  CHECK(names.Text(0) == "kept");
  CHECK_FALSE(names.Step());
}

TEST_CASE("a failed bind is not dropped: the next Step fails without running and the Db records it") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  Statement& insert = db->Prepare("INSERT INTO t(name, n) VALUES(?, ?)");
  insert.Bind(1, "a").Bind(7, 1);  // there is no parameter 7: SQLITE_RANGE
  CHECK_FALSE(insert.Step());
  CHECK_FALSE(insert.status().ok());
  insert.Reset();
  CHECK(Count(db.get()) == 0);
  base::Status noted = db->TakeError();
  CHECK_FALSE(noted.ok());
  CHECK(noted.message().find("bind") != std::string::npos);
  CHECK(db->TakeError().ok());  // taken once
}

TEST_CASE("a failed step is recorded on the Db even when the caller reads it as 'no row'") {
  std::unique_ptr<Db> db = MemoryDbWithTable();
  REQUIRE(db->Prepare("INSERT INTO t(name, n) VALUES('a', 1)").Run().ok());
  CHECK_FALSE(db->Prepare("INSERT INTO t(name, n) VALUES('a', 2)").Step());  // UNIQUE fails
  base::Status noted = db->TakeError();
  CHECK_FALSE(noted.ok());
  CHECK(noted.message().find("UNIQUE") != std::string::npos);
}

}  // namespace
}  // namespace store
