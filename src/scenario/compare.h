#pragma once

// `sagasim compare`: one scenario, seed and faults run twice, under two profiles or two
// option sets, and where the two runs part. The runs are matched event by event along
// their cause links (trace `seq`/`cause`): an event's identity is what it is (kind,
// order, service, group by its named group, topic, event type, attempt; a state change also by what it
// says) and the identities of its causes up to the root, so two runs match as long
// as the same things happen for the same reasons, whatever the ids and times.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "scenario/runner.h"
#include "scenario/scenario.h"
#include "sim/event.h"

namespace scenario {

// One side of a comparison: a profile (unset: the file's), with the file's option
// overrides applied on top as `run --profile` does, then the side's own overrides.
struct CompareSide {
  std::string label;                 // as given, e.g. "seed" or "seed,idempotency=transactional"
  std::optional<Profile> profile;
  OptionOverrides overrides;
};

// Parses "seed", "hardened", "seed,publish=outbox", or "idempotency=transactional,..."
// (keys and values as in the scenario file's "options"). Errors name the bad part.
base::Result<CompareSide> ParseCompareSide(const std::string& spec);

// Where two traces part: the first event of each (in its own seq order) that has no
// counterpart in the other; unset when every event of that trace has one.
struct TraceAlignment {
  std::optional<size_t> first_unmatched_a, first_unmatched_b;  // indexes into the traces
  int64_t matched = 0;                                         // events of a with a counterpart
  std::vector<bool> a_matched, b_matched;                      // per event: has a counterpart
};
// Traces are in seq order, each cause naming an earlier event of the same trace.
TraceAlignment AlignTraces(const std::vector<sim::Event>& a, const std::vector<sim::Event>& b);

// The event at `index` and its causes, root first.
std::vector<sim::Event> CauseChain(const std::vector<sim::Event>& trace, size_t index);

struct SideRun {
  CompareSide side;
  RunResult result;
  std::vector<sim::Event> trace;
};

struct Comparison {
  SideRun a, b;
  TraceAlignment alignment;
};

// Runs `scenario` under both sides with the same seed (the file's unless given), in
// deterministic mode (a concurrent run's trace is not reproducible, so comparing two of
// them would show scheduling, not the design). Errors are setup failures. With a
// `state_root`, the runs keep their databases in state_root/a and state_root/b (the
// HTML view reads the stored messages back); without, they live in memory.
base::Result<Comparison> CompareScenario(const Scenario& scenario, const CompareSide& a, const CompareSide& b,
                                         std::optional<uint64_t> seed, const std::string& state_root = "");

// The invariants a run breaks, in report order.
std::vector<std::string> BrokenInvariants(const RunResult& result);

}  // namespace scenario
