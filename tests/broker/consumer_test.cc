#include "broker/consumer.h"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "broker/broker.h"
#include "testing/broker_fixture.h"

namespace broker {
namespace {

constexpr int64_t kSec = 1000, kMin = 60 * kSec, kHour = 60 * kMin;

ConsumerConfig Binding(const std::string& group, const std::string& topic, const std::string& filter = "*") {
  ConsumerConfig c;
  c.group = group;
  c.topic = topic;
  c.service = "stock";
  c.binding = "stock.in-0";
  c.filter = TagFilter(filter);
  return c;
}

using Fixture = ::testing::BrokerFixture;

std::vector<std::string> Keys(const Delivery& d) {
  std::vector<std::string> out;
  for (const Message* m : d.messages) out.push_back(m->keys);
  return out;
}

TEST_CASE("A consumer pulls only messages whose tag matches and reports the others as filtered") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  Consumer consumer(&f.broker, Binding("g", "orders", "Created || Paid"));
  f.PutNew("orders", 0, "Cancelled", "o1");
  f.PutNew("orders", 0, "", "o2");
  f.PutNew("orders", 0, "Created", "o3");
  f.PutNew("orders", 0, "created", "o4");
  f.PutNew("orders", 0, "Paid", "o5");

  std::vector<std::string> delivered;
  while (consumer.HasDeliverable()) {
    Delivery d = consumer.Pull().value();
    for (const std::string& k : Keys(d)) delivered.push_back(k);
    consumer.Ack(d);
  }
  CHECK(delivered == std::vector<std::string>{"o3", "o5"});
  std::vector<std::string> filtered;
  for (const sim::Event& e : f.sink.OfKind("filtered")) {
    filtered.push_back(e.order);
    CHECK(e.group == "g");
  }
  CHECK(filtered == std::vector<std::string>{"o1", "o2", "o4"});
  CHECK(f.sink.OfKind("deliver").size() == 2);
  CHECK(consumer.CommittedOffset(0) == 5);
}

TEST_CASE("Filtered messages never show up as unacked") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  Consumer consumer(&f.broker, Binding("g", "orders", "Created"));
  f.PutNew("orders", 0, "Other", "o1");
  f.PutNew("orders", 0, "Created", "o2");
  f.PutNew("orders", 0, "Other", "o3");

  std::vector<Consumer::Unacked> unacked = consumer.CollectUnacked();
  REQUIRE(unacked.size() == 1);
  CHECK(unacked[0].topic == "orders");
  CHECK(unacked[0].queue == 0);
  CHECK(unacked[0].offset == 1);
  CHECK(unacked[0].message->keys == "o2");

  REQUIRE(consumer.HasDeliverable());
  Delivery d = consumer.Pull().value();
  CHECK(Keys(d) == std::vector<std::string>{"o2"});
  CHECK(consumer.CollectUnacked().size() == 1);  // in flight
  consumer.Ack(d);
  CHECK(consumer.CollectUnacked().empty());
  CHECK_FALSE(consumer.HasDeliverable());
}

// src bug: Pull skips non-matching messages inside a batch without a `filtered` event,
// unlike HasDeliverable/SkipUnwanted, so the trace loses them.
TEST_CASE("Non-matching messages inside a batch are reported as filtered too") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  ConsumerConfig config = Binding("g", "orders", "Created");
  config.batch_size = 2;
  Consumer consumer(&f.broker, config);
  f.PutNew("orders", 0, "Created", "o1");
  f.PutNew("orders", 0, "Other", "o2");
  f.PutNew("orders", 0, "Created", "o3");

  REQUIRE(consumer.HasDeliverable());
  Delivery d = consumer.Pull().value();
  CHECK(Keys(d) == std::vector<std::string>{"o1", "o3"});
  std::vector<sim::Event> filtered = f.sink.OfKind("filtered");
  REQUIRE(filtered.size() == 1);
  CHECK(filtered[0].order == "o2");
}

TEST_CASE("batch_size groups consecutive messages of one queue into one delivery") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  ConsumerConfig config = Binding("g", "orders");
  config.batch_size = 2;
  Consumer consumer(&f.broker, config);
  for (const char* key : {"o1", "o2", "o3"}) f.PutNew("orders", 0, "T", key);

  Delivery first = consumer.Pull().value();
  CHECK(Keys(first) == std::vector<std::string>{"o1", "o2"});
  CHECK(first.slot == 0);
  CHECK(first.attempt == 1);
  Delivery second = consumer.Pull().value();
  CHECK(Keys(second) == std::vector<std::string>{"o3"});
  CHECK_FALSE(consumer.HasDeliverable());
}

