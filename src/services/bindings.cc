#include "services/bindings.h"

namespace services {

const char* ServiceName(ServiceId id) {
  switch (id) {
    case ServiceId::kOrder: return "order";
    case ServiceId::kStock: return "stock";
    case ServiceId::kPayment: return "payment";
  }
  return "?";
}

std::vector<std::string> ServiceNames() {
  std::vector<std::string> names;
  for (ServiceId id : {ServiceId::kOrder, ServiceId::kStock, ServiceId::kPayment}) names.push_back(ServiceName(id));
  return names;
}

const std::vector<TopicDef>& Topics() {
  static const std::vector<TopicDef> kTopics = {
      {"order-created", "ORDER_CREATED", "OrderCreatedEvent"},
      {"payment-success", "PAYMENT_SUCCESS", "PaymentSuccessEvent"},
      {"stock-freeze-failed", "STOCK_FREEZE_FAILED", "StockFreezeFailedEvent"},
      {"stock-frozen", "STOCK_FROZEN", "StockFrozenEvent"},
      {"payment-failed", "PAYMENT_FAILED", "PaymentFailedEvent"},
      {"order-cancelled", "ORDER_CANCELLED", "OrderCancelledEvent"},
  };
  return kTopics;
}

const std::vector<ProducerBindingDef>& ProducerBindings() {
  using S = ServiceId;
  static const std::vector<ProducerBindingDef> kProducers = {
      {S::kOrder, "orderCreatedProducer-out-0", "order-created", "order-producer-group", false},
      {S::kOrder, "orderCancelledProducer-out-0", "order-cancelled", "order-producer-group", true},
      {S::kStock, "stockFreezeFailedProducer-out-0", "stock-freeze-failed", "stock-producer-group", false},
      {S::kStock, "stockFrozenProducer-out-0", "stock-frozen", "stock-producer-group", true},
      {S::kPayment, "paymentSuccessProducer-out-0", "payment-success", "payment-producer-group", false},
      {S::kPayment, "paymentFailedProducer-out-0", "payment-failed", "payment-producer-group", true},
  };
  return kProducers;
}

const std::vector<ConsumerBindingDef>& ConsumerBindings() {
  using S = ServiceId;
  static const std::vector<ConsumerBindingDef> kConsumers = {
      {S::kOrder, "paymentSuccessConsumer-in-0", "payment-success", "order-consumer-group", false},
      {S::kOrder, "stockFreezeFailedConsumer-in-0", "stock-freeze-failed", "order-consumer-group", false},
      {S::kOrder, "stockFrozenConsumer-in-0", "stock-frozen", "order-consumer-group", true},
      {S::kOrder, "paymentFailedConsumer-in-0", "payment-failed", "order-consumer-group", true},
      {S::kStock, "orderCreatedConsumer-in-0", "order-created", "stock-consumer-group", false},
      {S::kStock, "paymentSuccessConsumer-in-0", "payment-success", "stock-consumer-group", false},
      {S::kStock, "orderCancelledConsumer-in-0", "order-cancelled", "stock-consumer-group", true},
      {S::kPayment, "orderCreatedConsumer-in-0", "order-created", "payment-consumer-group", false},
      {S::kPayment, "orderCancelledConsumer-in-0", "order-cancelled", "payment-consumer-group", true},
  };
  return kConsumers;
}

const TopicDef* FindTopic(std::string_view topic) {
  for (const TopicDef& t : Topics())
    if (topic == t.topic) return &t;
  return nullptr;
}

std::string BindingKey(ServiceId service, const char* name) {
  return std::string(ServiceName(service)) + "." + name;
}

const ConsumerBindingDef* FindConsumerBinding(std::string_view key) {
  for (const ConsumerBindingDef& b : ConsumerBindings())
    if (BindingKey(b.service, b.name) == key) return &b;
  return nullptr;
}

const ProducerBindingDef* FindProducerBinding(std::string_view key) {
  for (const ProducerBindingDef& b : ProducerBindings())
    if (BindingKey(b.service, b.name) == key) return &b;
  return nullptr;
}

std::vector<std::string> AllBindingKeys() {
  std::vector<std::string> keys;
  for (const ConsumerBindingDef& b : ConsumerBindings()) keys.push_back(BindingKey(b.service, b.name));
  for (const ProducerBindingDef& b : ProducerBindings()) keys.push_back(BindingKey(b.service, b.name));
  return keys;
}

std::vector<std::string> TopicNames() {
  std::vector<std::string> names;
  for (const TopicDef& t : Topics()) names.push_back(t.topic);
  return names;
}

std::vector<std::string> ConsumerGroupNames() {
  std::vector<std::string> groups;
  for (const ConsumerBindingDef& b : ConsumerBindings()) {
    bool seen = false;
    for (const std::string& g : groups) seen = seen || g == b.group;
    if (!seen) groups.push_back(b.group);
  }
  return groups;
}

bool GroupConsumes(std::string_view group, std::string_view topic) {
  for (const ConsumerBindingDef& b : ConsumerBindings())
    if (group == b.group && topic == b.topic) return true;
  return false;
}

std::vector<std::string> TopicsOfGroup(std::string_view group) {
  std::vector<std::string> topics;
  for (const ConsumerBindingDef& b : ConsumerBindings())
    if (group == b.group) topics.push_back(b.topic);
  return topics;
}

}  // namespace services
