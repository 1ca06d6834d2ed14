#pragma once

#include <cstdint>
#include <string>

#include "scenario/scenario.h"

namespace scenario {

// Swarm testing (after TigerBeetle's VOPR): from a seed alone, draw the fault
// probabilities and the binding settings — concurrency, batch size, maxAttempts —
// and the queues per topic, and apply them to `scenario`. The same seed always
// draws the same settings, so a failing seed replays. Returns the drawn settings in
// one line for people.
std::string ApplySwarm(uint64_t seed, Scenario* scenario);

}  // namespace scenario
