// The "broker" and "bindings" sections: how the emulated broker and each client
// binding are configured (docs/scenario-format.md, "Broker settings" and "Bindings").

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>

#include "base/text.h"
#include "scenario/scenario_loader.h"
#include "services/bindings.h"

namespace scenario::loader {
namespace {

using base::Quote;
using base::Trim;

// RocketMQ's tag expression: "*", or tags joined by "||". Tags are limited to the
// characters tags are made of in practice, so a stray "|" or "," is caught here rather
// than silently filtering every message out.
bool ValidTagExpression(std::string_view expression) {
  // An empty expression is "*" (FilterAPI.buildSubscriptionData), as the client reads it.
  if (Trim(expression) == "*" || Trim(expression).empty()) return true;
  while (true) {
    size_t bar = expression.find("||");
    std::string_view tag = Trim(expression.substr(0, bar));
    if (tag.empty()) return false;
    for (char c : tag) {
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '-';
      if (!ok) return false;
    }
    if (bar == std::string_view::npos) return true;
    expression.remove_prefix(bar + 2);
  }
}

}  // namespace

void Loader::ParseBroker(const Reader& r) {
  // The defaults are the broker's own (BrokerConfig), not a second copy of them.
  BrokerSettings& b = scenario_.broker;
  const BrokerSettings defaults;
  Reader at = r.Child("delayLevels");
  if (r.present() && r.ExpectObject({"queuesPerTopic", "delayLevels", "offsetPersistInterval", "maxMessageSize"})) {
    b.queues_per_topic = static_cast<int>(r.Child("queuesPerTopic").Int(defaults.queues_per_topic, 1, 64));
    b.offset_persist_interval_ms = r.Child("offsetPersistInterval").Duration(defaults.offset_persist_interval_ms, 1);
    b.max_message_size = r.Child("maxMessageSize").Int(defaults.max_message_size, 1, kInt64Max);
  }
  if (!at.present()) return;
  // RocketMQ's messageDelayLevel syntax: durations separated by spaces.
  std::string levels = at.String("");
  b.delay_levels_ms.clear();
  std::string_view rest = levels;
  while (errors_.ok()) {
    rest = Trim(rest);
    if (rest.empty()) break;
    std::string token(rest.substr(0, rest.find(' ')));
    rest.remove_prefix(token.size());
    int64_t ms = 0;
    if (!at.ParseDurationText(token, Quote(token), &ms)) break;
    if (ms <= 0) at.Fail("delay level " + Quote(token) + " must be greater than 0");
    b.delay_levels_ms.push_back(ms);
  }
  if (errors_.ok() && b.delay_levels_ms.empty()) at.Fail("must list at least one delay level, e.g. \"1s 5s 10s\"");
}

void Loader::ParseBindings(const Reader& r) {
  r.ForEachMember([this](const std::string& key, const Reader& value) {
    if (services::FindConsumerBinding(key)) {
      scenario_.bindings.consumers[key] = ParseConsumer(value);
    } else if (services::FindProducerBinding(key)) {
      scenario_.bindings.producers[key] = ParseProducer(value);
    } else {
      value.Fail("unknown binding " + Quote(key) +
                 " (expected one of: " + base::Join(services::AllBindingKeys()) + ")");
    }
  });
}

ConsumerSettings Loader::ParseConsumer(const Reader& r) {
  ConsumerSettings c;
  if (!r.ExpectObject({"maxAttempts", "backOffInitialInterval", "backOffMultiplier", "backOffMaxInterval",
                       "maxReconsumeTimes", "concurrency", "orderly", "suspendCurrentQueueTime", "batchSize",
                       "subscription", "delayLevelWhenNextConsume", "messageModel"}))
    return c;
  // Spring's attempts are in-process calls; thousands per delivery is a typo, and an
  // unbounded count with no back-off would spin without virtual time passing.
  c.max_attempts = static_cast<int>(r.Child("maxAttempts").Int(3, 1, 1000));
  c.back_off_initial_ms = r.Child("backOffInitialInterval").Duration(1000);
  c.back_off_multiplier = r.Child("backOffMultiplier").Number(2.0, 1.0, std::numeric_limits<double>::max());
  c.back_off_max_ms = r.Child("backOffMaxInterval").Duration(10000);
  // -1 is the RocketMQ client's own spelling of "default".
  int64_t reconsume = r.Child("maxReconsumeTimes").Int(-1, -1, 1000000);
  if (reconsume >= 0) c.max_reconsume_times = static_cast<int>(reconsume);
  c.concurrency = static_cast<int>(r.Child("concurrency").Int(1, 1, 64));
  c.orderly = r.Child("orderly").Bool(false);
  // The client clamps rather than rejects (ConsumeMessageOrderlyService), so do we.
  c.suspend_current_queue_time_ms =
      std::clamp<int64_t>(r.Child("suspendCurrentQueueTime").Duration(1000), 10, 30000);
  c.batch_size = static_cast<int>(r.Child("batchSize").Int(1, 1, 1024));
  c.delay_level_when_next_consume = static_cast<int>(r.Child("delayLevelWhenNextConsume").Int(0, -1, 1000));
  c.broadcasting = r.Child("messageModel").Enum(false, {{"CLUSTERING", false}, {"BROADCASTING", true}});
  if (Reader sub = r.Child("subscription"); sub.present()) {
    std::string expression = sub.String();
    if (errors_.ok() && !ValidTagExpression(expression))
      sub.Fail("bad tag expression " + Quote(expression) + " (use \"*\", \"TAG\" or \"TAG_A || TAG_B\")");
    c.subscription = expression;
  }
  return c;
}

ProducerSettings Loader::ParseProducer(const Reader& r) {
  ProducerSettings p;
  if (!r.ExpectObject({"sync", "group"})) return p;
  if (Reader sync = r.Child("sync"); sync.present()) p.sync = sync.Bool(false);
  if (Reader group = r.Child("group"); group.present()) p.group = group.NonEmptyString();
  return p;
}

}  // namespace scenario::loader
