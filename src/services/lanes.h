#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"
#include "broker/consumer.h"
#include "services/bindings.h"
#include "services/env.h"
#include "services/binding_settings.h"
#include "sim/executor.h"
#include "store/db.h"

namespace services {

class Service;
class StepContext;

// What all of a service's lanes share: the owning service, a database connection of
// their own (a lane is a thread), and the per-thread producer round robin.
class LaneBase : public sim::Lane {
 public:
  // `db` is owned by the service and outlives the lane.
  LaneBase(Service* service, store::Db* db);
  Service* service() const { return service_; }
  store::Db& db() { return *db_; }

  // Sends one event now through the broker, choosing the queue round robin per
  // thread from a seeded start (RocketMQ's ThreadLocalIndex). `cause` is the trace
  // event the send comes from. REQUIRES: executor lock.
  base::Status SendNow(const TopicDef& topic, const std::string& key, const std::string& event_id,
                       const std::string& body, const char* via, int64_t cause);

 protected:
  Service* const service_;
  store::Db* const db_;
  std::map<std::string, uint64_t> round_robin_;  // topic -> next index
};

// One consume thread of a binding, with Spring Cloud Stream's in-process retry around
// the handler (maxAttempts, exponential back-off that keeps the thread busy) and
// RocketMQ's outcome rules after it: RECONSUME_LATER sends the batch back
// (concurrent) or suspends the queue and retries locally (orderly), the thread
// going on to the binding's other queues meanwhile.
class ConsumerLane : public LaneBase {
 public:
  using Handler = std::function<base::Status(const broker::Message&, StepContext&)>;
  ConsumerLane(Service* service, store::Db* db, broker::Consumer* consumer,
               const ConsumerSettings* settings, Handler handler);

  bool Ready() override;
  void Claim() override;
  void Run() override;

 private:
  // REQUIRES: executor lock. Outcome of a failed call.
  void Failed(const std::string& error);
  // REQUIRES: executor lock. Keeps the delivery and resumes it at `t`.
  void ResumeAt(int64_t t);
  // REQUIRES: executor lock. A trace event about message `index` of the held
  // delivery; returns its seq.
  int64_t EmitFor(sim::EventKind kind, size_t index, int64_t cause, const std::string& detail = "");

  broker::Consumer* const consumer_;
  const ConsumerSettings* const settings_;
  Handler handler_;
  std::optional<broker::Delivery> held_;
  bool idle_step_ = false;         // the claimed step only held the delivery back
  size_t called_ = 0;              // messages of the held batch called this attempt
  int64_t resume_at_ = 0;
  int64_t step_now_ = 0;
};

// Publishes outbox rows, oldest first, in batches; marks them sent in one
// transaction per batch (group commit).
class RelayLane : public LaneBase {
 public:
  RelayLane(Service* service, store::Db* db) : LaneBase(service, db) {}
  // REQUIRES: executor lock. Rows were committed since the relay last looked.
  void MarkDirty() { dirty_ = true; }

  bool Ready() override;
  void Claim() override { dirty_ = false; }
  void Run() override;

 private:
  static constexpr int kBatch = 64;
  bool dirty_ = false;
};

// The service's own thread for work that is not a message: placing orders, operator
// steps, scheduled jobs. Tasks run one per step, in submission order.
class ApiLane : public LaneBase {
 public:
  using Task = std::function<base::Status(StepContext&)>;
  ApiLane(Service* service, store::Db* db) : LaneBase(service, db) {}
  // REQUIRES: executor lock.
  void Submit(std::string label, Task task) { tasks_.push_back({std::move(label), std::move(task)}); }

  bool Ready() override;
  void Claim() override;
  void Run() override;

 private:
  struct Item {
    std::string label;
    Task task;
  };
  std::deque<Item> tasks_;
  std::optional<Item> current_;
  int64_t step_now_ = 0;
};

}  // namespace services
