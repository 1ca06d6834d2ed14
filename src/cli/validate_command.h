#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace cli {

// `sagasim validate PATH...`: loads every scenario file (files, or folders of *.json)
// with the scenario loader and runs nothing. Registers the subcommand; its callback
// stores the exit code in *exit_code.
void RegisterValidateCommand(CLI::App& app, int* exit_code);

// Prints one line per file to `out`, either
//   ok   FILE  (NAME, N orders, M faults)
// or the loader's error message (which names the file and the JSON pointer, or
// file:line:column for bad JSON), then "N files: P valid, F invalid". A path that does
// not exist, or a folder with no *.json, is reported and counted as one invalid entry;
// the other paths are still checked. Returns kExitOk when every file is valid,
// kExitInvalid otherwise.
int RunValidate(const std::vector<std::string>& paths, std::FILE* out);

}  // namespace cli
