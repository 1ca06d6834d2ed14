#include "store/transaction.h"

namespace store {

// BEGIN, COMMIT and ROLLBACK go through the statement cache: a step's transaction
// is the hot path, and sqlite3_exec would prepare them anew every time.
Transaction::Transaction(Db* db) : db_(db) {
  begin_ = db_->Prepare("BEGIN IMMEDIATE").Run();
  if (!begin_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (!done_) (void)db_->Prepare("ROLLBACK").Run();
}

base::Status Transaction::Commit() {
  if (done_) return base::Status::Failed("transaction already finished");
  base::Status s = db_->Prepare("COMMIT").Run();
  done_ = s.ok();
  return s;
}

}  // namespace store
