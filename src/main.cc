// sagasim: simulates an event-driven order saga (Order, Stock, Payment over an
// embedded RocketMQ emulation) from scenario files. See README.md.

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/escape.h"
#include "cli/admin_command.h"
#include "cli/conventions.h"
#include "cli/bench_command.h"
#include "cli/compare_command.h"
#include "cli/exit_code.h"
#include "cli/explore_command.h"
#include "cli/log_option.h"
#include "cli/lint_config_command.h"
#include "cli/merge_command.h"
#include "cli/run_command.h"
#include "cli/validate_command.h"
#include "cli/version.h"

namespace {

// The first word that should name a command and does not, with the commands it could
// have named ("" when the words name commands): CLI11 itself only says that a
// subcommand is required, or that arguments were not expected.
std::string UnknownCommand(CLI::App& app, int argc, char** argv) {
  CLI::App* current = &app;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') return "";
    auto subcommands = current->get_subcommands([](CLI::App*) { return true; });
    if (subcommands.empty()) return "";
    std::string names;
    for (CLI::App* sub : subcommands) {
      if (sub->get_name() == word) {
        current = sub;
        names.clear();
        break;
      }
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!names.empty()) return "unknown command '" + base::EscapeForTerminal(word) + "' (commands: " + names + ")";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sagasim: the order saga of an event-driven shop, simulated over an embedded RocketMQ"};
  app.require_subcommand(1);
  app.set_version_flag("--version", cli::VersionText(), "Print the version and git revision, and exit");
  app.footer(cli::kExitCodesFooter);
  cli::SetProgramPath(argc > 0 ? argv[0] : "sagasim");
  int exit_code = cli::kExitOk;
  cli::RegisterRunCommand(app, &exit_code);
  cli::RegisterExploreCommand(app, &exit_code);
  cli::RegisterAdminCommand(app, &exit_code);
  cli::RegisterCompareCommand(app, &exit_code);
  cli::RegisterValidateCommand(app, &exit_code);
  cli::RegisterLintConfigCommand(app, &exit_code);
  cli::RegisterBenchCommand(app, &exit_code);
  cli::RegisterMergeCommand(app, &exit_code);
  cli::AddLogLevelOption(app);
  if (std::string unknown = UnknownCommand(app, argc, argv); !unknown.empty()) {
    std::fprintf(stderr, "sagasim: %s; see sagasim --help\n", unknown.c_str());
    return cli::kExitInvalid;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // CLI11 would print the offending argument as it is: it may hold an ESC sequence.
    std::fprintf(stderr, "sagasim: %s\nRun with --help for more information.\n",
                 base::EscapeForTerminal(e.what()).c_str());
    return cli::kExitInvalid;
  }
  // The report on stdout is an output like the others: `sagasim run > /dev/full` fails.
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    // An earlier flush may have failed and dropped its data: errno is then lost.
    std::fprintf(stderr, "sagasim: cannot write to standard output: %s\n",
                 errno ? std::strerror(errno) : "a write failed (a full disk?)");
    if (exit_code == cli::kExitOk) exit_code = cli::kExitFailed;
  }
  return exit_code;
}
