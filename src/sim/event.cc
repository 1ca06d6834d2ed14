#include "sim/event.h"

namespace sim {
namespace {

// The trace's spelling of each kind, in enum order.
constexpr const char* kKindNames[kEventKindCount] = {
    "place", "publish", "send-failed", "deliver", "call",  "fail",  "ack",   "retry",
    "dlq",   "filtered", "skip-duplicate", "crash", "restart", "fault", "state", "step",
};

}  // namespace

const char* EventKindName(EventKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<EventKind> ParseEventKind(std::string_view name) {
  for (int i = 0; i < kEventKindCount; ++i)
    if (name == kKindNames[i]) return static_cast<EventKind>(i);
  return std::nullopt;
}

}  // namespace sim
