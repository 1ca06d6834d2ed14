#include "spring/binder_keys.h"

#include <algorithm>

#include "spring/yaml_source.h"

namespace spring {
namespace {

using S = Scope;
using T = ValueType;
using F = Field;
constexpr Treatment A = Treatment::kApplied;
constexpr Treatment I = Treatment::kIgnored;
constexpr Treatment X = Treatment::kAbsent;

constexpr const char* kNotApplied = "the binder has the field but never applies it (no setter call in RocketMQConsumerFactory)";

// Paths ending in ".*" cover a map or a nested object the simulator does not look into.
const std::vector<KeySpec> kKeys = {
    // Spring Cloud Stream: BindingProperties.
    {S::kBinding, "destination", T::kString, F::kDestination, A, A, ""},
    {S::kBinding, "group", T::kString, F::kGroup, A, A, ""},
    {S::kBinding, "content-type", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "binder", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "error-handler-definition", T::kString, F::kErrorHandler, A, A, ""},
    // ConsumerProperties.
    {S::kBinding, "consumer.max-attempts", T::kInt, F::kMaxAttempts, A, A, ""},
    {S::kBinding, "consumer.back-off-initial-interval", T::kInt, F::kBackOffInitial, A, A, ""},
    {S::kBinding, "consumer.back-off-multiplier", T::kNumber, F::kBackOffMultiplier, A, A, ""},
    {S::kBinding, "consumer.back-off-max-interval", T::kInt, F::kBackOffMax, A, A, ""},
    {S::kBinding, "consumer.concurrency", T::kInt, F::kConcurrency, A, A, ""},
    {S::kBinding, "consumer.default-retryable", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "consumer.retryable-exceptions.*", T::kAny, F::kNone, A, A, ""},
    {S::kBinding, "consumer.auto-startup", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "consumer.partitioned", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "consumer.instance-count", T::kInt, F::kNone, A, A, ""},
    {S::kBinding, "consumer.instance-index", T::kInt, F::kNone, A, A, ""},
    {S::kBinding, "consumer.instance-index-list.*", T::kAny, F::kNone, A, A, ""},
    {S::kBinding, "consumer.header-mode", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "consumer.use-native-decoding", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "consumer.multiplex", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "consumer.batch-mode", T::kBool, F::kNone, I, I,
     "the RocketMQ binder never reads batch-mode: its listener hands messages over one at a time"},
    // ProducerProperties.
    {S::kBinding, "producer.partition-count", T::kInt, F::kNone, A, A, ""},
    {S::kBinding, "producer.partition-key-expression", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "producer.partition-key-extractor-name", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "producer.partition-selector-name", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "producer.partition-selector-expression", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "producer.required-groups.*", T::kAny, F::kNone, A, A, ""},
    {S::kBinding, "producer.header-mode", T::kString, F::kNone, A, A, ""},
    {S::kBinding, "producer.use-native-encoding", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "producer.error-channel-enabled", T::kBool, F::kNone, A, A, ""},
    {S::kBinding, "producer.auto-startup", T::kBool, F::kNone, A, A, ""},

    // RocketMQ consumer, both generations (RocketMQCommonProperties / legacy RocketMQConsumerProperties).
    {S::kRocketConsumer, "enabled", T::kBool, F::kNone, A, A, ""},
    // current: RocketMQCommonProperties (shared with producers).
    {S::kRocketConsumer, "name-server", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "access-key", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "secret-key", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "group", T::kString, F::kNone, I, X,
     "RocketMQMessageChannelBinder.createConsumerEndpoint overwrites it with spring.cloud.stream.bindings.<b>.group"},
    {S::kRocketConsumer, "namespace", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "unit-name", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "access-channel", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "poll-name-server-interval", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "heartbeat-broker-interval", T::kInt, F::kNone, A, X, ""},
    {S::kRocketConsumer, "persist-consumer-offset-interval", T::kInt, F::kNone, A, X, ""},
    {S::kRocketConsumer, "vip-channel-enabled", T::kBool, F::kNone, A, X, ""},
    {S::kRocketConsumer, "use-tls", T::kBool, F::kNone, A, X, ""},
    {S::kRocketConsumer, "enable-msg-trace", T::kBool, F::kNone, A, X, ""},
    {S::kRocketConsumer, "customized-trace-topic", T::kString, F::kNone, A, X, ""},
    // current: RocketMQConsumerProperties.
    {S::kRocketConsumer, "message-model", T::kString, F::kMessageModel, A, X, "legacy binders use consumer.broadcasting"},
    {S::kRocketConsumer, "allocate-message-queue-strategy", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "subscription", T::kString, F::kSubscription, A, X,
     "legacy binders filter with consumer.tags (or consumer.sql); without it they subscribe to every tag"},
    {S::kRocketConsumer, "pull-time-delay-mills-when-exception", T::kInt, F::kNone, A, X, ""},
    {S::kRocketConsumer, "consume-from-where", T::kString, F::kNone, A, X, ""},
    {S::kRocketConsumer, "consume-timestamp", T::kString, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "pull-threshold-for-queue", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "pull-threshold-size-for-queue", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "pull-batch-size", T::kInt, F::kNone, A, X, ""},
    {S::kRocketConsumer, "consume-max-span", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "push.orderly", T::kBool, F::kOrderly, A, X, "legacy binders read consumer.orderly"},
    {S::kRocketConsumer, "push.suspend-current-queue-time-millis", T::kInt, F::kSuspendMs, A, X,
     "legacy binders read consumer.suspendCurrentQueueTimeMillis"},
    {S::kRocketConsumer, "push.max-reconsume-times", T::kInt, F::kNone, I, X,
     "never applied by 2.2.7, 2.2.8, 2021.0.x, 2022.x or 2023.x (the client keeps its default: 16 retries, "
     "unlimited when orderly); only 2.2.9 and 2.2.10-RC apply it, where the unset default 0 sends a failed "
     "message straight to the DLQ"},
    {S::kRocketConsumer, "push.delay-level-when-next-consume", T::kInt, F::kDelayLevel, A, X,
     "legacy binders read consumer.delayLevelWhenNextConsume"},
    {S::kRocketConsumer, "push.pull-threshold-for-topic", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "push.pull-threshold-size-for-topic", T::kInt, F::kNone, I, X, kNotApplied},
    {S::kRocketConsumer, "push.pull-interval", T::kInt, F::kNone, A, X, ""},
    {S::kRocketConsumer, "push.consume-message-batch-max-size", T::kInt, F::kNone, I, X,
     "never applied (no setter call in RocketMQConsumerFactory): the listener gets one message at a time"},
    {S::kRocketConsumer, "pull.*", T::kAny, F::kNone, A, X, ""},
    // legacy: RocketMQConsumerProperties of 2.2.6.RELEASE and before.
    {S::kRocketConsumer, "tags", T::kString, F::kSubscription, X, A, "current binders filter with consumer.subscription"},
    {S::kRocketConsumer, "sql", T::kString, F::kSql, X, A, "current binders take consumer.subscription: 'sql:...'"},
    {S::kRocketConsumer, "broadcasting", T::kBool, F::kBroadcasting, X, A,
     "current binders take consumer.messageModel: BROADCASTING"},
    {S::kRocketConsumer, "orderly", T::kBool, F::kOrderly, X, A,
     "they read consumer.push.orderly (RocketMQConsumerProperties.Push); the listener stays concurrent"},
    {S::kRocketConsumer, "delay-level-when-next-consume", T::kInt, F::kDelayLevel, X, A,
     "current binders read consumer.push.delayLevelWhenNextConsume"},
    {S::kRocketConsumer, "suspend-current-queue-time-millis", T::kInt, F::kSuspendMs, X, A,
     "current binders read consumer.push.suspendCurrentQueueTimeMillis"},
    {S::kRocketConsumer, "trusted-packages.*", T::kAny, F::kNone, X, A, ""},
    {S::kRocketConsumer, "pull-timeout", T::kInt, F::kNone, X, A, ""},
    {S::kRocketConsumer, "from-store", T::kBool, F::kNone, X, A, ""},

    // RocketMQ producer.
    {S::kRocketProducer, "enabled", T::kBool, F::kNone, A, A, ""},
    {S::kRocketProducer, "group", T::kString, F::kProducerGroup, A, A, ""},
    {S::kRocketProducer, "max-message-size", T::kInt, F::kNone, A, A, ""},
    {S::kRocketProducer, "retry-times-when-send-failed", T::kInt, F::kNone, A, A, ""},
    {S::kRocketProducer, "retry-times-when-send-async-failed", T::kInt, F::kNone, A, A, ""},
    {S::kRocketProducer, "vip-channel-enabled", T::kBool, F::kNone, A, A, ""},
    // current: RocketMQCommonProperties + RocketMQProducerProperties.
    {S::kRocketProducer, "name-server", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "access-key", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "secret-key", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "namespace", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "unit-name", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "access-channel", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "use-tls", T::kBool, F::kNone, A, X, ""},
    {S::kRocketProducer, "enable-msg-trace", T::kBool, F::kNone, A, X, ""},
    {S::kRocketProducer, "customized-trace-topic", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "send-msg-timeout", T::kInt, F::kNone, A, X, "legacy binders read producer.sendMessageTimeout"},
    {S::kRocketProducer, "compress-msg-body-threshold", T::kInt, F::kNone, A, X, ""},
    {S::kRocketProducer, "retry-another-broker", T::kBool, F::kNone, A, X, ""},
    {S::kRocketProducer, "producer-type", T::kString, F::kProducerType, A, X, "legacy binders read producer.transactional"},
    {S::kRocketProducer, "send-type", T::kString, F::kSendType, A, X,
     "legacy binders read producer.sync (default false: an async send)"},
    {S::kRocketProducer, "send-call-back", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "transaction-listener", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "message-queue-selector", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "error-message-strategy", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "send-failure-channel", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "check-forbidden-hook", T::kString, F::kNone, A, X, ""},
    {S::kRocketProducer, "send-message-hook", T::kString, F::kNone, A, X, ""},
    // legacy: RocketMQProducerProperties of 2.2.6.RELEASE and before.
    {S::kRocketProducer, "sync", T::kBool, F::kLegacySync, X, A,
     "they read producer.sendType (Sync, Async or OneWay; default Sync), RocketMQProducerProperties has no sync"},
    {S::kRocketProducer, "transactional", T::kBool, F::kTransactional, X, A,
     "current binders take producer.producerType: Trans"},
    {S::kRocketProducer, "send-message-timeout", T::kInt, F::kNone, X, A, "current binders read producer.sendMsgTimeout"},
    {S::kRocketProducer, "compress-message-body-threshold", T::kInt, F::kNone, X, A, ""},
    {S::kRocketProducer, "retry-next-server", T::kBool, F::kNone, X, A, ""},
};

bool Matches(const KeySpec& spec, std::string_view uniform_path) {
  std::string_view path = spec.path;
  if (path.size() >= 2 && path.substr(path.size() - 2) == ".*") {
    std::string prefix = Uniform(path.substr(0, path.size() - 1));  // keeps the '.'
    return uniform_path.starts_with(prefix) || uniform_path == prefix.substr(0, prefix.size() - 1);
  }
  return Uniform(path) == uniform_path;
}

}  // namespace

const char* GenerationName(Generation g) { return g == Generation::kCurrent ? "current" : "legacy"; }

const char* GenerationVersions(Generation g) {
  return g == Generation::kCurrent ? "2.2.7+, 2021.0.1.0+, 2022.x, 2023.x" : "2.2.6 and earlier, 2021.1";
}

const char* ScopePrefix(Scope scope) {
  switch (scope) {
    case Scope::kBinding: return "spring.cloud.stream.bindings.<b>.";
    case Scope::kRocketConsumer: return "spring.cloud.stream.rocketmq.bindings.<b>.consumer.";
    case Scope::kRocketProducer: return "spring.cloud.stream.rocketmq.bindings.<b>.producer.";
  }
  return "";
}

const std::vector<KeySpec>& BindingKeys() { return kKeys; }

Treatment TreatmentIn(const KeySpec& key, Generation g) { return g == Generation::kCurrent ? key.current : key.legacy; }

const KeySpec* FindKey(Scope scope, std::string_view uniform_path) {
  for (const KeySpec& k : kKeys)
    if (k.scope == scope && Matches(k, uniform_path)) return &k;
  return nullptr;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

const KeySpec* NearestKey(Scope scope, std::string_view uniform_path, Generation g) {
  const KeySpec* best = nullptr;
  size_t best_distance = 0;
  for (const KeySpec& k : kKeys) {
    if (k.scope != scope || TreatmentIn(k, g) == Treatment::kAbsent) continue;
    size_t d = EditDistance(Uniform(k.path), uniform_path);
    if (!best || d < best_distance) {
      best = &k;
      best_distance = d;
    }
  }
  // Near means a slip of the keyboard, not another word.
  if (!best || best_distance > std::max<size_t>(2, uniform_path.size() / 5)) return nullptr;
  return best;
}

const std::vector<std::string>& StreamTopLevelKeys() {
  static const std::vector<std::string> kTop = {
      "bindings", "rocketmq", "function", "default", "default-binder", "binders", "dynamic-destinations",
      "dynamic-destination-cache-size", "instance-count", "instance-index", "instance-index-list", "poller",
      "output-bindings", "input-bindings", "source", "sendto", "integration", "metrics", "override-cloud-connectors",
      "bindings-retry-interval", "binding-retry-interval"};
  return kTop;
}

}  // namespace spring
