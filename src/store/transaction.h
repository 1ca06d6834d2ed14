#pragma once

#include "base/status.h"
#include "store/db.h"

namespace store {

// BEGIN IMMEDIATE on construction (writers take the write lock up front, so two
// service threads never deadlock upgrading read locks); rolls back in the destructor
// unless Commit() succeeded. Errors of the rollback are swallowed, as in SQLiteCpp.
//
// Under the Db's group commit (Db::EnableGroupCommit) the transaction is a savepoint
// inside the group's open transaction instead: Commit releases it, the destructor
// rolls back to it, and the group commits every few steps or at Db::CommitGroup.
// Thread-safety: same as the Db.
class Transaction {
 public:
  explicit Transaction(Db* db);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // The status of BEGIN; check it before doing work.
  const base::Status& begin_status() const { return begin_; }
  base::Status Commit();

 private:
  Db* db_;
  base::Status begin_;
  bool done_ = false;
  bool grouped_ = false;  // a savepoint of the Db's group transaction
};

}  // namespace store
