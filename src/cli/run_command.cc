#include "cli/run_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "cli/conventions.h"
#include "cli/exit_code.h"
#include "cli/interrupt.h"
#include "cli/run_estimate.h"
#include "cli/scenario_input.h"
#include "scenario/binder_warnings.h"
#include "report/console_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/metrics.h"
#include "report/progress.h"
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
  explicit CiReports(const RunOptions& options)
      : junit_path_(options.junit_path), json_path_(options.json_path), metrics_path_(options.metrics_path) {}

  // Checked before anything runs: a mistyped folder is invalid input (exit 2), not a
  // long run whose report is then lost.
  bool CheckPaths(std::string* error) const {
    for (const auto& [flag, path] : {std::pair{"--junit", junit_path_}, std::pair{"--json", json_path_},
                                     std::pair{"--metrics", metrics_path_}}) {
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
  void AddMetrics(const report::RunMetrics& m) {
    if (!metrics_path_.empty()) runs_metrics_.push_back(m);
  }
  void AddError(const scenario::Scenario& sc, const std::string& message) {
    if (!junit_path_.empty()) junit_.AddError("run", sc.name, message);
    if (!json_path_.empty()) json_.AddError(sc.name, sc.file, message);
  }

  // False (after saying why) when a report could not be written.
  bool Write() const {
    bool ok = true;
    for (base::Status s : {junit_path_.empty() ? base::Status::Ok() : junit_.Write(junit_path_),
                           json_path_.empty() ? base::Status::Ok() : json_.Write(json_path_),
                           metrics_path_.empty() ? base::Status::Ok()
                                                 : report::WritePrometheusFile(metrics_path_, runs_metrics_)}) {
      if (s.ok()) continue;
      PrintError("run", s.message());
      ok = false;
    }
    return ok;
  }

 private:
  std::string junit_path_, json_path_, metrics_path_;
  std::vector<report::RunMetrics> runs_metrics_;
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
bool LoadScenarios(const std::vector<std::string>& files, uint64_t max_bytes,
                   std::vector<scenario::Scenario>* scenarios) {
  bool valid = true;
  for (const std::string& file : files) {
    auto loaded = LoadScenarioInput(file, max_bytes);
    if (!loaded.ok()) {
      PrintError(nullptr, loaded.status().message());
      valid = false;
      continue;
    }
    PrintLoadWarnings(loaded.value(), stderr);
    for (const std::string& w : scenario::BinderWarnings(loaded.value())) std::fprintf(stderr, "warning: %s\n", w.c_str());
    scenarios->push_back(std::move(loaded.value()));
  }
  return valid;
}

scenario::RunSettings SettingsFor(const RunOptions& options, const std::string& stem, bool several,
                                  const Interrupts* interrupts) {
  scenario::RunSettings settings;
  if (interrupts) settings.stop = interrupts->flag();
  settings.seed = options.seed;
  if (!options.mode.empty())
    settings.mode = options.mode == "concurrent" ? scenario::Mode::kConcurrent : scenario::Mode::kDeterministic;
  if (!options.profile.empty())
    settings.profile = options.profile == "seed" ? scenario::Profile::kSeed : scenario::Profile::kHardened;
  settings.state_dir = options.state_dir.empty() ? "" : several ? (fs::path(options.state_dir) / stem).string()
                                                                 : options.state_dir;
  return settings;
}

enum class Verdict { kPassed, kFailed, kCutShort };

// Runs one scenario and reports it everywhere. Errors go to stderr; a run an
// interrupt cut short reports nothing.
Verdict RunOne(const scenario::Scenario& sc, const std::string& file, const RunOptions& options, bool several,
            const Interrupts& interrupts, report::ConsoleReport* console, CiReports* reports,
            report::RunArtifacts* artifacts) {
  std::string stem = fs::path(file).stem().string();
  auto fail = [&](const std::string& message) {
    PrintError(nullptr, file + ": " + message);
    reports->AddError(sc, message);
    return Verdict::kFailed;
  };
  report::TraceWriter trace;
  std::string trace_path = options.trace_path.empty() ? artifacts->TracePath(stem, several)
                                                      : PerScenarioTrace(options.trace_path, stem, several);
  if (!trace_path.empty()) {
    base::Status s = trace.Open(trace_path);
    if (!s.ok()) return fail(s.message());
  }
  std::string note = LargeRunNote(sc);
  if (!note.empty()) PrintError(nullptr, note);  // before a long wait, say how long
  console->Begin();
  console->set_written_for(sc.profile);
  report::MetricsCollector metrics;
  int64_t orders = static_cast<int64_t>(sc.orders.size());
  for (const auto& g : sc.generated) orders += g.count;
  report::ProgressLine progress(stderr, report::ProgressLine::StderrIsTerminal(), orders, "orders placed");
  report::RunProgress run_progress(&progress);
  Tee tee({console, trace_path.empty() ? nullptr : &trace, reports->Begin(), &metrics, &run_progress,
           artifacts->Begin()});
  scenario::RunSettings settings = SettingsFor(options, stem, several, &interrupts);
  settings.state_dir = artifacts->StateDirFor(stem, several, settings.state_dir);
  auto result = scenario::RunScenario(sc, settings, &tee);
  progress.Clear();
  base::Status closed = trace.Close();
  // Stopped by the interrupt: a run that ended just before it still counts as finished.
  if (!result.ok() && interrupts.requested()) return Verdict::kCutShort;
  if (!result.ok()) return fail(result.status().ToString());
  report::RunMetrics run_metrics = metrics.Finish(result.value());
  console->set_metrics(&run_metrics);
  console->Print(result.value());
  console->set_metrics(nullptr);
  reports->AddMetrics(run_metrics);
  base::Status drawn = artifacts->Finish(result.value(), stem, several, settings.state_dir);
  if (!drawn.ok()) console->PrintError(file, drawn.message());
  // A truncated trace read as a whole one would mislead: the scenario fails.
  if (!closed.ok()) return fail(closed.message());
  reports->AddResult(result.value());
  return result->passed ? Verdict::kPassed : Verdict::kFailed;
}

// The widest headline of the suite, so every verdict starts in the same column.
size_t HeadWidth(const std::vector<scenario::Scenario>& scenarios, const RunOptions& options) {
  size_t width = 48;
  for (const auto& sc : scenarios) {
    scenario::RunSettings s = SettingsFor(options, "", false, nullptr);
    width = std::max(width, report::ConsoleReport::HeadText(sc.name, s.profile.value_or(sc.profile),
                                                            s.seed.value_or(sc.seed), s.mode.value_or(sc.mode))
                                .size());
  }
  return width;
}

}  // namespace

void PrintLoadWarnings(const scenario::Scenario& s, std::FILE* err) {
  for (const std::string& warning : s.warnings) std::fprintf(err, "warning: %s\n", warning.c_str());
}

bool ExpandScenarioPaths(const std::vector<std::string>& paths, std::vector<std::string>* files, std::string* error) {
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.path().extension() == ".json") found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      for (const std::string& file : found) {
        std::string kind = NotRegularFileKind(file);
        if (kind.empty() && !fs::exists(file, ec)) kind = "a broken symbolic link";
        if (kind.empty()) continue;
        *error = file + ": " + kind + ", not a regular file";
        return false;
      }
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
    PrintError("run", error);
    return kExitInvalid;
  }
  std::vector<scenario::Scenario> scenarios;
  if (!LoadScenarios(files, options.max_input_bytes, &scenarios)) return kExitInvalid;
  bool spring_ok = true;
  for (scenario::Scenario& sc : scenarios)
    spring_ok = ApplySpringOptions(&sc, options.spring, options.profile, stderr) && spring_ok;
  if (!spring_ok) return kExitInvalid;

  Interrupts interrupts;
  bool several = scenarios.size() > 1;
  // A suite reads best one line per scenario (details for failures); one file gets
  // its whole story. -v asks for every story, -q for the short form always.
  bool brief_by_default = several && !options.verbose && !options.quiet;
  if (brief_by_default) console.set_verbosity(report::Verbosity::kQuiet);
  console.set_head_width(HeadWidth(scenarios, options));
  int passed = 0, failed = 0, cut_short = 0;
  for (size_t i = 0; i < scenarios.size() && !interrupts.requested(); ++i) {
    Verdict v = RunOne(scenarios[i], files[i], options, several, interrupts, &console, &reports, &artifacts);
    (v == Verdict::kPassed ? passed : v == Verdict::kFailed ? failed : cut_short)++;
  }
  if (interrupts.requested()) {
    // What finished, on stdout like the summary; no report: a file never describes half a run.
    std::printf("%s\n", InterruptedSummary(scenarios.size(), "scenarios", passed, failed, cut_short).c_str());
    std::fflush(stdout);
    PrintError("run", "interrupted: the run stopped" +
                          std::string(options.state_dir.empty() ? " and its temporary state was removed"
                                                                : "; --state " + options.state_dir + " holds its state so far"));
    return interrupts.exit_code();
  }
  bool written = reports.Write();
  if (base::Status s = artifacts.FinishSuite(); !s.ok()) PrintError("run", s.message());
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
  run->add_option("paths", options->paths, "Scenario files, or folders of *.json files")
      ->required()
      ->type_name("FILE|DIR");
  run->add_option("--seed", options->seed, "Seed for every random choice (overrides the file's)")
      ->transform(DecimalUint64())
      ->type_name("N");
  run->add_option("--mode", options->mode, "deterministic or concurrent (overrides the file's)")
      ->check(CLI::IsMember({"deterministic", "concurrent"}))
      ->type_name("MODE");
  run->add_option("--profile", options->profile, "seed or hardened (overrides the file's)")
      ->check(CLI::IsMember({"seed", "hardened"}))
      ->type_name("PROFILE");
  run->add_option("--trace", options->trace_path, "Write the trace as JSON Lines to FILE")->type_name("FILE");
  run->add_option("--junit", options->junit_path, "Write a JUnit XML report of all scenarios to FILE")
      ->type_name("FILE");
  run->add_option("--json", options->json_path, "Write the full report of all scenarios as JSON to FILE")
      ->type_name("FILE");
  run->add_option("--metrics", options->metrics_path,
                  "Write the runs' metrics (backlog, failures, latency, DLQ) to FILE in Prometheus text format")
      ->type_name("FILE");
  run->add_option("--state", options->state_dir, "Keep the run's databases in DIR")->type_name("DIR");
  run->add_option("--max-input-size", options->max_input_bytes,
                  "Largest scenario file read, in bytes (K, M, G suffixes; default 16M)")
      ->transform(ByteSize())
      ->type_name("BYTES");
  run->add_option("--mermaid", options->artifacts.mermaid_path,
                  "Write a Mermaid sequence diagram (Markdown) of the run, or of --order, to FILE")
      ->type_name("FILE");
  run->add_option("--order", options->artifacts.mermaid_order, "With --mermaid: draw only this order (e.g. o1)")
      ->type_name("ID");
  run->add_option("--html", options->artifacts.html_path, "Write a self-contained HTML report with a timeline to FILE")
      ->type_name("FILE");
  run->add_option("--out", options->artifacts.out_dir,
                  "Write everything to DIR: report.html, trace, diagrams, JUnit, JSON, databases")
      ->type_name("DIR");
  CLI::Option* verbose =
      run->add_flag("-v,--verbose", options->verbose, "Show every delivery, handler call and ack, and every check");
  run->add_flag("-q,--quiet", options->quiet, "One line per scenario; details only for failures")->excludes(verbose);
  run->add_flag("--no-color", options->no_color, "Plain output even on a terminal");
  run->footer(kExitCodesFooter);
  AddSpringOptions(run, &options->spring);
  run->callback([options, exit_code] { *exit_code = RunRun(*options); });
}

}  // namespace cli
