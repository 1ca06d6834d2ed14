#include "cli/validate_command.h"

#include <cstdint>
#include <memory>

#include "base/escape.h"
#include "cli/conventions.h"
#include "cli/exit_code.h"
#include "cli/lint_config_command.h"
#include "scenario/binder_warnings.h"
#include "cli/run_command.h"
#include "cli/scenario_input.h"

namespace cli {

int RunValidate(const std::vector<std::string>& paths, std::FILE* out, std::FILE* err, uint64_t max_bytes) {
  int valid = 0, invalid = 0;
  auto error = [err](const std::string& message) {
    std::fprintf(err, "%s\n", base::EscapeForTerminalKeepingLines(message).c_str());
    std::fflush(err);
  };
  // One path at a time, so a missing path does not hide the verdict on the others.
  for (const std::string& path : paths) {
    std::vector<std::string> files;
    std::string message;
    if (!ExpandScenarioPaths({path}, &files, &message)) {
      error(message);
      ++invalid;
      continue;
    }
    for (const std::string& file : files) {
      auto loaded = LoadScenarioInput(file, max_bytes);
      if (!loaded.ok()) {
        error(loaded.status().message());
        ++invalid;
        continue;
      }
      if (!ApplySpringOptions(&loaded.value(), {}, "", out)) {
        ++invalid;
        continue;
      }
      const scenario::Scenario& sc = loaded.value();
      PrintLoadWarnings(sc, stderr);
      for (const std::string& w : scenario::BinderWarnings(sc)) std::fprintf(stderr, "warning: %s\n", w.c_str());
      int64_t orders = static_cast<int64_t>(sc.orders.size());
      for (const scenario::GeneratedOrders& g : sc.generated) orders += g.count;
      std::fprintf(out, "ok   %s  (%s, %lld orders, %zu faults)\n", base::EscapeForTerminal(file).c_str(),
                   base::EscapeForTerminal(sc.name).c_str(), static_cast<long long>(orders), sc.faults.size());
      std::fflush(out);
      ++valid;
    }
  }
  std::fprintf(out, "%d files: %d valid, %d invalid\n", valid + invalid, valid, invalid);
  std::fflush(out);
  return invalid == 0 ? kExitOk : kExitInvalid;
}

void RegisterValidateCommand(CLI::App& app, int* exit_code) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto max_bytes = std::make_shared<uint64_t>(kDefaultMaxInputBytes);
  CLI::App* validate =
      app.add_subcommand("validate", "Check scenario files against the format without running them");
  validate->add_option("paths", *paths, "Scenario files, or folders of *.json files")
      ->required()
      ->type_name("FILE|DIR");
  validate->add_option("--max-input-size", *max_bytes,
                       "Largest scenario file read, in bytes (K, M, G suffixes; default 16M)")
      ->transform(ByteSize())
      ->type_name("BYTES");
  validate->footer(kExitCodesFooter);
  validate->callback(
      [paths, max_bytes, exit_code] { *exit_code = RunValidate(*paths, stdout, stderr, *max_bytes); });
}

}  // namespace cli
