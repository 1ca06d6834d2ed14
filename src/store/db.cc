#include "store/db.h"

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <thread>

#include "base/check.h"
#include "base/logging.h"

namespace store {

base::Status Check(sqlite3* db, int rc, std::string_view what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return base::Status::Ok();
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return base::Status::Io(msg);
}

namespace {

int BusyWait(void*, int attempts) {
  constexpr int kYields = 200;
  constexpr int kMaxAttempts = kYields + 600000;  // then about a minute of 100 µs naps
  if (attempts >= kMaxAttempts) return 0;
  if (attempts < kYields) {
    std::this_thread::yield();
  } else {
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
  return 1;
}

// SQLite counts every allocation under a global mutex for sqlite3_memory_used, which
// nothing here reads: off, before the library initialises (the first open). The
// lookaside gives each connection a larger pool (1,000 slots, not 100) for the
// small allocations of statement execution. Together: -9% instructions (callgrind).
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

constexpr int kLookasideSlotSize = 256;
constexpr int kLookasideSlots = 1000;

}  // namespace

base::Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool exclusive) {
  ConfigureSqliteOnce();
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (path.rfind("file:", 0) == 0) flags |= SQLITE_OPEN_URI;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // Own the handle before checking: sqlite3_open_v2 allocates one even on failure.
  std::unique_ptr<Db> db(new Db(raw, path));
  if (rc != SQLITE_OK) return Check(raw, rc, "open " + path);
  // Threads of one service contend for its file. SQLite's default busy handler sleeps
  // whole milliseconds, far longer than a step holds the lock; yielding first keeps
  // concurrent mode fast. A wall-clock wait here only paces SQLite's own locking and
  // never decides what the simulation does.
  sqlite3_busy_handler(raw, &BusyWait, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_LOOKASIDE, nullptr, kLookasideSlotSize, kLookasideSlots);
  // synchronous=OFF: a run's databases are the simulation's, not a ledger; an OS
  // crash mid-run loses nothing a rerun of the same seed would not give back. It
  // comes first: switching to WAL under the default FULL syncs the file and the WAL.
  // Exclusive locking must be chosen before WAL mode to keep the WAL index off shm.
  // In-memory dbs keep their rollback journal in memory (memdb has no WAL).
  // page_size applies to a database not created yet (new files, in-memory dbs and the
  // schema template, whose image carries it); 2 KiB pages halve what each write
  // copies into the rollback journal or the WAL, and the tables' rows are small.
  // Measured with callgrind on 1,000 orders: -6% instructions against 4 KiB; 1 KiB
  // gains a little more there but deepens the trees of long runs. temp_store=MEMORY
  // keeps the savepoints' sub-journal of group commit off temporary files.
  base::Status s = db->Exec("PRAGMA page_size=2048; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;");
  if (s.ok() && exclusive) s = db->Exec("PRAGMA locking_mode=EXCLUSIVE;");
  if (s.ok()) s = db->Exec(IsMemory(path) ? "PRAGMA journal_mode=MEMORY;" : "PRAGMA journal_mode=WAL;");
  if (!s.ok()) return s;
  SAGASIM_LOG(base::ModuleLog("store"), debug, "open {}: journal_mode={}, locking_mode={}", path,
              path == ":memory:" ? "MEMORY" : "WAL", exclusive ? "EXCLUSIVE" : "NORMAL");
  return db;
}

base::Result<std::unique_ptr<Db>> Db::OpenImmutable(const std::string& path) {
  std::string uri = "file:";
  for (char c : path) {  // the characters a URI path cannot hold as they are
    if (c == '%') uri += "%25";
    else if (c == '?') uri += "%3f";
    else if (c == '#') uri += "%23";
    else uri += c;
  }
  uri += "?mode=ro&immutable=1";
  ConfigureSqliteOnce();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Db> db(new Db(raw, path));
  if (rc != SQLITE_OK) return Check(raw, rc, "open " + path);
  return db;
}

std::string Db::MemoryName(const std::string& label) {
  // memdb shares a database among the connections that name it with a leading '/'.
  static std::atomic<uint64_t> counter{0};
  return "file:/sagasim-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + "-" + label +
         "?vfs=memdb";
}

Db::Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Db::~Db() {
  (void)CommitGroup();
  by_address_.clear();
  cache_.clear();  // statements must be finalized before the connection closes
}

base::Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return base::Status::Io(msg + " in: " + text.substr(0, 80));
  }
  return base::Status::Ok();
}

Statement& Db::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return *it->second;
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    // A statement that does not prepare is a programming error in our own SQL.
    std::fprintf(stderr, "sqlite prepare failed: %s\n  %s\n", sqlite3_errmsg(db_.get()), sql.c_str());
    SAGASIM_CHECK(false);
  }
  auto owned = std::make_unique<Statement>(this, db_.get(), stmt);
  Statement& ref = *owned;
  cache_.emplace(sql, std::move(owned));
  return ref;
}

Statement& Db::Prepare(const char* sql) {
  auto it = by_address_.find(sql);
  if (it != by_address_.end() && std::strcmp(it->second.sql, sql) == 0) {
    it->second.statement->Reset();
    return *it->second.statement;
  }
  Statement& st = Prepare(std::string(sql));
  by_address_[sql] = {sql, &st};
  return st;
}

base::Status Db::CommitGroup() {
  if (!group_open_) return base::Status::Ok();
  group_open_ = false;
  group_steps_ = 0;
  if (sqlite3_get_autocommit(db_.get())) return GroupLost();
  base::Status s = Prepare("COMMIT").Run();
  if (!s.ok()) NoteError(s);
  return s;
}

base::Status Db::GroupLost() {
  // An error SQLite answered by rolling the whole transaction back (a full disk, out
  // of memory) took the group's released steps with it: that must fail the run, not
  // pass as an empty commit.
  base::Status lost =
      base::Status::Io("group transaction of " + path_ + " was rolled back by SQLite: committed steps lost");
  NoteError(lost);
  return lost;
}

base::Status Db::BeginGroupStep() {
  if (!group_open_) {
    base::Status s = Prepare("BEGIN IMMEDIATE").Run();
    if (!s.ok()) return s;
    group_open_ = true;
  } else if (sqlite3_get_autocommit(db_.get())) {
    group_open_ = false;
    return GroupLost();
  }
  return Prepare("SAVEPOINT step").Run();
}

base::Status Db::CommitGroupStep() {
  base::Status s = Prepare("RELEASE step").Run();
  if (!s.ok()) return s;
  if (++group_steps_ >= group_commit_steps_) return CommitGroup();
  return s;
}

void Db::RollBackGroupStep() {
  // ROLLBACK TO keeps the savepoint open; RELEASE then drops it, leaving the
  // group's earlier steps as they were.
  (void)Prepare("ROLLBACK TO step").Run();
  (void)Prepare("RELEASE step").Run();
}

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }
int Db::Changes() const { return sqlite3_changes(db_.get()); }

}  // namespace store
