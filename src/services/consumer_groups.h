#pragma once

// Which RocketMQ consumer group each binding's client joins, and the client ids the
// rebalance sorts (the consumerGroups option, docs/scenario-format.md).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "services/bindings.h"
#include "services/saga_options.h"

namespace services {

// The group of binding `def`: `explicit_group` when a file sets one (Spring's
// spring.cloud.stream.bindings.<b>.group); else the service's group (per-service) or
// "<service group>-<binding name>" (per-binding), e.g.
// "stock-consumer-group-orderCreatedConsumer-in-0".
std::string ConsumerGroupOf(const ConsumerBindingDef& def, const std::optional<std::string>& explicit_group,
                            ConsumerGroups mode);

// The name format-1 files use for `group`: a per-binding group maps back to its
// service's group; any other group is its own name.
std::string NamedGroupOf(std::string_view group);
// Whether a file's `named` group (a fault matcher, an expectation, a step) covers `group`.
bool GroupNamed(std::string_view named, std::string_view group);

// clientIP@instanceName with the binder's RocketMQUtils.getInstanceName(group):
// group|pid|nanoTime (base 36). The pid is the service's; the nano time grows with
// each client created (`created` = clients before this one), so a group's clients
// sort in creation order, as they do in a real process.
std::string ClientId(ServiceId service, const std::string& group, size_t created);

}  // namespace services
