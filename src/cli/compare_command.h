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
  bool no_color = false;
};

// `sagasim compare FILE`: runs FILE under two profiles (or two --options sets) with the
// same seed and faults, and prints where the runs first part, their final states side
// by side, and the invariants each breaks. Exit 0 when both ran, 1 on a setup failure,
// 2 on invalid input.
//
// The HTML view (`--html OUT`) belongs to the HTML report: once it exists it renders a
// scenario::Comparison (both traces and results are in it), registered next to --json.
void RegisterCompareCommand(CLI::App& app, int* exit_code);
int RunCompare(const CompareOptions& options);

}  // namespace cli
