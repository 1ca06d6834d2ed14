#include "scenario/runner.h"

#include <stdlib.h>

#include <cstdlib>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "broker/broker.h"
#include "broker/broker_store.h"
#include "broker/consumer.h"
#include "scenario/collect.h"
#include "scenario/fault_rules.h"
#include "scenario/placements.h"
#include "services/bindings.h"
#include "services/consumer_groups.h"
#include "services/order/order_service.h"
#include "services/payment/payment_service.h"
#include "services/stock/stock_service.h"
#include "sim/executor.h"

namespace scenario {
namespace {

namespace fs = std::filesystem;

// Passes events on to the caller's observer and counts deliveries and handler calls
// for the (group, topic, order) keys the expectations ask about.
class RunSink : public sim::EventSink {
 public:
  RunSink(sim::EventSink* observer, const Expectations& expect) : observer_(observer) {
    for (const DeliveryExpectation& d : expect.deliveries) counts_[{d.group, d.topic, d.order}];
  }
  void Emit(const sim::Event& e) override {
    if (observer_) observer_->Emit(e);
    bool deliver = e.kind == sim::EventKind::kDeliver, call = e.kind == sim::EventKind::kCall;
    if ((!deliver && !call) || counts_.empty()) return;
    auto it = counts_.find({e.group, e.topic, e.order});
    // A per-binding group also counts under its service's group, as format 1 names it.
    if (it == counts_.end()) it = counts_.find({services::NamedGroupOf(e.group), e.topic, e.order});
    if (it == counts_.end()) return;
    (deliver ? it->second.count : it->second.calls)++;
  }
  const std::map<std::tuple<std::string, std::string, std::string>, DeliveryCount>& counts() const {
    return counts_;
  }

