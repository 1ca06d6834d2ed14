// RocketMQ fidelity, round two (issue 8), through the binary: each case is named after
// the RocketMQ client, broker, mqadmin or binder method whose behaviour it checks.

#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

using testing::Outcome;
using testing::ReadFile;
using testing::Sagasim;
using testing::TempDir;

std::string Scenario(const std::string& name) { return testing::BundledScenario(name); }

bool Has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

TEST_CASE("sagasim run: ConsumeMessageOrderlyService.processConsumeResult frees the consume thread during the "
          "suspend, so a failing orderly queue does not stop the binding's other queues") {
  TempDir dir;
  // Under the old model (the suspend held the one thread) no order but o1's queue... none
  // would be PAID by 20 s; with the thread freed, o2..o4 are.
  std::string file = dir.Write("orderly.json", R"json({
    "name": "orderly-release", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}},
               {"id": "o3", "items": {"1": 1}}, {"id": "o4", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "until": "20s",
    "expect": {"orders": {"o1": "CREATED", "o2": "PAID", "o3": "PAID", "o4": "PAID"},
               "invariants": {"violated": ["orders-settled", "broker-no-loss"]}}
  })json");
  Outcome out = Sagasim("run -q " + file);
  CAPTURE(out.output);
  CHECK(out.exit_code == 0);
  // orderly is the legacy consumer.orderly key: warned about.
  CHECK(Has(out.output, "warning: " + file + ": bindings.stock.orderCreatedConsumer-in-0.orderly"));
}

TEST_CASE("sagasim run: RebalanceImpl with one client per binding (RocketMQUtils.getInstanceName) under the "
          "reference's shared groups loses messages, per-binding groups do not") {
  Outcome seed = Sagasim("run -q " + Scenario("seed-shared-group-loses-events.json"));
  CAPTURE(seed.output);
  CHECK(seed.exit_code == 0);  // the violations are the expected ones
  CHECK(Has(seed.output, "warning: "));
  CHECK(Has(seed.output, "consumer group stock-consumer-group holds 2 clients"));
  CHECK(Has(seed.output, "consumer group order-consumer-group holds 2 clients"));
  Outcome twin = Sagasim("run -q " + Scenario("shared-group-per-binding.json"));
  CAPTURE(twin.output);
  CHECK(twin.exit_code == 0);
  CHECK_FALSE(Has(twin.output, "warning: "));
}

TEST_CASE("sagasim admin consumer-connection (ConsumerConnectionSubCommand) and consumer-progress #Client IP "
          "(ConsumerProgressSubCommand) show the shared group's two clients and the queues nobody holds") {
  TempDir dir;
  Outcome run = Sagasim("run -q --state " + dir.path + " " + Scenario("seed-shared-group-loses-events.json"));
  REQUIRE(run.exit_code == 0);
  Outcome conn = Sagasim("admin consumer-connection --state " + dir.path + " -g stock-consumer-group");
  CAPTURE(conn.output);
  CHECK(conn.exit_code == 0);
  CHECK(Has(conn.output, "#ClientId"));
  CHECK(Has(conn.output, "127.0.0.1@stock-consumer-group|4101|"));
  CHECK(Has(conn.output, "%RETRY%stock-consumer-group *"));
  CHECK(Has(conn.output, "WARN: subscription inconsistent"));
  Outcome progress = Sagasim("admin consumer-progress --state " + dir.path + " -g stock-consumer-group");
  CAPTURE(progress.output);
  CHECK(progress.exit_code == 0);
  CHECK(Has(progress.output, "N/A"));
  CHECK(Has(progress.output, "127.0.0.1@stock-consumer-group|4101|"));

  TempDir hardened;
  REQUIRE(Sagasim("run -q --state " + hardened.path + " " + Scenario("shared-group-per-binding.json")).exit_code == 0);
  Outcome one = Sagasim("admin consumer-connection --state " + hardened.path +
                        " -g stock-consumer-group-orderCreatedConsumer-in-0");
  CAPTURE(one.output);
  CHECK(one.exit_code == 0);
  CHECK_FALSE(Has(one.output, "WARN: subscription inconsistent"));
  Outcome missing = Sagasim("admin consumer-connection --state " + hardened.path + " -g stock-consumer-group");
  CHECK(missing.exit_code == 2);
  CHECK(Has(missing.output, "stock-consumer-group-orderCreatedConsumer-in-0"));
}

