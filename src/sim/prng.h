#pragma once

#include <cstdint>

namespace sim {

// xoshiro256** seeded through splitmix64. Every random choice of a run comes from a
// Prng derived from the run's seed, one stream per purpose, so that drawing in one
// place (say, fault probabilities) never shifts another (say, generated orders).
// Thread-safety: none; callers serialize access.
class Prng {
 public:
  explicit Prng(uint64_t seed, uint64_t stream = 0);

  uint64_t Next();
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi]; lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double Unit();
  // True with probability p.
  bool Chance(double p);

 private:
  uint64_t s_[4];
};

// Stream ids, fixed forever so that a seed replays across versions where possible.
enum Stream : uint64_t {
  kStreamScheduler = 1,
  kStreamOrders = 2,
  kStreamFaults = 3,
  kStreamProducers = 4,
  kStreamScheduledFaults = 5,
};

}  // namespace sim
