#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace cli {

// `sagasim validate PATH...`: loads every scenario file (files, or folders of *.json)
// with the scenario loader and runs nothing. Registers the subcommand; its callback
// stores the exit code in *exit_code.
void RegisterValidateCommand(CLI::App& app, int* exit_code);

// Prints one line per valid file to `out`,
//   ok   FILE  (NAME, N orders, M faults)
// and for each invalid one the loader's error message to `err` (it names the file and
// the JSON pointer, or file:line:column for bad JSON), then "N files: P valid, F
// invalid" to `out`. A path that does not exist, or a folder with no *.json, is
// reported and counted as one invalid entry; the other paths are still checked. Files
// over max_bytes, or not regular files, are invalid. Returns kExitOk when every file is
// valid, kExitInvalid otherwise.
int RunValidate(const std::vector<std::string>& paths, std::FILE* out, std::FILE* err,
                uint64_t max_bytes = uint64_t{16} << 20);

}  // namespace cli
