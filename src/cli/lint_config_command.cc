#include "cli/lint_config_command.h"

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/exit_code.h"
#include "spring/lint.h"
#include "spring/scenario_spring.h"

namespace cli {
namespace {

using Json = nlohmann::ordered_json;

void PrintTable(const std::vector<spring::BindingRow>& rows, std::FILE* out) {
  std::vector<std::vector<std::string>> cells = {
      {"SERVICE", "FUNCTION", "BINDING", "TOPIC", "GROUP", "TAGS", "ORDERLY", "ATTEMPTS", "CLIENT"}};
  for (const spring::BindingRow& r : rows)
    cells.push_back({r.service, r.function, r.binding, r.topic, r.group, r.tags, r.orderly, r.attempts, r.client});
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& row : cells)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    std::fprintf(out, "%s\n", line.c_str());
  }
}

Json ToJson(const spring::LintReport& report) {
  Json bindings = Json::array();
  for (const spring::BindingRow& r : report.rows)
    bindings.push_back({{"service", r.service}, {"function", r.function}, {"binding", r.binding}, {"topic", r.topic},
                        {"group", r.group}, {"tags", r.tags}, {"orderly", r.orderly}, {"attempts", r.attempts},
                        {"client", r.client}, {"file", r.at.file}, {"line", r.at.line}});
  Json findings = Json::array();
  for (const spring::Finding& f : report.findings)
    findings.push_back({{"severity", spring::SeverityName(f.severity)}, {"code", f.code}, {"file", f.at.file},
                        {"line", f.at.line}, {"column", f.at.column}, {"message", f.message}});
  return Json{{"binder", spring::GenerationName(report.generation)},
              {"binderVersions", spring::GenerationVersions(report.generation)},
              {"bindings", bindings},
              {"findings", findings},
              {"errors", report.errors()},
              {"warnings", report.warnings()}};
}

}  // namespace

int RunLintConfig(const LintConfigOptions& options, std::FILE* out, std::FILE* err) {
  spring::LintOptions lint;
  lint.generation = options.binder == "legacy" ? spring::Generation::kLegacy : spring::Generation::kCurrent;
  if (!options.profile.empty())
    lint.saga = services::Options::ForProfile(options.profile == "seed" ? services::Profile::kSeed
                                                                        : services::Profile::kHardened);
  lint.load.profiles = options.spring_profiles;
  std::vector<spring::ServiceFile> files;
  for (const std::string& arg : options.files) {
    auto file = spring::ParseServiceFile(arg);
    if (!file.ok()) {
      std::fprintf(err, "sagasim lint-config: %s\n", file.status().message().c_str());
      return kExitInvalid;
    }
    files.push_back(file.value());
  }
  auto report = spring::LintFiles(files, lint);
  if (!report.ok()) {
    std::fprintf(err, "%s\n", report.status().message().c_str());
    return kExitInvalid;
  }
  if (options.json) {
    std::fprintf(out, "%s\n", ToJson(report.value()).dump(2).c_str());
  } else {
    std::fprintf(out, "Effective bindings (%s RocketMQ binder: %s)\n", spring::GenerationName(report->generation),
                 spring::GenerationVersions(report->generation));
    PrintTable(report->rows, out);
    std::fprintf(out, "\n");
    for (const spring::Finding& f : report->findings)
      std::fprintf(out, "%s: %s: %s [%s]\n", spring::Where(f.at).c_str(), spring::SeverityName(f.severity),
                   f.message.c_str(), f.code.c_str());
    if (report->findings.empty()) std::fprintf(out, "No findings.\n");
    else std::fprintf(out, "%d errors, %d warnings\n", report->errors(), report->warnings());
  }
  std::fflush(out);
  return report->findings.empty() ? kExitOk : kExitFailed;
}

void RegisterLintConfigCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<LintConfigOptions>();
  CLI::App* lint = app.add_subcommand(
      "lint-config", "Read the services' Spring configuration (application-rocketmq.yml) as the RocketMQ binder "
                     "would: the bindings it builds and what is wrong with them. Exit 0 clean, 1 findings, 2 bad input");
  lint->add_option("files", options->files, "SERVICE=FILE (order, stock or payment), .yml/.yaml or .properties")
      ->required()
      ->type_name("SERVICE=FILE");
  lint->add_flag("--json", options->json, "Print the table and the findings as JSON");
  lint->add_option("--binder", options->binder, "Binder generation: current (2.2.7+, 2021.0.1.0+) or legacy (<= 2.2.6)")
      ->check(CLI::IsMember({"current", "legacy"}))
      ->type_name("BINDER");
  lint->add_option("--profile", options->profile,
                   "The saga profile whose functions the files must bind (hardened adds the compensation bindings)")
      ->check(CLI::IsMember({"seed", "hardened"}))
      ->type_name("PROFILE");
  lint->add_option("--spring-profile", options->spring_profiles,
                   "Active Spring profiles for spring.config.activate.on-profile (default: SPRING_PROFILES_ACTIVE)")
      ->delimiter(',')
      ->type_name("PROFILE");
  lint->callback([options, exit_code] { *exit_code = RunLintConfig(*options, stdout, stderr); });
}

void AddSpringOptions(CLI::App* command, SpringCliOptions* options) {
  command->add_option("--spring", options->files,
                      "SERVICE=FILE: the service's Spring configuration (application-rocketmq.yml); its bindings "
                      "replace the scenario's")
      ->type_name("SERVICE=FILE");
  command->add_option("--binder", options->binder, "Binder generation reading --spring files: current or legacy")
      ->check(CLI::IsMember({"current", "legacy"}))
      ->type_name("BINDER");
  command->add_option("--spring-profile", options->profiles, "Active Spring profiles for the --spring files")
      ->delimiter(',')
      ->type_name("PROFILE");
}

bool ApplySpringOptions(scenario::Scenario* sc, const SpringCliOptions& options, const std::string& profile,
                        std::FILE* err) {
  spring::SpringRequest request;
  for (const std::string& arg : options.files) {
    auto file = spring::ParseServiceFile(arg);
    if (!file.ok()) {
      std::fprintf(err, "--spring %s\n", file.status().message().c_str());
      return false;
    }
    request.files.push_back(file.value());
  }
  if (!profile.empty()) request.profile = profile == "seed" ? services::Profile::kSeed : services::Profile::kHardened;
  request.generation = options.binder == "legacy" ? spring::Generation::kLegacy : spring::Generation::kCurrent;
  request.load.profiles = options.profiles;
  std::vector<std::string> warnings;
  base::Status s = spring::ApplySpring(sc, request, &warnings);
  for (const std::string& w : warnings) std::fprintf(err, "%s\n", w.c_str());
  if (!s.ok()) std::fprintf(err, "%s\n", s.message().c_str());
  return s.ok();
}

}  // namespace cli
