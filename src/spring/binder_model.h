#pragma once

// What the binder builds from one service's configuration: its function definition
// and, per binding, the settings Spring Cloud Stream and the RocketMQ binder would
// apply, each with the place it was set. Keys the chosen binder generation ignores or
// does not know become findings here; values Spring could not bind (max-attempts:
// three) are input errors.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "services/bindings.h"
#include "spring/binder_keys.h"
#include "spring/yaml_source.h"

namespace spring {

struct Finding {
  enum class Severity { kError, kWarning };
  Severity severity = Severity::kWarning;
  std::string code;     // e.g. "shared-group", "legacy-key", "unknown-key" (docs/spring-config.md)
  Position at;
  std::string message;
};
const char* SeverityName(Finding::Severity s);  // "error", "warning"

template <typename T>
struct Setting {
  std::optional<T> value;
  Position at;  // of the value; line 0 when unset
  bool set() const { return value.has_value(); }
};

struct ConsumerBinding {
  std::string name;       // "orderCreatedConsumer-in-0"
  std::string function;   // "orderCreatedConsumer"
  Position at;            // the first key that names the binding
  Setting<std::string> destination, group, subscription, sql, message_model, error_handler;
  Setting<int64_t> max_attempts, back_off_initial_ms, back_off_max_ms, concurrency, suspend_ms, delay_level;
  Setting<double> back_off_multiplier;
  Setting<bool> orderly, broadcasting;

  // Spring Cloud Stream's defaults: the destination is the binding's name; the group,
  // when none is set, is anonymous_<destination> (RocketMQUtils.anonymousGroup).
  std::string Destination() const { return destination.value.value_or(name); }
  std::string Group() const;
};

struct ProducerBinding {
  std::string name;       // "orderCreatedProducer-out-0"
  std::string function;
  Position at;
  Setting<std::string> destination, group, send_type, producer_type;
  Setting<bool> legacy_sync, transactional;

  std::string Destination() const { return destination.value.value_or(name); }
  // RocketMQProduceFactory: "anonymous" when unset.
  std::string Group() const { return group.value.value_or("anonymous"); }
};

struct ServiceConfig {
  services::ServiceId service = services::ServiceId::kOrder;
  std::string file;
  Generation generation = Generation::kCurrent;
  std::vector<std::string> functions;  // spring.cloud.function.definition, split at ';'
  Position definition_at;              // line 0: no definition
  std::vector<ConsumerBinding> consumers;  // in the order the file first names them
  std::vector<ProducerBinding> producers;
  std::vector<Finding> findings;       // about single keys

  const ConsumerBinding* FindConsumer(const std::string& name) const;
  const ProducerBinding* FindProducer(const std::string& name) const;
  bool Defines(const std::string& function) const;
};

base::Result<ServiceConfig> BuildServiceConfig(const Source& source, services::ServiceId service,
                                               Generation generation);

}  // namespace spring
