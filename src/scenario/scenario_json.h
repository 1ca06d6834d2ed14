#pragma once

// Loads scenario files (format version 1) into scenario::Scenario and validates them
// completely: on success the runner can trust every field.

#include <string>
#include <string_view>

#include "base/result.h"
#include "scenario/scenario.h"

namespace scenario {

// Errors are Status::InvalidInput with a message that names the file and the place:
//   "scenarios/x.json:3:17: syntax error: ..."                     (bad JSON: line and column)
//   "scenarios/x.json: /orders/0/items/9: unknown product 9 (catalog has 1, 2)"  (JSON pointer)
base::Result<Scenario> LoadScenarioFile(const std::string& path);
base::Result<Scenario> ParseScenario(std::string_view text, const std::string& file_label);

}  // namespace scenario
