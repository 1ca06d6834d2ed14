// sagasim: simulates an event-driven order saga (Order, Stock, Payment over an
// embedded RocketMQ emulation) from scenario files. See README.md.

#include <CLI/CLI.hpp>

#include "cli/admin_command.h"
#include "cli/bench_command.h"
#include "cli/exit_code.h"
#include "cli/explore_command.h"
#include "cli/merge_command.h"
#include "cli/run_command.h"
#include "cli/validate_command.h"

int main(int argc, char** argv) {
  CLI::App app{"sagasim: the order saga of an event-driven shop, simulated over an embedded RocketMQ"};
  app.require_subcommand(1);
  int exit_code = cli::kExitOk;
  cli::RegisterRunCommand(app, &exit_code);
  cli::RegisterExploreCommand(app, &exit_code);
  cli::RegisterAdminCommand(app, &exit_code);
  cli::RegisterValidateCommand(app, &exit_code);
  cli::RegisterBenchCommand(app, &exit_code);
  cli::RegisterMergeCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? cli::kExitOk : cli::kExitInvalid;
  }
  return exit_code;
}