TEST_CASE("The committed offset is the lowest offset still in flight") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  Consumer consumer(&f.broker, Binding("g", "orders"));
  for (const char* key : {"o1", "o2", "o3"}) f.PutNew("orders", 0, "T", key);

  CHECK(consumer.CommittedOffset(0) == 0);
  Delivery d1 = consumer.Pull().value();
  Delivery d2 = consumer.Pull().value();
  Delivery d3 = consumer.Pull().value();
  CHECK(Keys(d1) == std::vector<std::string>{"o1"});
  consumer.Ack(d2);
  consumer.Ack(d3);
  CHECK(consumer.CommittedOffset(0) == 0);
  std::vector<Consumer::Unacked> unacked = consumer.CollectUnacked();
  REQUIRE(unacked.size() == 1);
  CHECK(unacked[0].offset == 0);
  consumer.Ack(d1);
  CHECK(consumer.CommittedOffset(0) == 3);
}

TEST_CASE("A consumer alone in its group owns every queue of its topic") {
  Fixture f;
  auto lock = f.exec.Lock();
  Consumer consumer(&f.broker, Binding("g", "orders"));  // 4 queues by default
  for (int q = 0; q < 4; ++q) f.PutNew("orders", q, "T", "o" + std::to_string(q));

  std::set<int> queues;
  int pulls = 0;
  while (consumer.HasDeliverable() && pulls < 10) {
    Delivery d = consumer.Pull().value();
    ++pulls;
    REQUIRE(d.messages.size() == 1);
    CHECK(d.messages[0]->queue_id == d.slot);
    queues.insert(d.slot);
  }
  CHECK(pulls == 4);
  CHECK(queues == std::set<int>{0, 1, 2, 3});
}

TEST_CASE("SendBack redelivers the message from %RETRY%group after 10s, shown under its topic") {
  Fixture f;
  std::string msg_id;
  std::unique_ptr<Consumer> owned;
  {
    auto lock = f.exec.Lock();
    f.broker.EnsureTopic("orders", 1);
    owned = std::make_unique<Consumer>(&f.broker, Binding("g", "orders"));
  }
  Consumer& consumer = *owned;
  {
    auto lock = f.exec.Lock();
    msg_id = f.PutNew("orders", 0, "T", "o1").msg_id;
    Delivery d = consumer.Pull().value();
    consumer.SendBack(d, "stock too low");
    CHECK(consumer.CommittedOffset(0) == 1);
    CHECK_FALSE(consumer.HasDeliverable());
    REQUIRE(f.sink.OfKind("retry").size() == 1);
  }
  sim::Executor::Outcome out = f.exec.Run(std::nullopt);
  CHECK(out.end_ms == 10 * kSec);

  auto lock = f.exec.Lock();
  REQUIRE(consumer.HasDeliverable());
  std::vector<Consumer::Unacked> unacked = consumer.CollectUnacked();
  REQUIRE(unacked.size() == 1);
  CHECK(unacked[0].topic == "%RETRY%g");
  Delivery retry = consumer.Pull().value();
  REQUIRE(retry.messages.size() == 1);
  const Message& copy = *retry.messages[0];
  CHECK(copy.topic == "%RETRY%g");
  CHECK(copy.msg_id == msg_id);
  CHECK(copy.reconsume_times == 1);
  CHECK(copy.last_error == "stock too low");
  CHECK(retry.attempt == 2);
  std::vector<sim::Event> delivers = f.sink.OfKind("deliver");
  REQUIRE(delivers.size() == 2);
  CHECK(delivers[1].topic == "orders");
  CHECK(delivers[1].msg_id == msg_id);
  CHECK(delivers[1].attempt == 2);
  CHECK(delivers[1].t == 10 * kSec);
  consumer.Ack(retry);
  CHECK(consumer.CollectUnacked().empty());
}

