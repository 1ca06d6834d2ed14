#include "cli/validate_command.h"

#include <cstdint>
#include <memory>

#include "cli/exit_code.h"
#include "scenario/binder_warnings.h"
#include "cli/run_command.h"
#include "scenario/scenario_json.h"

namespace cli {

int RunValidate(const std::vector<std::string>& paths, std::FILE* out) {
  int valid = 0, invalid = 0;
  // One path at a time, so a missing path does not hide the verdict on the others.
  for (const std::string& path : paths) {
    std::vector<std::string> files;
    std::string error;
    if (!ExpandScenarioPaths({path}, &files, &error)) {
      std::fprintf(out, "%s\n", error.c_str());
      ++invalid;
      continue;
    }
    for (const std::string& file : files) {
      auto loaded = scenario::LoadScenarioFile(file);
      if (!loaded.ok()) {
        std::fprintf(out, "%s\n", loaded.status().message().c_str());
        ++invalid;
        continue;
      }
      const scenario::Scenario& sc = loaded.value();
      for (const std::string& w : scenario::BinderWarnings(sc)) std::fprintf(stderr, "warning: %s\n", w.c_str());
      int64_t orders = static_cast<int64_t>(sc.orders.size());
      for (const scenario::GeneratedOrders& g : sc.generated) orders += g.count;
      std::fprintf(out, "ok   %s  (%s, %lld orders, %zu faults)\n", file.c_str(), sc.name.c_str(),
                   static_cast<long long>(orders), sc.faults.size());
      ++valid;
    }
  }
  std::fprintf(out, "%d files: %d valid, %d invalid\n", valid + invalid, valid, invalid);
  std::fflush(out);
  return invalid == 0 ? kExitOk : kExitInvalid;
}

void RegisterValidateCommand(CLI::App& app, int* exit_code) {
  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* validate =
      app.add_subcommand("validate", "Check scenario files against the format without running them");
  validate->add_option("paths", *paths, "Scenario files, or folders of *.json files")->required();
  validate->callback([paths, exit_code] { *exit_code = RunValidate(*paths, stdout); });
}

}  // namespace cli
