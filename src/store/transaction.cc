#include "store/transaction.h"

namespace store {

Transaction::Transaction(Db* db) : db_(db) {
  begin_ = db_->Exec("BEGIN IMMEDIATE");
  if (!begin_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (!done_) (void)db_->Exec("ROLLBACK");
}

base::Status Transaction::Commit() {
  if (done_) return base::Status::Failed("transaction already finished");
  base::Status s = db_->Exec("COMMIT");
  done_ = s.ok();
  return s;
}

}  // namespace store
