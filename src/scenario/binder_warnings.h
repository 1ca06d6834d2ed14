#pragma once

// What a scenario configures that the Spring Cloud Stream RocketMQ binder it emulates
// would not apply, or that sets the clients against each other. Printed as
// "warning: FILE: ..." by `run` and `validate`; sagasim still runs the file as written.

#include <string>
#include <vector>

#include "scenario/scenario.h"

namespace scenario {

// One line per finding, without the "warning: " prefix, each naming the file, the
// key, the binder versions and what a real deployment does instead. Deterministic
// order: bindings in key order, then groups in name order.
std::vector<std::string> BinderWarnings(const Scenario& scenario);

}  // namespace scenario
