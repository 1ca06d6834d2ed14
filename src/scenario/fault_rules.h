#pragma once

#include <optional>
#include <string>
#include <vector>

#include "broker/consumer.h"
#include "scenario/scenario.h"
#include "services/env.h"
#include "sim/event.h"
#include "sim/executor.h"
#include "sim/prng.h"

namespace scenario {

// The scenario's fault rules, consulted by the services at their seams. Each rule
// fires while its matchers match and its `times` last, with its probability drawn
// from the run's fault stream. Every firing is traced as a `fault` event.
// Thread-safety: called with the executor's lock held.
class FaultRules : public services::FaultHooks, public broker::DeliveryFaults {
 public:
  FaultRules(const std::vector<Fault>& faults, uint64_t seed, sim::Executor* exec, sim::Trace* trace);

  std::optional<std::string> DeclinePayment(const std::string& order_no, int64_t cause) override;
  std::optional<std::string> ConsumerError(services::ServiceId service, const std::string& group,
                                           const std::string& topic, const std::string& order_no,
                                           int64_t cause) override;
  int64_t SlowLatency(services::ServiceId service, const std::string& group, const std::string& topic,
                      const std::string& order_no, int64_t cause) override;
  std::optional<std::string> SendFailure(services::ServiceId service, const std::string& topic,
                                         const std::string& order_no, int64_t cause) override;
  bool Crash(CrashPoint point, services::ServiceId service, const std::string& group, const std::string& topic,
             const std::string& order_no, int64_t cause, int64_t* restart_after_ms, int64_t* fault_seq) override;
  int64_t HoldBack(const std::string& service, const std::string& group, const broker::Message& msg, int64_t cause,
                   int64_t* fault_seq) override;
  int Duplicates(const std::string& service, const std::string& group, const broker::Message& msg, int64_t cause,
                 int64_t* fault_seq) override;

  // Whether `order` matches the pattern: equal, or a prefix glob ending in '*'.
  static bool OrderMatches(const std::string& pattern, const std::string& order);

 private:
  struct Rule {
    Fault fault;
    int64_t fired = 0;
  };
  struct Site {
    const char* service;  // nullptr: any
    const std::string* group;
    const std::string* topic;
    const std::string* order;
    int64_t cause;        // the trace event the fault acts on
  };
  // The first rule of `kind` that matches `site` (and `accept`, if given) and fires now.
  Rule* Fire(FaultKind kind, const Site& site, bool (*accept)(const Fault&, const void*) = nullptr,
             const void* arg = nullptr);
  // Traces a firing; returns the fault event's seq.
  int64_t Trace(const Rule& rule, const Site& site, const std::string& detail);

  std::vector<Rule> rules_;
  sim::Prng prng_;
  sim::Executor* exec_;
  sim::Trace* trace_;
};

}  // namespace scenario