 private:
  sim::EventSink* observer_;
  std::map<std::tuple<std::string, std::string, std::string>, DeliveryCount> counts_;
};

// The run's state directory: kept after the run when asked for (--state), else a
// temporary one for a run too large to hold in memory, removed at the end. Without
// either the state lives in memory and broker.db is not written (nobody could read it).
class StateDir {
 public:
  StateDir() = default;
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;
  ~StateDir() {
    std::error_code ec;
    if (temporary_) fs::remove_all(path_, ec);
  }
  base::Status PrepareTemporary() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = (fs::path(tmp && *tmp ? tmp : "/tmp") / "sagasim-state-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) return base::Status::Io("cannot create a temporary state directory from " + pattern);
    path_ = buf.data();
    temporary_ = true;
    return base::Status::Ok();
  }
  base::Status Prepare(const std::string& requested) {
    std::error_code ec;
    path_ = requested;
    fs::create_directories(path_, ec);
    if (ec) return base::Status::Io("cannot create state directory " + path_ + ": " + ec.message());
    // A state directory holds one run: start from empty databases.
    for (const char* name : {"order", "stock", "payment", "broker"})
      for (const char* suffix : {".db", ".db-wal", ".db-shm"}) fs::remove(fs::path(path_) / (std::string(name) + suffix), ec);
    return base::Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool temporary_ = false;
};

void ScheduleNextPlacement(sim::Executor* exec, Placements* placements, services::OrderService* order) {
  std::optional<int64_t> t = placements->NextTime();
  if (!t) return;
  exec->At(std::max(*t, exec->now()), [=] {
    while (placements->NextTime() && *placements->NextTime() <= exec->now()) order->Place(placements->Take());
    ScheduleNextPlacement(exec, placements, order);
  });
}

// resetOffsetByTime for one group and topic: each queue's pull offset moves to its
// first message stored at or after `to` (its end if none is), or to 0 for earliest.
void ResetOffset(broker::Broker* broker, const Step::ResetOffset& reset, int64_t cause) {
  const broker::Topic* topic = broker->FindTopic(reset.topic);
  if (!topic) return;
  for (broker::Consumer* c : broker->consumers()) {
    if (!services::GroupNamed(reset.group, c->config().group)) continue;
    for (size_t q = 0; q < topic->queues.size(); ++q) {
      const broker::Queue& queue = topic->queues[q];
      int64_t target = 0;
      if (reset.to_ms) {
        target = queue.max_offset();
        for (int64_t off = queue.first; off < queue.max_offset(); ++off)
          if (queue.At(off).store_ms >= *reset.to_ms) {
            target = off;
            break;
          }
      }
      c->ResetOffset(reset.topic, static_cast<int>(q), target, cause);
    }
  }
}

void ScheduleSteps(const Scenario& scenario, sim::Executor* exec, broker::Broker* broker,
                   services::StockService* stock) {
  for (const Step& step : scenario.steps) {
    exec->At(step.at_ms, [=, &step] {
      if (step.restock) {
        std::string label = "restock";
        for (const auto& [product, quantity] : *step.restock)
          label += " product " + std::to_string(product) + " +" + std::to_string(quantity);
        stock->Restock(*step.restock, label);
        return;
      }
      // The step is traced before it acts, so what it sets off can name it.
      sim::Event e = sim::Event::Make(sim::EventKind::kStep, exec->now());
      if (step.redrive_dlq) {
        e.group = *step.redrive_dlq;
        e.detail = "redriveDlq " + *step.redrive_dlq + ": " + std::to_string(broker->DlqPending(*step.redrive_dlq)) +
                   " message(s) sent back";
        broker->RedriveDlq(*step.redrive_dlq, broker->trace()->Emit(std::move(e)));
      } else if (step.reset_offset) {
        const Step::ResetOffset& r = *step.reset_offset;
        e.group = r.group;
        e.topic = r.topic;
        e.detail = "resetOffset " + r.group + " " + r.topic + " to " +
                   (r.to_ms ? "messages stored from " + std::to_string(*r.to_ms) + "ms" : std::string("earliest"));
        ResetOffset(broker, r, broker->trace()->Emit(std::move(e)));
      }
    });
  }
}

// broker-restart faults: at `at`, offsets roll back to the persisted ones and the
// broker is down for `downFor`.
// Faults scheduled at a time (broker-restart, poison) fire once, with their
// probability drawn up front from a stream of their own.
bool ScheduledFaultFires(const Fault& f, sim::Prng* prng) { return prng->Chance(f.probability); }

void ScheduleBrokerRestarts(const Scenario& scenario, sim::Executor* exec, broker::Broker* broker, sim::Prng* prng) {
  for (const Fault& f : scenario.faults) {
    if (f.kind != FaultKind::kBrokerRestart || !ScheduledFaultFires(f, prng)) continue;
    exec->At(f.at_ms, [=, &f] {
      sim::Event e = sim::Event::Make(sim::EventKind::kFault, exec->now());
      e.detail = "broker-restart (rule " + std::to_string(f.index) + "): consumer offsets roll back to the last " +
                 "persisted ones; down for " + std::to_string(f.down_for_ms) + "ms";
      broker->Restart(f.down_for_ms, broker->trace()->Emit(std::move(e)));
    });
  }
}

// poison faults: at `at`, a malformed body is published to `topic` (with the topic's
// tag, so its subscribers take it), as a buggy or hostile producer would.
void SchedulePoison(const Scenario& scenario, sim::Executor* exec, broker::Broker* broker, sim::Prng* prng) {
  for (const Fault& f : scenario.faults) {
    if (f.kind != FaultKind::kPoison || !f.topic || !ScheduledFaultFires(f, prng)) continue;
    exec->At(f.at_ms, [=, &f] {
      const services::TopicDef* def = services::FindTopic(*f.topic);
      broker::Message msg;
      msg.msg_id = broker->NewMsgId();
      msg.topic = *f.topic;
      msg.tags = def ? def->tag : "";
      msg.body = f.body;
      msg.properties[broker::kPropUniqKey] = msg.msg_id;
      msg.born_ms = exec->now();
      // The broker refuses a poison body like any other: empty or over maxMessageSize.
      base::Status valid = broker->down() ? base::Status::Io("broker unavailable (restarting)")
                                          : broker->ValidateBody(msg.body);
      sim::Trace* trace = broker->trace();
      if (!valid.ok()) {
        sim::Event e = sim::Event::Make(sim::EventKind::kSendFailed, exec->now());
        e.topic = *f.topic;
        e.tags = msg.tags;
        e.detail = "poison (rule " + std::to_string(f.index) + "): " + valid.message();
        trace->Emit(std::move(e));
        return;
      }
      const broker::Topic& topic = broker->EnsureTopic(*f.topic, broker->config().queues_per_topic);
      int queue = static_cast<int>(exec->prng().Below(topic.queues.size()));
      sim::Event e = sim::Event::Make(sim::EventKind::kFault, exec->now());
      e.topic = *f.topic;
      e.detail = "poison (rule " + std::to_string(f.index) + "): malformed body published to " + *f.topic;
      int64_t fault_seq = trace->Emit(std::move(e));
      broker::Message& stored = broker->Put(std::move(msg), queue);
      sim::Event p = broker->MessageEvent(sim::EventKind::kPublish, stored, fault_seq);
      p.detail = "poison";
      stored.trace_seq = trace->Emit(std::move(p));
    });
  }
}

// Every offsetPersistInterval the consumers' committed offsets become the persisted
// ones and broker.db catches up. The timer never keeps a finished run alive.
void ScheduleOffsetPersist(sim::Executor* exec, broker::Broker* broker, broker::BrokerStore* store,
                           base::Status* store_error) {
  int64_t every = broker->config().offset_persist_interval_ms;
  exec->AtIfUseful(
      exec->now() + every,
      [=] {
        for (broker::Consumer* c : broker->consumers()) c->PersistOffsets();
        if (store && store_error->ok()) *store_error = store->Sync(*broker, exec->now());
        ScheduleOffsetPersist(exec, broker, store, store_error);
      },
      [] { return false; });
}

int64_t OrderCount(const Scenario& scenario) {
  int64_t n = static_cast<int64_t>(scenario.orders.size());
  for (const GeneratedOrders& g : scenario.generated) n += g.count;
  return n;
}

// What the run may read again decides what it keeps (broker::Retention).
broker::Retention RetentionFor(const Scenario& scenario) {
  bool rollback = false;
  for (const Step& step : scenario.steps)
    if (step.reset_offset) return broker::Retention::kAll;
  for (const Fault& f : scenario.faults) {
    if (f.kind == FaultKind::kDuplicate) return broker::Retention::kAll;
    rollback = rollback || f.kind == FaultKind::kCrash || f.kind == FaultKind::kBrokerRestart;
  }
  return rollback ? broker::Retention::kUnpersisted : broker::Retention::kUnconsumed;
}

int64_t LastScheduledMs(const Scenario& scenario) {
  int64_t last = 0;
  for (const SingleOrder& o : scenario.orders) last = std::max(last, o.at_ms);
  for (const GeneratedOrders& g : scenario.generated) last = std::max(last, g.start_ms + (g.count - 1) * g.every_ms);
  for (const Step& step : scenario.steps) last = std::max(last, step.at_ms);
  for (const Fault& f : scenario.faults) last = std::max(last, f.at_ms);
  return last;
}

// One run of a scenario, in its phases: set up the state directory, broker and
// services; schedule what the file scripts; execute to quiescence or `until`; collect
// and check the final state.
class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, const RunSettings& settings, sim::EventSink* observer)
      : scenario_(scenario), settings_(settings), sink_(observer, scenario.expect) {
    result_.name = scenario.name;
    result_.file = scenario.file;
    result_.description = scenario.description;
    result_.seed = settings.seed.value_or(scenario.seed);
    result_.mode = settings.mode.value_or(scenario.mode);
    result_.profile = settings.profile.value_or(scenario.profile);
    result_.options = settings.profile ? scenario.overrides.ApplyTo(Options::ForProfile(*settings.profile))
                                       : scenario.options;
  }

