#pragma once

// Checks a set of service configurations against the saga sagasim simulates and
// against each other: functions the saga needs but the files do not bind, bindings the
// services do not have, destinations and tags no producer matches, consumer groups
// shared by bindings (RocketMQ's rebalance), orderly listeners with several threads,
// settings sagasim does not model. Also builds the effective binding table.

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/saga_options.h"
#include "spring/binder_model.h"

namespace spring {

struct ServiceFile {
  services::ServiceId service;
  std::string path;
};
// "order=path/application.yml" -> {kOrder, path}; errors name the argument.
base::Result<ServiceFile> ParseServiceFile(const std::string& argument);

// One row of the effective binding table.
struct BindingRow {
  std::string service, function, binding, topic, group, tags, orderly, attempts, client;
  Position at;
};

struct LintReport {
  Generation generation = Generation::kCurrent;
  std::vector<ServiceConfig> configs;
  std::vector<BindingRow> rows;
  std::vector<Finding> findings;  // key findings of every file, then the cross-checks
  int errors() const;
  int warnings() const;
};

struct LintOptions {
  Generation generation = Generation::kCurrent;
  // The saga's options decide which functions a service has (cancellation: compensate
  // adds the compensation bindings); unset: only those of the reference design.
  std::optional<services::Options> saga;
  LoadOptions load;
};

// Input errors (unreadable files, bad YAML, values Spring cannot bind, a service named
// twice) are the Status; everything else is a finding.
base::Result<LintReport> LintFiles(const std::vector<ServiceFile>& files, const LintOptions& options);

// The cross-checks alone, for configurations already built.
void CheckSaga(const std::vector<ServiceConfig>& configs, const std::optional<services::Options>& saga,
               std::vector<Finding>* findings);
std::vector<BindingRow> BindingTable(const std::vector<ServiceConfig>& configs);

// The effective tag expression of a consumer binding for its binder generation:
// "*" when it subscribes to every tag.
std::string TagExpression(const ConsumerBinding& b, Generation g);

}  // namespace spring
