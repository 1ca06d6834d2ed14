#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "scenario/scenario.h"

namespace bench {

// The floor: the database writes the hardened saga makes for each order, one
// transaction per handler step (place; stock freeze; payment; order stock-confirmed;
// order paid; stock deduct), done serially on the services' own schemas, with no
// broker, no threads, no JSON and no relay. What the saga could cost at best on the
// same kind of databases.
struct FloorResult {
  int64_t orders = 0;
  int64_t transactions = 0;
  int64_t statements = 0;
};

// Runs the floor for the orders `sc` places (same seed, same items). `dir` holds its
// databases (order.db, stock.db, payment.db); empty: in memory.
base::Result<FloorResult> RunFloor(const scenario::Scenario& sc, const std::string& dir);

}  // namespace bench