  base::Result<RunResult> Execute() {
    auto wall_start = std::chrono::steady_clock::now();
    base::Status s = SetUp();
    if (!s.ok()) return s;
    Schedule();
    RunToEnd();
    // Stopped by Ctrl-C: nothing to check; the directory goes as at any other end.
    if (outcome_.interrupted) return base::Status::Failed("interrupted");
    if (!(s = Collect()).ok()) return s;
    result_.wall_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - wall_start).count();
    return std::move(result_);
  }

 private:
  std::array<services::Service*, 3> Services() { return {order_.get(), stock_.get(), payment_.get()}; }

  base::Status SetUp() {
    base::Status s;
    const bool keep_state = !settings_.state_dir.empty();
    if (keep_state) {
      s = dir_.Prepare(settings_.state_dir);
      if (!s.ok()) return s;
      result_.state_dir = dir_.path();
    } else if (!settings_.state_in_memory && OrderCount(scenario_) > kInMemoryMaxOrders) {
      if (!(s = dir_.PrepareTemporary()).ok()) return s;
    }
    exec_ = std::make_unique<sim::Executor>(result_.mode, result_.seed);
    exec_->set_stop_request(settings_.stop);
    broker_ = std::make_unique<broker::Broker>(scenario_.broker, exec_.get(), &sink_);
    faults_ = std::make_unique<FaultRules>(scenario_.faults, result_.seed, exec_.get(), broker_->trace());
    broker_->set_delivery_faults(faults_.get());
    if (keep_state) {
      auto opened_store = broker::BrokerStore::Open(dir_.path() + "/broker.db");
      if (!opened_store.ok()) return opened_store.status();
      broker_store_ = std::move(opened_store.value());
    }
    // Consumed messages leave memory (broker.db has them first), so a long run is
    // bounded by its backlog, not by its length.
    broker_->set_retention(settings_.keep_all_messages ? broker::Retention::kAll : RetentionFor(scenario_), [this] {
      if (broker_store_ && store_error_.ok()) store_error_ = broker_store_->Sync(*broker_, exec_->now());
      return store_error_.ok();
    });

    env_.exec = exec_.get();
    env_.broker = broker_.get();
    env_.trace = broker_->trace();
    env_.faults = faults_.get();
    producer_prng_.emplace(result_.seed, sim::kStreamProducers);
    scheduled_faults_prng_.emplace(result_.seed, sim::kStreamScheduledFaults);
    env_.producer_prng = &*producer_prng_;
    env_.options = result_.options;
    env_.state_dir = dir_.path();
    env_.consumers = scenario_.bindings.consumers;
    env_.producers = scenario_.bindings.producers;
    env_.seed = result_.seed;

    order_ = std::make_unique<services::OrderService>(&env_);
    stock_ = std::make_unique<services::StockService>(&env_);
    payment_ = std::make_unique<services::PaymentService>(&env_);
    for (services::Service* svc : Services())
      if (!(s = svc->Open()).ok()) return s;
    std::vector<std::pair<int64_t, base::Cents>> prices;
    std::vector<services::StockService::CatalogEntry> catalog;
    for (const Product& p : scenario_.catalog) {
      prices.emplace_back(p.id, p.price);
      catalog.push_back({p.id, p.name, p.stock});
    }
    if (!(s = order_->SeedPrices(prices)).ok()) return s;
    return stock_->SeedCatalog(catalog);
  }

