#include "cli/log_option.h"

#include <string>
#include <vector>

#include "base/logging.h"

namespace cli {
namespace {

void AddTo(CLI::App& app) {
  std::vector<std::string> names(std::begin(base::kLogLevelNames), std::end(base::kLogLevelNames));
  app.add_option_function<std::string>(
         "--log-level",
         [](const std::string& name) {
           if (auto level = base::ParseLogLevel(name)) base::SetLogLevel(*level);
         },
         "Diagnostics on stderr from this level up (debug: scheduler and database decisions); "
         "the trace and reports are the same at every level")
      ->type_name("LEVEL")
      ->check(CLI::IsMember(names))
      ->default_str(base::kLogLevelNames[3]);
  // Nested subcommands too (admin's consumer-progress, topic-list, ...).
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) AddTo(*sub);
}

}  // namespace

void AddLogLevelOption(CLI::App& app) {
  static_assert(std::string_view(base::kLogLevelNames[3]) == "warn");
  base::SetLogLevel(base::kDefaultLogLevel);
  AddTo(app);
}

}  // namespace cli
