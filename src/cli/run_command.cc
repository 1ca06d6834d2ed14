#include "cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "cli/exit_code.h"
#include "report/console_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/trace_writer.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// Fans events out to the console story, the trace file and the metrics counter.
class Tee : public sim::EventSink {
 public:
  explicit Tee(std::initializer_list<sim::EventSink*> sinks) {
    for (sim::EventSink* s : sinks)
      if (s) sinks_.push_back(s);
  }
  void Emit(const sim::Event& e) override {
    for (sim::EventSink* s : sinks_) s->Emit(e);
  }

 private:
  std::vector<sim::EventSink*> sinks_;
};

// The reports for CI (--junit, --json): they collect every scenario and are written
// once, after the last one, so a file never describes half a run.
class CiReports {
 public:
  explicit CiReports(const RunOptions& options) : junit_path_(options.junit_path), json_path_(options.json_path) {}

  // Checked before anything runs: a mistyped folder is invalid input (exit 2), not a
  // long run whose report is then lost.
  bool CheckPaths(std::string* error) const {
    for (const auto& [flag, path] : {std::pair{"--junit", junit_path_}, std::pair{"--json", json_path_}}) {
      if (path.empty()) continue;
      std::error_code ec;
      fs::path folder = fs::path(path).parent_path();
      if (fs::is_directory(path, ec)) {
        *error = std::string(flag) + " " + path + ": is a folder, not a file";
        return false;
      }
      if (!folder.empty() && !fs::is_directory(folder, ec)) {
        *error = std::string(flag) + " " + path + ": no such folder " + folder.string();
        return false;
      }
    }
    return true;
  }

  // The sink counting a run's events, or null when no report shows them.
  sim::EventSink* Begin() {
    metrics_.Reset();
    return json_path_.empty() ? nullptr : &metrics_;
  }
  // Reports nobody asked for are not built: the JSON of a large run is large.
  void AddResult(const scenario::RunResult& result) {
    if (!junit_path_.empty()) junit_.AddResult("run", result.name, result);
    if (!json_path_.empty()) json_.AddResult(result, &metrics_.counts());
  }
  void AddError(const scenario::Scenario& sc, const std::string& message) {
    if (!junit_path_.empty()) junit_.AddError("run", sc.name, message);
    if (!json_path_.empty()) json_.AddError(sc.name, sc.file, message);
  }

  // False (after saying why) when a report could not be written.
  bool Write(report::ConsoleReport* console) const {
    bool ok = true;
    for (base::Status s : {junit_path_.empty() ? base::Status::Ok() : junit_.Write(junit_path_),
                           json_path_.empty() ? base::Status::Ok() : json_.Write(json_path_)}) {
      if (s.ok()) continue;
      console->PrintError("sagasim run", s.message());
      ok = false;
    }
    return ok;
  }

 private:
  std::string junit_path_, json_path_;
  report::JUnitReport junit_;
  report::JsonReport json_;
  report::MetricsCounter metrics_;
};

// With several scenarios, each gets its own trace file and state directory, named
// after the scenario file.
std::string PerScenarioTrace(const std::string& path, const std::string& stem, bool several) {
  if (!several) return path;
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + stem + p.extension().string())).string();
}

// Loads every file before running any: bad input runs nothing.
bool LoadScenarios(const std::vector<std::string>& files, std::vector<scenario::Scenario>* scenarios) {
  bool valid = true;
  for (const std::string& file : files) {
    auto loaded = scenario::LoadScenarioFile(file);
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().message().c_str());
      valid = false;
      continue;
    }
    scenarios->push_back(std::move(loaded.value()));
  }
  return valid;
}

scenario::RunSettings SettingsFor(const RunOptions& options, const std::string& stem, bool several) {
  scenario::RunSettings settings;
  settings.seed = options.seed;
  if (!options.mode.empty())
    settings.mode = options.mode == "concurrent" ? scenario::Mode::kConcurrent : scenario::Mode::kDeterministic;
  if (!options.profile.empty())
    settings.profile = options.profile == "seed" ? scenario::Profile::kSeed : scenario::Profile::kHardened;
  settings.state_dir = options.state_dir.empty() ? "" : several ? (fs::path(options.state_dir) / stem).string()
                                                                 : options.state_dir;
  return settings;
}

