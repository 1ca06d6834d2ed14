#include "broker/consumer.h"

#include <algorithm>

#include "base/check.h"

namespace broker {

Consumer::Consumer(Broker* broker, ConsumerConfig config)
    : broker_(broker), config_(std::move(config)), retry_topic_(RetryTopic(config_.group)) {
  topic_queues_ = static_cast<int>(broker_->EnsureTopic(config_.topic, broker_->config().queues_per_topic).queues.size());
  broker_->EnsureTopic(retry_topic_, 1);
  cursors_.resize(topic_queues_ + 1);
  // Topics live in a std::map and never change their queue count, so the queues can
  // be looked up once: the scheduler asks every lane whether it is ready each step.
  const Topic* topic = broker_->FindTopic(config_.topic);
  for (const Queue& q : topic->queues) slot_queues_.push_back(&q);
  slot_queues_.push_back(&broker_->FindTopic(retry_topic_)->queues[0]);
  owned_.assign(cursors_.size(), 1);  // until the rebalance says otherwise
  broker_->Register(this);
}

const Queue* Consumer::SlotQueue(int slot) const { return slot_queues_[slot]; }

bool Consumer::Wanted(int slot, const Message& msg) const {
  // %RETRY%<group> is subscribed with "*" (DefaultMQPushConsumerImpl.copySubscription):
  // its holder takes every copy, those of the group's other bindings too.
  if (slot == topic_queues_) return true;
  return config_.filter.Matches(msg.tags);
}

void Consumer::Assign(const std::string& topic, const std::vector<int>& queues) {
  ++version_;
  int first = topic == retry_topic_ ? topic_queues_ : 0;
  int last = topic == retry_topic_ ? topic_queues_ + 1 : topic_queues_;
  if (topic != retry_topic_ && topic != config_.topic) return;
  for (int slot = first; slot < last; ++slot) owned_[slot] = 0;
  for (int q : queues)
    if (first + q < last) owned_[first + q] = 1;
}

void Consumer::SkipUnwanted(int slot) {
  const Queue* queue = SlotQueue(slot);
  Cursor& c = cursors_[slot];
  while (c.next < queue->max_offset()) {
    const Message& msg = queue->At(c.next);
    if (Wanted(slot, msg)) break;
    if (slot < topic_queues_) EmitFiltered(slot, msg);
    ++c.next;
  }
}

bool Consumer::SlotReady(int slot) const {
  const Cursor& c = cursors_[slot];
  if (!owned_[slot]) return false;
  if (c.next >= SlotQueue(slot)->max_offset()) return false;
  // Orderly: one delivery per queue at a time, so a failing head blocks the queue.
  if (config_.orderly) return c.in_flight.empty();
  return c.next - c.committed() <= kMaxSpan;
}

bool Consumer::HasDeliverable() {
  if (broker_->down()) return false;
  // The executor asks every idle lane before each step. Nothing can have become
  // deliverable since the last "no" while no message was stored, this consumer did
  // nothing and the clock stood still (held-back and suspended batches fall due by
  // time alone): then the scan of every queue is skipped.
  const Idle now_state{broker_->puts(), version_, broker_->exec()->now()};
  if (idle_ && *idle_ == now_state) return false;
  idle_.reset();
  if (!duplicates_.empty()) return true;
  for (const HeldBack& h : held_back_)
    if (h.until_ms <= now_state.now_ms) return true;
  for (const Suspended& s : suspended_)
    if (s.until_ms <= now_state.now_ms) return true;
  bool any = false;
  for (int slot = 0; slot <= topic_queues_; ++slot) {
    if (!owned_[slot]) continue;
    SkipUnwanted(slot);
    any = any || SlotReady(slot);
  }
  if (!any) idle_ = now_state;
  return any;
}

std::optional<Delivery> Consumer::Pull() {
  ++version_;
  int64_t now = broker_->exec()->now();
  for (size_t i = 0; i < held_back_.size(); ++i) {
    if (held_back_[i].until_ms > now) continue;
    Delivery d = std::move(held_back_[i].delivery);
    int64_t fault_seq = held_back_[i].fault_seq;
    held_back_.erase(held_back_.begin() + static_cast<std::ptrdiff_t>(i));
    if (IsStale(d)) return std::nullopt;  // a broker restart since: it comes again from the offset
    for (size_t m = 0; m < d.messages.size(); ++m)
      d.links[m].deliver = Trace(sim::EventKind::kDeliver, d, m, fault_seq, "held back by a delay fault");
    return d;
  }
  if (!duplicates_.empty()) {
    Duplicate dup = std::move(duplicates_.front());
    duplicates_.pop_front();
    Delivery& d = dup.delivery;
    for (size_t m = 0; m < d.messages.size(); ++m)
      d.links[m] = {Trace(sim::EventKind::kDeliver, d, m, dup.fault_seq, "duplicate delivery (fault)"), 0, 0};
    return std::move(d);
  }
  for (size_t i = 0; i < suspended_.size(); ++i) {
    if (suspended_[i].until_ms > now) continue;
    Delivery d = std::move(suspended_[i].delivery);
    suspended_.erase(suspended_.begin() + static_cast<std::ptrdiff_t>(i));
    d.resumed = true;
    // The local redelivery names the retry that suspended the queue (kept in `fail`).
    for (size_t m = 0; m < d.messages.size(); ++m) d.links[m].deliver = Trace(sim::EventKind::kDeliver, d, m, d.links[m].fail);
    return d;
  }
  ready_scratch_.clear();
  for (int slot = 0; slot <= topic_queues_; ++slot)
    if (SlotReady(slot)) ready_scratch_.push_back(slot);
  SAGASIM_CHECK(!ready_scratch_.empty());
  int slot = ready_scratch_.size() == 1 ? ready_scratch_[0]
                                        : ready_scratch_[broker_->exec()->prng().Below(ready_scratch_.size())];
  Delivery d;
  d.slot = slot;
  d.epoch = epoch_;
  const Queue* queue = SlotQueue(slot);
  Cursor& c = cursors_[slot];
  std::vector<int64_t> origins;
  while (static_cast<int>(d.messages.size()) < config_.batch_size && c.next < queue->max_offset()) {
    const Message& msg = queue->At(c.next);
    if (Wanted(slot, msg)) {
      d.messages.push_back(&msg);
      origins.push_back(OriginCause(slot, msg));
      c.in_flight.insert(c.next);
    } else if (slot < topic_queues_) {
      EmitFiltered(slot, msg);
    }
    ++c.next;
  }
  d.links.resize(d.messages.size());
  d.attempt = config_.orderly ? 1 : d.messages.front()->reconsume_times + 1;
  DeliveryFaults* faults = broker_->delivery_faults();
  if (faults) {
    int64_t hold = 0, hold_fault = 0;
    for (size_t m = 0; m < d.messages.size(); ++m) {
      int64_t fault_seq = 0;
      int64_t h = faults->HoldBack(config_.service, config_.group, *d.messages[m], origins[m], &fault_seq);
      if (h > hold) hold = h, hold_fault = fault_seq;
    }
    if (hold > 0) {
      // The batch stays in flight (pinning the committed offset) until it arrives.
      int64_t until = now + hold;
      held_back_.push_back({std::move(d), until, hold_fault});
      sim::Executor* exec = broker_->exec();
      exec->At(until, [exec] { exec->Wake(); });
      return std::nullopt;
    }
  }
  for (size_t m = 0; m < d.messages.size(); ++m) d.links[m].deliver = Trace(sim::EventKind::kDeliver, d, m, origins[m]);
  if (faults) {
    int copies = 0;
    int64_t copies_fault = 0;
    for (size_t m = 0; m < d.messages.size(); ++m) {
      int64_t fault_seq = 0;
      int n = faults->Duplicates(config_.service, config_.group, *d.messages[m], d.links[m].deliver, &fault_seq);
      if (n > copies) copies = n, copies_fault = fault_seq;
    }
    for (int i = 0; i < copies; ++i) {
      Delivery dup = d;
      dup.duplicate = true;
      duplicates_.push_back({std::move(dup), copies_fault});
    }
  }
  return d;
}

int64_t Consumer::Trace(sim::EventKind kind, const Delivery& d, size_t index, int64_t cause,
                        const std::string& detail) {
  return EmitFor(kind, *d.messages[index], d.attempt, cause, detail);
}

void Consumer::Ack(const Delivery& d, const std::string& detail) {
  ++version_;
  Cursor& c = cursors_[d.slot];
  bool stale = IsStale(d);
  for (size_t m = 0; m < d.messages.size(); ++m) {
    const Message* msg = d.messages[m];
    if (!stale && !d.duplicate) c.in_flight.erase(msg->queue_offset);
    const Delivery::Links& l = d.links[m];
    // A dropped message (BROADCASTING) names its failure, which chains from the call.
    int64_t cause = l.fail ? l.fail : l.call ? l.call : l.deliver;
    EmitFor(sim::EventKind::kAck, *msg, d.attempt, detail.empty() ? (l.call ? l.call : l.deliver) : cause,
            stale ? "after a broker restart: the offset had rolled back, redelivered anyway" : detail);
  }
  broker_->exec()->Wake();
}

void Consumer::SendBack(const Delivery& d, const std::string& error) {
  ++version_;
  if (IsStale(d)) return;  // the rolled-back offset delivers it again
  if (config_.broadcasting) {
    Ack(d, "BROADCASTING: consume failed, message dropped (" + error + ")");
    return;
  }
  Cursor& c = cursors_[d.slot];
  for (size_t m = 0; m < d.messages.size(); ++m) {
    const Message* msg = d.messages[m];
    Message failed = *msg;
    failed.last_error = error;
    broker_->SendBack(config_.group, failed, config_.max_reconsume_times, config_.service, d.links[m].fail,
                      config_.delay_level_when_next_consume);
    if (!d.duplicate) c.in_flight.erase(msg->queue_offset);
  }
  broker_->exec()->Wake();
}

void Consumer::GiveUp(const Delivery& d, const std::string& error) {
  ++version_;
  if (IsStale(d)) return;
  Cursor& c = cursors_[d.slot];
  for (size_t m = 0; m < d.messages.size(); ++m) {
    const Message* msg = d.messages[m];
    Message failed = *msg;
    failed.last_error = error;
    failed.reconsume_times = d.attempt - 1;
    // ConsumeMessageOrderlyService.sendMessageBack: the client itself produces the
    // copy to %DLQ%<group>, ORIGIN_MESSAGE_ID set to the msgId (UNIQ_KEY) and born now.
    broker_->DeadLetter(config_.group, failed, config_.service, d.links[m].fail, /*client_copy=*/true);
    if (!d.duplicate) c.in_flight.erase(msg->queue_offset);
  }
  broker_->exec()->Wake();
}

void Consumer::Suspend(Delivery delivery, int64_t until_ms) {
  ++version_;
  suspended_.push_back({std::move(delivery), until_ms});
  sim::Executor* exec = broker_->exec();
  exec->At(until_ms, [exec] { exec->Wake(); });
}

std::vector<Consumer::Unacked> Consumer::CollectUnacked() {
  ++version_;
  std::vector<Unacked> out;
  for (int slot = 0; slot <= topic_queues_; ++slot) {
    // A topic queue no client of the group holds is never consumed: its messages
    // count as unacked here. The retry queue is reported by its holder alone.
    if (!owned_[slot] && slot == topic_queues_) continue;
    if (owned_[slot]) SkipUnwanted(slot);
    const Queue* queue = SlotQueue(slot);
    const std::string& topic = slot < topic_queues_ ? config_.topic : retry_topic_;
    int qid = slot < topic_queues_ ? slot : 0;
    const Cursor& c = cursors_[slot];
    for (int64_t off : c.in_flight) out.push_back({topic, qid, off, &queue->At(off)});
    for (int64_t off = c.next; off < queue->max_offset(); ++off) {
      const Message& msg = queue->At(off);
      if (Wanted(slot, msg)) out.push_back({topic, qid, off, &msg});
    }
  }
  return out;
}

int64_t Consumer::CommittedOffset(int queue) const { return cursors_[queue].committed(); }

int64_t Consumer::KeepFrom(int slot, bool persisted) const {
  const Cursor& c = cursors_[slot];
  return persisted ? std::min(c.persisted, c.committed()) : c.committed();
}

std::vector<Consumer::QueueState> Consumer::Queues() const {
  std::vector<QueueState> out;
  for (int slot = 0; slot <= topic_queues_; ++slot) {
    const Cursor& c = cursors_[slot];
    bool retry = slot == topic_queues_;
    int64_t pulled = c.next;
    // DefaultMQPushConsumerImpl.pullMessage keeps pulling a queue whose orderly
    // consumption is blocked (up to pullThresholdForQueue, 1000 messages), so its
    // pull offset runs ahead of the one message in flight.
    if (config_.orderly && owned_[slot] && !c.in_flight.empty())
      pulled = std::max(c.next, std::min(SlotQueue(slot)->max_offset(), c.committed() + kPullThresholdForQueue));
    out.push_back({retry ? retry_topic_ : config_.topic, retry ? 0 : slot, pulled, c.committed(), c.persisted,
                   owned_[slot] != 0});
  }
  return out;
}

void Consumer::PersistOffsets() {
  ++version_;
  for (Cursor& c : cursors_) c.persisted = c.committed();
}

void Consumer::RollBackToPersisted(int64_t cause) {
  ++version_;
  for (Cursor& c : cursors_) {
    MarkAgain(&c, c.next, cause);
    c.next = c.persisted;
    c.in_flight.clear();
  }
  held_back_.clear();
  duplicates_.clear();
  suspended_.clear();
  ++epoch_;
}

void Consumer::ResetOffset(const std::string& topic, int queue, int64_t offset, int64_t cause) {
  ++version_;
  int slot = topic == retry_topic_ ? topic_queues_ : queue;
  if (topic != retry_topic_ && topic != config_.topic) return;
  if (slot < 0 || slot > topic_queues_) return;
  Cursor& c = cursors_[slot];
  MarkAgain(&c, c.next, cause);
  c.next = std::clamp<int64_t>(offset, 0, SlotQueue(slot)->max_offset());
  broker_->exec()->Wake();
}

void Consumer::MarkAgain(Cursor* c, int64_t below, int64_t cause) {
  if (below > 0) {
    c->again_below = std::max(c->again_below, below);
    c->again_cause = cause;
  }
}

int64_t Consumer::OriginCause(int slot, const Message& msg) const {
  const Cursor& c = cursors_[slot];
  return msg.queue_offset < c.again_below ? c.again_cause : msg.trace_seq;
}

void Consumer::EmitFiltered(int slot, const Message& msg) {
  EmitFor(sim::EventKind::kFiltered, msg, -1, OriginCause(slot, msg),
          "tags " + (msg.tags.empty() ? std::string("(none)") : msg.tags) + " do not match '" +
              config_.filter.expression() + "'");
}

int64_t Consumer::EmitFor(sim::EventKind kind, const Message& msg, int attempt, int64_t cause,
                          const std::string& detail) {
  sim::Event e = broker_->MessageEvent(kind, msg, cause);
  e.group = config_.group;
  e.service = config_.service;
  e.attempt = attempt;
  e.detail = detail;
  return broker_->trace()->Emit(std::move(e));
}

}  // namespace broker
