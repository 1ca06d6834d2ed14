#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "services/bindings.h"
#include "services/env.h"
#include "services/saga_options.h"
#include "sim/event.h"
#include "store/transaction.h"

namespace services {

class LaneBase;
class Service;

// The context of one step of a service: its connection, the virtual time the step
// runs at, and what the step publishes and reports. Effects become visible together
// when the step commits: trace notes are emitted and events are sent (async/sync) or
// handed to the relay (outbox) only after the transaction committed.
// Thread-safety: used by the one thread running the step.
class StepContext {
 public:
  StepContext(LaneBase* lane, int64_t now_ms);
  StepContext(const StepContext&) = delete;
  StepContext& operator=(const StepContext&) = delete;

  store::Db& db();
  int64_t now_ms() const { return now_ms_; }
  Service& service();
  const Options& options() const;

  // Publishes an event according to the `publish` option. Under `outbox` this writes
  // the row, so call it inside the step's transaction.
  base::Status Publish(const TopicDef& topic, const std::string& key, const std::string& event_id,
                       const std::string& body);
  // A trace event to emit once the step's effects are visible (t and service are
  // filled in, and a cause left at 0 becomes the step's cause).
  void Note(sim::Event e);
  void NoteState(const std::string& order_no, const std::string& detail);

  // What the step is handling, for fault matching (empty parts match only rules
  // that leave them open), and the trace event it acts on (the handler call; 0 for
  // a root step such as a placement).
  void SetSite(std::string group, std::string topic, std::string order_no, int64_t cause = 0);
  int64_t cause() const { return cause_; }
  // The seq of the last note this step emitted (0 if none yet).
  int64_t last_note_seq() const { return last_note_seq_; }

  // Commits `txn`, then makes the step's effects visible. Under `sync` publishing a
  // failed send is returned (the caller's message is then retried). A crash fault
  // can stop the step before the commit, after it, or after the sends: then a
  // Crashed status is returned and crashed() is true.
  base::Status Commit(store::Transaction* txn);
  bool crashed() const { return crash_restart_ms_ >= 0; }
  int64_t crash_restart_ms() const { return crash_restart_ms_; }
  CrashPoint crash_point() const { return crash_point_; }
  // The crash fault's trace event, when crashed().
  int64_t crash_fault_seq() const { return crash_fault_seq_; }
  // Makes effects visible for a step that wrote nothing (or whose writes are done).
  base::Status Flush();
  // Forgets sends staged by a step whose transaction rolled back.
  void DiscardSends();

 private:
  // A send names, as its cause, the latest note staged before it (its state
  // change), or the step's cause: `note` is that note's index, -1 for none.
  struct PendingSend {
    const TopicDef* topic;
    std::string key, event_id, body;
    int note;
  };
  struct PendingRow {
    int64_t id;
    int note;
  };
  LaneBase* const lane_;
  const int64_t now_ms_;
  std::vector<PendingSend> sends_;
  std::vector<sim::Event> notes_;
  std::vector<int64_t> note_seqs_;     // seq of each note once emitted
  std::vector<PendingRow> outbox_rows_;
  std::string site_group_, site_topic_, site_order_;
  int64_t cause_ = 0;
  int64_t last_note_seq_ = 0;
  int64_t crash_restart_ms_ = -1;
  int64_t crash_fault_seq_ = 0;
  CrashPoint crash_point_ = CrashPoint::kBeforeCommit;

  int64_t CauseOf(int note) const { return note >= 0 ? note_seqs_[note] : cause_; }

  // Whether sends to `topic` are synchronous: the producer binding's `sync` when the
  // scenario sets it, else the `publish` option.
  bool SendsSync(const TopicDef& topic) const;
  // True (and the crash recorded) if a crash fault fires at `point`.
  bool CrashesAt(CrashPoint point);
};

}  // namespace services
