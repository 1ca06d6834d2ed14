// Which stored messages leave memory (broker::Retention, Broker::Compact): nothing a
// group may read again, whatever the retention; everything else once asked to.

#include <doctest/doctest.h>

#include <string>

#include "broker/broker.h"
#include "broker/consumer.h"
#include "testing/broker_fixture.h"

namespace broker {
namespace {

using Fixture = ::testing::BrokerFixture;

ConsumerConfig Group(const std::string& group) {
  ConsumerConfig c;
  c.group = group;
  c.topic = "orders";
  c.service = "stock";
  c.binding = "stock.in-0";
  c.filter = TagFilter("*");
  return c;
}

// Pulls and acks `n` deliveries of one message each.
void Consume(Consumer* c, int n) {
  for (int i = 0; i < n; ++i) {
    REQUIRE(c->HasDeliverable());
    Delivery d = c->Pull().value();
    c->Ack(d);
  }
}

void PutTen(Fixture* f) {
  for (int i = 0; i < 10; ++i) f->PutNew("orders", 0, "TagA", "o" + std::to_string(i));
}

TEST_CASE("retention kAll keeps every message, consumed or not") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  Consumer c(&f.broker, Group("g"));
  PutTen(&f);
  Consume(&c, 10);
  f.broker.Compact();
  CHECK(f.QueueOf("orders").first == 0);
  CHECK(f.QueueOf("orders").messages.size() == 10);
  CHECK(f.broker.dropped() == 0);
}

TEST_CASE("retention kUnconsumed drops what the group committed past, offsets and the rest unchanged") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  Consumer c(&f.broker, Group("g"));
  f.broker.set_retention(Retention::kUnconsumed);
  PutTen(&f);
  Consume(&c, 6);
  f.broker.Compact();
  const Queue& q = f.QueueOf("orders");
  CHECK(q.first == 6);
  CHECK(q.messages.size() == 4);
  CHECK(q.max_offset() == 10);
  CHECK(f.broker.dropped() == 6);
  CHECK(c.CommittedOffset(0) == 6);
  // The rest is delivered as before, at its own offsets.
  Delivery d = c.Pull().value();
  CHECK(d.messages[0]->keys == "o6");
  CHECK(d.messages[0]->queue_offset == 6);
  // A message in flight stays: the committed offset is the lowest unacked one.
  f.broker.Compact();
  CHECK(q.first == 6);
  c.Ack(d);
  Consume(&c, 3);
  f.broker.Compact();
  CHECK(q.messages.empty());
  CHECK(q.first == 10);
  f.PutNew("orders", 0, "TagA", "o10");
  CHECK(q.At(10).keys == "o10");
  CHECK(q.At(10).queue_offset == 10);
}

TEST_CASE("retention kUnpersisted keeps what a roll-back to the persisted offset delivers again") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  Consumer c(&f.broker, Group("g"));
  f.broker.set_retention(Retention::kUnpersisted);
  PutTen(&f);
  Consume(&c, 10);
  f.broker.Compact();
  CHECK(f.QueueOf("orders").first == 0);  // persisted offset still 0
  c.PersistOffsets();
  f.broker.Compact();
  CHECK(f.QueueOf("orders").first == 10);
}

TEST_CASE("a queue two groups read keeps what the slower one still needs") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  Consumer fast(&f.broker, Group("fast"));
  Consumer slow(&f.broker, Group("slow"));
  f.broker.set_retention(Retention::kUnconsumed);
  PutTen(&f);
  Consume(&fast, 10);
  Consume(&slow, 3);
  f.broker.Compact();
  CHECK(f.QueueOf("orders").first == 3);
  Delivery d = slow.Pull().value();
  CHECK(d.messages[0]->keys == "o3");
}

TEST_CASE("a DLQ keeps every message, and before_drop can veto a compaction") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  ConsumerConfig config = Group("g");
  config.max_reconsume_times = 0;
  Consumer c(&f.broker, config);
  int asked = 0;
  bool allow = false;
  f.broker.set_retention(Retention::kUnconsumed, [&] {
    ++asked;
    return allow;
  });
  PutTen(&f);
  for (int i = 0; i < 10; ++i) {
    Delivery d = c.Pull().value();
    c.SendBack(d, "boom");  // maxReconsumeTimes 0: straight to %DLQ%g
  }
  f.broker.Compact();
  CHECK(asked == 1);
  CHECK(f.QueueOf("orders").first == 0);  // vetoed
  allow = true;
  f.broker.Compact();
  CHECK(f.QueueOf("orders").first == 10);
  CHECK(f.QueueOf("%DLQ%g").messages.size() == 10);
  CHECK(f.QueueOf("%DLQ%g").first == 0);
}

TEST_CASE("Put compacts every kCompactEvery stores") {
  Fixture f(1);
  auto lock = f.exec.Lock();
  Consumer c(&f.broker, Group("g"));
  f.broker.set_retention(Retention::kUnconsumed);
  for (int64_t i = 0; i < Broker::kCompactEvery; ++i) {
    f.PutNew("orders", 0);
    Consume(&c, 1);
  }
  CHECK(f.broker.dropped() > 0);
  CHECK(f.QueueOf("orders").messages.size() < 2);
}

}  // namespace
}  // namespace broker
