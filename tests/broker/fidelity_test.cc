// RocketMQ fidelity, round two (issue 8): each case is named after the RocketMQ client,
// broker or Spring Cloud Alibaba binder method whose behaviour it checks. Low-level
// cases drive broker::Broker / broker::Consumer; the others run small scenarios
// in-process and read the trace.

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/broker.h"
#include "broker/consumer.h"
#include "broker/rebalance.h"
#include "broker/tag_filter.h"
#include "scenario/binder_warnings.h"
#include "services/consumer_groups.h"
#include "testing/recording_sink.h"
#include "testing/scenario_fixtures.h"

namespace {

using ::testing::ParseOrDie;
using ::testing::RecordingSink;
using ::testing::RunOrDie;

constexpr int64_t kSec = 1000;

struct BrokerFixture {
  sim::Executor exec{sim::ExecMode::kDeterministic, 1};
  RecordingSink sink;
  broker::Broker broker{broker::BrokerConfig{}, &exec, &sink};

  // REQUIRES: lock held.
  const broker::Message& PutNew(const std::string& topic, int queue, const std::string& key) {
    broker::Message msg;
    msg.msg_id = broker.NewMsgId();
    msg.topic = topic;
    msg.tags = "T";
    msg.keys = key;
    msg.body = "{}";
    msg.properties[broker::kPropUniqKey] = msg.msg_id;
    return broker.Put(std::move(msg), queue);
  }
};

broker::ConsumerConfig Client(const std::string& group, const std::string& topic, const std::string& client_id) {
  broker::ConsumerConfig c;
  c.group = group;
  c.named_group = group;
  c.topic = topic;
  c.service = "stock";
  c.binding = "stock." + topic + "-in-0";
  c.client_id = client_id;
  return c;
}

// Events of `kind` about `order` whose group is (or maps to) `group`; empty matches any.
std::vector<sim::Event> Of(const RecordingSink& sink, std::string_view kind, std::string_view group,
                           std::string_view order, std::string_view topic = "order-created") {
  std::vector<sim::Event> out;
  for (const sim::Event& e : sink.events)
    if (sim::EventKindName(e.kind) == kind && (group.empty() || services::GroupNamed(group, e.group)) &&
        (order.empty() || e.order == order) && (topic.empty() || e.topic == topic))
      out.push_back(e);
  return out;
}

scenario::RunResult Run(const std::string& text, RecordingSink* sink) {
  scenario::RunSettings settings;
  settings.seed = 1;
  return RunOrDie(ParseOrDie(text), settings, sink);
}

bool Violated(const scenario::RunResult& r, const std::string& name) {
  for (const scenario::InvariantResult& i : r.invariants)
    if (i.name == name) return !i.holds;
  return false;
}

// ---------------------------------------------------------------------------------
// 1. Orderly suspension releases the consume thread.

TEST_CASE("ConsumeMessageOrderlyService.processConsumeResult: SUSPEND_CURRENT_QUEUE_A_MOMENT goes through "
          "submitConsumeRequestLater with continueConsume=false, so the one consume thread serves the other queues") {
  // o1..o4 go to four queues (one producer thread, round robin). o1 fails forever;
  // with one consume thread the other three are still handled at once.
  const std::string text = R"json({
    "name": "orderly-release", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}},
               {"id": "o3", "items": {"1": 1}}, {"id": "o4", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "until": "20s"
  })json";
  RecordingSink sink;
  Run(text, &sink);
  std::vector<sim::Event> o1 = Of(sink, "deliver", "stock-consumer-group", "o1");
  REQUIRE(o1.size() >= 15);
  for (size_t i = 1; i < o1.size(); ++i) CHECK(o1[i].t - o1[i - 1].t == 1 * kSec);  // the 1 s suspend
  for (const char* other : {"o2", "o3", "o4"}) {
    CAPTURE(other);
    std::vector<sim::Event> acks = Of(sink, "ack", "stock-consumer-group", other);
    REQUIRE(acks.size() == 1);
    CHECK(acks[0].t < 1 * kSec);  // not behind o1's suspensions
  }
}

