#include "scenario/binder_warnings.h"

#include <map>
#include <set>

#include "services/bindings.h"
#include "services/consumer_groups.h"

namespace scenario {
namespace {

// Binder generations (../shared/reference/rocketmq-semantics.md section 9): the
// rewrite of Feb 2021 ships in 2.2.7.RELEASE+ and 2021.0.1.0+.
constexpr const char* kCurrent = "the 2021.x-2023.x binders (2.2.7.RELEASE+, 2021.0.1.0+, 2022.x, 2023.x)";

bool Active(const services::ConsumerBindingDef& def, const Options& options) {
  return !def.compensate_only || options.cancellation == Cancellation::kCompensate;
}

}  // namespace

std::vector<std::string> BinderWarnings(const Scenario& scenario) {
  std::vector<std::string> out;
  const std::string at = scenario.file + ": ";
  for (const auto& [key, c] : scenario.bindings.consumers) {
    const std::string where = at + "bindings." + key + ".";
    // RocketMQConsumerFactory.initPushConsumer has no setMaxReconsumeTimes call.
    if (c.max_reconsume_times)
      out.push_back(where + "maxReconsumeTimes: " + kCurrent +
                    " never call setMaxReconsumeTimes; a real client keeps its default (16 for concurrent, "
                    "unlimited for orderly); sagasim applies " + std::to_string(*c.max_reconsume_times));
    // ... nor setConsumeMessageBatchMaxSize: the listener gets one message at a time.
    if (c.batch_size > 1)
      out.push_back(where + "batchSize: " + kCurrent +
                    " never call setConsumeMessageBatchMaxSize; a real client hands the listener one message at "
                    "a time; sagasim delivers batches of " + std::to_string(c.batch_size));
    // RocketMQConsumerProperties has push.orderly; the legacy consumer.orderly is an unknown field.
    if (c.orderly)
      out.push_back(where + "orderly: " + kCurrent +
                    " read consumer.push.orderly and ignore the reference's legacy consumer.orderly (2.2.6.RELEASE, "
                    "2021.1 and older), so a real client written that way consumes concurrently; sagasim consumes "
                    "orderly as configured");
  }
  for (const auto& [key, p] : scenario.bindings.producers) {
    if (p.sync)
      out.push_back(at + "bindings." + key + ".sync: " + kCurrent +
                    " replaced producer.sync with producer.sendType (default Sync) and ignore sync; sagasim applies "
                    "sync: " + (*p.sync ? "true" : "false") + " as the legacy binder did");
  }
  // A group whose clients subscribe differently (RebalanceImpl, mqadmin consumerConnection's
  // "subscription inconsistent").
  std::map<std::string, std::set<std::string>> subscriptions;  // group -> "binding topic 'expr'"
  std::map<std::string, std::set<std::string>> distinct;       // group -> "topic 'expr'"
  for (const services::ConsumerBindingDef& def : services::ConsumerBindings()) {
    if (!Active(def, scenario.options)) continue;
    std::string key = services::BindingKey(def.service, def.name);
    auto it = scenario.bindings.consumers.find(key);
    ConsumerSettings settings = it == scenario.bindings.consumers.end() ? ConsumerSettings{} : it->second;
    std::string group = services::ConsumerGroupOf(def, settings.group, scenario.options.consumer_groups);
    std::string sub = std::string(def.topic) + " '" +
                      settings.subscription.value_or(services::FindTopic(def.topic)->tag) + "'";
    subscriptions[group].insert(key + " subscribes " + sub);
    distinct[group].insert(sub);
  }
  for (const auto& [group, subs] : distinct) {
    if (subs.size() < 2) continue;
    std::string line = at + "consumer group " + group + " holds " + std::to_string(subscriptions[group].size()) +
                       " clients (one per binding, RocketMQUtils.getInstanceName) with different subscriptions (";
    bool first = true;
    for (const std::string& s : subscriptions[group]) {
      line += (first ? "" : "; ") + s;
      first = false;
    }
    out.push_back(line +
                  "): the rebalance spreads each topic's queues over all of them, so the queues allocated to a "
                  "client that does not subscribe the topic are never consumed, and %RETRY%" + group +
                  " goes to one client whose handler decodes the other bindings' retries as its own event "
                  "(consumerGroups: per-binding gives each binding a group of its own)");
  }
  return out;
}

}  // namespace scenario
