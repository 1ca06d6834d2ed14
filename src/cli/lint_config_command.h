#pragma once

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace scenario {
struct Scenario;
}

namespace cli {

struct LintConfigOptions {
  std::vector<std::string> files;     // SERVICE=FILE
  bool json = false;
  std::string binder = "current";     // current | legacy
  std::string profile;                // "", seed, hardened: which saga functions are required
  std::vector<std::string> spring_profiles;
};

// `sagasim lint-config SERVICE=FILE ...`: reads the services' Spring configuration as
// the RocketMQ binder would, prints the effective binding table and the findings
// (each with file:line:column). Exit 0 without findings, 1 with findings, 2 when a
// file cannot be read or Spring could not bind it (bad YAML, a wrong type, ...).
void RegisterLintConfigCommand(CLI::App& app, int* exit_code);
int RunLintConfig(const LintConfigOptions& options, std::FILE* out, std::FILE* err);

// The Spring configuration options of `run` (--spring, --binder, --spring-profile),
// and the step every command that loads scenarios takes: the scenario's "spring"
// files and --spring replace its bindings for those services.
struct SpringCliOptions {
  std::vector<std::string> files;     // SERVICE=FILE
  std::string binder = "current";
  std::vector<std::string> profiles;  // Spring profiles
};
void AddSpringOptions(CLI::App* command, SpringCliOptions* options);
// Prints warnings and errors to `err`; false on invalid input (nothing may run).
// `profile` is the command's --profile ("" when the file's holds).
bool ApplySpringOptions(scenario::Scenario* sc, const SpringCliOptions& options, const std::string& profile,
                        std::FILE* err);

}  // namespace cli
