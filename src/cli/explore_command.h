#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cli {

struct ExploreOptions {
  std::string file;
  uint64_t seeds = 100;
  std::optional<uint64_t> from;  // unset: the file's seed
  std::string mode;              // "", deterministic, concurrent
  std::string profile;           // "", seed, hardened
  bool check_determinism = false;
  bool swarm = false;
  int jobs = 1;
  bool quiet = false;
  std::string junit_path;        // one testcase per seed
  std::string json_path;         // the full report of every seed
  uint64_t max_input_bytes = uint64_t{16} << 20;  // --max-input-size
  std::string shard;             // "K/N" or "N" (K from JOB_COMPLETION_INDEX): a slice of the seeds
};

// `sagasim explore FILE --seeds N`: runs one scenario for seeds from..from+N-1, prints
// one line per failing seed with what failed and the command that replays it, and
// ends with "N seeds: P passed, F failed". Exit 0 when all pass, 1 otherwise, 2 on
// invalid input.
void RegisterExploreCommand(CLI::App& app, int* exit_code);
int RunExplore(const ExploreOptions& options);

}  // namespace cli
