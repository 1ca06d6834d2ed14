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
  // Notes are numbered across the step's flushes, as note_seqs_ keeps them.
  int note = static_cast<int>(note_seqs_.size() + notes_.size()) - 1;
  if (options().publish != Publish::kOutbox) {
    sends_.push_back({&topic, key, event_id, body, note});
    return base::Status::Ok();
  }
  base::Status s = db()
                       .Prepare("INSERT INTO outbox(topic, keys, event_id, body, created_at) VALUES(?, ?, ?, ?, ?)")
                       .Bind(1, topic.topic)
                       .Bind(2, key)
                       .Bind(3, event_id)
                       .Bind(4, body)
                       .Bind(5, now_ms_)
                       .Run();
  if (s.ok()) outbox_rows_.push_back({db().LastInsertRowId(), note});
  return s;
}

void StepContext::Note(sim::Event e) {
  e.t = now_ms_;
  if (e.cause == 0) e.cause = cause_;
  if (e.service.empty()) e.service = lane_->service()->name();
  if (e.group.empty()) e.group = site_group_;
  if (e.topic.empty()) e.topic = site_topic_;
  notes_.push_back(std::move(e));
}

void StepContext::NoteState(const std::string& order_no, const std::string& detail) {
  sim::Event e = sim::Event::Make(sim::EventKind::kState, now_ms_);
  e.order = order_no;
  e.detail = detail;
  Note(std::move(e));
}

void StepContext::SetSite(std::string group, std::string topic, std::string order_no, int64_t cause) {
  site_group_ = std::move(group);
  site_topic_ = std::move(topic);
  site_order_ = std::move(order_no);
  cause_ = cause;
}

bool StepContext::CrashesAt(CrashPoint point) {
  Env* env = service().env();
  if (!env->faults) return false;
  auto lock = env->exec->Lock();
  int64_t restart_ms = 0, fault_seq = 0;
  // In a root step (a placement) the fault names what the step has traced so far.
  int64_t cause = cause_ ? cause_ : last_note_seq_;
  if (!env->faults->Crash(point, service().id(), site_group_, site_topic_, site_order_, cause, &restart_ms,
                          &fault_seq))
    return false;
  crash_restart_ms_ = restart_ms;
  crash_fault_seq_ = fault_seq;
  crash_point_ = point;
  return true;
}

base::Status StepContext::Commit(store::Transaction* txn) {
  using Point = CrashPoint;
  // Before the commit: the transaction rolls back when the caller unwinds.
  if (CrashesAt(Point::kBeforeCommit)) return base::Status::Crashed("before commit");
  base::Status s = txn->Commit();
  if (!s.ok()) return s;
  if (CrashesAt(Point::kAfterCommit)) {
    // Committed but nothing sent: state changes are real, sends after commit are
    // lost, outbox rows wait for the relay.
    sends_.clear();
    (void)Flush();  // with no sends left, Flush cannot fail
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

void StepContext::DiscardSends() {
  sends_.clear();
  outbox_rows_.clear();
}

base::Status StepContext::Flush() {
  Service& svc = service();
  auto lock = svc.env()->exec->Lock();
  for (sim::Event& e : notes_) {
    last_note_seq_ = svc.env()->trace->Emit(std::move(e));
    note_seqs_.push_back(last_note_seq_);
  }
  notes_.clear();
  if (!outbox_rows_.empty()) {
    // The relay's publish of a row names the state change that wrote it.
    for (const PendingRow& row : outbox_rows_) svc.OutboxWritten(row.id, CauseOf(row.note));
    outbox_rows_.clear();
  }
  base::Status first_failure;
  for (const PendingSend& p : sends_) {
    bool sync = SendsSync(*p.topic);
    base::Status s = lane_->SendNow(*p.topic, p.key, p.event_id, p.body, sync ? "sync send" : "async send",
                                    CauseOf(p.note));
    // An async send's failure reaches only its callback, which logs it; a sync
    // send's failure is thrown to the caller.
    if (!s.ok() && sync && first_failure.ok()) first_failure = s;
  }
  sends_.clear();
  return first_failure;
}

}  // namespace services