TEST_CASE("SendBack past maxReconsumeTimes goes to %DLQ%group at once") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  ConsumerConfig config = Binding("g", "orders");
  config.max_reconsume_times = 0;
  Consumer consumer(&f.broker, config);
  f.PutNew("orders", 0, "T", "o1");
  consumer.SendBack(consumer.Pull().value(), "boom");

  CHECK(f.sink.OfKind("retry").empty());
  REQUIRE(f.sink.OfKind("dlq").size() == 1);
  const Topic* dlq = f.broker.FindTopic("%DLQ%g");
  REQUIRE(dlq != nullptr);
  REQUIRE(dlq->queues.size() == 1);
  CHECK(dlq->queues[0].max_offset() == 1);
  CHECK(consumer.CollectUnacked().empty());
  CHECK(consumer.CommittedOffset(0) == 1);
}

TEST_CASE("RebalanceImpl: %RETRY%group is subscribed with * and goes to one client, which takes the other "
          "binding's retries too") {
  Fixture f;
  std::unique_ptr<Consumer> orders, payments;
  {
    auto lock = f.exec.Lock();
    f.broker.EnsureTopic("orders", 1);
    f.broker.EnsureTopic("payments", 1);
    ConsumerConfig a = Binding("g", "orders"), b = Binding("g", "payments");
    a.client_id = "127.0.0.1@g|1|a";
    b.client_id = "127.0.0.1@g|1|b";
    orders = std::make_unique<Consumer>(&f.broker, a);
    payments = std::make_unique<Consumer>(&f.broker, b);
    // One queue per topic over two clients: the first client (sorted) takes it, the
    // second none, so the payments binding consumes nothing of its own topic.
    CHECK(orders->Holds(0));
    CHECK_FALSE(payments->Holds(0));
    f.PutNew("payments", 0, "T", "p1");
    CHECK_FALSE(payments->HasDeliverable());
    // Its unconsumed message is reported as such.
    REQUIRE(payments->CollectUnacked().size() == 1);
    // A failed payments message sent back lands in the retry queue the orders client holds.
    Message copy = f.broker.FindTopic("payments")->queues[0].messages[0];
    f.broker.SendBack("g", copy, 16, "stock", 0);
  }
  f.exec.Run(std::nullopt);
  auto lock = f.exec.Lock();
  REQUIRE(f.broker.FindTopic("%RETRY%g")->queues[0].max_offset() == 1);
  CHECK_FALSE(payments->HasDeliverable());
  REQUIRE(orders->HasDeliverable());
  Delivery d = orders->Pull().value();
  CHECK(Keys(d) == std::vector<std::string>{"p1"});
  CHECK(d.messages[0]->OriginalTopic() == "payments");
}

TEST_CASE("Orderly: a queue with a delivery in flight has nothing deliverable") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  ConsumerConfig config = Binding("g", "orders");
  config.orderly = true;
  Consumer consumer(&f.broker, config);
  f.PutNew("orders", 0, "T", "o1");
  f.PutNew("orders", 0, "T", "o2");

  REQUIRE(consumer.HasDeliverable());
  Delivery first = consumer.Pull().value();
  CHECK(Keys(first) == std::vector<std::string>{"o1"});
  CHECK_FALSE(consumer.HasDeliverable());
  consumer.Ack(first);
  REQUIRE(consumer.HasDeliverable());
  CHECK(Keys(consumer.Pull().value()) == std::vector<std::string>{"o2"});
}

TEST_CASE("Orderly GiveUp dead-letters the batch and the queue moves on") {
  Fixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  ConsumerConfig config = Binding("g", "orders");
  config.orderly = true;
  Consumer consumer(&f.broker, config);
  f.PutNew("orders", 0, "T", "o1");
  f.PutNew("orders", 0, "T", "o2");

  Delivery d = consumer.Pull().value();
  d.attempt = 3;  // the lane's local retries
  consumer.GiveUp(d, "boom");

  CHECK(f.sink.OfKind("retry").empty());
  REQUIRE(f.sink.OfKind("dlq").size() == 1);
  const Topic* dlq = f.broker.FindTopic("%DLQ%g");
  REQUIRE(dlq != nullptr);
  REQUIRE(dlq->queues[0].max_offset() == 1);
  const Message& dead = dlq->queues[0].messages[0];
  CHECK(dead.keys == "o1");
  CHECK(dead.reconsume_times == 3);
  CHECK(dead.last_error == "boom");
  CHECK(dead.OriginalTopic() == "orders");
  CHECK(consumer.CommittedOffset(0) == 1);
  REQUIRE(consumer.HasDeliverable());
  CHECK(Keys(consumer.Pull().value()) == std::vector<std::string>{"o2"});
}

}  // namespace
}  // namespace broker
