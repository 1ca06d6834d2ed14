#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sim {

// What kind of thing happened. EventKindName() gives the trace's spelling, and
// ParseEventKind() reads it back: one table for both (event.cc).
enum class EventKind : uint8_t {
  kPlace,          // an order placed by the scenario (a root)
  kPublish,        // a message stored in a topic
  kSendFailed,     // a send that did not reach the broker
  kDeliver,        // a message handed to a consumer
  kCall,           // one handler invocation of a delivery
  kFail,           // a failed handler call (or a failed placement)
  kAck,            // CONSUME_SUCCESS
  kRetry,          // a copy on its way to %RETRY%<group>, or an orderly local retry
  kDlq,            // a copy stored in %DLQ%<group>
  kFiltered,       // skipped by the subscription's tag filter
  kSkipDuplicate,  // an idempotency check recognised the event
  kCrash,          // a service process died
  kRestart,        // ... and came back
  kFault,          // an injected fault fired
  kState,          // a service changed (or kept) an order's state
  kStep,           // an operator step (a root)
};
inline constexpr int kEventKindCount = 16;

const char* EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);

// One thing that happened in a run, as the trace file records it. Empty strings and
// negative numbers mean "not applicable" and are left out of the JSON line.
struct Event {
  int64_t seq = 0;            // 1, 2, 3 ... in emission order; set by Trace::Emit
  int64_t cause = 0;          // seq of the event that led to this one; 0 for a root
  int64_t t = 0;              // virtual ms
  EventKind kind = EventKind::kState;
  std::string topic;          // the original topic
  std::string tags;
  int queue = -1;
  int64_t offset = -1;
  std::string msg_id;
  std::string event_id;
  std::string event;          // event type, e.g. OrderCreatedEvent
  std::string order;          // orderNo
  std::string group;
  std::string service;
  int attempt = -1;           // delivery number, 1 for the first
  int call = -1;              // invocation number within the delivery
  std::string detail;
  // The message's born time (its first store; kept by retry and DLQ copies) for the
  // events about a message, -1 for the others. For the metrics; not in the trace.
  int64_t born_ms = -1;

  // The factories: an event of `kind` at `t`, caused by `cause` (0 for a root).
  static Event Make(EventKind kind, int64_t t, int64_t cause = 0) {
    Event e;
    e.kind = kind;
    e.t = t;
    e.cause = cause;
    return e;
  }
  Event& WithDetail(std::string text) {
    detail = std::move(text);
    return *this;
  }
};

// Receives events in the order they happen, numbered. Emit is called with the
// executor's lock held, so sinks need no locking of their own.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(const Event& event) = 0;
};

// Numbers a run's events and hands them to its sink. Everything that emits goes
// through one Trace, so `seq` is the order of emission and a `cause` names an event
// that was emitted before. Thread-safety: Emit requires the executor's lock.
class Trace {
 public:
  explicit Trace(EventSink* sink) : sink_(sink) {}
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  // Assigns the next seq, passes the event on and returns its seq.
  int64_t Emit(Event e) {
    e.seq = ++last_seq_;
    if (sink_) sink_->Emit(e);
    return e.seq;
  }
  int64_t last_seq() const { return last_seq_; }

 private:
  EventSink* const sink_;
  int64_t last_seq_ = 0;
};

}  // namespace sim
