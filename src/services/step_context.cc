#include "services/step_context.h"

#include "services/lanes.h"
#include "services/service.h"
#include "sim/executor.h"

namespace services {

StepContext::StepContext(LaneBase* lane, int64_t now_ms) : lane_(lane), now_ms_(now_ms) {}

store::Db& StepContext::db() { return lane_->db(); }
Service& StepContext::service() { return *lane_->service(); }
const Options& StepContext::options() const { return lane_->service()->options(); }

base::Status StepContext::Publish(const TopicDef& topic, const std::string& key, const std::string& event_id,
                                  const std::string& body) {
  if (options().publish != Publish::kOutbox) {
    sends_.push_back({&topic, key, event_id, body});
    return base::Status::Ok();
  }
  outbox_written_ = true;
  return db()
      .Prepare("INSERT INTO outbox(topic, keys, event_id, body, created_at) VALUES(?, ?, ?, ?, ?)")
      .Bind(1, topic.topic)
      .Bind(2, key)
      .Bind(3, event_id)
      .Bind(4, body)
      .Bind(5, now_ms_)
      .Run();
}

void StepContext::Note(sim::Event e) {
  e.t = now_ms_;
  if (e.service.empty()) e.service = lane_->service()->name();
  if (e.group.empty()) e.group = site_group_;
  if (e.topic.empty()) e.topic = site_topic_;
  notes_.push_back(std::move(e));
}

void StepContext::NoteState(const std::string& order_no, const std::string& detail) {
  sim::Event e;
  e.kind = "state";
  e.order = order_no;
  e.detail = detail;
  Note(std::move(e));
}

void StepContext::SetSite(std::string group, std::string topic, std::string order_no) {
  site_group_ = std::move(group);
  site_topic_ = std::move(topic);
  site_order_ = std::move(order_no);
}

bool StepContext::CrashesAt(FaultHooks::CrashPoint point) {
  Env* env = service().env();
  if (!env->faults) return false;
  auto lock = env->exec->Lock();
  int64_t restart_ms = 0;
  if (!env->faults->Crash(point, service().id(), site_group_, site_topic_, site_order_, &restart_ms)) return false;
  crash_restart_ms_ = restart_ms;
  crash_point_ = point;
  return true;
}

base::Status StepContext::Commit(store::Transaction* txn) {
  using Point = FaultHooks::CrashPoint;
  // Before the commit: the transaction rolls back when the caller unwinds.
  if (CrashesAt(Point::kBeforeCommit)) return base::Status::Crashed("before commit");
  base::Status s = txn->Commit();
  if (!s.ok()) return s;
  if (CrashesAt(Point::kAfterCommit)) {
    // Committed but nothing sent: state changes are real, sends after commit are
    // lost, outbox rows wait for the relay.
    sends_.clear();
    (void)Flush();
    return base::Status::Crashed("after commit");
  }
  s = Flush();
  if (CrashesAt(Point::kAfterSend)) return base::Status::Crashed("after send");
  return s;
}

bool StepContext::SendsSync(const TopicDef& topic) const {
  Env* env = lane_->service()->env();
  for (const ProducerBindingDef& def : ProducerBindings()) {
    if (def.topic != std::string_view(topic.topic)) continue;
    auto it = env->producers.find(BindingKey(def.service, def.name));
    if (it != env->producers.end() && it->second.sync) return *it->second.sync;
  }
  return options().publish == Publish::kSync;
}

void StepContext::DiscardSends() { sends_.clear(); }

base::Status StepContext::Flush() {
  Service& svc = service();
  auto lock = svc.env()->exec->Lock();
  for (const sim::Event& e : notes_) svc.env()->events->Emit(e);
  notes_.clear();
  if (outbox_written_) svc.OutboxWritten();
  outbox_written_ = false;
  base::Status first_failure;
  for (const PendingSend& p : sends_) {
    bool sync = SendsSync(*p.topic);
    base::Status s = lane_->SendNow(*p.topic, p.key, p.event_id, p.body, sync ? "sync send" : "async send");
    // An async send's failure reaches only its callback, which logs it; a sync
    // send's failure is thrown to the caller.
    if (!s.ok() && sync && first_failure.ok()) first_failure = s;
  }
  sends_.clear();
  return first_failure;
}

}  // namespace services
