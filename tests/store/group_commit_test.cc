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

// A file database, so that a second connection shows what is committed.
class GroupDb {
 public:
  GroupDb() {
    char tmpl[] = "/tmp/sagasim_group_test.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    auto w = Db::Open(File());
    REQUIRE(w.ok());
    writer = std::move(w.value());
    REQUIRE(writer->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").ok());
  }
  ~GroupDb() {
    writer.reset();
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((File() + suffix).c_str());
    rmdir(dir_.c_str());
  }
  std::string File() const { return dir_ + "/g.db"; }
  // Rows a separate connection sees: only what has really committed.
  int64_t CommittedRows() const {
    auto r = Db::Open(File());
    REQUIRE(r.ok());
    Statement& s = r.value()->Prepare("SELECT COUNT(*) FROM t");
    REQUIRE(s.Step());
    return s.Int(0);
  }
  int64_t OwnRows() {
    Statement& s = writer->Prepare("SELECT COUNT(*) FROM t");
    REQUIRE(s.Step());
    int64_t n = s.Int(0);
    s.Reset();
    return n;
  }
  base::Status Step(int64_t n, bool commit = true) {
    Transaction txn(writer.get());
    if (!txn.begin_status().ok()) return txn.begin_status();
    base::Status s = writer->Prepare("INSERT INTO t(n) VALUES(?)").Bind(1, n).Run();
    if (!s.ok() || !commit) return s;
    return txn.Commit();
  }

  std::unique_ptr<Db> writer;

 private:
  std::string dir_;
};

TEST_CASE("group commit: steps are savepoints of one transaction that commits every N steps") {
  GroupDb g;
  g.writer->EnableGroupCommit(3);
  REQUIRE(g.Step(1).ok());
  REQUIRE(g.Step(2).ok());
  CHECK(g.OwnRows() == 2);        // the writer sees its released steps
  CHECK(g.CommittedRows() == 0);  // nobody else does yet
  REQUIRE(g.Step(3).ok());
  CHECK(g.CommittedRows() == 3);  // the third step committed the group
  REQUIRE(g.Step(4).ok());
  CHECK(g.CommittedRows() == 3);
  REQUIRE(g.writer->CommitGroup().ok());
  CHECK(g.CommittedRows() == 4);
  CHECK(g.writer->CommitGroup().ok());  // nothing open: a no-op
}

TEST_CASE("group commit: a step that does not commit rolls back alone, the group's other steps stay") {
  GroupDb g;
  g.writer->EnableGroupCommit(10);
  REQUIRE(g.Step(1).ok());
  REQUIRE(g.Step(2, /*commit=*/false).ok());
  REQUIRE(g.Step(3).ok());
  CHECK(g.OwnRows() == 2);
  REQUIRE(g.writer->CommitGroup().ok());
  CHECK(g.CommittedRows() == 2);
  Statement& s = g.writer->Prepare("SELECT group_concat(n) FROM t");
  REQUIRE(s.Step());
  CHECK(s.Text(0) == "1,3");
}

TEST_CASE("group commit: closing the connection commits the open group") {
  GroupDb g;
  g.writer->EnableGroupCommit(100);
  REQUIRE(g.Step(1).ok());
  REQUIRE(g.Step(2).ok());
  g.writer.reset();
  CHECK(g.CommittedRows() == 2);
}

TEST_CASE("group commit: a group that SQLite rolled back is an error, not an empty commit") {
  GroupDb g;
  g.writer->EnableGroupCommit(100);
  REQUIRE(g.Step(1).ok());
  // What SQLite does on SQLITE_FULL or SQLITE_NOMEM: the whole transaction goes.
  REQUIRE(g.writer->Exec("ROLLBACK").ok());
  base::Status next = g.Step(2);
  CHECK_FALSE(next.ok());
  CHECK(next.message().find("committed steps lost") != std::string::npos);
  CHECK_FALSE(g.writer->TakeError().ok());  // recorded: the lane's CheckDb fails the run
}

TEST_CASE("without group commit every transaction commits on its own") {
  GroupDb g;
  REQUIRE(g.Step(1).ok());
  CHECK(g.CommittedRows() == 1);
}

}  // namespace
}  // namespace store
