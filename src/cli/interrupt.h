#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace cli {

// Ctrl-C (SIGINT) and SIGTERM during `run` or `explore`. The handler only records the
// signal and sets a flag (all a handler may safely do); the executor polls the flag
// between steps and stops the run, the runner then removes its temporary state
// directory as at any other end, and the command returns 128 + the signal number (130,
// 143). The handlers are installed for one signal each time (SA_RESETHAND): a second
// Ctrl-C kills at once, without that cleanup.
// Thread-safety: one Interrupts at a time, made and destroyed on the main thread;
// requested() and flag() from any thread.
class Interrupts {
 public:
  Interrupts();   // installs the handlers
  ~Interrupts();  // restores the previous ones
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

  // For scenario::RunSettings::stop.
  const std::atomic<bool>* flag() const;
  bool requested() const { return flag()->load(std::memory_order_relaxed); }
  // 128 + the signal that arrived. REQUIRES: requested().
  int exit_code() const;
};

// The line an interrupted `run` or `explore` ends with, on stdout where the summary of a
// whole run goes: what finished and how, what was cut short, what never started, e.g.
// "interrupted: 1 of 3 scenarios finished (1 passed, 0 failed); 1 cut short, 1 not run".
std::string InterruptedSummary(uint64_t total, const char* noun, uint64_t passed, uint64_t failed,
                               uint64_t cut_short);

}  // namespace cli