  void Schedule() {
    placements_ = std::make_unique<Placements>(scenario_, result_.seed);
    auto lock = exec_->Lock();
    ScheduleNextPlacement(exec_.get(), placements_.get(), order_.get());
    ScheduleSteps(scenario_, exec_.get(), broker_.get(), stock_.get());
    ScheduleOffsetPersist(exec_.get(), broker_.get(), broker_store_.get(), &store_error_);
    ScheduleBrokerRestarts(scenario_, exec_.get(), broker_.get(), &*scheduled_faults_prng_);
    SchedulePoison(scenario_, exec_.get(), broker_.get(), &*scheduled_faults_prng_);
    order_->ScheduleCompensationJob();
  }

  void RunToEnd() {
    if (result_.mode == Mode::kConcurrent)
      for (services::Service* svc : Services()) svc->StartThreads();
    // Without `until`, a run that never becomes quiescent (an orderly queue blocked
    // forever by a message that always fails, a send that always fails under the
    // outbox) still ends: 48 virtual hours after the last thing the file schedules.
    std::optional<int64_t> until = scenario_.until_ms;
    if (!until) until = LastScheduledMs(scenario_) + kHorizonMs;
    outcome_ = exec_->Run(until);
    result_.stopped_at_horizon = outcome_.hit_until && !scenario_.until_ms;
    for (services::Service* svc : Services()) svc->JoinThreads();
    for (services::Service* svc : Services()) {
      base::Status committed = svc->admin_db().CommitGroup();
      if (!committed.ok()) svc->Fail(committed);
    }
    result_.steps = outcome_.steps;
    result_.messages_dropped = broker_->dropped();
  }

