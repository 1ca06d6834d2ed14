#include "scenario/fault_rules.h"

#include "services/consumer_groups.h"

namespace scenario {

FaultRules::FaultRules(const std::vector<Fault>& faults, uint64_t seed, sim::Executor* exec, sim::Trace* trace)
    : prng_(seed, sim::kStreamFaults), exec_(exec), trace_(trace) {
  for (const Fault& f : faults) rules_.push_back({f, 0});
}

bool FaultRules::OrderMatches(const std::string& pattern, const std::string& order) {
  if (!pattern.empty() && pattern.back() == '*')
    return order.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  return pattern == order;
}

FaultRules::Rule* FaultRules::Fire(FaultKind kind, const Site& site, bool (*accept)(const Fault&, const void*),
                                   const void* arg) {
  for (Rule& rule : rules_) {
    const Fault& f = rule.fault;
    if (f.kind != kind) continue;
    if (accept && !accept(f, arg)) continue;
    if (f.times && rule.fired >= *f.times) continue;
    if (f.service && site.service && *f.service != site.service) continue;
    if (f.group && (!site.group || !services::GroupNamed(*f.group, *site.group))) continue;
    if (f.topic && (!site.topic || *f.topic != *site.topic)) continue;
    if (f.order && (!site.order || !OrderMatches(*f.order, *site.order))) continue;
    // Draw only for rules that match, so adding an unrelated rule does not shift
    // the draws of the others.
    if (f.probability < 1.0 && !prng_.Chance(f.probability)) continue;
    ++rule.fired;
    return &rule;
  }
  return nullptr;
}

int64_t FaultRules::Trace(const Rule& rule, const Site& site, const std::string& detail) {
  sim::Event e = sim::Event::Make(sim::EventKind::kFault, exec_->now(), site.cause);
  if (site.service) e.service = site.service;
  if (site.group) e.group = *site.group;
  if (site.topic) e.topic = *site.topic;
  if (site.order) e.order = *site.order;
  e.detail = std::string(FaultKindName(rule.fault.kind)) + " (rule " + std::to_string(rule.fault.index) + ", #" +
             std::to_string(rule.fired) + "): " + detail;
  return trace_->Emit(std::move(e));
}

std::optional<std::string> FaultRules::DeclinePayment(const std::string& order_no, int64_t cause) {
  // The gateway is called while Payment handles OrderCreatedEvent.
  static const std::string kGroup = "payment-consumer-group", kTopic = "order-created";
  Site site{"payment", &kGroup, &kTopic, &order_no, cause};
  Rule* rule = Fire(FaultKind::kPaymentDecline, site);
  if (!rule) return std::nullopt;
  Trace(*rule, site, rule->fault.reason);
  return rule->fault.reason;
}

std::optional<std::string> FaultRules::ConsumerError(services::ServiceId service, const std::string& group,
                                                     const std::string& topic, const std::string& order_no,
                                                     int64_t cause) {
  Site site{services::ServiceName(service), &group, &topic, &order_no, cause};
  Rule* rule = Fire(FaultKind::kConsumerError, site);
  if (!rule) return std::nullopt;
  Trace(*rule, site, rule->fault.message);
  return rule->fault.message;
}

int64_t FaultRules::SlowLatency(services::ServiceId service, const std::string& group, const std::string& topic,
                                const std::string& order_no, int64_t cause) {
  Site site{services::ServiceName(service), &group, &topic, &order_no, cause};
  Rule* rule = Fire(FaultKind::kSlow, site);
  if (!rule) return 0;
  Trace(*rule, site, "the handler takes " + std::to_string(rule->fault.latency_ms) + "ms");
  return rule->fault.latency_ms;
}

std::optional<std::string> FaultRules::SendFailure(services::ServiceId service, const std::string& topic,
                                                   const std::string& order_no, int64_t cause) {
  Site site{services::ServiceName(service), nullptr, &topic, &order_no, cause};
  Rule* rule = Fire(FaultKind::kSendFailure, site);
  if (!rule) return std::nullopt;
  std::string reason = "send failed after the client's 2 internal retries (injected)";
  Trace(*rule, site, reason);
  return reason;
}

bool FaultRules::Crash(CrashPoint point, services::ServiceId service, const std::string& group,
                       const std::string& topic, const std::string& order_no, int64_t cause, int64_t* restart_after_ms,
                       int64_t* fault_seq) {
  Site site{services::ServiceName(service), group.empty() ? nullptr : &group, topic.empty() ? nullptr : &topic,
            order_no.empty() ? nullptr : &order_no, cause};
  auto at_point = [](const Fault& f, const void* p) { return f.point == *static_cast<const CrashPoint*>(p); };
  Rule* rule = Fire(FaultKind::kCrash, site, at_point, &point);
  if (!rule) return false;
  *restart_after_ms = rule->fault.restart_after_ms;
  *fault_seq = Trace(*rule, site, std::string("crash at ") + services::CrashPointKey(point) + ", restart after " +
                                      std::to_string(rule->fault.restart_after_ms) + "ms");
  return true;
}

int64_t FaultRules::HoldBack(const std::string& service, const std::string& group, const broker::Message& msg,
                             int64_t cause, int64_t* fault_seq) {
  const std::string& topic = msg.OriginalTopic();
  Site site{service.c_str(), &group, &topic, &msg.keys, cause};
  Rule* rule = Fire(FaultKind::kDelay, site);
  if (!rule) return 0;
  *fault_seq = Trace(*rule, site, "delivery held back " + std::to_string(rule->fault.by_ms) + "ms");
  return rule->fault.by_ms;
}

int FaultRules::Duplicates(const std::string& service, const std::string& group, const broker::Message& msg,
                           int64_t cause, int64_t* fault_seq) {
  const std::string& topic = msg.OriginalTopic();
  Site site{service.c_str(), &group, &topic, &msg.keys, cause};
  Rule* rule = Fire(FaultKind::kDuplicate, site);
  if (!rule) return 0;
  *fault_seq = Trace(*rule, site, std::to_string(rule->fault.copies) + " extra deliveries");
  return rule->fault.copies;
}

}  // namespace scenario
