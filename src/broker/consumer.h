#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "broker/tag_filter.h"

namespace broker {

struct ConsumerConfig {
  std::string group;
  std::string topic;
  std::string service;        // for the trace
  std::string binding;        // "stock.orderCreatedConsumer-in-0"
  // The group as format-1 files name it: the service's group (stock-consumer-group)
  // when `group` is a per-binding group of that service; else `group` itself.
  std::string named_group;
  // clientId = clientIP@instanceName, the binder's RocketMQUtils.getInstanceName:
  // group|pid|nanoTime in base 36. Rebalance sorts a group's clients by it.
  std::string client_id;
  TagFilter filter;
  bool orderly = false;
  int batch_size = 1;
  int max_reconsume_times = 16;  // concurrent default; orderly default is unlimited (INT32_MAX)
  int delay_level_when_next_consume = 0;  // -1: DLQ, 0: reconsumeTimes + 3, N: level N
  // BROADCASTING: every queue of the topic, no %RETRY% queue, failures dropped
  // (ConsumeMessageConcurrentlyService.processConsumeResult), offsets kept locally.
  bool broadcasting = false;
};

// Faults on the delivery path (the network between broker and consumer), consulted
// when a batch is handed to a consumer. Implemented by the scenario's fault rules.
// Thread-safety: called with the executor's lock held.
class DeliveryFaults {
 public:
  virtual ~DeliveryFaults() = default;
  // delay: how long (ms) this message's delivery is held back; 0 for none. `cause` is
  // what made the message deliverable; *fault_seq is set to the fault's trace event.
  virtual int64_t HoldBack(const std::string& service, const std::string& group, const Message& msg,
                           int64_t cause, int64_t* fault_seq) = 0;
  // duplicate: how many extra times this delivery is made. `cause` is the delivery.
  virtual int Duplicates(const std::string& service, const std::string& group, const Message& msg,
                         int64_t cause, int64_t* fault_seq) = 0;
};

// Messages handed to one consume thread at once, all from one queue.
struct Delivery {
  int slot = -1;                           // cursor index: queue id, or the retry queue
  std::vector<const Message*> messages;    // point into the broker's queues
  int attempt = 1;                         // delivery number, 1 for the first
  int calls = 0;                           // handler invocations so far
  uint64_t epoch = 0;                      // the consumer's epoch when pulled
  bool duplicate = false;                  // an extra copy (duplicate fault): no offset of its own
  bool resumed = false;                    // an orderly queue's local redelivery after its suspension
  // Per message, the trace events its handling chains from: the latest deliver,
  // call and fail (0 until there is one).
  struct Links {
    int64_t deliver = 0, call = 0, fail = 0;
  };
  std::vector<Links> links;
};

// One binding's push consumer (one client) in CLUSTERING mode. It consumes the
// queues the rebalance allocates it (Broker::Rebalance: AllocateMessageQueueAveragely
// over the group's clients) among those of its topic and of %RETRY%<group>; the
// retry queue is subscribed with "*", so its holder takes every copy in it, whatever
// binding of the group it came from. It tracks, per queue, the next offset to pull
// and the offsets in flight; the committed offset is the lowest one in flight
// (RocketMQ's ProcessQueue rule).
//
// Thread-safety: every method requires the executor's lock.
class Consumer {
 public:
  // consumeConcurrentlyMaxSpan: a concurrent consumer stops pulling a queue while the
  // span between its oldest unacked message and the next to pull exceeds this.
  static constexpr int64_t kMaxSpan = 2000;
  // pullThresholdForQueue: how far the pull runs ahead of consumption on one queue.
  static constexpr int64_t kPullThresholdForQueue = 1000;

  Consumer(Broker* broker, ConsumerConfig config);
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  const ConsumerConfig& config() const { return config_; }

  // Skips messages the subscription filters out (their offsets advance, as with
  // NO_MATCHED_MSG) and says whether a delivery could be pulled now.
  bool HasDeliverable();
  // Takes the next batch: a held-back batch now due, an extra duplicate copy, or the
  // next messages of one ready queue (chosen with the executor's PRNG), and records
  // the `deliver` events. Empty when the delivery faults hold the batch back.
  // REQUIRES: HasDeliverable().
  std::optional<Delivery> Pull();
  // CONSUME_SUCCESS: the batch leaves the in-flight set.
  void Ack(const Delivery& delivery, const std::string& detail = "");
  // Traces one message of `delivery`; returns the event's seq.
  int64_t Trace(sim::EventKind kind, const Delivery& delivery, size_t index, int64_t cause,
                const std::string& detail = "");
  // RECONSUME_LATER of a concurrent consumer: every message of the batch is sent back
  // (to %RETRY% or %DLQ%) and acked. `error` is kept on the copies. In BROADCASTING
  // the batch is dropped instead: acked, with `error` in the ack's detail.
  void SendBack(const Delivery& delivery, const std::string& error);
  // Orderly consumer gave up after max_reconsume_times local retries: the batch goes
  // to the DLQ and the queue moves on.
  void GiveUp(const Delivery& delivery, const std::string& error);
  // SUSPEND_CURRENT_QUEUE_A_MOMENT (ConsumeMessageOrderlyService.processConsumeResult
  // then submitConsumeRequestLater): the queue stays locked with the batch in flight,
  // the consume thread is free for other queues, and the batch is delivered again
  // (Pull returns it, `resumed` set) once `until_ms` is reached.
  void Suspend(Delivery delivery, int64_t until_ms);

