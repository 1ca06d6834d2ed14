#include "cli/explore_command.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/escape.h"
#include "cli/conventions.h"
#include "cli/exit_code.h"
#include "cli/interrupt.h"
#include "cli/run_command.h"
#include "cli/run_estimate.h"
#include "cli/scenario_input.h"
#include "cli/lint_config_command.h"
#include "cli/shard.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/progress.h"
#include "report/trace_writer.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"
#include "scenario/swarm.h"

namespace cli {
namespace {

// Keeps the trace of a run as lines, to compare two runs of one seed.
class TraceLines : public sim::EventSink {
 public:
  void Emit(const sim::Event& e) override { lines.push_back(report::EventToJsonLine(e)); }
  std::vector<std::string> lines;
};

// Passes events to two sinks (either may be null).
class Pair : public sim::EventSink {
 public:
  Pair(sim::EventSink* a, sim::EventSink* b) : a_(a), b_(b) {}
  void Emit(const sim::Event& e) override {
    if (a_) a_->Emit(e);
    if (b_) b_->Emit(e);
  }

 private:
  sim::EventSink* a_;
  sim::EventSink* b_;
};

struct SeedOutcome {
  uint64_t seed = 0;
  bool passed = false;
  std::string failure;     // what failed, one line
  std::string swarm;       // drawn settings, with --swarm
  std::optional<scenario::RunResult> result;  // kept only when a report wants it
  report::EventCounts counts;
  std::string error;       // setup error, for the reports
  bool cut_short = false;  // an interrupt stopped it before it finished
};

std::string Failures(const scenario::RunResult& r) {
  std::string out;
  for (const auto& e : r.expectations) {
    if (e.holds) continue;
    if (!out.empty()) out += "; ";
    if (e.what == "invariants") {
      for (const auto& inv : r.invariants)
        if (!inv.holds) out += inv.name + " violated (" + inv.detail + "); ";
      if (out.size() >= 2) out.resize(out.size() - 2);
    } else {
      out += e.what + ": expected " + e.expected + ", got " + e.actual;
    }
  }
  return out;
}

SeedOutcome RunSeed(const scenario::Scenario& base, const ExploreOptions& options, uint64_t seed,
                    const std::atomic<bool>* stop) {
  SeedOutcome out;
  out.seed = seed;
  scenario::Scenario sc = base;
  if (options.swarm) out.swarm = scenario::ApplySwarm(seed, &sc);
  scenario::RunSettings settings;
  settings.seed = seed;
  settings.stop = stop;
  if (!options.mode.empty())
    settings.mode = options.mode == "concurrent" ? scenario::Mode::kConcurrent : scenario::Mode::kDeterministic;
  if (!options.profile.empty())
    settings.profile = options.profile == "seed" ? scenario::Profile::kSeed : scenario::Profile::kHardened;
  TraceLines first;
  report::MetricsCounter metrics;
  Pair sinks(options.check_determinism ? &first : nullptr, options.json_path.empty() ? nullptr : &metrics);
  auto result = scenario::RunScenario(sc, settings, &sinks);
  auto stopped = [&] { return stop && stop->load(std::memory_order_relaxed); };
  if (!result.ok()) {
    out.cut_short = stopped();
    out.error = result.status().ToString();
    out.failure = "error: " + out.error;
    return out;
  }
  out.counts = metrics.counts();
  out.passed = result->passed;
  if (!out.passed) out.failure = Failures(*result);
  if (options.check_determinism) {
    TraceLines second;
    auto again = scenario::RunScenario(sc, settings, &second);
    if (!again.ok()) {
      out.cut_short = stopped();
      out.passed = false;
      out.failure = "error on the second run: " + again.status().ToString();
    } else if (first.lines != second.lines) {
      size_t i = 0;
      while (i < first.lines.size() && i < second.lines.size() && first.lines[i] == second.lines[i]) ++i;
      out.passed = false;
      std::string a = i < first.lines.size() ? first.lines[i] : "(end of trace)";
      std::string b = i < second.lines.size() ? second.lines[i] : "(end of trace)";
      out.failure = "not deterministic: traces differ at line " + std::to_string(i + 1) + ": " + a + " vs " + b;
    }
  }
  out.result = std::move(result.value());
  return out;
}

// The command that replays one seed, as the user would paste it: the program and the
// file as they were given (shell-quoted), the options that change what runs.
std::string ReplayCommand(const ExploreOptions& o, uint64_t seed) {
  std::string common = " " + base::ShellQuote(o.file) + (o.mode.empty() ? "" : " --mode " + o.mode) +
                       (o.profile.empty() ? "" : " --profile " + o.profile) +
                       (o.max_input_bytes == kDefaultMaxInputBytes
                            ? ""
                            : " --max-input-size " + std::to_string(o.max_input_bytes));
  if (o.swarm || o.check_determinism)
    return QuotedProgramPath() + " explore" + common + (o.swarm ? " --swarm" : "") +
           (o.check_determinism ? " --check-determinism" : "") + " --from " + std::to_string(seed) + " --seeds 1";
  return QuotedProgramPath() + " run" + common + " --seed " + std::to_string(seed);
}

}  // namespace

// --shard: the same explore over this shard's slice of the seeds.
static int RunShard(const ExploreOptions& options, uint64_t file_seed) {
  Shard shard;
  std::string error;
  if (!ParseShard(options.shard, std::getenv("JOB_COMPLETION_INDEX"), &shard, &error)) {
    std::fprintf(stderr, "sagasim explore: %s\n", error.c_str());
    return kExitInvalid;
  }
  uint64_t first = 0, count = 0;
  ShardSlice(options.seeds, shard, &first, &count);
  ExploreOptions slice = options;
  slice.shard.clear();
  slice.from = options.from.value_or(file_seed) + first;
  slice.seeds = count;
  std::printf("shard %llu/%llu: %llu seeds from %llu\n", static_cast<unsigned long long>(shard.index),
              static_cast<unsigned long long>(shard.count), static_cast<unsigned long long>(count),
              static_cast<unsigned long long>(*slice.from));
  if (count > 0) return RunExplore(slice);
  // More shards than seeds: an empty slice still leaves its (empty) reports for merge.
  if (!options.junit_path.empty()) (void)report::JUnitReport().Write(options.junit_path);
  if (!options.json_path.empty()) (void)report::JsonReport().Write(options.json_path);
  std::printf("0 seeds: 0 passed, 0 failed\n");
  return kExitOk;
}

int RunExplore(const ExploreOptions& options) {
  auto loaded = LoadScenarioInput(options.file, options.max_input_bytes);
  if (!loaded.ok()) {
    PrintError(nullptr, loaded.status().message());
    return kExitInvalid;
  }
  if (!ApplySpringOptions(&loaded.value(), {}, options.profile, stderr)) return kExitInvalid;
  if (options.seeds == 0 || options.seeds > 10'000'000) {
    PrintError("explore", "--seeds must be between 1 and 10000000");
    return kExitInvalid;
  }
  const scenario::Scenario& base = loaded.value();
  PrintLoadWarnings(base, stderr);
  if (!options.shard.empty()) return RunShard(options, base.seed);
  const uint64_t from = options.from.value_or(base.seed);
  // Seeds are 64-bit: a range that would wrap past 2^64 - 1 back to 0 is a typo.
  if (options.seeds - 1 > UINT64_MAX - from) {
    PrintError("explore", "--from " + std::to_string(from) + " with --seeds " + std::to_string(options.seeds) +
                              " goes past the largest seed, 18446744073709551615");
    return kExitInvalid;
  }
  int jobs = std::clamp(options.jobs, 1, 64);  // the option checks the range; this keeps direct callers safe
  const bool want_results = !options.junit_path.empty() || !options.json_path.empty();
  report::JUnitReport junit;
  report::JsonReport json;
  // The handlers first: the note says Ctrl-C stops the run, so it must, from then on.
  Interrupts interrupts;
  std::string note = LargeRunNote(base, options.seeds, jobs);
  if (!note.empty()) PrintError(nullptr, note);  // before a long wait, say how long

  // Workers take seeds in order; results are printed in seed order as they complete.
  std::mutex mu;
  std::condition_variable done_cv;
  std::map<uint64_t, SeedOutcome> done;
  std::atomic<uint64_t> next{0};
  int running = jobs;  // workers still taking seeds; guarded by mu
  auto worker = [&] {
    for (;;) {
      uint64_t i = next.fetch_add(1);
      if (i >= options.seeds || interrupts.requested()) {
        std::lock_guard<std::mutex> lock(mu);
        --running;
        done_cv.notify_one();
        return;
      }
      SeedOutcome outcome = RunSeed(base, options, from + i, interrupts.flag());
      if (!want_results) outcome.result.reset();  // keep memory flat over many seeds
      std::lock_guard<std::mutex> lock(mu);
      done.emplace(i, std::move(outcome));
      done_cv.notify_one();
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);

  uint64_t passed = 0, failed = 0, cut_short = 0;
  report::ProgressLine progress(stderr, report::ProgressLine::StderrIsTerminal(), options.seeds, "seeds");
  auto report_seed = [&](const SeedOutcome& outcome) {
    std::string case_name = "seed " + std::to_string(outcome.seed);
    if (outcome.result) {
      if (!options.junit_path.empty()) junit.AddResult(base.name, case_name, *outcome.result);
      if (!options.json_path.empty()) json.AddResult(*outcome.result, &outcome.counts);
    } else if (want_results) {
      if (!options.junit_path.empty()) junit.AddError(base.name, case_name, outcome.error);
      if (!options.json_path.empty()) json.AddError(base.name, base.file, outcome.error);
    }
    if (!outcome.passed || (!options.quiet && options.seeds <= 20)) progress.Clear();
    if (outcome.passed) {
      ++passed;
      progress.Update(passed + failed, failed);
      if (!options.quiet && options.seeds <= 20) std::printf("seed %llu: ok\n", static_cast<unsigned long long>(outcome.seed));
      return;
    }
    ++failed;
    std::printf("seed %llu: FAILED %s\n", static_cast<unsigned long long>(outcome.seed),
                base::EscapeForTerminal(outcome.failure).c_str());
    if (!outcome.swarm.empty()) std::printf("  swarm: %s\n", outcome.swarm.c_str());
    std::printf("  replay: %s\n", ReplayCommand(options, outcome.seed).c_str());
    std::fflush(stdout);
    progress.Update(passed + failed, failed);
  };
  for (uint64_t i = 0; i < options.seeds && !interrupts.requested(); ++i) {
    SeedOutcome outcome;
    {
      std::unique_lock<std::mutex> lock(mu);
      // Every worker gone and seed i not done: they stopped on an interrupt.
      done_cv.wait(lock, [&] { return done.count(i) > 0 || running == 0; });
      if (!done.count(i) || interrupts.requested()) break;
      outcome = std::move(done[i]);
      done.erase(i);
    }
    report_seed(outcome);
  }
  progress.Clear();
  for (std::thread& t : threads) t.join();
  if (interrupts.requested()) {
    // The seeds that finished before or while the others stopped are reported too, in
    // seed order; those the interrupt stopped are only counted.
    for (const auto& [i, outcome] : done) {
      if (outcome.cut_short) {
        ++cut_short;
      } else {
        report_seed(outcome);
      }
    }
    std::printf("%s\n", InterruptedSummary(options.seeds, "seeds", passed, failed, cut_short).c_str());
    std::fflush(stdout);
    PrintError("explore", "interrupted: the runs in progress stopped and their temporary state was removed");
    return interrupts.exit_code();
  }
  bool written = true;
  for (base::Status st : {options.junit_path.empty() ? base::Status::Ok() : junit.Write(options.junit_path),
                          options.json_path.empty() ? base::Status::Ok() : json.Write(options.json_path)}) {
    if (st.ok()) continue;
    PrintError("explore", st.message());
    written = false;
  }
  std::printf("%llu seeds: %llu passed, %llu failed\n", static_cast<unsigned long long>(passed + failed),
              static_cast<unsigned long long>(passed), static_cast<unsigned long long>(failed));
  return failed == 0 && written ? kExitOk : kExitFailed;
}

void RegisterExploreCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ExploreOptions>();
  CLI::App* explore = app.add_subcommand("explore", "Run one scenario over many seeds and report the failing ones");
  explore->add_option("file", options->file, "Scenario file")->required()->type_name("FILE");
  explore->add_option("--seeds", options->seeds, "How many seeds to run (default 100)")
      ->transform(DecimalUint64())
      ->type_name("N");
  explore->add_option("--from", options->from, "First seed (default: the file's seed)")
      ->transform(DecimalUint64())
      ->type_name("S");
  explore->add_option("--mode", options->mode, "deterministic or concurrent (overrides the file's)")
      ->check(CLI::IsMember({"deterministic", "concurrent"}))
      ->type_name("MODE");
  explore->add_option("--profile", options->profile, "seed or hardened (overrides the file's)")
      ->check(CLI::IsMember({"seed", "hardened"}))
      ->type_name("PROFILE");
  explore->add_flag("--check-determinism", options->check_determinism,
                    "Run each seed twice and fail on any difference between the traces");
  explore->add_flag("--swarm", options->swarm,
                    "Also draw fault probabilities and binding settings from each seed");
  explore->add_option("-j,--jobs", options->jobs, "Seeds run in parallel (threads), 1 to 64")
      ->check(CLI::Range(1, 64))
      ->type_name("J");
  explore->add_flag("-q,--quiet", options->quiet, "Print only failing seeds and the closing line");
  explore->add_option("--junit", options->junit_path, "Write a JUnit XML report (one testcase per seed) to FILE")
      ->type_name("FILE");
  explore->add_option("--json", options->json_path, "Write the full JSON report of every seed to FILE")
      ->type_name("FILE");
  explore->add_option("--max-input-size", options->max_input_bytes,
                      "Largest scenario file read, in bytes (K, M, G suffixes; default 16M)")
      ->transform(ByteSize())
      ->type_name("BYTES");
  explore->add_option("--shard", options->shard,
                      "K/N: run the K-th (from 0) of N equal slices of the seeds; N alone takes K from "
                      "JOB_COMPLETION_INDEX")
      ->type_name("SHARD");
  explore->footer(kExitCodesFooter);
  explore->callback([options, exit_code] { *exit_code = RunExplore(*options); });
}

}  // namespace cli
