#pragma once

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"
#include "base/status.h"
#include "broker/message.h"
#include "services/env.h"
#include "services/lanes.h"
#include "store/db.h"

namespace services {

class StepContext;
using Handler = std::function<base::Status(const broker::Message&, StepContext&)>;

// A service module: its database, its lanes (consumer threads, outbox relay, API
// thread) and, in concurrent mode, the threads that run them.
//
// Thread-safety: Open/Register/Start/Join from the runner's thread; lanes run under
// the executor's rules; db file access goes through each lane's own connection.
class Service {
 public:
  Service(ServiceId id, Env* env);
  virtual ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  ServiceId id() const { return id_; }
  const char* name() const { return ServiceName(id_); }
  Env* env() const { return env_; }
  const Options& options() const { return env_->options; }
  // <state_dir>/<name>.db, or ":memory:" under Env::in_memory; unused when the state
  // lives in memory.
  std::string db_path() const;

  // The tables every service has (the idempotency record and the outbox).
  static const char* CommonSchema();
  // Creates the schema and the lanes, and registers the lanes with the executor.
  // In-memory state: see Env::in_memory.
  base::Status Open();
  // Concurrent mode: one thread per lane, running the executor's worker loop.
  void StartThreads();
  void JoinThreads();

  // A connection owned by the runner's thread, for seeding and final reads.
  store::Db& admin_db() { return *admin_db_; }
  // Queues work for the service's API thread (placements, restocks, jobs).
  // REQUIRES: executor lock.
  void Submit(std::string label, std::function<base::Status(StepContext&)> task);
  // Called by StepContext after an outbox commit, for each row with the trace event
  // that wrote it (its publish's cause). REQUIRES: executor lock.
  void OutboxWritten(int64_t row_id, int64_t cause) {
    outbox_causes_[row_id] = cause;
    relay_->MarkDirty();
  }
  // The cause recorded for an outbox row; none while its step has not flushed.
  // REQUIRES: executor lock.
  std::optional<int64_t> OutboxCause(int64_t row_id) const {
    auto it = outbox_causes_.find(row_id);
    if (it == outbox_causes_.end()) return std::nullopt;
    return it->second;
  }
  void ForgetOutboxCause(int64_t row_id) { outbox_causes_.erase(row_id); }

  // A crash fault: the service stops where it is (nothing it held is acked), its
  // consumers' offsets roll back to the persisted ones, and it restarts after
  // `restart_after_ms`. `cause` is the crash fault's trace event. REQUIRES: executor lock.
  void Crash(CrashPoint point, int64_t restart_after_ms, int64_t cause);
  // REQUIRES: executor lock.
  bool down() const { return down_; }

  // A step hit an error the service cannot carry on from (an unexpected SQLite
  // error): recorded, and the run is stopped so that it fails saying so.
  // REQUIRES: executor lock.
  void Fail(const base::Status& error);
  // The first such error; OK if none. REQUIRES: executor lock, or the run is over.
  const base::Status& error() const { return error_; }
  // Checks `db` for a statement error since the last check and fails the service
  // with it. Returns false if there was one. REQUIRES: executor lock.
  bool CheckDb(store::Db* db);

 protected:
  virtual const char* Schema() const = 0;
  // Subclasses add their consumers for the bindings active under the options.
  virtual void AddConsumers() = 0;
  void AddConsumer(const char* binding_name, Handler handler);

 private:
  // A connection for a new lane: in deterministic mode every lane runs on one thread
  // and shares the service's connection (one page cache, exclusive locking); in
  // concurrent mode each lane, being a thread, gets its own.
  base::Result<store::Db*> LaneDb();

  const ServiceId id_;
  Env* const env_;
  std::string db_name_;  // what Open() opened: db_path() or an in-memory name
  std::unique_ptr<store::Db> admin_db_;
  std::vector<std::unique_ptr<store::Db>> lane_dbs_;  // concurrent mode only
  base::Status lane_open_error_;
  std::vector<std::unique_ptr<broker::Consumer>> consumers_;
  std::vector<std::unique_ptr<LaneBase>> lanes_;
  ApiLane* api_ = nullptr;
  RelayLane* relay_ = nullptr;
  std::vector<std::thread> threads_;
  bool down_ = false;  // crashed, waiting for its restart; guarded by the executor lock
  base::Status error_;
  std::map<int64_t, int64_t> outbox_causes_;  // unsent outbox row -> cause; executor lock
};

}  // namespace services