TEST_CASE("ConsumeMessageOrderlyService: the suspended batch keeps its queue locked and comes back after "
          "suspendCurrentQueueTime as a local redelivery") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  broker::ConsumerConfig config = Client("g", "orders", "127.0.0.1@g|1|a");
  config.orderly = true;
  broker::Consumer consumer(&f.broker, config);
  f.PutNew("orders", 0, "o1");
  f.PutNew("orders", 0, "o2");
  broker::Delivery d = consumer.Pull().value();
  d.attempt = 2;
  consumer.Suspend(std::move(d), 1 * kSec);
  CHECK_FALSE(consumer.HasDeliverable());  // o2 waits: the queue is locked
  lock.unlock();
  f.exec.Run(std::nullopt);
  lock.lock();
  REQUIRE(consumer.HasDeliverable());
  broker::Delivery again = consumer.Pull().value();
  CHECK(again.resumed);
  CHECK(again.attempt == 2);
  CHECK(again.messages[0]->keys == "o1");
}

// ---------------------------------------------------------------------------------
// 2. One client per binding, and the rebalance.

TEST_CASE("AllocateMessageQueueAveragely.allocate: contiguous blocks, the first clients take the remainder") {
  using V = std::vector<int>;
  CHECK(broker::AllocateMessageQueueAveragely(4, 2, 0) == V{0, 1});
  CHECK(broker::AllocateMessageQueueAveragely(4, 2, 1) == V{2, 3});
  CHECK(broker::AllocateMessageQueueAveragely(5, 2, 0) == V{0, 1, 2});
  CHECK(broker::AllocateMessageQueueAveragely(5, 2, 1) == V{3, 4});
  CHECK(broker::AllocateMessageQueueAveragely(4, 3, 0) == V{0, 1});
  CHECK(broker::AllocateMessageQueueAveragely(4, 3, 2) == V{3});
  CHECK(broker::AllocateMessageQueueAveragely(1, 2, 0) == V{0});
  CHECK(broker::AllocateMessageQueueAveragely(1, 2, 1).empty());
  CHECK(broker::AllocateMessageQueueAveragely(4, 1, 0) == V{0, 1, 2, 3});
}

TEST_CASE("RebalanceImpl.rebalanceByTopic: two clients of one group with different topics each take half of "
          "their own topic, the other half is allocated to a client that does not subscribe it") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  // Registered in reverse: the broker sorts the clients by client id.
  broker::Consumer payments(&f.broker, Client("g", "payments", "127.0.0.1@g|4101|b"));
  broker::Consumer orders(&f.broker, Client("g", "orders", "127.0.0.1@g|4101|a"));
  REQUIRE(f.broker.ClientsOf("g").front() == &orders);
  for (int q = 0; q < 4; ++q) {
    CAPTURE(q);
    CHECK(orders.Holds(q) == (q < 2));    // index 0: queues 0 and 1
    CHECK(payments.Holds(q) == (q >= 2));  // index 1: queues 2 and 3
  }
  CHECK(orders.Holds(4));  // %RETRY%g's one queue: index 0
  CHECK_FALSE(payments.Holds(4));
  for (int q = 0; q < 4; ++q) {
    f.PutNew("orders", q, "o" + std::to_string(q));
    f.PutNew("payments", q, "p" + std::to_string(q));
  }
  std::vector<std::string> consumed;
  for (broker::Consumer* c : {&orders, &payments})
    while (c->HasDeliverable()) {
      broker::Delivery d = c->Pull().value();
      consumed.push_back(d.messages[0]->keys);
      c->Ack(d);
    }
  std::sort(consumed.begin(), consumed.end());
  CHECK(consumed == std::vector<std::string>{"o0", "o1", "p2", "p3"});
  // The rest is never consumed, and counts as unacked.
  std::vector<std::string> left;
  for (broker::Consumer* c : {&orders, &payments})
    for (const broker::Consumer::Unacked& u : c->CollectUnacked()) left.push_back(u.message->keys);
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"o2", "o3", "p0", "p1"});
  // mqadmin's "subscription inconsistent".
  std::vector<std::string> warnings = f.broker.InconsistentSubscriptions();
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("consumer group g has 2 clients") != std::string::npos);
}

