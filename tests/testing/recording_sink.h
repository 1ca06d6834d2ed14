#pragma once

// A sim::EventSink that keeps every event, for tests that assert on the trace.

#include <string_view>
#include <vector>

#include "sim/event.h"

namespace testing {

class RecordingSink : public sim::EventSink {
 public:
  void Emit(const sim::Event& event) override { events.push_back(event); }

  // The recorded events of one kind ("deliver", "retry", ...), in order.
  std::vector<sim::Event> OfKind(std::string_view kind) const {
    std::vector<sim::Event> out;
    for (const sim::Event& e : events)
      if (sim::EventKindName(e.kind) == kind) out.push_back(e);
    return out;
  }

  std::vector<sim::Event> events;
};

}  // namespace testing