TEST_CASE("sagasim validate: RocketMQConsumerFactory.initPushConsumer never applies maxReconsumeTimes or batchSize: "
          "validate warns and still accepts the file") {
  TempDir dir;
  std::string file = dir.Write("keys.json", R"json({
    "name": "keys", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxReconsumeTimes": 3, "batchSize": 2, "subscription": "",
                                                     "delayLevelWhenNextConsume": 2, "messageModel": "CLUSTERING"}}
  })json");
  Outcome out = Sagasim("validate " + file);
  CAPTURE(out.output);
  CHECK(out.exit_code == 0);
  CHECK(Has(out.output, "warning: " + file + ": bindings.stock.orderCreatedConsumer-in-0.maxReconsumeTimes"));
  CHECK(Has(out.output, "2021.x-2023.x binders"));
  CHECK(Has(out.output, "bindings.stock.orderCreatedConsumer-in-0.batchSize"));
  // FilterAPI.buildSubscriptionData: "" is "*", not an input error.
  CHECK(Has(out.output, "ok   " + file));
  std::string bad = dir.Write("bad.json", R"json({
    "name": "bad", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "bindings": {"stock.orderCreatedConsumer-in-0": {"messageModel": "BROADCAST"}}
  })json");
  Outcome rejected = Sagasim("validate " + bad);
  CHECK(rejected.exit_code == 2);
  CHECK(Has(rejected.output, "messageModel"));
}

TEST_CASE("sagasim run: SendMessageProcessor.consumerSendMsgBack with delayLevelWhenNextConsume -1 dead-letters "
          "the first failed delivery") {
  TempDir dir;
  std::string file = dir.Write("dlq.json", R"json({
    "name": "straight-to-dlq", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"delayLevelWhenNextConsume": -1, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 1}],
    "expect": {"dlq": {"stock-consumer-group": 1},
               "deliveries": [{"group": "stock-consumer-group", "topic": "order-created", "order": "o1", "count": 1, "calls": 1}]}
  })json");
  Outcome out = Sagasim("run -q " + file);
  CAPTURE(out.output);
  CHECK(out.exit_code == 0);
}

TEST_CASE("sagasim run: BROADCASTING (ConsumeMessageConcurrentlyService.processConsumeResult) drops a failed "
          "message instead of retrying it") {
  TempDir dir;
  std::string file = dir.Write("bc.json", R"json({
    "name": "broadcast-drop", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"messageModel": "BROADCASTING", "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 1}],
    "expect": {"dlq": {"stock-consumer-group": 0},
               "deliveries": [{"group": "stock-consumer-group", "topic": "order-created", "order": "o1", "count": 1, "calls": 1}]}
  })json");
  Outcome out = Sagasim("run -q --trace " + dir.path + "/t.jsonl " + file);
  CAPTURE(out.output);
  std::string trace = ReadFile(dir.path + "/t.jsonl");
  CHECK(Has(trace, "BROADCASTING: consume failed, message dropped"));
  CHECK_FALSE(Has(trace, "%RETRY%stock-consumer-group"));
}

TEST_CASE("sagasim run: the binder's batch listener stops at the first failing message, so `calls` does not count "
          "the messages after it") {
  TempDir dir;
  // o1..o3 in one queue and one batch; o2 fails once. o3 is called once (in the
  // redelivery), not twice.
  std::string file = dir.Write("batch.json", R"json({
    "name": "batch-stop", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"batchSize": 3, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}, {"id": "o3", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o2", "times": 1}],
    "expect": {"orderCounts": {"PAID": 3},
               "deliveries": [{"group": "stock-consumer-group", "topic": "order-created", "order": "o3", "count": 2, "calls": 1},
                              {"group": "stock-consumer-group", "topic": "order-created", "order": "o2", "count": 2, "calls": 2}]}
  })json");
  Outcome out = Sagasim("run -q " + file);
  CAPTURE(out.output);
  CHECK(out.exit_code == 0);
}

TEST_CASE("sagasim admin: ConsumeMessageOrderlyService.sendMessageBack's DLQ copy carries the msgId as "
          "ORIGIN_MESSAGE_ID, DefaultMQPushConsumerImpl.pullMessage shows a blocked orderly queue's Inflight") {
  TempDir dir;
  std::string file = dir.Write("orderly-dlq.json", R"json({
    "name": "orderly-dlq", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1, "maxReconsumeTimes": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "expect": {"dlq": {"stock-consumer-group": 1}}
  })json");
  REQUIRE(Sagasim("run -q --state " + dir.path + " " + file).exit_code == 0);
  Outcome msg = Sagasim("admin query-msg --state " + dir.path + " -i 7F000001000000000000000000000001");
  CAPTURE(msg.output);
  CHECK(Has(msg.output, "ORIGIN_MESSAGE_ID=7F000001000000000000000000000001"));
  CHECK(Has(msg.output, "Born Timestamp:      2026-01-01 00:00:01,000"));  // given up after 1 s

  TempDir blocked;
  std::string stuck = blocked.Write("blocked.json", R"json({
    "name": "orderly-blocked", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}, {"id": "o3", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "until": "10s",
    "expect": {"invariants": {"violated": ["orders-settled", "broker-no-loss"]}}
  })json");
  REQUIRE(Sagasim("run -q --state " + blocked.path + " " + stuck).exit_code == 0);
  Outcome progress =
      Sagasim("admin consumer-progress --state " + blocked.path + " -g stock-consumer-group-orderCreatedConsumer-in-0");
  CAPTURE(progress.output);
  CHECK(Has(progress.output, "Consume Inflight Total: 3"));
}

}  // namespace
