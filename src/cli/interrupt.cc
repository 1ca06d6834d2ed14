#include "cli/interrupt.h"

#include <signal.h>

#include <cstdio>

namespace cli {
namespace {

// Lock-free, so setting it is async-signal-safe.
std::atomic<bool> g_stop{false};
volatile sig_atomic_t g_signal = 0;
static_assert(std::atomic<bool>::is_always_lock_free);

struct sigaction g_previous_int, g_previous_term;

extern "C" void OnSignal(int signal) {
  g_signal = signal;
  g_stop.store(true, std::memory_order_relaxed);
}

}  // namespace

Interrupts::Interrupts() {
  g_stop.store(false);
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

Interrupts::~Interrupts() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

const std::atomic<bool>* Interrupts::flag() const { return &g_stop; }

int Interrupts::exit_code() const { return 128 + g_signal; }

std::string InterruptedSummary(uint64_t total, const char* noun, uint64_t passed, uint64_t failed,
                               uint64_t cut_short) {
  uint64_t finished = passed + failed;
  uint64_t not_run = total > finished + cut_short ? total - finished - cut_short : 0;
  return "interrupted: " + std::to_string(finished) + " of " + std::to_string(total) + " " + noun + " finished (" +
         std::to_string(passed) + " passed, " + std::to_string(failed) + " failed); " + std::to_string(cut_short) +
         " cut short, " + std::to_string(not_run) + " not run";
}

}  // namespace cli
