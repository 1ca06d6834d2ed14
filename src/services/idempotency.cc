#include "services/idempotency.h"

#include "store/db.h"

namespace services {

base::Result<bool> AlreadyProcessed(StepContext& ctx, const std::string& event_id) {
  store::Statement& insert =
      ctx.db().Prepare("INSERT OR IGNORE INTO processed_event(event_id, processed_at) VALUES(?, ?)");
  base::Status s = insert.Bind(1, event_id).Bind(2, ctx.now_ms()).Run();
  if (!s.ok()) return s;
  return ctx.db().Changes() == 0;
}

void NoteDuplicate(StepContext& ctx, const std::string& order_no, const std::string& event_id, const std::string& how) {
  sim::Event e = sim::Event::Make(sim::EventKind::kSkipDuplicate, ctx.now_ms());
  e.order = order_no;
  e.event_id = event_id;
  e.detail = how;
  ctx.Note(std::move(e));
}

bool ProcessedMarks::Has(const std::string& event_id, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = expiry_.find(event_id);
  return it != expiry_.end() && it->second > now_ms;
}

void ProcessedMarks::Mark(const std::string& event_id, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  expiry_[event_id] = now_ms + kTtlMs;
}

}  // namespace services