TEST_CASE("RocketMQUtils.getInstanceName: one client per binding, ids group|pid|nanoTime sorted in creation order") {
  std::string first = services::ClientId(services::ServiceId::kStock, "stock-consumer-group", 0);
  std::string second = services::ClientId(services::ServiceId::kStock, "stock-consumer-group", 1);
  CHECK(first.rfind("127.0.0.1@stock-consumer-group|", 0) == 0);
  CHECK(first != second);
  CHECK(first < second);
  const services::ConsumerBindingDef* def = services::FindConsumerBinding("stock.orderCreatedConsumer-in-0");
  REQUIRE(def != nullptr);
  CHECK(services::ConsumerGroupOf(*def, std::nullopt, services::ConsumerGroups::kPerService) ==
        "stock-consumer-group");
  CHECK(services::ConsumerGroupOf(*def, std::nullopt, services::ConsumerGroups::kPerBinding) ==
        "stock-consumer-group-orderCreatedConsumer-in-0");
  // An explicit group (a Spring file's bindings.<b>.group) is used as written.
  CHECK(services::ConsumerGroupOf(*def, std::string("shared"), services::ConsumerGroups::kPerBinding) == "shared");
  // Format 1 names keep their meaning.
  CHECK(services::GroupNamed("stock-consumer-group", "stock-consumer-group-orderCreatedConsumer-in-0"));
  CHECK(services::GroupNamed("stock-consumer-group", "stock-consumer-group"));
  CHECK_FALSE(services::GroupNamed("order-consumer-group", "stock-consumer-group-orderCreatedConsumer-in-0"));
}

TEST_CASE("RebalanceImpl under consumerGroups per-service (the reference): part of the stock group's queues are "
          "never consumed and %RETRY% copies of the other binding's topic reach the wrong handler") {
  const std::string text = R"json({
    "name": "per-service-loss", "profile": "seed", "options": {"idempotency": "transactional"},
    "catalog": [{"product": 1, "stock": 100, "price": "1.00"}],
    "orders": [{"generate": {"count": 8, "idPrefix": "g", "items": {"1": [1, 1]}, "every": "1s"}}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  CHECK(r.options.consumer_groups == services::ConsumerGroups::kPerService);
  // Stock's order-created client takes queues 0 and 1 of order-created; queues 2 and 3
  // are allocated to its payment-success client, which never reads them.
  for (const sim::Event& e : Of(sink, "deliver", "stock-consumer-group", "", "order-created")) CHECK(e.queue < 2);
  CHECK(Violated(r, "broker-no-loss"));
  CHECK(Violated(r, "orders-settled"));
}

TEST_CASE("consumerGroups per-binding: a format-1 service group in faults and expectations names each of its "
          "bindings' groups") {
  const std::string text = R"json({
    "name": "per-binding-names", "options": {"compensationJob": "off"},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxReconsumeTimes": 0, "maxAttempts": 1}},
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "expect": {"dlq": {"stock-consumer-group": 1},
               "deliveries": [{"group": "stock-consumer-group", "topic": "order-created", "order": "o1", "count": 1, "calls": 1}],
               "orders": {"o1": "CREATED"}}
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  CHECK(r.options.consumer_groups == services::ConsumerGroups::kPerBinding);
  std::vector<sim::Event> dlq = Of(sink, "dlq", "", "o1");
  REQUIRE(dlq.size() == 1);
  CHECK(dlq[0].group == "stock-consumer-group-orderCreatedConsumer-in-0");
  for (const scenario::ExpectationResult& e : r.expectations) {
    CAPTURE(e.what);
    if (e.what != "invariants") CHECK(e.holds);
  }
}

// ---------------------------------------------------------------------------------
// 3. What the binder applies.

TEST_CASE("RocketMQConsumerFactory.initPushConsumer never calls setMaxReconsumeTimes or "
          "setConsumeMessageBatchMaxSize: a scenario relying on them is warned about") {
  const std::string text = R"json({
    "name": "binder-keys", "profile": "seed",
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxReconsumeTimes": 2, "batchSize": 4, "orderly": true},
                 "order.orderCreatedProducer-out-0": {"sync": true}}
  })json";
  std::vector<std::string> w = scenario::BinderWarnings(ParseOrDie(text));
  auto has = [&w](const std::string& what) {
    for (const std::string& line : w)
      if (line.find(what) != std::string::npos) return true;
    return false;
  };
  CHECK(has("bindings.stock.orderCreatedConsumer-in-0.maxReconsumeTimes: the 2021.x-2023.x binders"));
  CHECK(has("setMaxReconsumeTimes"));
  CHECK(has("bindings.stock.orderCreatedConsumer-in-0.batchSize"));
  CHECK(has("bindings.stock.orderCreatedConsumer-in-0.orderly"));
  CHECK(has("consumer.push.orderly"));
  CHECK(has("bindings.order.orderCreatedProducer-out-0.sync"));
  CHECK(has("consumer group stock-consumer-group holds 2 clients"));
  CHECK(has("consumer group order-consumer-group holds 2 clients"));
  // The hardened profile (per-binding groups, no binder keys) has nothing to warn about.
  CHECK(scenario::BinderWarnings(ParseOrDie(R"json({"name": "h", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}]})json")).empty());
}

