#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "scenario/checkers.h"
#include "scenario/final_state.h"
#include "scenario/scenario.h"
#include "sim/event.h"

namespace scenario {

// Command-line overrides and where a run keeps its files.
struct RunSettings {
  std::optional<uint64_t> seed;
  std::optional<Mode> mode;
  std::optional<Profile> profile;
  std::string state_dir;      // empty: the databases live in memory, no broker.db
  // Once true, the run stops at the next step and RunScenario returns an error
  // (cleaning up as usual). Null: runs to the end. Must outlive RunScenario.
  const std::atomic<bool>* stop = nullptr;
  // Keeps every stored message in memory (broker::Retention::kAll), as a run that
  // may move offsets back does: for tests that compare the two.
  bool keep_all_messages = false;
  // Keeps the databases in memory whatever the run's size (bench --state memory);
  // otherwise a run over kInMemoryMaxOrders without state_dir uses a temporary one.
  bool state_in_memory = false;
};

struct RunResult {
  std::string name;
  std::string file;
  std::string description;
  Profile profile = Profile::kHardened;
  Options options;
  uint64_t seed = 1;
  Mode mode = Mode::kDeterministic;
  FinalState state;
  std::vector<std::string> stuck;
  std::vector<InvariantResult> invariants;
  std::vector<ExpectationResult> expectations;
  bool passed = false;
  uint64_t steps = 0;
  int64_t wall_us = 0;        // measured, never used for logic
  std::string state_dir;      // kept only when RunSettings::state_dir was given
  bool stopped_at_horizon = false;
  int64_t messages_dropped = 0;     // consumed messages that left memory during the run (broker::Retention)  // no `until`, and still busy kHorizonMs after the last scheduled event
};

// A run of more orders than this without --state keeps its databases in a temporary
// directory, removed at its end, rather than in memory (about 1 KB of SQLite pages per
// order: a million orders would need a gigabyte).
inline constexpr int64_t kInMemoryMaxOrders = 200000;

// How long after the last event a file schedules a run without `until` may go on.
inline constexpr int64_t kHorizonMs = int64_t{48} * 3600 * 1000;

// Runs one scenario to quiescence (or `until`) and checks it. `observer` receives
// every trace event in order (with the executor's lock held). Errors are setup
// failures (the state directory, SQLite); a failing expectation is a result.
base::Result<RunResult> RunScenario(const Scenario& scenario, const RunSettings& settings,
                                    sim::EventSink* observer);

}  // namespace scenario
