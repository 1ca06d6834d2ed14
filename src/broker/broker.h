#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "broker/message.h"
#include "sim/event.h"
#include "sim/executor.h"

namespace broker {

class Consumer;
class DeliveryFaults;

struct BrokerConfig {
  int queues_per_topic = 4;                  // for created topics; %RETRY%/%DLQ% get 1
  // RocketMQ's messageDelayLevel, level 1 first: 1s 5s 10s 30s 1m 2m ... 10m 20m 30m 1h 2h.
  std::vector<int64_t> delay_levels_ms = {1000,    5000,    10000,   30000,   60000,   120000,
                                          180000,  240000,  300000,  360000,  420000,  480000,
                                          540000,  600000,  1200000, 1800000, 3600000, 7200000};
  int64_t offset_persist_interval_ms = 5000;
  int64_t max_message_size = 4194304;
};

// One message queue: an append-only log whose offsets start at 0. Messages below
// `first` were consumed by every group that reads the queue and left memory
// (Broker::Compact); offsets never move.
struct Queue {
  std::deque<Message> messages;              // offsets [first, max_offset()); deque: references stay valid
  int64_t first = 0;
  int64_t max_offset() const { return first + static_cast<int64_t>(messages.size()); }
  // REQUIRES: first <= offset < max_offset().
  const Message& At(int64_t offset) const { return messages[static_cast<size_t>(offset - first)]; }
};

// Which stored messages a run keeps in memory. Nothing reads a message again once
// every group that reads its queue has committed past it, unless the run can move an
// offset back: a roll-back (crash, broker restart) returns to the persisted offset,
// a resetOffset step to any offset, and a duplicate copy is delivered after its ack.
enum class Retention {
  kAll,          // every message (resetOffset steps, duplicate faults)
  kUnpersisted,  // from the lowest persisted offset (crash and broker-restart faults)
  kUnconsumed,   // from the lowest committed offset
};

struct Topic {
  std::string name;
  std::vector<Queue> queues;
  int perm = 6;                              // PERM_READ | PERM_WRITE
};

struct SendResult {
  base::Status status;
  std::string msg_id;
  int queue_id = -1;
  int64_t queue_offset = -1;
};

// The embedded broker: topics and their queues, the failure road (%RETRY% and
// %DLQ%), and the registry of consumers. It stores messages; consumers (consumer.h)
// track what each group has taken and acked.
//
// Thread-safety: every method requires the executor's lock.
class Broker {
 public:
  Broker(BrokerConfig config, sim::Executor* exec, sim::EventSink* events);
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  const BrokerConfig& config() const { return config_; }
  sim::Executor* exec() const { return exec_; }
  // Every event of the run goes through this one trace (services and faults too).
  sim::Trace* trace() { return &trace_; }

  // Creates the topic if it does not exist (like autoCreateTopicEnable).
  Topic& EnsureTopic(const std::string& name, int queues);
  const Topic* FindTopic(const std::string& name) const;
  const std::map<std::string, Topic>& topics() const { return topics_; }

  // A fresh client msgId (UNIQ_KEY): 32 hex digits, unique within the run.
  std::string NewMsgId();
  // Checks a body against the producer's limits (empty, or over maxMessageSize).
  base::Status ValidateBody(const std::string& body) const;
  // Stores `msg` at the end of queue `queue_id` of its topic (created if missing) and
  // wakes consumers. Returns the stored copy, whose trace_seq the caller sets once it
  // has traced the store.
  Message& Put(Message msg, int queue_id);
  // How many messages Put has stored, all topics together.
  uint64_t puts() const { return puts_; }

  // RECONSUME_LATER of a concurrent consumer (SendMessageProcessor.consumerSendMsgBack):
  // a copy goes to %RETRY%<group> after delay level reconsumeTimes + 3 (`delay_level`
  // 0) or `delay_level` (> 0), or to %DLQ%<group> once reconsumeTimes reached
  // max_reconsume or when `delay_level` is negative. `service` names the consumer for
  // the trace; `cause` is the failure.
  void SendBack(const std::string& group, const Message& msg, int max_reconsume,
                const std::string& service, int64_t cause, int delay_level = 0);
  // Retry copies still waiting for their delay level (in SCHEDULE_TOPIC_XXXX): not
  // yet consumable, not acked either. By scheduling order.
  struct PendingRetry {
    std::string group;
    std::string keys;
    int64_t due_ms;
  };
  const std::map<uint64_t, PendingRetry>& pending_retries() const { return pending_retries_; }
  // Stores a copy in %DLQ%<group> (1 queue). The broker's own copy (a concurrent
  // consumer's send-back past maxReconsumeTimes) keeps the first stored copy's
  // offsetMsgId as ORIGIN_MESSAGE_ID and the original born time; a `client_copy`
  // (the orderly client giving up) carries the msgId and is born now.
  void DeadLetter(const std::string& group, const Message& msg, const std::string& service, int64_t cause,
                  bool client_copy = false);

