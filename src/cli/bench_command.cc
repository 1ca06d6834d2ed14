#include "cli/bench_command.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "bench/measure.h"
#include "cli/exit_code.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// A temporary folder for one disk run's databases, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::error_code ec;
    std::string tmpl = (fs::temp_directory_path(ec) / "sagasim-bench-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Failure {
  std::string what;
};

template <typename T>
T Must(base::Result<T> r, const char* what) {
  if (!r.ok()) throw Failure{std::string(what) + ": " + r.status().ToString()};
  return std::move(r.value());
}

bench::SagaFigures Saga(int64_t orders, bench::Load load, scenario::Mode mode, bool disk) {
  if (!disk) return Must(bench::RunSaga(orders, load, mode, ""), "saga run");
  ScratchDir dir;
  if (dir.path().empty()) throw Failure{"cannot create a temporary directory"};
  return Must(bench::RunSaga(orders, load, mode, dir.path()), "saga run");
}

bench::FloorFigures Floor(int64_t orders, bench::Load load, bool disk) {
  if (!disk) return Must(bench::RunFloorTimed(orders, load, ""), "floor run");
  ScratchDir dir;
  if (dir.path().empty()) throw Failure{"cannot create a temporary directory"};
  return Must(bench::RunFloorTimed(orders, load, dir.path()), "floor run");
}

double PerSeed(int seeds, scenario::Mode mode, bool disk) {
  if (!disk) return Must(bench::PerSeedCost(seeds, mode, ""), "per-seed run");
  ScratchDir dir;
  return Must(bench::PerSeedCost(seeds, mode, dir.path()), "per-seed run");
}

double PerSec(int64_t n, double s) { return s > 0 ? n / s : 0; }

}  // namespace

