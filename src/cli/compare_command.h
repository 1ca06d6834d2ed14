#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cli {

struct CompareOptions {
  std::string file;
  std::vector<std::string> sides;  // --options, given twice; none: seed against hardened
  std::optional<uint64_t> seed;    // unset: the file's
  std::string json_path;           // the comparison as JSON ("-": stdout)
  std::string html_path;           // the comparison as one self-contained HTML page
  bool no_color = false;
};

// `sagasim compare FILE`: runs FILE under two profiles (or two --options sets) with the
// same seed and faults, and prints where the runs first part, their final states side
// by side, and the invariants each breaks; `--html OUT` writes the same as a page with
// both timelines (report/compare_html.h). Exit 0 when both ran, 1 on a setup failure,
// 2 on invalid input.
void RegisterCompareCommand(CLI::App& app, int* exit_code);
int RunCompare(const CompareOptions& options);

}  // namespace cli
