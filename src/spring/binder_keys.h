#pragma once

// The keys the RocketMQ binder and Spring Cloud Stream read under a binding, per
// binder generation, as read from alibaba/spring-cloud-alibaba:
//   legacy  = tags up to 2.2.6.RELEASE and 2021.1 (RocketMQListenerBindingContainer,
//             properties/RocketMQConsumerProperties with tags/sql/orderly/broadcasting,
//             RocketMQProducerProperties with sync);
//   current = 2.2.7.RELEASE+, 2021.0.1.0+, 2022.x, 2023.x (the rewrite cbd64061c:
//             integration/inbound/RocketMQConsumerFactory, RocketMQInboundChannelAdapter,
//             properties/RocketMQConsumerProperties with push/pull, RocketMQProducerProperties
//             with sendType, RocketMQCommonProperties).
// Spring Cloud Stream's own binding keys (BindingProperties, ConsumerProperties,
// ProducerProperties) are the same for both.

#include <string>
#include <string_view>
#include <vector>

namespace spring {

enum class Generation { kCurrent, kLegacy };
const char* GenerationName(Generation g);      // "current", "legacy"
const char* GenerationVersions(Generation g);  // "2.2.7+/2021.0.1.0+/2022.x/2023.x", ...

// Where a key sits: spring.cloud.stream.bindings.<b>.KEY, or
// spring.cloud.stream.rocketmq.bindings.<b>.consumer.KEY / .producer.KEY.
enum class Scope { kBinding, kRocketConsumer, kRocketProducer };
const char* ScopePrefix(Scope scope);  // "spring.cloud.stream.bindings.<b>." ...

enum class ValueType { kString, kInt, kNumber, kBool, kAny };

// What sagasim does with a key the binder reads.
enum class Field {
  kNone,            // read by the binder, no effect sagasim models (connection, tracing, ...)
  kDestination, kGroup, kMaxAttempts, kBackOffInitial, kBackOffMultiplier, kBackOffMax, kConcurrency,
  kSubscription,    // current: subscription; legacy: tags
  kSql,             // legacy: sql
  kOrderly,         // current: push.orderly; legacy: orderly
  kSuspendMs, kDelayLevel, kMessageModel, kBroadcasting, kErrorHandler,
  kProducerGroup, kSendType, kLegacySync, kProducerType, kTransactional,
};

enum class Treatment {
  kApplied,   // the binder applies it; sagasim maps it (or it has no modelled effect: Field::kNone)
  kIgnored,   // the field exists but the binder never applies it (no setter call)
  kAbsent,    // this generation has no such field: Spring Boot binds nothing, silently
};

struct KeySpec {
  Scope scope;
  const char* path;     // kebab-case, relative to the scope, e.g. "consumer.max-attempts"
  ValueType type;
  Field field;
  Treatment current;
  Treatment legacy;
  const char* note;     // for ignored/absent keys: what the binder does instead
};

const std::vector<KeySpec>& BindingKeys();
// The key at `scope` whose uniform form is `uniform_path`, or null.
const KeySpec* FindKey(Scope scope, std::string_view uniform_path);
// The known key of `scope` (for generation g) nearest to `uniform_path`, for a
// did-you-mean; null when none is near.
const KeySpec* NearestKey(Scope scope, std::string_view uniform_path, Generation g);
Treatment TreatmentIn(const KeySpec& key, Generation g);

// Keys directly under spring.cloud.stream that Spring Cloud Stream knows.
const std::vector<std::string>& StreamTopLevelKeys();
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace spring