  // The rebalance's result for one subscribed topic (its own or %RETRY%<group>):
  // the queue ids this client holds. Queues it does not hold are never pulled.
  void Assign(const std::string& topic, const std::vector<int>& queues);
  bool Holds(int slot) const { return owned_[slot] != 0; }
  // Slots: the topic's queues, then %RETRY%<group>'s one queue.
  int slot_count() const { return topic_queues_ + 1; }
  const Queue* slot_queue(int slot) const { return SlotQueue(slot); }
  // The lowest offset of `slot` this consumer may read again: the committed one, or
  // the persisted one when a roll-back may return there (`persisted`).
  int64_t KeepFrom(int slot, bool persisted) const;

  // Offsets of messages neither acked nor dead-lettered, per stored topic and queue.
  struct Unacked {
    std::string topic;
    int queue;
    int64_t offset;
    const Message* message;
  };
  std::vector<Unacked> CollectUnacked();

  // One queue this consumer reads, as the admin views show it.
  struct QueueState {
    std::string topic;        // stored topic (%RETRY%<group> for the retry queue)
    int queue = 0;
    int64_t next = 0;         // next offset to pull (RocketMQ's pull offset)
    int64_t committed = 0;    // lowest unacked offset
    int64_t persisted = 0;    // committed offset as of the last persist
    bool held = true;         // allocated to this client by the rebalance
  };
  std::vector<QueueState> Queues() const;
  // The committed (lowest unacked) offset of topic queue `queue`.
  int64_t CommittedOffset(int queue) const;
  // Records every queue's committed offset as persisted (the 5 s offset flush).
  void PersistOffsets();
  // Broker restart: every queue's pull offset rolls back to its persisted offset and
  // in-flight deliveries become stale (their results are discarded, as when a
  // process queue is dropped), so everything from there is delivered again, with
  // `cause` (the crash or the broker restart) as the cause of those redeliveries.
  void RollBackToPersisted(int64_t cause);
  bool IsStale(const Delivery& delivery) const { return delivery.epoch != epoch_; }
  // Moves the pull offset of `topic`'s queue `queue` (resetOffsetByTime, force).
  // Messages in flight stay in flight; their acks still count. `cause` is the step.
  void ResetOffset(const std::string& topic, int queue, int64_t offset, int64_t cause);

 private:
  struct Cursor {
    int64_t next = 0;
    int64_t persisted = 0;
    std::set<int64_t> in_flight;
    // Offsets below this are delivered again because of `again_cause` (a roll-back
    // or an offset reset).
    int64_t again_below = 0;
    int64_t again_cause = 0;
    int64_t committed() const { return in_flight.empty() ? next : *in_flight.begin(); }
  };
  // Why `msg` (of `slot`) is deliverable: its store, or what made it come again.
  int64_t OriginCause(int slot, const Message& msg) const;
  void MarkAgain(Cursor* c, int64_t below, int64_t cause);
  // Slot i < queue count is topic queue i; the last slot is the retry queue.
  const Queue* SlotQueue(int slot) const;
  bool Wanted(int slot, const Message& msg) const;
  void SkipUnwanted(int slot);
  bool SlotReady(int slot) const;
  void EmitFiltered(int slot, const Message& msg);
  int64_t EmitFor(sim::EventKind kind, const Message& msg, int attempt, int64_t cause, const std::string& detail);

  Broker* const broker_;
  const ConsumerConfig config_;
  std::string retry_topic_;
  int topic_queues_;
  std::vector<Cursor> cursors_;
  std::vector<const Queue*> slot_queues_;  // per slot, as cursors_
  std::vector<int> ready_scratch_;
  // HasDeliverable's last "no", and what it depended on (see there).
  struct Idle {
    uint64_t puts;
    uint64_t version;
    int64_t now_ms;
    bool operator==(const Idle&) const = default;
  };
  std::optional<Idle> idle_;
  uint64_t version_ = 0;  // counts the calls that may change what is deliverable
  uint64_t epoch_ = 0;
  struct HeldBack {
    Delivery delivery;
    int64_t until_ms;
    int64_t fault_seq;
  };
  std::vector<HeldBack> held_back_;       // delay fault, in hold order
  struct Duplicate {
    Delivery delivery;
    int64_t fault_seq;
  };
  std::deque<Duplicate> duplicates_;      // duplicate fault copies waiting to be delivered
  struct Suspended {
    Delivery delivery;
    int64_t until_ms;
  };
  std::vector<Suspended> suspended_;      // orderly batches waiting out their suspension
  std::vector<char> owned_;               // per slot: allocated by the rebalance
};

}  // namespace broker
