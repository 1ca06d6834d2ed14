#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include "cli/lint_config_command.h"

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "report/results_dir.h"

namespace cli {

struct RunOptions {
  std::vector<std::string> paths;   // files, or folders of *.json
  std::optional<uint64_t> seed;
  std::string mode;                 // "", deterministic, concurrent
  std::string profile;              // "", seed, hardened
  std::string trace_path;
  std::string junit_path;           // written after every scenario ran
  std::string json_path;            // likewise
  std::string metrics_path;         // likewise, Prometheus text format
  std::string state_dir;
  bool verbose = false;
  bool quiet = false;
  bool no_color = false;
  uint64_t max_input_bytes = uint64_t{16} << 20;  // --max-input-size, per scenario file
  SpringCliOptions spring;          // --spring SERVICE=FILE ...
  report::ArtifactOptions artifacts;  // --mermaid, --order, --html, --out
};

// `sagasim run`: registers the subcommand; its callback stores the exit code in *exit_code.
void RegisterRunCommand(CLI::App& app, int* exit_code);
int RunRun(const RunOptions& options);

// Expands files and folders (their *.json, sorted) into scenario files. Errors name the
// path; a *.json in a folder that is not a regular file (a FIFO, a folder) is one.
bool ExpandScenarioPaths(const std::vector<std::string>& paths, std::vector<std::string>* files,
                         std::string* error);

// Prints the loader's warnings about `s` (scenario.h), one "warning: ..." line each.
void PrintLoadWarnings(const scenario::Scenario& s, std::FILE* err);

}  // namespace cli
