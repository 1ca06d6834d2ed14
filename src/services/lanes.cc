#include "services/lanes.h"

#include <algorithm>
#include <cmath>

#include "broker/broker.h"
#include "services/service.h"
#include "services/step_context.h"

namespace services {

LaneBase::LaneBase(Service* service, store::Db* db) : service_(service), db_(db) {}

base::Status LaneBase::SendNow(const TopicDef& topic, const std::string& key, const std::string& event_id,
                               const std::string& body, const char* via, int64_t cause) {
  Env* env = service_->env();
  broker::Broker* broker = env->broker;
  sim::Event e = sim::Event::Make(sim::EventKind::kPublish, env->exec->now(), cause);
  e.topic = topic.topic;
  e.tags = topic.tag;
  e.event_id = event_id;
  e.event = topic.event;
  e.order = key;
  e.service = service_->name();
  base::Status valid = broker->down() ? base::Status::Io("broker unavailable (restarting)") : broker->ValidateBody(body);
  if (valid.ok() && env->faults) {
    if (std::optional<std::string> reason = env->faults->SendFailure(service_->id(), topic.topic, key, cause))
      valid = base::Status::Io(*reason);
  }
  if (!valid.ok()) {
    e.kind = sim::EventKind::kSendFailed;
    e.detail = valid.message();
    env->trace->Emit(std::move(e));
    return valid;
  }
  broker::Message msg;
  msg.msg_id = broker->NewMsgId();
  msg.topic = topic.topic;
  msg.tags = topic.tag;
  msg.keys = key;
  msg.body = body;
  msg.properties[broker::kPropUniqKey] = msg.msg_id;
  msg.properties[broker::kPropEventType] = topic.event;
  msg.properties[broker::kPropEventId] = event_id;
  msg.born_ms = env->exec->now();
  const broker::Topic& t = broker->EnsureTopic(topic.topic, broker->config().queues_per_topic);
  auto it = round_robin_.find(topic.topic);
  if (it == round_robin_.end())
    it = round_robin_.emplace(topic.topic, env->producer_prng->Next() % 1024).first;
  int queue_id = static_cast<int>(it->second++ % t.queues.size());
  broker::Message& stored = broker->Put(std::move(msg), queue_id);
  e.queue = stored.queue_id;
  e.offset = stored.queue_offset;
  e.msg_id = stored.msg_id;
  e.detail = via;
  stored.trace_seq = env->trace->Emit(std::move(e));
  return base::Status::Ok();
}

// ---------------------------------------------------------------------------------

ConsumerLane::ConsumerLane(Service* service, store::Db* db, broker::Consumer* consumer,
                           const ConsumerSettings* settings, Handler handler)
    : LaneBase(service, db), consumer_(consumer), settings_(settings), handler_(std::move(handler)) {}

bool ConsumerLane::Ready() {
  if (service_->down()) return false;
  // A broker restart or a crash dropped the process queue this delivery came from.
  if (held_ && consumer_->IsStale(*held_)) held_.reset();
  if (held_) return service_->env()->exec->now() >= resume_at_;
  return consumer_->HasDeliverable();
}

void ConsumerLane::Claim() {
  step_now_ = service_->env()->exec->now();
  idle_step_ = false;
  if (!held_) {
    held_ = consumer_->Pull();
    if (!held_) {  // held back by a delay fault: nothing to run this step
      idle_step_ = true;
      return;
    }
    int64_t latency = 0;
    FaultHooks* faults = held_->resumed ? nullptr : service_->env()->faults;  // slow applies to a pull
    if (faults) {
      const broker::Message& first = *held_->messages.front();
      latency = faults->SlowLatency(service_->id(), consumer_->config().group, first.OriginalTopic(), first.keys,
                                    held_->links.front().deliver);
    }
    if (latency > 0) {
      // The slow handler occupies the consume thread; its call completes at the end.
      ResumeAt(step_now_ + latency);
      idle_step_ = true;
      return;
    }
  }
  // The call events are traced in Run, one as each message is handed to the handler.
  ++held_->calls;
  called_ = 0;
}

int64_t ConsumerLane::EmitFor(sim::EventKind kind, size_t index, int64_t cause, const std::string& detail) {
  Env* env = service_->env();
  sim::Event e = env->broker->MessageEvent(kind, *held_->messages[index], cause);
  e.group = consumer_->config().group;
  e.service = service_->name();
  e.attempt = held_->attempt;
  if (kind != sim::EventKind::kDeliver && kind != sim::EventKind::kRetry) e.call = held_->calls;
  e.detail = detail;
  return env->trace->Emit(std::move(e));
}

void ConsumerLane::Run() {
  if (idle_step_) return;
  std::optional<std::string> error;  // set when the call failed
  int64_t crash_restart_ms = -1;
  CrashPoint crash_point = CrashPoint::kBeforeCommit;
  int64_t crash_fault = 0;
  Env* env = service_->env();
  // The binder's batch listener (RocketMQInboundChannelAdapter's
  // DefaultMessageListenerConcurrently/Orderly over a List) stops at the first message
  // that fails and returns RECONSUME_LATER for the whole batch: later messages are
  // not called.
  for (size_t m = 0; m < held_->messages.size(); ++m) {
    const broker::Message* msg = held_->messages[m];
    int64_t call_seq;
    {
      auto lock = env->exec->Lock();
      broker::Delivery::Links& l = held_->links[m];
      call_seq = l.call = EmitFor(sim::EventKind::kCall, m, l.deliver);
      called_ = m + 1;
      if (env->faults)
        error = env->faults->ConsumerError(service_->id(), consumer_->config().group, msg->OriginalTopic(),
                                           msg->keys, call_seq);
    }
    if (error) break;
    StepContext ctx(this, step_now_);
    ctx.SetSite(consumer_->config().group, msg->OriginalTopic(), msg->keys, call_seq);
    try {
      base::Status s = handler_(*msg, ctx);
      if (!s.ok()) error = s.message();
    } catch (const std::exception& ex) {
      // Spring catches whatever the handler throws; so do we: a failed delivery.
      error = ex.what();
    } catch (...) {
      error = "unknown exception";
    }
    if (ctx.crashed()) {
      crash_restart_ms = ctx.crash_restart_ms();
      crash_point = ctx.crash_point();
      crash_fault = ctx.crash_fault_seq();
      break;
    }
    if (error) break;
  }
  auto lock = env->exec->Lock();
  if (!service_->CheckDb(db_)) {
    held_.reset();  // the run stops: nothing more happens to the delivery
    return;
  }
  if (crash_restart_ms >= 0) {
    // The process dies mid-delivery: no ack, no send-back; the rolled-back offsets
    // deliver the batch again after the restart.
    held_.reset();
    service_->Crash(crash_point, crash_restart_ms, crash_fault);
    return;
  }
  if (!error) {
    consumer_->Ack(*held_);
    held_.reset();
    return;
  }
  Failed(error->empty() ? "handler failed" : *error);
}

void ConsumerLane::Failed(const std::string& error) {
  // Messages that were called fail with the batch; those after the failing one were
  // never called and chain from its failure.
  int64_t last_fail = 0;
  for (size_t m = 0; m < held_->messages.size(); ++m) {
    broker::Delivery::Links& l = held_->links[m];
    if (m < called_) {
      last_fail = l.fail = EmitFor(sim::EventKind::kFail, m, l.call, error);
    } else {
      l.fail = last_fail;
    }
  }
  if (held_->calls < settings_->max_attempts) {
    // Spring's ExponentialBackOffPolicy sleeps on the consume thread.
    // Cap in floating point: initial x multiplier^n overflows an integer long before
    // the cap applies when attempts are many.
    double back_off = settings_->back_off_initial_ms * std::pow(settings_->back_off_multiplier, held_->calls - 1);
    back_off = std::min(back_off, static_cast<double>(settings_->back_off_max_ms));
    ResumeAt(step_now_ + static_cast<int64_t>(back_off));
    return;
  }
  if (settings_->orderly) {
    int max = settings_->max_reconsume_times.value_or(INT32_MAX);
    if (held_->attempt - 1 >= max) {
      consumer_->GiveUp(*held_, error);
      held_.reset();
      return;
    }
    // SUSPEND_CURRENT_QUEUE_A_MOMENT (ConsumeMessageOrderlyService.processConsumeResult):
    // the queue stays locked with the batch in flight and submitConsumeRequestLater
    // retries it after suspendCurrentQueueTime; continueConsume = false frees the
    // consume thread for the binding's other queues meanwhile.
    ++held_->attempt;
    held_->calls = 0;
    for (size_t m = 0; m < held_->messages.size(); ++m) {
      broker::Delivery::Links& l = held_->links[m];
      // The local redelivery names this retry (kept in `fail` until then).
      l.fail = EmitFor(sim::EventKind::kRetry, m, l.fail,
                       "orderly: queue suspended, local retry in " +
                           std::to_string(settings_->suspend_current_queue_time_ms) + "ms");
    }
    consumer_->Suspend(std::move(*held_), step_now_ + settings_->suspend_current_queue_time_ms);
    held_.reset();
    return;
  }
  consumer_->SendBack(*held_, error);
  held_.reset();
}

void ConsumerLane::ResumeAt(int64_t t) {
  resume_at_ = t;
  sim::Executor* exec = service_->env()->exec;
  exec->At(t, [exec] { exec->Wake(); });
}

// ---------------------------------------------------------------------------------

bool RelayLane::Ready() { return dirty_ && !service_->down(); }

void RelayLane::Run() {
  struct Row {
    int64_t id;
    std::string topic, key, event_id, body;
  };
  std::vector<Row> rows;
  store::Statement& select =
      db_->Prepare("SELECT id, topic, keys, event_id, body FROM outbox WHERE sent = 0 ORDER BY id LIMIT ?");
  select.Bind(1, kBatch);
  while (select.Step()) rows.push_back({select.Int(0), select.Text(1), select.Text(2), select.Text(3), select.Text(4)});
  select.Reset();
  Env* env = service_->env();
  if (rows.empty()) {
    auto lock = env->exec->Lock();
    (void)service_->CheckDb(db_);
    return;
  }
  std::vector<int64_t> sent;
  size_t taken = 0;  // rows looked at: those whose writing step has flushed
  int64_t first_publish = 0;
  {
    auto lock = env->exec->Lock();
    for (const Row& r : rows) {
      // In concurrent mode a row can be read between its step's commit and its
      // flush; that step marks the relay dirty again once it has flushed.
      std::optional<int64_t> cause = service_->OutboxCause(r.id);
      if (!cause) break;
      ++taken;
      const TopicDef* topic = FindTopic(r.topic);
      if (!topic) {
        service_->Fail(base::Status::Io("outbox row " + std::to_string(r.id) + " names unknown topic " + r.topic));
        return;
      }
      // The relay retries a row until the broker acknowledges it.
      if (SendNow(*topic, r.key, r.event_id, r.body, "outbox relay", *cause).ok()) {
        sent.push_back(r.id);
        if (!first_publish) first_publish = env->trace->last_seq();
      }
    }
  }
  if (!sent.empty()) {
    // A crash between the send and marking the rows sent re-sends them after the
    // restart: the outbox's at-least-once, which idempotent consumers absorb.
    const Row& first = rows.front();
    auto lock = env->exec->Lock();
    int64_t restart_ms = 0, fault_seq = 0;
    if (env->faults && env->faults->Crash(CrashPoint::kAfterSend, service_->id(), "", first.topic, first.key,
                                          first_publish, &restart_ms, &fault_seq)) {
      service_->Crash(CrashPoint::kAfterSend, restart_ms, fault_seq);
      return;
    }
  }
  base::Status marked;
  auto mark = [&](int64_t id) { return db_->Prepare("UPDATE outbox SET sent = 1 WHERE id = ?").Bind(1, id).Run(); };
  if (sent.size() == 1) {
    // One statement is atomic by itself (and part of the open group under group
    // commit): no transaction of its own. The relay's usual case: a row per step.
    marked = mark(sent.front());
  } else if (!sent.empty()) {
    store::Transaction txn(db_);
    marked = txn.begin_status();
    for (int64_t id : sent)
      if (marked.ok()) marked = mark(id);
    if (marked.ok()) marked = txn.Commit();
  }
  auto lock = env->exec->Lock();
  // Rows the broker has but the outbox does not know are sent would go out again
  // and again: the run cannot carry on.
  if (!marked.ok() || !service_->CheckDb(db_)) {
    service_->Fail(marked.ok() ? base::Status::Io("marking outbox rows sent failed") : marked);
    return;
  }
  for (int64_t id : sent) service_->ForgetOutboxCause(id);
  if (sent.size() != taken) {
    // Unacknowledged rows are tried again a virtual second later, not in a hot loop.
    sim::Executor* exec = env->exec;
    exec->At(exec->now() + 1000, [this, exec] { dirty_ = true; exec->Wake(); });
  } else if (static_cast<int>(rows.size()) == kBatch) {
    dirty_ = true;
  }
}

// ---------------------------------------------------------------------------------

bool ApiLane::Ready() { return !service_->down() && !tasks_.empty(); }

void ApiLane::Claim() {
  step_now_ = service_->env()->exec->now();
  current_ = std::move(tasks_.front());
  tasks_.pop_front();
}

void ApiLane::Run() {
  StepContext ctx(this, step_now_);
  base::Status s;
  try {
    s = current_->task(ctx);
  } catch (const std::exception& ex) {
    s = base::Status::Failed(ex.what());
  } catch (...) {
    s = base::Status::Failed("unknown exception");
  }
  if (auto lock = service_->env()->exec->Lock(); !service_->CheckDb(db_)) {
    current_.reset();
    return;
  }
  if (ctx.crashed()) {
    auto lock = service_->env()->exec->Lock();
    // Nothing was committed: the caller retries once the service is back.
    if (ctx.crash_point() == CrashPoint::kBeforeCommit) tasks_.push_front(std::move(*current_));
    current_.reset();
    service_->Crash(ctx.crash_point(), ctx.crash_restart_ms(), ctx.crash_fault_seq());
    return;
  }
  if (!s.ok()) {
    // A failed placement names what it had traced (the placement itself).
    sim::Event e = sim::Event::Make(sim::EventKind::kFail, 0, ctx.last_note_seq());
    e.detail = current_->label + ": " + s.message();
    ctx.Note(std::move(e));
    ctx.DiscardSends();  // the transaction rolled back: nothing of it may go out
    (void)ctx.Flush();   // with no sends left, Flush cannot fail
  }
  current_.reset();
}

}  // namespace services
