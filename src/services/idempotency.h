#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "base/result.h"
#include "services/step_context.h"

namespace services {

// `transactional` idempotency: records event_id in the step's open transaction.
// Returns true when the event was already processed (the caller skips it and notes
// a skip-duplicate). REQUIRES: inside the step's transaction.
base::Result<bool> AlreadyProcessed(StepContext& ctx, const std::string& event_id);

// Records a skip-duplicate trace note for the message being handled.
void NoteDuplicate(StepContext& ctx, const std::string& order_no, const std::string& event_id,
                   const std::string& how);

// The reference's Redis keys `event:processed:<eventId>` with a 24 h TTL, used by the
// `sample` option: kept outside the service's database (so it survives neither
// rollback nor joins a transaction) and shared by the service's threads.
// Thread-safety: safe from any thread.
class ProcessedMarks {
 public:
  static constexpr int64_t kTtlMs = 24 * 3600 * 1000;
  bool Has(const std::string& event_id, int64_t now_ms);
  void Mark(const std::string& event_id, int64_t now_ms);

 private:
  std::mutex mu_;
  std::map<std::string, int64_t> expiry_;  // event id -> expiry (virtual ms)
};

}  // namespace services
