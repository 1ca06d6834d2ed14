#include "store/transaction.h"

namespace store {

// BEGIN, COMMIT and ROLLBACK go through the statement cache: a step's transaction
// is the hot path, and sqlite3_exec would prepare them anew every time.
Transaction::Transaction(Db* db) : db_(db) {
  grouped_ = db_->group_commit_steps() > 0;
  begin_ = grouped_ ? db_->BeginGroupStep() : db_->Prepare("BEGIN IMMEDIATE").Run();
  if (!begin_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (done_) return;
  if (grouped_) {
    db_->RollBackGroupStep();
  } else {
    (void)db_->Prepare("ROLLBACK").Run();
  }
}

base::Status Transaction::Commit() {
  if (done_) return base::Status::Failed("transaction already finished");
  base::Status s = grouped_ ? db_->CommitGroupStep() : db_->Prepare("COMMIT").Run();
  done_ = s.ok();
  return s;
}

}  // namespace store
