#pragma once

// The run's visual outputs: --mermaid FILE [--order ID], --html FILE, and the
// results folder --out DIR (layout in docs/results-folder.md). The CLI creates one
// RunArtifacts per `sagasim run`, asks it where each scenario keeps its trace and
// databases, feeds it the run's events, and lets it write the files afterwards.

#include <functional>
#include <string>

#include "base/status.h"
#include "report/trace_links.h"
#include "scenario/runner.h"

namespace report {

struct ArtifactOptions {
  std::string mermaid_path;   // --mermaid
  std::string mermaid_order;  // --order: one order's diagram; empty: the whole run
  std::string html_path;      // --html
  std::string out_dir;        // --out
};

// Writes a scenario's metrics file (Prometheus text) to the path given. Unset: no
// metrics.prom. The metrics collector (issue 9, item 5) plugs in here.
using MetricsWriter = std::function<base::Status(const scenario::RunResult& result, const std::string& path)>;

class RunArtifacts {
 public:
  explicit RunArtifacts(ArtifactOptions options) : options_(std::move(options)) {}
  ~RunArtifacts();
  RunArtifacts(const RunArtifacts&) = delete;
  RunArtifacts& operator=(const RunArtifacts&) = delete;

  // Checked before anything runs: --order without --mermaid or --out, a folder
  // given for a file, a missing parent folder, --out naming a file. Creates DIR.
  bool CheckPaths(std::string* error) const;

  // For --out: where the suite-wide JUnit and JSON reports go ("" when no --out).
  std::string JunitPath() const;
  std::string JsonPath() const;
  // For --out: the scenario's trace file and state folder ("" when no --out).
  std::string TracePath(const std::string& stem, bool several) const;
  std::string StateDir(const std::string& stem, bool several) const;
  // True when the run's databases are needed afterwards (the HTML report reads the
  // message bodies from broker.db).
  bool NeedsState() const { return !options_.html_path.empty() || !options_.out_dir.empty(); }
  // The state folder a scenario runs with: `chosen` (--state) if given, else the
  // results folder's state/, else, when the reports need the databases, a scratch
  // folder removed after Finish. Empty: the runner's own temporary folder.
  std::string StateDirFor(const std::string& stem, bool several, const std::string& chosen);

  // Starts a scenario: the sink to add to the run's observers (null when nothing
  // here draws the trace).
  sim::EventSink* Begin();
  // Writes the scenario's files. `state_dir` is where its databases are.
  base::Status Finish(const scenario::RunResult& result, const std::string& stem, bool several,
                      const std::string& state_dir);
  // After the last scenario: the index page of a suite's results folder.
  base::Status FinishSuite();
  // False once a file could not be written (the run must not exit 0 without it).
  bool ok() const { return ok_; }

  void set_metrics_writer(MetricsWriter writer) { metrics_writer_ = std::move(writer); }

 private:
  std::string ScenarioDir(const std::string& stem, bool several) const;
  base::Status WriteDiagrams(const scenario::RunResult& result, const std::string& dir) const;
  base::Status WriteAll(const scenario::RunResult& result, const std::string& stem, bool several,
                        const std::string& state_dir);

  ArtifactOptions options_;
  EventRecorder recorder_;
  MetricsWriter metrics_writer_;
  std::string scratch_;  // the scratch state folder of the current scenario
  bool ok_ = true;
  struct Entry {
    std::string name, folder;
    bool passed;
  };
  std::vector<Entry> suite_;
};

// A per-scenario variant of a user's file name when a run has several scenarios:
// report.html -> report-<stem>.html.
std::string PerScenarioPath(const std::string& path, const std::string& stem, bool several);

}  // namespace report
