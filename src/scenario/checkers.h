#pragma once

// Invariant and expectation checkers, kept apart from the services (after
// TigerBeetle's state checker): they only read a FinalState.

#include <string>
#include <vector>

#include "scenario/final_state.h"
#include "scenario/scenario.h"

namespace scenario {

struct InvariantResult {
  std::string name;        // one of kInvariantNames
  bool holds = true;
  std::string detail;      // when violated: the first few offenders, e.g. "product 1: sold 0, paid 2"
};

struct ExpectationResult {
  std::string what;        // e.g. "orders.o1", "stock.1.frozen", "invariants"
  bool holds = true;
  std::string expected;
  std::string actual;
};

// Orders with a message in some DLQ, sorted by order id (placement order).
std::vector<std::string> StuckOrders(const FinalState& state);

// All seven invariants, in kInvariantNames order.
std::vector<InvariantResult> CheckInvariants(const FinalState& state);

// Every expectation the scenario gives, in a stable order: orders, orderCounts,
// payments, paymentCounts, stock, dlq, deliveries, stuck, invariants (always last,
// always present: "hold" by default).
std::vector<ExpectationResult> CheckExpectations(const Expectations& expect, const FinalState& state,
                                                 const std::vector<InvariantResult>& invariants);

}  // namespace scenario
