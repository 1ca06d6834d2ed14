#pragma once

#include <cstdint>

#include "scenario/scenario.h"

namespace bench {

// How orders arrive: `paced` one every few virtual ms (queues stay short), `burst`
// all at the same instant (queues hold many messages).
enum class Load { kPaced, kBurst };

inline constexpr int kBenchProducts = 8;
inline constexpr int64_t kPacedEveryMs = 10;

// The benchmark's scenario: the hardened happy path with `orders` generated orders of
// one to three products out of kBenchProducts, with stock for all of them, expecting
// every order PAID and every invariant to hold.
scenario::Scenario BenchScenario(int64_t orders, Load load, scenario::Mode mode);

}  // namespace bench
