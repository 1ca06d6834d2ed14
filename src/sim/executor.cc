#include "sim/executor.h"

#include <algorithm>

#include "base/check.h"
#include "base/logging.h"

namespace sim {
namespace {

spdlog::logger& Log() {
  static spdlog::logger& log = base::ModuleLog("sim");
  return log;
}

}  // namespace

Executor::Executor(ExecMode mode, uint64_t seed) : mode_(mode), prng_(seed, kStreamScheduler) {}

void Executor::AddLane(Lane* lane) {
  lanes_.push_back(lane);
  slots_.push_back(std::make_unique<Slot>());
  slots_.back()->lane = lane;
}

void Executor::At(int64_t t, std::function<void()> fn) {
  SAGASIM_CHECK(t >= now_ms_);
  timers_.push_back(Timer{t, next_seq_++, std::move(fn), {}});
  std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
  ++strong_timers_;
}

void Executor::AtIfUseful(int64_t t, std::function<void()> fn, std::function<bool()> useful) {
  SAGASIM_CHECK(t >= now_ms_);
  timers_.push_back(Timer{t, next_seq_++, std::move(fn), std::move(useful)});
  std::push_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
}

void Executor::Wake() {
  if (mode_ != ExecMode::kConcurrent) return;
  for (const auto& slot : slots_)
    if (slot->waiting && slot->lane->Ready()) slot->cv.notify_one();
}

void Executor::FireDue() {
  while (!timers_.empty() && timers_.front().t <= now_ms_) {
    // Take it out before calling: the callback may push new timers.
    std::pop_heap(timers_.begin(), timers_.end(), std::greater<Timer>());
    Timer timer = std::move(timers_.back());
    timers_.pop_back();
    if (!timer.useful) --strong_timers_;
    timer.fn();
  }
}

bool Executor::AnyReady() {
  for (Lane* lane : lanes_)
    if (lane->Ready()) return true;
  return false;
}

bool Executor::Advance(std::optional<int64_t> until_ms, Outcome* out) {
  if (timers_.empty()) return false;
  // A recurring job's timer keeps the run going only while something else is pending
  // or the job itself could still change state.
  if (strong_timers_ == 0 &&
      std::none_of(timers_.begin(), timers_.end(), [](const Timer& t) { return t.useful(); }))
    return false;
  int64_t t = timers_.front().t;
  if (until_ms && t > *until_ms) {
    now_ms_ = *until_ms;
    out->hit_until = true;
    return false;
  }
  SAGASIM_LOG(Log(), debug, "t={}ms: nothing is ready; the clock jumps {}ms to the next timer ({} pending)", t,
              t - now_ms_, timers_.size());
  now_ms_ = t;
  FireDue();
  return true;
}

Executor::Outcome Executor::Run(std::optional<int64_t> until_ms) {
  Outcome out = mode_ == ExecMode::kDeterministic ? RunDeterministic(until_ms) : RunConcurrent(until_ms);
  SAGASIM_LOG(Log(), debug, "t={}ms: the run is over after {} steps: {}", out.end_ms, out.steps,
              out.hit_until ? "the clock reached `until`" : "nothing is ready and no timer is left that matters");
  return out;
}

Executor::Outcome Executor::RunDeterministic(std::optional<int64_t> until_ms) {
  Outcome out;
  std::unique_lock<std::mutex> lock(mu_);
  FireDue();
  while (!aborted_) {
    if (StopRequested()) {
      out.interrupted = true;
      break;
    }
    ready_.clear();
    for (Lane* lane : lanes_)
      if (lane->Ready()) ready_.push_back(lane);
    if (!ready_.empty()) {
      size_t pick = ready_.size() == 1 ? 0 : prng_.Below(ready_.size());
      Lane* lane = ready_[pick];
      SAGASIM_LOG(Log(), trace, "t={}ms: step {}: lane {} of {} ready", now_ms_, steps_ + 1, pick + 1, ready_.size());
      lane->Claim();
      ++steps_;
      lock.unlock();
      lane->Run();
      lock.lock();
      continue;
    }
    if (!Advance(until_ms, &out)) break;
  }
  stop_ = true;
  out.end_ms = now_ms_;
  out.aborted = aborted_;
  out.steps = steps_;
  return out;
}

Executor::Outcome Executor::RunConcurrent(std::optional<int64_t> until_ms) {
  Outcome out;
  std::unique_lock<std::mutex> lock(mu_);
  FireDue();
  Wake();
  for (;;) {
    // Once a stop is requested no lane starts a step, so busy_ only falls to 0.
    cv_.wait(lock, [&] { return busy_ == 0 && (aborted_ || StopRequested() || !AnyReady()); });
    if (StopRequested()) {
      out.interrupted = true;
      break;
    }
    if (aborted_ || !Advance(until_ms, &out)) break;
    Wake();
  }
  stop_ = true;
  for (const auto& slot : slots_) slot->cv.notify_one();
  out.end_ms = now_ms_;
  out.aborted = aborted_;
  out.steps = steps_;
  return out;
}

void Executor::WorkerLoop(Lane* lane) {
  std::unique_lock<std::mutex> lock(mu_);
  Slot* slot = nullptr;
  for (const auto& s : slots_)
    if (s->lane == lane) slot = s.get();
  while (!stop_) {
    bool stopping = StopRequested();
    if (!aborted_ && !stopping && lane->Ready()) {
      lane->Claim();
      ++busy_;
      ++steps_;
      lock.unlock();
      lane->Run();
      lock.lock();
      --busy_;
      // What the step changed may have readied other lanes; the Run thread only
      // needs to look once nothing runs.
      Wake();
      if (busy_ == 0) cv_.notify_one();
      continue;
    }
    // The Run thread may be waiting for this lane to take a step it will not take now
    // (a stop request comes from a signal handler, which notifies no one).
    if (stopping && busy_ == 0) cv_.notify_one();
    slot->waiting = true;
    slot->cv.wait(lock);
    slot->waiting = false;
  }
}

}  // namespace sim
