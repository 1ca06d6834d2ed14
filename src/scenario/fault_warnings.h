#pragma once

// Fault rules that load fine but cannot do what they say: matchers no place where the
// kind acts can satisfy (a send-failure with a group, a group and topic no binding has
// together, ...), a probability of 0, a rule shadowed by an earlier one, matchers a
// kind ignores, and a consumer-error that names a group but no topic (it matches every
// binding of the group). docs/scenario-format.md#warnings lists them. The run still
// goes on: these are warnings, not errors.

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace scenario {

struct FaultWarning {
  std::string key;      // the rule's key the warning is about, e.g. "group"; empty: the rule
  std::string message;  // e.g. "send-failure never fires with a group: a send has no consumer group"
};

// The warning about faults[index], if any (the first reason found: one is enough to
// fix the rule). Earlier rules are consulted too: one that fires every time on
// everything this rule matches leaves it nothing. Pure; REQUIRES: index <
// faults.size() and the rules are as the loader leaves them (names valid).
std::optional<FaultWarning> WarnAboutFault(const std::vector<Fault>& faults, size_t index);

}  // namespace scenario
