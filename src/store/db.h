#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/result.h"
#include "base/status.h"
#include "store/statement.h"

namespace store {

// Turns an sqlite result code into a Status carrying the connection's message.
base::Status Check(sqlite3* db, int rc, std::string_view what);

// One SQLite connection (RAII, after SQLiteCpp's Database) with a cache of prepared
// statements keyed by their SQL text, so hot paths prepare once per connection.
// Thread-safety: a Db is used by one thread at a time; each service lane opens its own.
class Db {
 public:
  // Opens (creating if needed) `path` in WAL mode; ":memory:" for a private in-memory
  // db, a MemoryName() for an in-memory db shared by the process's connections that
  // open the same name. `exclusive`: this is the file's only connection
  // (locking_mode=EXCLUSIVE: no file locks per transaction, the WAL index in heap
  // memory).
  static base::Result<std::unique_ptr<Db>> Open(const std::string& path, bool exclusive = false);
  // Opens an existing file for reading only, as `immutable`: SQLite takes no locks and
  // creates no -wal or -shm file beside it (mode=ro alone creates both for a database in
  // WAL mode), so it works in a read-only directory and changes no byte. REQUIRES: no
  // process writes the file meanwhile and it has no -wal file (whose pages would be ignored).
  static base::Result<std::unique_ptr<Db>> OpenImmutable(const std::string& path);
  // A fresh name (unique in the process) for an in-memory db that several
  // connections share: SQLite's memdb VFS, with ordinary locking between them.
  static std::string MemoryName(const std::string& label);
  static bool IsMemory(const std::string& path) { return path == ":memory:" || path.rfind("file:/", 0) == 0; }

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Runs one or more statements that return no rows (schema, pragmas).
  base::Status Exec(std::string_view sql);
  // A cached prepared statement, reset and with bindings cleared. The reference stays
  // valid for the Db's life; do not hold it across a nested Prepare of the same SQL.
  Statement& Prepare(const std::string& sql);
  // The same for SQL in a string literal (or any text that outlives the Db): looked
  // up by its address, so a hot path neither copies nor hashes the text. A different
  // text at a reused address falls back to the lookup by text.
  Statement& Prepare(const char* sql);
  int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* handle() const { return db_.get(); }
  // The first statement error since the last TakeError (OK if none), cleared. The
  // lanes check it after every step: an unexpected SQLite error fails the run.
  void NoteError(const base::Status& s) {
    if (first_error_.ok()) first_error_ = s;
  }
  base::Status TakeError() { return std::exchange(first_error_, base::Status::Ok()); }
  const std::string& path() const { return path_; }

  // Group commit: the steps' transactions become savepoints of one transaction that
  // commits every `steps` steps and at CommitGroup, so a page written by many steps
  // is journaled and written once per group, not once per step. Only for a
  // connection that is its database's one writer (deterministic mode): the group
  // holds the write lock between steps. What another connection reads meanwhile
  // misses the open group; CommitGroup first. 0 turns it off.
  void EnableGroupCommit(int steps) { group_commit_steps_ = steps; }
  int group_commit_steps() const { return group_commit_steps_; }
  // Commits the open group, if any. Call before anything else reads the database
  // (another connection, a file copy) and before closing.
  base::Status CommitGroup();
  // Used by Transaction under group commit.
  base::Status BeginGroupStep();
  base::Status CommitGroupStep();
  void RollBackGroupStep();

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Db(sqlite3* db, std::string path);
  // The error of a group SQLite rolled back by itself, also recorded (NoteError).
  base::Status GroupLost();

  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
  base::Status first_error_;
  int group_commit_steps_ = 0;
  int group_steps_ = 0;  // steps released into the open group
  bool group_open_ = false;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;  // looked up, never iterated
  struct ByAddress {
    const char* sql;
    Statement* statement;
  };
  std::unordered_map<const char*, ByAddress> by_address_;  // looked up, never iterated
};

}  // namespace store
