#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/prng.h"

namespace sim {

// A source of steps belonging to a service: one consumer thread of a binding, an
// outbox relay, the thread that places orders. Lanes are what the executor schedules.
class Lane {
 public:
  virtual ~Lane() = default;
  // REQUIRES: executor lock held. Whether a step could start now. Never called
  // while the lane's own step is running, so it may tidy the lane's state (drop a
  // delivery a restart made stale).
  virtual bool Ready() = 0;
  // REQUIRES: executor lock held and Ready(). Takes the step's work so that no other
  // lane can take it.
  virtual void Claim() = 0;
  // Runs the claimed step without the executor lock (take it with Executor::Lock()
  // for broker calls). Must not throw.
  virtual void Run() = 0;
};

enum class ExecMode { kDeterministic, kConcurrent };

// The scheduler and virtual clock of a run.
//
// Deterministic mode runs one step at a time inline on the caller's thread: it
// collects every ready lane, picks one with the seeded PRNG, runs it, and picks
// again (marl's single-threaded mode: the same lane code, no threads). Concurrent
// mode lets each lane's own thread (owned and joined by its service, running
// WorkerLoop) take steps as soon as they are ready.
//
// In both modes the clock only moves when no step is running and none is ready: it
// jumps to the next timer. Timers fire in (time, insertion sequence) order.
//
// Thread-safety: everything but Run/WorkerLoop requires the lock (mu()).
class Executor {
 public:
  Executor(ExecMode mode, uint64_t seed);
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  ExecMode mode() const { return mode_; }
  std::unique_lock<std::mutex> Lock() { return std::unique_lock<std::mutex>(mu_); }

  // REQUIRES: lock held.
  int64_t now() const { return now_ms_; }
  void AddLane(Lane* lane);
  // Runs fn (with the lock held) when the clock reaches t (>= now).
  void At(int64_t t, std::function<void()> fn);
  // Like At, but the timer alone does not keep the run going: when nothing else is
  // left, it fires only if `useful()` says it could still change something (a
  // recurring job with nothing to do must not keep a finished run alive).
  void AtIfUseful(int64_t t, std::function<void()> fn, std::function<bool()> useful);
  // Tells waiting lanes that something may have become ready: in concurrent mode,
  // each waiting lane that is now ready is woken (and only those: waking every
  // thread on every message made the kernel the bottleneck).
  void Wake();
  Prng& prng() { return prng_; }
  // Ends the run early (a service hit an error it cannot carry on from): no further
  // step starts, steps already running finish, and Run returns with `aborted`.
  void Abort() {
    aborted_ = true;
    for (const auto& slot : slots_) slot->cv.notify_one();
    cv_.notify_one();
  }
  // A flag that, once true, stops Run at the next step boundary (Ctrl-C: see
  // cli/interrupt.h). Set before Run; *stop must outlive it. Null: never stops early.
  void set_stop_request(const std::atomic<bool>* stop) { stop_request_ = stop; }

  struct Outcome {
    int64_t end_ms = 0;
    bool hit_until = false;
    bool aborted = false;
    uint64_t steps = 0;
    bool interrupted = false;  // stopped by the stop request, not finished
  };
  // Runs to quiescence or to until_ms. In concurrent mode the lanes' threads must be
  // running WorkerLoop; they return once Run has returned.
  Outcome Run(std::optional<int64_t> until_ms);
  // Concurrent mode: the body of a lane's thread.
  void WorkerLoop(Lane* lane);

 private:
  struct Timer {
    int64_t t;
    uint64_t seq;
    std::function<void()> fn;
    std::function<bool()> useful;  // empty: always keeps the run alive
    bool operator>(const Timer& o) const { return t != o.t ? t > o.t : seq > o.seq; }
  };
  // REQUIRES: lock. Fires every timer due at now_ms_.
  void FireDue();
  // REQUIRES: lock, nothing ready or running. Moves the clock to the next timer that
  // matters and fires it; false when the run is over.
  bool Advance(std::optional<int64_t> until_ms, Outcome* out);
  bool AnyReady();
  bool StopRequested() const { return stop_request_ && stop_request_->load(std::memory_order_relaxed); }
  Outcome RunDeterministic(std::optional<int64_t> until_ms);
  Outcome RunConcurrent(std::optional<int64_t> until_ms);

  const ExecMode mode_;
  const std::atomic<bool>* stop_request_ = nullptr;
  Prng prng_;
  std::mutex mu_;
  std::condition_variable cv_;  // the Run thread waits here for quiescence
  // One per lane, in AddLane order; a lane's thread waits on its own condition.
  struct Slot {
    Lane* lane;
    std::condition_variable cv;
    bool waiting = false;
  };
  std::vector<std::unique_ptr<Slot>> slots_;
  // State below is protected by mu_.
  int64_t now_ms_ = 0;
  uint64_t next_seq_ = 0;
  std::vector<Timer> timers_;  // a min-heap on (t, seq), kept with std::push_heap/pop_heap
  std::vector<Lane*> lanes_;
  std::vector<Lane*> ready_;  // scratch for RunDeterministic
  int64_t strong_timers_ = 0;  // timers without a `useful` predicate
  int busy_ = 0;
  bool stop_ = false;
  bool aborted_ = false;
  uint64_t steps_ = 0;
};

}  // namespace sim
