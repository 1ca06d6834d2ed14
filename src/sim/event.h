#pragma once

#include <cstdint>
#include <string>

namespace sim {

// One thing that happened in a run, as the trace file records it. Empty strings and
// negative numbers mean "not applicable" and are left out of the JSON line.
struct Event {
  int64_t t = 0;              // virtual ms
  std::string kind;           // place, publish, send-failed, deliver, call, fail, ack, retry,
                              // dlq, filtered, skip-duplicate, crash, restart, fault, state, step
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
};

// Receives events in the order they happen. Emit is called with the executor's
// lock held, so sinks need no locking of their own.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(const Event& event) = 0;
};

}  // namespace sim
