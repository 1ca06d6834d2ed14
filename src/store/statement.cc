#include "store/statement.h"

#include "store/db.h"

namespace store {

void Statement::Failed(int rc, const char* what) {
  if (!status_.ok()) return;  // the first failure is the one to report
  status_ = Check(db_, rc, what);
  owner_->NoteError(status_);
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_.get(), index, value);
  if (rc != SQLITE_OK) Failed(rc, "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_.get(), index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) Failed(rc, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_.get(), index);
  if (rc != SQLITE_OK) Failed(rc, "bind");
  return *this;
}

bool Statement::Step() {
  if (!status_.ok()) return false;  // a failed bind: running would use a stale value
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) Failed(rc, "step");
  return false;
}

base::Status Statement::Run() {
  while (Step()) {
  }
  base::Status s = status_;
  Reset();
  return s;
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  status_ = base::Status::Ok();
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  if (!text) return std::string();
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_.get(), column));
}

}  // namespace store
