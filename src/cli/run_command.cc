#include "cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/exit_code.h"
#include "report/console_report.h"
#include "report/trace_writer.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// Fans events out to the console story and the trace file.
class Tee : public sim::EventSink {
 public:
  Tee(sim::EventSink* a, sim::EventSink* b) : a_(a), b_(b) {}
  void Emit(const sim::Event& e) override {
    a_->Emit(e);
    if (b_) b_->Emit(e);
  }

 private:
  sim::EventSink* a_;
  sim::EventSink* b_;
};

// With several scenarios, each gets its own trace file and state directory, named
// after the scenario file.
std::string PerScenarioTrace(const std::string& path, const std::string& stem, bool several) {
  if (!several) return path;
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + stem + p.extension().string())).string();
}

}  // namespace

bool ExpandScenarioPaths(const std::vector<std::string>& paths, std::vector<std::string>* files, std::string* error) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".json") found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        *error = path + ": no *.json scenario files in this folder";
        return false;
      }
      files->insert(files->end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files->push_back(path);
    } else {
      *error = path + ": no such file or folder";
      return false;
    }
  }
  return true;
}

int RunRun(const RunOptions& options) {
  report::ConsoleReport console(stdout,
                                options.quiet ? report::Verbosity::kQuiet
                                : options.verbose ? report::Verbosity::kVerbose
                                                  : report::Verbosity::kNormal,
                                !options.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  std::vector<std::string> files;
  std::string error;
  if (!ExpandScenarioPaths(options.paths, &files, &error)) {
    console.PrintError("sagasim run", error);
    return kExitInvalid;
  }
  // Validate every file before running any: bad input runs nothing.
  std::vector<scenario::Scenario> scenarios;
  bool invalid = false;
  for (const std::string& file : files) {
    auto loaded = scenario::LoadScenarioFile(file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
      invalid = true;
      continue;
    }
    scenarios.push_back(std::move(loaded.value()));
  }
  if (invalid) return kExitInvalid;

  scenario::RunSettings settings;
  settings.seed = options.seed;
  if (!options.mode.empty())
    settings.mode = options.mode == "concurrent" ? scenario::Mode::kConcurrent : scenario::Mode::kDeterministic;
  if (!options.profile.empty())
    settings.profile = options.profile == "seed" ? scenario::Profile::kSeed : scenario::Profile::kHardened;

  bool several = scenarios.size() > 1;
  int passed = 0, failed = 0;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const scenario::Scenario& sc = scenarios[i];
    std::string stem = fs::path(files[i]).stem().string();
    report::TraceWriter trace;
    if (!options.trace_path.empty()) {
      base::Status s = trace.Open(PerScenarioTrace(options.trace_path, stem, several));
      if (!s.ok()) {
        console.PrintError(files[i], s.message());
        ++failed;
        continue;
      }
    }
    settings.state_dir = options.state_dir.empty() ? "" : several ? (fs::path(options.state_dir) / stem).string()
                                                                   : options.state_dir;
    console.Begin();
    Tee tee(&console, options.trace_path.empty() ? nullptr : &trace);
    auto result = scenario::RunScenario(sc, settings, &tee);
    base::Status closed = trace.Close();
    if (!result.ok()) {
      console.PrintError(files[i], result.status().ToString());
      ++failed;
      continue;
    }
    if (!closed.ok()) console.PrintError(files[i], closed.message());
    console.Print(result.value());
    (result->passed ? passed : failed)++;
  }
  console.PrintSummary(passed, failed);
  return failed == 0 ? kExitOk : kExitFailed;
}

void RegisterRunCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run scenario files and check their expectations and invariants");
  run->add_option("paths", options->paths, "Scenario files, or folders of *.json files")->required();
  run->add_option("--seed", options->seed, "Seed for every random choice (overrides the file's)");
  run->add_option("--mode", options->mode, "deterministic or concurrent (overrides the file's)")
      ->check(CLI::IsMember({"deterministic", "concurrent"}));
  run->add_option("--profile", options->profile, "seed or hardened (overrides the file's)")
      ->check(CLI::IsMember({"seed", "hardened"}));
  run->add_option("--trace", options->trace_path, "Write the trace as JSON Lines to FILE");
  run->add_option("--state", options->state_dir, "Keep the run's databases in DIR");
  run->add_flag("-v,--verbose", options->verbose, "Show every delivery, handler call and ack, and every check");
  run->add_flag("-q,--quiet", options->quiet, "One line per scenario; details only for failures");
  run->add_flag("--no-color", options->no_color, "Plain output even on a terminal");
  run->callback([options, exit_code] { *exit_code = RunRun(*options); });
}

}  // namespace cli
