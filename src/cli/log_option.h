#pragma once

#include <CLI/CLI.hpp>

namespace cli {

// Adds `--log-level trace|debug|info|warn|error|off` (default warn) to `app` and to
// each of its subcommands, so it is accepted before or after the subcommand's name:
//   sagasim --log-level debug run FILE      sagasim run FILE --log-level debug
// It sets base::SetLogLevel while the command line is parsed, before any subcommand
// runs. Call it after the subcommands are registered.
void AddLogLevelOption(CLI::App& app);

}  // namespace cli