// Runs one scenario and reports it everywhere. True when it passed.
bool RunOne(const scenario::Scenario& sc, const std::string& file, const RunOptions& options, bool several,
            report::ConsoleReport* console, CiReports* reports, report::RunArtifacts* artifacts) {
  std::string stem = fs::path(file).stem().string();
  report::TraceWriter trace;
  std::string trace_path = options.trace_path.empty() ? artifacts->TracePath(stem, several)
                                                      : PerScenarioTrace(options.trace_path, stem, several);
  if (!trace_path.empty()) {
    base::Status s = trace.Open(trace_path);
    if (!s.ok()) {
      console->PrintError(file, s.message());
      reports->AddError(sc, s.message());
      return false;
    }
  }
  console->Begin();
  Tee tee({console, trace_path.empty() ? nullptr : &trace, reports->Begin(), artifacts->Begin()});
  scenario::RunSettings settings = SettingsFor(options, stem, several);
  settings.state_dir = artifacts->StateDirFor(stem, several, settings.state_dir);
  auto result = scenario::RunScenario(sc, settings, &tee);
  base::Status closed = trace.Close();
  if (!result.ok()) {
    console->PrintError(file, result.status().ToString());
    reports->AddError(sc, result.status().ToString());
    return false;
  }
  if (!closed.ok()) console->PrintError(file, closed.message());
  console->Print(result.value());
  base::Status drawn = artifacts->Finish(result.value(), stem, several, settings.state_dir);
  if (!drawn.ok()) console->PrintError(file, drawn.message());
  reports->AddResult(result.value());
  return result->passed;
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

int RunRun(const RunOptions& given) {
  // --out DIR holds the JUnit and JSON reports unless they are asked for elsewhere.
  report::RunArtifacts artifacts(given.artifacts);
  RunOptions options = given;
  if (options.junit_path.empty()) options.junit_path = artifacts.JunitPath();
  if (options.json_path.empty()) options.json_path = artifacts.JsonPath();
  report::ConsoleReport console(stdout,
                                options.quiet ? report::Verbosity::kQuiet
                                : options.verbose ? report::Verbosity::kVerbose
                                                  : report::Verbosity::kNormal,
                                !options.no_color && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
  CiReports reports(options);
  std::vector<std::string> files;
  std::string error;
  if (!ExpandScenarioPaths(options.paths, &files, &error) || !artifacts.CheckPaths(&error) ||
      !reports.CheckPaths(&error)) {
    console.PrintError("sagasim run", error);
    return kExitInvalid;
  }
  std::vector<scenario::Scenario> scenarios;
  if (!LoadScenarios(files, &scenarios)) return kExitInvalid;

  bool several = scenarios.size() > 1;
  // A suite reads best one line per scenario (details for failures); one file gets
  // its whole story. -v asks for every story, -q for the short form always.
  bool brief_by_default = several && !options.verbose && !options.quiet;
  if (brief_by_default) console.set_verbosity(report::Verbosity::kQuiet);
  int passed = 0, failed = 0;
  for (size_t i = 0; i < scenarios.size(); ++i)
    (RunOne(scenarios[i], files[i], options, several, &console, &reports, &artifacts) ? passed : failed)++;
  bool written = reports.Write(&console);
  if (base::Status s = artifacts.FinishSuite(); !s.ok()) console.PrintError("sagasim run", s.message());
  written = written && artifacts.ok();
  if (brief_by_default) std::printf("(run one file, or add -v, to see each scenario's story)\n");
  console.PrintSummary(passed, failed);
  // A missing report would read as a green build to CI: never exit 0 without it.
  if (!written) return kExitFailed;
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
  run->add_option("--junit", options->junit_path, "Write a JUnit XML report of all scenarios to FILE");
  run->add_option("--json", options->json_path, "Write the full report of all scenarios as JSON to FILE");
  run->add_option("--state", options->state_dir, "Keep the run's databases in DIR");
  run->add_option("--mermaid", options->artifacts.mermaid_path,
                  "Write a Mermaid sequence diagram (Markdown) of the run, or of --order, to FILE");
  run->add_option("--order", options->artifacts.mermaid_order, "With --mermaid: draw only this order (e.g. o1)");
  run->add_option("--html", options->artifacts.html_path, "Write a self-contained HTML report with a timeline to FILE");
  run->add_option("--out", options->artifacts.out_dir,
                  "Write everything to DIR: report.html, trace, diagrams, JUnit, JSON, databases");
  run->add_flag("-v,--verbose", options->verbose, "Show every delivery, handler call and ack, and every check");
  run->add_flag("-q,--quiet", options->quiet, "One line per scenario; details only for failures");
  run->add_flag("--no-color", options->no_color, "Plain output even on a terminal");
  run->callback([options, exit_code] { *exit_code = RunRun(*options); });
}

}  // namespace cli
