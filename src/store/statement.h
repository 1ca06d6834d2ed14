#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace store {

class Db;

// A prepared statement (RAII). Bind parameters are 1-based as in SQLite; columns are
// 0-based. Step() returns true while a row is available; a failed bind or step goes
// to status() (a failed bind makes the next Step fail without running) and is also
// recorded on the owning Db, so an error a caller reads as "no row" is not lost.
// Thread-safety: same as the owning Db.
class Statement {
 public:
  Statement(Db* owner, sqlite3* db, sqlite3_stmt* stmt) : owner_(owner), db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& BindNull(int index);

  // Steps once. True when a row is available.
  bool Step();
  // Steps to completion of a statement that returns no rows.
  base::Status Run();
  void Reset();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  std::string Text(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }

  // OK unless a Step() failed since the last Reset().
  const base::Status& status() const { return status_; }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  void Failed(int rc, const char* what);

  Db* owner_;
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  base::Status status_;
};

}  // namespace store
