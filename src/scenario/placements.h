#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "scenario/scenario.h"
#include "services/order/order_service.h"
#include "sim/prng.h"

namespace scenario {

// The scenario's orders in placement order: single orders by (at, file order) merged
// with generated blocks, which are drawn lazily (a million orders never sit in
// memory at once) from the run's order stream.
// Thread-safety: none; used from timer callbacks under the executor's lock.
class Placements {
 public:
  Placements(const Scenario& scenario, uint64_t seed);
  // Time of the next placement, if any.
  std::optional<int64_t> NextTime() const;
  // The next placement; REQUIRES NextTime().
  services::PlaceRequest Take();

 private:
  int NextSource() const;
  const Scenario& scenario_;
  sim::Prng prng_;
  std::vector<const SingleOrder*> singles_;   // sorted by (at, file order)
  size_t next_single_ = 0;
  std::vector<int64_t> generated_taken_;      // per block: orders placed so far
};

}  // namespace scenario