TEST_CASE("SendMessageProcessor.consumerSendMsgBack: delayLevelWhenNextConsume -1 goes straight to the DLQ, "
          "0 lets the broker choose reconsumeTimes + 3, N uses level N") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  const broker::Message& m = f.PutNew("orders", 0, "o1");
  f.broker.SendBack("g", m, 16, "stock", 0, -1);
  CHECK(f.sink.OfKind("dlq").size() == 1);
  CHECK(f.sink.OfKind("retry").empty());
  f.broker.SendBack("g", m, 16, "stock", 0, 5);
  REQUIRE(f.sink.OfKind("retry").size() == 1);
  CHECK(f.sink.OfKind("retry")[0].detail.find("delay level 5 (1m)") != std::string::npos);
  f.broker.SendBack("g", m, 16, "stock", 0, 0);
  REQUIRE(f.sink.OfKind("retry").size() == 2);
  CHECK(f.sink.OfKind("retry")[1].detail.find("delay level 3 (10s)") != std::string::npos);
}

TEST_CASE("RebalanceImpl BROADCASTING and ConsumeMessageConcurrentlyService.processConsumeResult: every client "
          "gets every queue, no %RETRY% queue, and a failed message is dropped") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  broker::ConsumerConfig a = Client("g", "orders", "127.0.0.1@g|1|a"), b = Client("g", "orders", "127.0.0.1@g|1|b");
  a.broadcasting = b.broadcasting = true;
  broker::Consumer ca(&f.broker, a), cb(&f.broker, b);
  for (int q = 0; q < 4; ++q) {
    CHECK(ca.Holds(q));
    CHECK(cb.Holds(q));
  }
  CHECK_FALSE(ca.Holds(4));
  f.PutNew("orders", 0, "o1");
  broker::Delivery d = ca.Pull().value();
  ca.SendBack(d, "boom");
  CHECK(f.sink.OfKind("retry").empty());
  REQUIRE(f.sink.OfKind("ack").size() == 1);
  CHECK(f.sink.OfKind("ack")[0].detail.find("BROADCASTING") != std::string::npos);
  CHECK(cb.HasDeliverable());  // the other client gets it too
}

TEST_CASE("RocketMQConsumerProperties: delayLevelWhenNextConsume and messageModel are binding keys") {
  scenario::Scenario sc = ParseOrDie(R"json({
    "name": "keys", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"delayLevelWhenNextConsume": -1, "messageModel": "BROADCASTING"}}
  })json");
  const services::ConsumerSettings& c = sc.bindings.consumers.at("stock.orderCreatedConsumer-in-0");
  CHECK(c.delay_level_when_next_consume == -1);
  CHECK(c.broadcasting);
}

// ---------------------------------------------------------------------------------
// 4. The smaller mismatches.

