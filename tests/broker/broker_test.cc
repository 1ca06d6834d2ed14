#include "broker/broker.h"

#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <string>

#include "testing/broker_fixture.h"

namespace broker {
namespace {

constexpr int64_t kSec = 1000, kMin = 60 * kSec, kHour = 60 * kMin;

using Fixture = ::testing::BrokerFixture;

bool IsHex(const std::string& s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

TEST_CASE("msgIds (UNIQ_KEY) are 32 hex digits and unique") {
  Fixture f;
  auto lock = f.exec.Lock();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = f.broker.NewMsgId();
    CHECK(id.size() == 32);
    CHECK(IsHex(id));
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("ValidateBody rejects empty and oversize bodies like MQClientException code 13") {
  Fixture f;
  auto lock = f.exec.Lock();
  base::Status empty = f.broker.ValidateBody("");
  CHECK(empty.IsInvalidInput());
  CHECK(empty.message().find("body is empty") != std::string::npos);
  CHECK(empty.message().find("MQClientException code 13") != std::string::npos);

  base::Status big = f.broker.ValidateBody(std::string(4194305, 'x'));
  CHECK(big.IsInvalidInput());
  CHECK(big.message().find("MAX: 4194304") != std::string::npos);
  CHECK(big.message().find("MQClientException code 13") != std::string::npos);

  CHECK(f.broker.ValidateBody(std::string(4194304, 'x')).ok());
  CHECK(f.broker.ValidateBody("x").ok());
}

TEST_CASE("Put auto-creates the topic and assigns consecutive offsets per queue") {
  Fixture f;
  auto lock = f.exec.Lock();
  CHECK(f.broker.FindTopic("orders") == nullptr);
  std::set<std::string> offset_ids;
  for (int i = 0; i < 3; ++i) {
    const Message& m = f.PutNew("orders", 0);
    CHECK(m.queue_id == 0);
    CHECK(m.queue_offset == i);
    offset_ids.insert(m.offset_msg_id);
  }
  for (int i = 0; i < 2; ++i) {
    const Message& m = f.PutNew("orders", 2);
    CHECK(m.queue_id == 2);
    CHECK(m.queue_offset == i);
    CHECK(m.offset_msg_id.size() == 32);
    CHECK(IsHex(m.offset_msg_id));
    offset_ids.insert(m.offset_msg_id);
  }
  CHECK(offset_ids.size() == 5);
  const Topic* topic = f.broker.FindTopic("orders");
  REQUIRE(topic != nullptr);
  CHECK(topic->queues.size() == 4);
  CHECK(topic->queues[0].max_offset() == 3);
  CHECK(topic->queues[1].max_offset() == 0);
  CHECK(topic->queues[2].max_offset() == 2);
}

TEST_CASE("EnsureTopic keeps an existing topic's queue count") {
  Fixture f;
  auto lock = f.exec.Lock();
  CHECK(f.broker.EnsureTopic("single", 1).queues.size() == 1);
  CHECK(f.broker.EnsureTopic("single", 8).queues.size() == 1);
  CHECK(f.broker.EnsureTopic("zero", 0).queues.size() == 1);
}

TEST_CASE("DelayOfLevel follows messageDelayLevel and clamps to its ends") {
  Fixture f;
  auto lock = f.exec.Lock();
  CHECK(f.broker.DelayOfLevel(1) == 1 * kSec);
  CHECK(f.broker.DelayOfLevel(3) == 10 * kSec);
  CHECK(f.broker.DelayOfLevel(17) == 1 * kHour);
  CHECK(f.broker.DelayOfLevel(18) == 2 * kHour);
  CHECK(f.broker.DelayOfLevel(19) == 2 * kHour);
  CHECK(f.broker.DelayOfLevel(100) == 2 * kHour);
  CHECK(f.broker.DelayOfLevel(0) == 1 * kSec);
}

TEST_CASE("SendBack with reconsumeTimes 0 stores a copy in %RETRY%group after level 3 (10s)") {
  Fixture f;
  Message original;
  {
    auto lock = f.exec.Lock();
    original = f.PutNew("orders", 1);
    f.broker.SendBack("stock-group", original, 16, "stock", 0);
    const std::vector<sim::Event> retries = f.sink.OfKind("retry");
    REQUIRE(retries.size() == 1);
    CHECK(retries[0].topic == "orders");
    CHECK(retries[0].group == "stock-group");
    CHECK(retries[0].attempt == 1);
    CHECK(retries[0].detail.find("delay level 3 (10s)") != std::string::npos);
    CHECK(f.QueueOf("%RETRY%stock-group").max_offset() == 0);
  }
  sim::Executor::Outcome early = f.exec.Run(10 * kSec - 1);
  CHECK(early.hit_until);
  {
    auto lock = f.exec.Lock();
    CHECK(f.QueueOf("%RETRY%stock-group").max_offset() == 0);
  }
  sim::Executor::Outcome out = f.exec.Run(std::nullopt);
  CHECK(out.end_ms == 10 * kSec);
  auto lock = f.exec.Lock();
  CHECK(f.broker.FindTopic("%RETRY%stock-group")->queues.size() == 1);
  const Queue& retry = f.QueueOf("%RETRY%stock-group");
  REQUIRE(retry.max_offset() == 1);
  const Message& copy = retry.messages[0];
  CHECK(copy.topic == "%RETRY%stock-group");
  CHECK(copy.OriginalTopic() == "orders");
  CHECK(copy.msg_id == original.msg_id);
  CHECK(copy.reconsume_times == 1);
  CHECK(copy.Property(kPropRetryTopic) == "orders");
  CHECK(copy.Property(kPropOriginMessageId) == original.offset_msg_id);
  CHECK(copy.Property(kPropDelay) == "3");
  CHECK(copy.store_ms == 10 * kSec);
  CHECK(copy.tags == original.tags);
  CHECK(copy.body == original.body);
}

TEST_CASE("A second SendBack waits level 4 (30s) and keeps RETRY_TOPIC and ORIGIN_MESSAGE_ID") {
  Fixture f;
  Message original, first_retry;
  {
    auto lock = f.exec.Lock();
    original = f.PutNew("orders", 0);
    f.broker.SendBack("g", original, 16, "svc", 0);
  }
  f.exec.Run(std::nullopt);
  {
    auto lock = f.exec.Lock();
    first_retry = f.QueueOf("%RETRY%g").messages.at(0);
    f.broker.SendBack("g", first_retry, 16, "svc", 0);
  }
  sim::Executor::Outcome out = f.exec.Run(std::nullopt);
  CHECK(out.end_ms == 10 * kSec + 30 * kSec);
  auto lock = f.exec.Lock();
  const Queue& retry = f.QueueOf("%RETRY%g");
  REQUIRE(retry.max_offset() == 2);
  const Message& second = retry.messages[1];
  CHECK(second.reconsume_times == 2);
  CHECK(second.OriginalTopic() == "orders");
  CHECK(second.Property(kPropOriginMessageId) == original.offset_msg_id);
  CHECK(second.Property(kPropDelay) == "4");
}

TEST_CASE("SendBack at maxReconsumeTimes dead-letters immediately into %DLQ%group") {
  Fixture f;
  auto lock = f.exec.Lock();
  Message msg = f.PutNew("orders", 0);
  msg.reconsume_times = 3;
  msg.last_error = "boom";
  msg.properties[kPropDelay] = "5";
  f.broker.SendBack("g", msg, 3, "svc", 0);

  CHECK(f.sink.OfKind("retry").empty());
  const std::vector<sim::Event> dlq_events = f.sink.OfKind("dlq");
  REQUIRE(dlq_events.size() == 1);
  CHECK(dlq_events[0].topic == "orders");
  CHECK(dlq_events[0].detail.find("boom") != std::string::npos);
  const Topic* dlq = f.broker.FindTopic("%DLQ%g");
  REQUIRE(dlq != nullptr);
  CHECK(dlq->queues.size() == 1);
  REQUIRE(dlq->queues[0].max_offset() == 1);
  const Message& dead = dlq->queues[0].messages[0];
  CHECK(dead.msg_id == msg.msg_id);
  CHECK(dead.reconsume_times == 4);
  CHECK(dead.OriginalTopic() == "orders");
  CHECK(dead.Property(kPropDelay).empty());
  CHECK(dead.last_error == "boom");
  CHECK(f.broker.FindTopic("%RETRY%g") == nullptr);
}

TEST_CASE("Describe fills the trace fields from the message") {
  Message msg;
  msg.msg_id = "ID";
  msg.topic = "%RETRY%g";
  msg.tags = "T";
  msg.keys = "o7";
  msg.queue_id = 2;
  msg.queue_offset = 9;
  msg.properties = {{kPropRetryTopic, "orders"}, {kPropEventId, "e1"}, {kPropEventType, "OrderCreatedEvent"}};
  sim::Event e;
  Broker::Describe(msg, &e);
  CHECK(e.topic == "orders");
  CHECK(e.tags == "T");
  CHECK(e.queue == 2);
  CHECK(e.offset == 9);
  CHECK(e.msg_id == "ID");
  CHECK(e.event_id == "e1");
  CHECK(e.event == "OrderCreatedEvent");
  CHECK(e.order == "o7");
}

}  // namespace
}  // namespace broker