int RunBench(const BenchOptions& o) {
  if (o.orders < 1 || o.orders > 10'000'000) {
    std::fprintf(stderr, "sagasim bench: --orders must be between 1 and 10000000\n");
    return kExitInvalid;
  }
  if (o.repeat < 1 || o.repeat > 20) {
    std::fprintf(stderr, "sagasim bench: --repeat must be between 1 and 20\n");
    return kExitInvalid;
  }
  if (o.seeds < 1 || o.seeds > 100'000) {
    std::fprintf(stderr, "sagasim bench: --seeds must be between 1 and 100000\n");
    return kExitInvalid;
  }
  const scenario::Mode mode = o.mode == "concurrent" ? scenario::Mode::kConcurrent : scenario::Mode::kDeterministic;
  const bench::Load load = o.load == "burst" ? bench::Load::kBurst : bench::Load::kPaced;
  const bool disk = o.state == "disk";
  try {
    // The requested run first, so the peak RSS is its own.
    bench::SagaFigures main = Saga(o.orders, load, mode, disk);
    const double rss = bench::PeakRssMiB();
    // The floor ratio compares like with like: deterministic, on disk.
    // Each comparison figure is the fastest of --repeat runs: a neighbour on a shared
    // machine only ever slows a run down, so the minimum is the least disturbed.
    // The saga and the floor runs alternate, so that a slow spell hits both.
    auto faster = [](auto* best, auto next) {
      if (next.took.cpu_s < best->took.cpu_s) *best = next;
    };
    bool passed = main.passed;
    const bool main_is_ratio_run = mode == scenario::Mode::kDeterministic && disk;
    bench::SagaFigures ratio_run = main_is_ratio_run ? main : Saga(o.orders, load, scenario::Mode::kDeterministic, true);
    bench::SagaFigures memory_run = disk ? Saga(o.orders, load, mode, false) : main;
    bench::FloorFigures floor_disk = Floor(o.orders, load, true);
    bench::FloorFigures floor_memory = Floor(o.orders, load, false);
    for (int i = 1; i < o.repeat; ++i) {
      bench::SagaFigures again = Saga(o.orders, load, scenario::Mode::kDeterministic, true);
      passed = passed && again.passed;
      faster(&ratio_run, again);
      faster(&floor_disk, Floor(o.orders, load, true));
      again = Saga(o.orders, load, mode, false);
      passed = passed && again.passed;
      faster(&memory_run, again);
      faster(&floor_memory, Floor(o.orders, load, false));
    }
    const double seed_memory = PerSeed(o.seeds, mode, false);
    const double seed_disk = PerSeed(o.seeds, mode, true);
    passed = passed && ratio_run.passed && memory_run.passed;
    const double floor_ratio = floor_disk.orders_per_cpu_s() > 0
                                   ? ratio_run.orders_per_cpu_s() / floor_disk.orders_per_cpu_s()
                                   : 0;
    if (o.json) {
      nlohmann::ordered_json j;
      j["orders"] = o.orders;
      j["mode"] = o.mode;
      j["state"] = o.state;
      j["load"] = o.load;
      j["passed"] = passed;
      j["repeat"] = o.repeat;
      j["cpuSeconds"] = main.took.cpu_s;
      j["wallSeconds"] = main.took.wall_s;
      j["ordersPerSecond"] = main.orders_per_cpu_s();
      j["messagesPerSecond"] = PerSec(main.messages, main.took.cpu_s);
      j["handlerCallsPerSecond"] = PerSec(main.calls, main.took.cpu_s);
      j["messagesPerOrder"] = static_cast<double>(main.messages) / main.orders;
      j["handlerCallsPerOrder"] = static_cast<double>(main.calls) / main.orders;
      j["latencyP50Ms"] = main.p50_ms;
      j["latencyP99Ms"] = main.p99_ms;
      j["peakRssMiB"] = rss;
      j["floorOrdersPerSecondDisk"] = floor_disk.orders_per_cpu_s();
      j["floorOrdersPerSecondMemory"] = floor_memory.orders_per_cpu_s();
      j["floorTransactionsPerOrder"] = static_cast<double>(floor_disk.transactions) / floor_disk.orders;
      j["floorStatementsPerOrder"] = static_cast<double>(floor_disk.statements) / floor_disk.orders;
      j["floorRatio"] = floor_ratio;
      j["inMemoryOrdersPerSecond"] = memory_run.orders_per_cpu_s();
      j["perSeedCpuMsMemory"] = seed_memory * 1000;
      j["perSeedCpuMsDisk"] = seed_disk * 1000;
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      std::printf("bench: %lld orders, %s, %s, %s (hardened happy path, %d products)\n",
                  static_cast<long long>(o.orders), o.mode.c_str(), o.state.c_str(), o.load.c_str(),
                  bench::kBenchProducts);
      std::printf("  figures per CPU second (user+sys, all threads); wall time in brackets; floor ratio,\n"
                  "  floor and in-memory: the fastest of %d runs each\n",
                  o.repeat);
      std::printf("orders/s: %.0f  (cpu %.3f s, wall %.3f s)\n", main.orders_per_cpu_s(), main.took.cpu_s,
                  main.took.wall_s);
      std::printf("messages/s: %.0f  (%.1f per order)\n", PerSec(main.messages, main.took.cpu_s),
                  static_cast<double>(main.messages) / main.orders);
      std::printf("handler calls/s: %.0f  (%.1f per order)\n", PerSec(main.calls, main.took.cpu_s),
                  static_cast<double>(main.calls) / main.orders);
      std::printf("virtual saga latency: p50 %lld ms, p99 %lld ms\n", static_cast<long long>(main.p50_ms),
                  static_cast<long long>(main.p99_ms));
      std::printf("peak RSS: %.1f MiB\n", rss);
      std::printf("floor: %.0f orders/s on disk, %.0f in memory (%.0f transactions, %.0f statements per order)\n",
                  floor_disk.orders_per_cpu_s(), floor_memory.orders_per_cpu_s(),
                  static_cast<double>(floor_disk.transactions) / floor_disk.orders,
                  static_cast<double>(floor_disk.statements) / floor_disk.orders);
      std::printf("floor ratio: %.2f\n", floor_ratio);
      std::printf("in-memory: %.0f orders/s\n", memory_run.orders_per_cpu_s());
      std::printf("per-seed fixed cost: %.2f ms CPU in memory, %.2f ms on disk (%d seeds of one order)\n",
                  seed_memory * 1000, seed_disk * 1000, o.seeds);
      if (!passed) std::printf("FAILED: a run did not pay every order\n");
    }
    return passed ? kExitOk : kExitFailed;
  } catch (const Failure& f) {
    std::fprintf(stderr, "sagasim bench: %s\n", f.what.c_str());
    return kExitFailed;
  }
}

void RegisterBenchCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* cmd = app.add_subcommand("bench", "Measure the saga's throughput against the SQLite floor");
  cmd->add_option("--orders", options->orders, "Generated orders per run (default 10000)");
  cmd->add_option("--mode", options->mode, "deterministic or concurrent")
      ->check(CLI::IsMember({"deterministic", "concurrent"}));
  cmd->add_option("--state", options->state, "disk (database files) or memory")
      ->check(CLI::IsMember({"disk", "memory"}));
  cmd->add_option("--load", options->load, "paced (one order every 10 virtual ms) or burst (all at once)")
      ->check(CLI::IsMember({"paced", "burst"}));
  cmd->add_option("--seeds", options->seeds, "One-order seeds run for the per-seed fixed cost (default 50)");
  cmd->add_option("--repeat", options->repeat,
                  "Runs of the floor-ratio, floor and in-memory figures; the fastest counts (default 3)");
  cmd->add_flag("--json", options->json, "Print the figures as one JSON object");
  cmd->callback([options, exit_code] { *exit_code = RunBench(*options); });
}

}  // namespace cli
