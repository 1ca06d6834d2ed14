#pragma once

// A recorded trace with its `cause` links resolved, for the reports that draw it
// (mermaid.h, html_report.h). Built once from the events in emission order.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/event.h"

namespace report {

// Keeps every event of a run, in order, for the reports drawn after it ends.
// Thread-safety: Emit runs under the executor's lock; read after the run.
class EventRecorder : public sim::EventSink {
 public:
  void Emit(const sim::Event& e) override { events_.push_back(e); }
  const std::vector<sim::Event>& events() const { return events_; }
  void Clear() { events_.clear(); }

 private:
  std::vector<sim::Event> events_;
};

class TraceLinks {
 public:
  explicit TraceLinks(const std::vector<sim::Event>& events);

  const std::vector<sim::Event>& events() const { return events_; }
  // The event numbered `seq`, or null.
  const sim::Event* Find(int64_t seq) const;
  // Where the event's message is stored: its topic, %RETRY%<group> for a copy sent
  // back, %DLQ%<group> for a dead letter. Empty for events without a message.
  const std::string& StoredTopic(const sim::Event& e) const { return stored_[Index(e)]; }
  // The order an event belongs to: its own, else its cause's (a crash belongs to the
  // order whose handler crashed). Empty for run-wide events (broker restart, steps).
  const std::string& OrderOf(const sim::Event& e) const { return order_[Index(e)]; }
  // The event's causes, nearest first, back to its root.
  std::vector<int64_t> CauseChain(const sim::Event& e) const;
  // Why a delivery happened when it was not the first of its message: "duplicate
  // copy", "held back", "redelivered after ...", or "" for an ordinary one.
  std::string DeliveryReason(const sim::Event& deliver) const;
  // Orders in the order they first appear.
  const std::vector<std::string>& orders() const { return orders_; }

 private:
  size_t Index(const sim::Event& e) const;
  std::string ComputeStored(const sim::Event& e) const;

  const std::vector<sim::Event>& events_;
  std::vector<size_t> index_of_seq_;  // seq -> position in events_, or npos
  std::vector<std::string> stored_, order_;
  std::vector<std::string> orders_;
};

}  // namespace report
