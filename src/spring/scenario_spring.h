#pragma once

// Runs a scenario with the services' own Spring configuration: the bindings the
// binder would build from the files replace the scenario's `bindings` for those
// services. Whatever the simulation cannot reproduce (a saga function the files do not
// bind, a destination nobody sends to, a setting sagasim does not model) stops the run
// as invalid input, with file and line; the rest of the findings are warnings.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "scenario/scenario.h"
#include "spring/lint.h"

namespace spring {

struct SpringRequest {
  std::vector<ServiceFile> files;               // --spring SERVICE=FILE: win over the scenario's "spring"
  std::optional<services::Profile> profile;     // --profile, when it overrides the file's
  Generation generation = Generation::kCurrent;
  LoadOptions load;
};

// Replaces sc->bindings for every service with a file. Appends warnings, one line
// each, "file:line:column: warning: message [code]". Errors: Status::InvalidInput.
base::Status ApplySpring(scenario::Scenario* sc, const SpringRequest& request, std::vector<std::string>* warnings);

// "file:line:column: warning: message [code]"
std::string FormatFinding(const Finding& f);

}  // namespace spring
