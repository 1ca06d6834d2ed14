#pragma once

// The saga's topics and bindings, named as in the reference configuration
// (shared seed-design), plus those the `compensate` cancellation option adds.

#include <string>
#include <string_view>
#include <vector>

namespace services {

enum class ServiceId { kOrder, kStock, kPayment };
const char* ServiceName(ServiceId id);  // "order", "stock", "payment"
// Every service's name, in ServiceId order.
std::vector<std::string> ServiceNames();

struct TopicDef {
  const char* topic;       // e.g. "order-created"
  const char* tag;         // e.g. "ORDER_CREATED"
  const char* event;       // e.g. "OrderCreatedEvent"
};

struct ProducerBindingDef {
  ServiceId service;
  const char* name;        // e.g. "orderCreatedProducer-out-0"
  const char* topic;
  const char* group;       // producer group
  bool compensate_only;    // exists only with cancellation = compensate
};

struct ConsumerBindingDef {
  ServiceId service;
  const char* name;        // e.g. "orderCreatedConsumer-in-0"
  const char* topic;
  const char* group;       // consumer group
  bool compensate_only;
};

const std::vector<TopicDef>& Topics();
const std::vector<ProducerBindingDef>& ProducerBindings();
const std::vector<ConsumerBindingDef>& ConsumerBindings();

const TopicDef* FindTopic(std::string_view topic);
// Keys are "service.binding", e.g. "stock.orderCreatedConsumer-in-0".
const ConsumerBindingDef* FindConsumerBinding(std::string_view key);
const ProducerBindingDef* FindProducerBinding(std::string_view key);
std::string BindingKey(ServiceId service, const char* name);
// Every valid key, consumers then producers, for error messages.
std::vector<std::string> AllBindingKeys();

// Names drawn from the tables above, in table order, each once.
std::vector<std::string> TopicNames();
std::vector<std::string> ConsumerGroupNames();
// Whether some consumer binding of `group` reads `topic` (a business topic).
bool GroupConsumes(std::string_view group, std::string_view topic);
// The business topics `group`'s bindings read.
std::vector<std::string> TopicsOfGroup(std::string_view group);

}  // namespace services
