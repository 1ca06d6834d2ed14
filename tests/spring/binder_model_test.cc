// Which keys each RocketMQ binder generation reads, as in alibaba/spring-cloud-alibaba:
// current = RocketMQConsumerProperties (push.orderly, subscription), RocketMQProducerProperties
// (sendType), RocketMQConsumerFactory.initPushConsumer (what is applied), and
// RocketMQMessageChannelBinder.createConsumerEndpoint (the group); legacy = tag
// 2.2.6.RELEASE's RocketMQConsumerProperties (orderly, tags) and RocketMQProducerProperties (sync).

#include "spring/binder_model.h"

#include <doctest/doctest.h>

namespace spring {
namespace {

using services::ServiceId;

ServiceConfig Build(const std::string& yaml, Generation g = Generation::kCurrent, ServiceId id = ServiceId::kStock) {
  LoadOptions o;
  o.env = [](const std::string&) { return std::nullopt; };
  auto source = LoadConfigText(yaml, "stock.yml", false, o);
  REQUIRE_MESSAGE(source.ok(), source.status().message());
  auto config = BuildServiceConfig(source.value(), id, g);
  REQUIRE_MESSAGE(config.ok(), config.status().message());
  return config.value();
}

std::string BuildError(const std::string& yaml) {
  LoadOptions o;
  auto source = LoadConfigText(yaml, "stock.yml", false, o);
  REQUIRE(source.ok());
  auto config = BuildServiceConfig(source.value(), ServiceId::kStock, Generation::kCurrent);
  REQUIRE(!config.ok());
  return config.status().message();
}

const Finding* FindCode(const ServiceConfig& c, const std::string& code) {
  for (const Finding& f : c.findings)
    if (f.code == code) return &f;
  return nullptr;
}

const std::string kConsumer =
    "spring.cloud.stream.function.definition: orderCreatedConsumer\n"
    "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination: order-created\n"
    "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.group: stock-consumer-group\n";

TEST_CASE("binder_model: SCSt BindingProperties and ConsumerProperties, relaxed names") {
  ServiceConfig c = Build(kConsumer +
                          "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.maxAttempts: 5\n"
                          "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.back_off_multiplier: 3\n"
                          "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.subscription: A\n");
  REQUIRE(c.functions == std::vector<std::string>{"orderCreatedConsumer"});
  const ConsumerBinding* b = c.FindConsumer("orderCreatedConsumer-in-0");
  REQUIRE(b != nullptr);
  CHECK(b->Destination() == "order-created");
  CHECK(b->Group() == "stock-consumer-group");
  CHECK(*b->max_attempts.value == 5);
  CHECK(*b->back_off_multiplier.value == 3.0);
  CHECK(*b->subscription.value == "A");
  CHECK(Where(b->max_attempts.at) == "stock.yml:4:78");
  CHECK(c.findings.empty());
}

TEST_CASE("binder_model: current binders read push.orderly, consumer.orderly is a legacy key they ignore") {
  const std::string yaml = kConsumer +
                           "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.orderly: true\n";
  ServiceConfig current = Build(yaml);
  CHECK(!current.FindConsumer("orderCreatedConsumer-in-0")->orderly.set());
  const Finding* legacy = FindCode(current, "legacy-key");
  REQUIRE(legacy != nullptr);
  CHECK(Where(legacy->at) == "stock.yml:4:1");
  CHECK(legacy->message.find("push.orderly") != std::string::npos);
  // RocketMQListenerBindingContainer (2.2.6.RELEASE) reads it.
  ServiceConfig old = Build(yaml, Generation::kLegacy);
  CHECK(*old.FindConsumer("orderCreatedConsumer-in-0")->orderly.value);
  CHECK(FindCode(old, "legacy-key") == nullptr);
  ServiceConfig push = Build(kConsumer +
                             "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.push.orderly: true\n");
  CHECK(*push.FindConsumer("orderCreatedConsumer-in-0")->orderly.value);
}

TEST_CASE("binder_model: producer.sync is legacy, sendType is current (RocketMQProducerMessageHandler.send)") {
  const std::string yaml =
      "spring.cloud.stream.rocketmq.bindings.stockFreezeFailedProducer-out-0.producer.sync: false\n"
      "spring.cloud.stream.rocketmq.bindings.stockFreezeFailedProducer-out-0.producer.sendType: Async\n";
  ServiceConfig current = Build(yaml);
  const ProducerBinding* p = current.FindProducer("stockFreezeFailedProducer-out-0");
  REQUIRE(p != nullptr);
  CHECK(*p->send_type.value == "Async");
  CHECK(!p->legacy_sync.set());
  CHECK(FindCode(current, "legacy-key") != nullptr);
  ServiceConfig old = Build(yaml, Generation::kLegacy);
  CHECK(*old.FindProducer("stockFreezeFailedProducer-out-0")->legacy_sync.value == false);
  CHECK(FindCode(old, "newer-key") != nullptr);
}

TEST_CASE("binder_model: legacy binders filter with tags, not subscription") {
  const std::string yaml = kConsumer +
                           "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.subscription: A\n";
  ServiceConfig old = Build(yaml, Generation::kLegacy);
  CHECK(!old.FindConsumer("orderCreatedConsumer-in-0")->subscription.set());
  CHECK(FindCode(old, "newer-key") != nullptr);
}

TEST_CASE("binder_model: push.maxReconsumeTimes and the batch size are never applied (RocketMQConsumerFactory)") {
  ServiceConfig c = Build(kConsumer +
                          "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.push.max-reconsume-times: 2\n"
                          "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.push.consumeMessageBatchMaxSize: 8\n");
  int ignored = 0;
  for (const Finding& f : c.findings) ignored += f.code == "ignored-key";
  CHECK(ignored == 2);
}

TEST_CASE("binder_model: the consumer's RocketMQ group is overwritten by the binding's (createConsumerEndpoint)") {
  ServiceConfig c = Build(kConsumer +
                          "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.group: other\n");
  CHECK(c.FindConsumer("orderCreatedConsumer-in-0")->Group() == "stock-consumer-group");
  CHECK(FindCode(c, "ignored-key") != nullptr);
}

TEST_CASE("binder_model: a typo gets a did-you-mean, a key in the wrong tree says where it belongs") {
  ServiceConfig c = Build(kConsumer +
                          "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attemps: 5\n");
  const Finding* typo = FindCode(c, "unknown-key");
  REQUIRE(typo != nullptr);
  CHECK(typo->message.find("did you mean consumer.max-attempts?") != std::string::npos);
  // The reference document's "spring.cloud.stream.rocketmq.bindings.<b>.consumer.max-attempts".
  ServiceConfig wrong = Build(kConsumer +
                              "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.max-attempts: 3\n");
  const Finding* tree = FindCode(wrong, "unknown-key");
  REQUIRE(tree != nullptr);
  CHECK(tree->message.find("spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attempts") !=
        std::string::npos);
}

TEST_CASE("binder_model: a value Spring cannot convert is an input error at its line and column") {
  std::string e = BuildError(kConsumer + "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attempts: three\n");
  CHECK(e.find("stock.yml:4:79: spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attempts must be "
               "an integer, not \"three\"") != std::string::npos);
  std::string b = BuildError(kConsumer + "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.push.orderly: maybe\n");
  CHECK(b.find("must be true or false") != std::string::npos);
}

TEST_CASE("binder_model: spring.cloud.stream.default applies under every binding") {
  ServiceConfig c = Build(kConsumer + "spring.cloud.stream.default.consumer.max-attempts: 7\n");
  CHECK(*c.FindConsumer("orderCreatedConsumer-in-0")->max_attempts.value == 7);
}

TEST_CASE("binder_model: without a group the binder uses anonymous_<destination> (RocketMQUtils.anonymousGroup)") {
  ServiceConfig c = Build("spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination: order-created\n");
  CHECK(c.FindConsumer("orderCreatedConsumer-in-0")->Group() == "anonymous_order-created");
}

}  // namespace
}  // namespace spring