TEST_CASE("RocketMQInboundChannelAdapter's batch listener returns RECONSUME_LATER at the first failing message: "
          "later messages are not called, the whole batch is sent back") {
  const std::string text = R"json({
    "name": "batch-stop", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"batchSize": 3, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}, {"id": "o3", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o2", "times": 1}]
  })json";
  RecordingSink sink;
  Run(text, &sink);
  // o1 is handled alone as soon as it is published; o2 and o3 then come as one batch.
  // o2 fails, so o3 is not called; both are sent back and come again, and succeed.
  CHECK(Of(sink, "deliver", "stock-consumer-group", "o3").size() == 2);
  CHECK(Of(sink, "call", "stock-consumer-group", "o3").size() == 1);  // in the redelivery only
  CHECK(Of(sink, "retry", "stock-consumer-group", "o3").size() == 1);
  CHECK(Of(sink, "fail", "stock-consumer-group", "o3").empty());
  CHECK(Of(sink, "call", "stock-consumer-group", "o2").size() == 2);
  CHECK(Of(sink, "retry", "stock-consumer-group", "o2").size() == 1);
  // The uncalled message's retry chains from the failing message's fail.
  CHECK(Of(sink, "retry", "stock-consumer-group", "o3")[0].cause == Of(sink, "fail", "stock-consumer-group", "o2")[0].seq);
  CHECK(Of(sink, "ack", "stock-consumer-group", "o3").size() == 1);
}

TEST_CASE("ConsumeMessageOrderlyService.sendMessageBack: the orderly give-up copy carries the client msgId as "
          "ORIGIN_MESSAGE_ID and is born when the client gives up") {
  BrokerFixture f;
  std::unique_ptr<broker::Consumer> consumer;
  {
    auto lock = f.exec.Lock();
    f.broker.EnsureTopic("orders", 1);
    broker::ConsumerConfig config = Client("g", "orders", "127.0.0.1@g|1|a");
    config.orderly = true;
    consumer = std::make_unique<broker::Consumer>(&f.broker, config);
    f.PutNew("orders", 0, "o1");
    f.exec.At(7 * kSec, [&f, &consumer] {
      broker::Delivery d = consumer->Pull().value();
      d.attempt = 3;
      consumer->GiveUp(d, "boom");
    });
  }
  f.exec.Run(std::nullopt);
  auto lock = f.exec.Lock();
  const broker::Message& original = f.broker.FindTopic("orders")->queues[0].messages[0];
  const broker::Message& dead = f.broker.FindTopic("%DLQ%g")->queues[0].messages.at(0);
  CHECK(dead.Property(broker::kPropOriginMessageId) == original.msg_id);
  CHECK(dead.born_ms == 7 * kSec);
  CHECK(original.born_ms == 0);
  // The broker's own DLQ copy (concurrent, past maxReconsumeTimes) keeps the offsetMsgId.
  f.broker.SendBack("g", original, 0, "stock", 0);
  const broker::Message& broker_copy = f.broker.FindTopic("%DLQ%g")->queues[0].messages.at(1);
  CHECK(broker_copy.Property(broker::kPropOriginMessageId) == original.offset_msg_id);
  CHECK(broker_copy.born_ms == 0);
}

TEST_CASE("DefaultMQPushConsumerImpl.pullMessage keeps pulling a locked orderly queue: consumer-progress "
          "Inflight (pull offset - consumer offset) of a blocked queue with three messages is 3") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  broker::ConsumerConfig config = Client("g", "orders", "127.0.0.1@g|1|a");
  config.orderly = true;
  broker::Consumer consumer(&f.broker, config);
  for (const char* o : {"o1", "o2", "o3"}) f.PutNew("orders", 0, o);
  broker::Delivery d = consumer.Pull().value();  // o1 in flight, failing: the queue is locked
  const broker::Consumer::QueueState q = consumer.Queues()[0];
  CHECK(q.committed == 0);
  CHECK(q.next - q.committed == 3);
  consumer.Ack(d);
  CHECK(consumer.Queues()[0].next - consumer.Queues()[0].committed == 0);
}

TEST_CASE("FilterAPI.buildSubscriptionData: an empty subscription expression means *") {
  broker::TagFilter empty("");
  CHECK(empty.Matches("ANY"));
  CHECK(empty.Matches(""));
  CHECK(empty.expression() == "*");
  scenario::Scenario sc = ParseOrDie(R"json({
    "name": "empty-sub", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"subscription": ""}}
  })json");
  CHECK(sc.bindings.consumers.at("stock.orderCreatedConsumer-in-0").subscription == std::string());
}

}  // namespace
