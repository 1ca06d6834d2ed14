#pragma once

// A progress line on stderr for long commands (explore's seeds, a long run's orders):
// done/total, rate, failures so far, time left. Only when stderr is a terminal, never
// when it is piped, and only once the work has taken a second. The wall clock is read
// here for this display alone; nothing it measures reaches a result or a trace.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/event.h"

namespace report {

class ProgressLine {
 public:
  // `unit` names what is counted ("seeds", "orders placed"). Draws nothing unless
  // `enabled` (use StderrIsTerminal()).
  ProgressLine(std::FILE* out, bool enabled, uint64_t total, std::string unit);
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws at most ten times a second, and not before a second has passed.
  void Update(uint64_t done, uint64_t failures);
  // Erases the line (before other output to the same terminal, and at the end).
  void Clear();

  static bool StderrIsTerminal();
  // The line's text, e.g. "37/200 seeds, 12.3/s, 2 failed, ~13s left".
  static std::string Text(const std::string& unit, uint64_t done, uint64_t total, uint64_t failures,
                          double elapsed_seconds);

 private:
  std::FILE* out_;
  bool enabled_;
  uint64_t total_;
  std::string unit_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
};

// Feeds a ProgressLine from a run's events: orders placed out of the scenario's total,
// handler failures so far. Looks at the clock only every 512 events.
// Thread-safety: Emit runs under the executor's lock.
class RunProgress : public sim::EventSink {
 public:
  RunProgress(ProgressLine* line) : line_(line) {}
  void Emit(const sim::Event& e) override;

 private:
  ProgressLine* line_;
  uint64_t placed_ = 0, failures_ = 0, events_ = 0;
};

}  // namespace report
