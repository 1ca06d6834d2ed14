#include "scenario/swarm.h"

#include <algorithm>
#include <cstdio>

#include "services/bindings.h"
#include "sim/prng.h"

namespace scenario {
namespace {

// A stream of its own, so swarm draws never shift the run's other streams.
constexpr uint64_t kStreamSwarm = 101;

std::string Fixed(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace

std::string ApplySwarm(uint64_t seed, Scenario* scenario) {
  sim::Prng prng(seed, kStreamSwarm);
  std::string out;
  scenario->broker.queues_per_topic = static_cast<int>(prng.Between(1, 8));
  out += "queuesPerTopic=" + std::to_string(scenario->broker.queues_per_topic);
  for (const services::ConsumerBindingDef& def : services::ConsumerBindings()) {
    std::string key = services::BindingKey(def.service, def.name);
    ConsumerSettings& c = scenario->bindings.consumers[key];
    c.concurrency = static_cast<int>(prng.Between(1, 4));
    c.batch_size = static_cast<int>(prng.Between(1, 4));
    c.max_attempts = static_cast<int>(prng.Between(1, 3));
    out += " " + key + "{concurrency=" + std::to_string(c.concurrency) + ",batchSize=" +
           std::to_string(c.batch_size) + ",maxAttempts=" + std::to_string(c.max_attempts) + "}";
  }
  for (Fault& f : scenario->faults) {
    if (f.probability >= 1.0) continue;  // a targeted fault stays as written
    // Scale the file's probability by a drawn factor: some seeds are calm, some stormy.
    double factor = prng.Unit() * 2.0;
    f.probability = std::min(1.0, f.probability * factor);
    out += " fault" + std::to_string(f.index) + "(" + FaultKindName(f.kind) + ").probability=" + Fixed(f.probability);
  }
  return out;
}

}  // namespace scenario
