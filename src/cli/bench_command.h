#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace cli {

struct BenchOptions {
  int64_t orders = 10000;
  std::string mode = "deterministic";  // or concurrent
  std::string state = "disk";          // or memory
  std::string load = "paced";          // or burst
  int seeds = 50;                      // for the per-seed fixed cost
  int repeat = 3;                      // runs of each comparison figure; the fastest counts
  bool json = false;
};

// `sagasim bench`: runs the hardened happy path with generated orders and, in the same
// process, the floor (bench/floor.h); prints throughput, virtual latency, peak RSS,
// `floor ratio: X` (saga over floor orders per CPU second, deterministic, on disk)
// and `in-memory: N orders/s`. Exit 1 if a run did not pay every order.
void RegisterBenchCommand(CLI::App& app, int* exit_code);
int RunBench(const BenchOptions& options);

}  // namespace cli
