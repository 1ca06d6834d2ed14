#include "bench/measure.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "bench/floor.h"
#include "scenario/runner.h"

namespace bench {

Clock Clock::Now() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return {secs(u.ru_utime) + secs(u.ru_stime), wall};
}

double PeakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // KiB on Linux
}

int64_t BenchSink::Index(const std::string& order_no) const {
  if (order_no.size() < 2 || order_no[0] != 'g') return -1;
  int64_t n = 0;
  for (size_t i = 1; i < order_no.size(); ++i) {
    if (order_no[i] < '0' || order_no[i] > '9') return -1;
    n = n * 10 + (order_no[i] - '0');
  }
  return n < static_cast<int64_t>(placed_at_.size()) ? n : -1;
}

void BenchSink::Emit(const sim::Event& e) {
  switch (e.kind) {
    case sim::EventKind::kPublish:
      ++messages;
      return;
    case sim::EventKind::kCall:
      ++calls;
      return;
    case sim::EventKind::kPlace:
      if (int64_t i = Index(e.order); i >= 0) placed_at_[i] = e.t;
      return;
    case sim::EventKind::kState:
      if (e.detail.rfind("PAID", 0) != 0) return;
      if (int64_t i = Index(e.order); i >= 0 && placed_at_[i] >= 0) {
        latencies_ms.push_back(e.t - placed_at_[i]);
        ++paid;
      }
      return;
    default:
      return;
  }
}

namespace {

int64_t Percentile(std::vector<int64_t>* v, double p) {
  if (v->empty()) return 0;
  size_t k = std::min(v->size() - 1, static_cast<size_t>(p * (v->size() - 1) + 0.5));
  std::nth_element(v->begin(), v->begin() + k, v->end());
  return (*v)[k];
}

}  // namespace

base::Result<SagaFigures> RunSaga(int64_t orders, Load load, scenario::Mode mode, const std::string& state_dir) {
  scenario::Scenario sc = BenchScenario(orders, load, mode);
  scenario::RunSettings settings;
  settings.state_dir = state_dir;
  settings.state_in_memory = state_dir.empty();
  BenchSink sink(orders);
  Clock start = Clock::Now();
  auto result = scenario::RunScenario(sc, settings, &sink);
  SagaFigures f;
  f.took = Clock::Now() - start;
  if (!result.ok()) return result.status();
  f.orders = orders;
  f.messages = sink.messages;
  f.calls = sink.calls;
  f.passed = result->passed && sink.paid == orders;
  f.p50_ms = Percentile(&sink.latencies_ms, 0.50);
  f.p99_ms = Percentile(&sink.latencies_ms, 0.99);
  return f;
}

base::Result<FloorFigures> RunFloorTimed(int64_t orders, Load load, const std::string& dir) {
  scenario::Scenario sc = BenchScenario(orders, load, scenario::Mode::kDeterministic);
  Clock start = Clock::Now();
  auto r = RunFloor(sc, dir);
  FloorFigures f;
  f.took = Clock::Now() - start;
  if (!r.ok()) return r.status();
  f.orders = r->orders;
  f.transactions = r->transactions;
  f.statements = r->statements;
  return f;
}

base::Result<double> PerSeedCost(int seeds, scenario::Mode mode, const std::string& state_dir) {
  scenario::Scenario sc = BenchScenario(1, Load::kPaced, mode);
  scenario::RunSettings settings;
  settings.state_dir = state_dir;
  settings.state_in_memory = state_dir.empty();
  Clock start = Clock::Now();
  for (int i = 0; i < seeds; ++i) {
    settings.seed = static_cast<uint64_t>(i + 1);
    auto r = scenario::RunScenario(sc, settings, nullptr);
    if (!r.ok()) return r.status();
  }
  return (Clock::Now() - start).cpu_s / seeds;
}

}  // namespace bench