  base::Status Collect() {
    base::Status s;
    {
      auto lock = exec_->Lock();
      // A service that stopped the run on an unexpected error fails it.
      for (services::Service* svc : Services())
        if (!svc->error().ok()) return svc->error();
      result_.state.end_ms = outcome_.end_ms;
      result_.state.hit_until = outcome_.hit_until;
      for (broker::Consumer* c : broker_->consumers()) c->PersistOffsets();
      s = CollectFinalState(*order_, *stock_, *payment_, *broker_, &result_.state);
      for (services::Service* svc : Services())
        if (s.ok()) s = svc->admin_db().TakeError();  // a read that failed is not an empty table
      if (s.ok()) s = store_error_;
      if (s.ok() && broker_store_) s = broker_store_->Sync(*broker_, outcome_.end_ms);
    }
    if (!s.ok()) return s;
    result_.state.deliveries = sink_.counts();
    result_.stuck = StuckOrders(result_.state);
    result_.invariants = CheckInvariants(result_.state);
    result_.expectations = CheckExpectations(scenario_.expect, result_.state, result_.invariants);
    result_.passed = true;
    for (const ExpectationResult& e : result_.expectations) result_.passed = result_.passed && e.holds;
    return base::Status::Ok();
  }

  const Scenario& scenario_;
  const RunSettings& settings_;
  RunResult result_;
  // Declaration order is teardown order reversed: the services (and their threads)
  // go before the broker and executor they use, the directory last.
  StateDir dir_;
  RunSink sink_;
  std::unique_ptr<sim::Executor> exec_;
  std::unique_ptr<broker::Broker> broker_;
  std::unique_ptr<FaultRules> faults_;
  std::unique_ptr<broker::BrokerStore> broker_store_;
  base::Status store_error_;
  std::optional<sim::Prng> producer_prng_;          // made in SetUp, once the seed is known
  std::optional<sim::Prng> scheduled_faults_prng_;
  services::Env env_;
  std::unique_ptr<services::OrderService> order_;
  std::unique_ptr<services::StockService> stock_;
  std::unique_ptr<services::PaymentService> payment_;
  std::unique_ptr<Placements> placements_;
  sim::Executor::Outcome outcome_;
};

}  // namespace

base::Result<RunResult> RunScenario(const Scenario& scenario, const RunSettings& settings, sim::EventSink* observer) {
  return ScenarioRun(scenario, settings, observer).Execute();
}

}  // namespace scenario
