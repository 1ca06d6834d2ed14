#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cli {

struct MergeOptions {
  std::vector<std::string> inputs;  // *.json (JSON reports) and *.xml (JUnit reports)
  std::string json_path;            // the merged JSON report
  std::string junit_path;           // the merged JUnit report
};

// `sagasim merge`: combines the JSON and JUnit reports of several `explore --shard`
// (or `run`) jobs into one verdict: every failing seed with its replay command, the
// closing "N seeds: P passed, F failed", and optionally one merged report of each
// kind. Exit 0 when everything passed, 1 when something failed, 2 on bad input.
void RegisterMergeCommand(CLI::App& app, int* exit_code);
int RunMerge(const MergeOptions& options);

}  // namespace cli