  // The operator's redrive: every message in %DLQ%<group> not redriven yet goes
  // back to that group alone (through %RETRY%<group>, reconsumeTimes 0, under its
  // original topic). Returns how many. `cause` is the operator's step. A format-1
  // service group (stock-consumer-group) names each of its per-binding groups.
  int RedriveDlq(const std::string& group, int64_t cause);
  // How many messages of %DLQ%<group> a redrive would send back now.
  int64_t DlqPending(const std::string& group) const;
  // The groups `named` stands for: itself, and every group whose consumers were
  // created with `named` as their named_group. Sorted.
  std::vector<std::string> GroupsNamed(const std::string& named) const;
  // Per group, how many DLQ messages were redriven (they no longer count as dead).
  const std::map<std::string, int64_t>& dlq_redriven() const { return dlq_redriven_; }
  int64_t DlqRedriven(const std::string& group) const;

  // A broker restart: every consumer's offsets roll back to the persisted ones and,
  // for `down_for`, nothing is consumed and sends fail. `cause` is the fault.
  void Restart(int64_t down_for_ms, int64_t cause);
  bool down() const { return exec_->now() < down_until_ms_; }

  // Adds a client to its group and rebalances the group (RebalanceImpl.rebalanceByTopic).
  void Register(Consumer* consumer);
  // The group's clients sorted by client id, as the broker returns them
  // (getConsumerIdListByGroup, then sorted by the client).
  std::vector<Consumer*> ClientsOf(const std::string& group) const;
  // Groups whose clients subscribe differently (mqadmin's "subscription
  // inconsistent"): one line per group, naming each client's subscription.
  std::vector<std::string> InconsistentSubscriptions() const;
  // Faults on the delivery path; null for none. Must outlive the broker's use.
  void set_delivery_faults(DeliveryFaults* faults) { delivery_faults_ = faults; }
  DeliveryFaults* delivery_faults() const { return delivery_faults_; }
  const std::vector<Consumer*>& consumers() const { return consumers_; }

  // Messages leave memory by `retention` (kAll until set). `before_drop` runs before
  // any message leaves (broker.db catching up, say) and may veto it by returning false.
  void set_retention(Retention retention, std::function<bool()> before_drop = {});
  // How many stored messages have left memory so far.
  int64_t dropped() const { return dropped_; }
  // Drops, from every topic queue and retry queue, the messages below the lowest
  // offset any group reading the queue may still need. %DLQ% queues, and queues some
  // group subscribes but no client of it holds, keep everything. Put calls it every
  // kCompactEvery stores; callers may too. REQUIRES: no Delivery outside the
  // consumers refers to a message below its consumer's committed offset.
  void Compact();
  static constexpr int64_t kCompactEvery = 1024;

  // Delay of RocketMQ level `level` (1-based, clamped to the last level).
  int64_t DelayOfLevel(int level) const;

  // A trace event about `msg`: the fields that describe a message filled in.
  sim::Event MessageEvent(sim::EventKind kind, const Message& msg, int64_t cause) const;
  // Fills the trace fields that describe a message.
  static void Describe(const Message& msg, sim::Event* e);

 private:
  Message CopyForResend(const Message& msg, const std::string& target_topic) const;
  // RebalanceImpl over every client of `group`: for each topic a client subscribes,
  // AllocateMessageQueueAveragely over all the group's clients.
  void Rebalance(const std::string& group);
  int RedriveOneDlq(const std::string& group, int64_t cause);

  const BrokerConfig config_;
  sim::Executor* const exec_;
  sim::Trace trace_;
  std::map<std::string, Topic> topics_;
  std::vector<Consumer*> consumers_;
  std::map<std::string, int64_t> dlq_redriven_;
  std::map<uint64_t, PendingRetry> pending_retries_;
  uint64_t next_retry_id_ = 0;
  int64_t down_until_ms_ = 0;
  DeliveryFaults* delivery_faults_ = nullptr;
  uint64_t msg_counter_ = 0;
  Retention retention_ = Retention::kAll;
  std::function<bool()> before_drop_;
  int64_t puts_since_compact_ = 0;
  uint64_t puts_ = 0;
  int64_t dropped_ = 0;
  int64_t commit_log_offset_ = 0;
};

}  // namespace broker
