#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "bench/bench_scenario.h"
#include "sim/event.h"

namespace bench {

// Process CPU time (user + system, every thread) and wall time. The bench measures
// the simulator itself, so it may read clocks; nothing here feeds a simulation.
struct Clock {
  double cpu_s = 0, wall_s = 0;
  static Clock Now();
  Clock operator-(const Clock& o) const { return {cpu_s - o.cpu_s, wall_s - o.wall_s}; }
};

// Peak resident set size of the process so far, in MiB.
double PeakRssMiB();

// Counts what a saga run did: messages published, handler calls, and each order's
// virtual latency from its placement to PAID. Orders are the bench's "g<n>".
class BenchSink : public sim::EventSink {
 public:
  explicit BenchSink(int64_t orders) : placed_at_(orders + 1, -1) {}
  void Emit(const sim::Event& e) override;

  int64_t messages = 0, calls = 0, paid = 0;
  std::vector<int64_t> latencies_ms;

 private:
  int64_t Index(const std::string& order_no) const;
  std::vector<int64_t> placed_at_;
};

struct SagaFigures {
  int64_t orders = 0, messages = 0, calls = 0;
  Clock took;
  int64_t p50_ms = 0, p99_ms = 0;
  bool passed = false;
  double orders_per_cpu_s() const { return took.cpu_s > 0 ? orders / took.cpu_s : 0; }
};

// Runs the bench scenario once. `state_dir` empty: in memory; else the databases are
// kept there (and removed by the caller).
base::Result<SagaFigures> RunSaga(int64_t orders, Load load, scenario::Mode mode, const std::string& state_dir);

struct FloorFigures {
  int64_t orders = 0, transactions = 0, statements = 0;
  Clock took;
  double orders_per_cpu_s() const { return took.cpu_s > 0 ? orders / took.cpu_s : 0; }
};
base::Result<FloorFigures> RunFloorTimed(int64_t orders, Load load, const std::string& dir);

// CPU seconds of one seed of a one-order scenario, averaged over `seeds` runs: what
// every explored seed pays before its first order (databases, schema, threads).
base::Result<double> PerSeedCost(int seeds, scenario::Mode mode, const std::string& state_dir);

}  // namespace bench
