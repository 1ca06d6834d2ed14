#include "scenario/scenario_json.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace scenario {
namespace {

constexpr const char* kFile = "scenarios/x.json";

// The smallest valid file; error cases splice one bad piece into a copy of it.
constexpr const char* kMinimal = R"({"name": "m", "catalog": [{"product": 1, "stock": 10, "price": "19.90"}]})";

Scenario MustParse(const std::string& text) {
  base::Result<Scenario> result = ParseScenario(text, kFile);
  INFO(result.status().message());
  REQUIRE(result.ok());
  return std::move(result.value());
}

std::string ErrorOf(const std::string& text) {
  base::Result<Scenario> result = ParseScenario(text, kFile);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().IsInvalidInput());
  return result.status().message();
}

// A file with the minimal catalog (products 1 and 2) plus `rest`, which starts with ','.
std::string WithCatalog(const std::string& rest) {
  return R"({"name": "t", "catalog": [{"product": 1, "stock": 10, "price": "19.90"},
                                      {"product": 2, "stock": 5, "price": 3}])" +
         rest + "}";
}

TEST_CASE("scenario_json: minimal file gets every default") {
  Scenario s = MustParse(kMinimal);
  CHECK(s.file == kFile);
  CHECK(s.name == "m");
  CHECK(s.description.empty());
  CHECK(s.seed == 1);
  CHECK(s.mode == Mode::kDeterministic);
  CHECK(s.profile == Profile::kHardened);
  CHECK_FALSE(s.overrides.idempotency.has_value());
  CHECK(s.options.idempotency == Idempotency::kTransactional);
  CHECK(s.options.publish == Publish::kOutbox);
  CHECK(s.options.compensation_job == CompensationJob::kResend);
  CHECK(s.broker.queues_per_topic == 4);
  REQUIRE(s.broker.delay_levels_ms.size() == 18);
  CHECK(s.broker.delay_levels_ms.front() == 1000);
  CHECK(s.broker.delay_levels_ms[2] == 10000);
  CHECK(s.broker.delay_levels_ms.back() == 2 * 3600 * 1000);
  CHECK(s.broker.offset_persist_interval_ms == 5000);
  CHECK(s.broker.max_message_size == 4194304);
  CHECK(s.bindings.consumers.empty());
  CHECK(s.bindings.producers.empty());
  REQUIRE(s.catalog.size() == 1);
  CHECK(s.catalog[0].id == 1);
  CHECK(s.catalog[0].stock == 10);
  CHECK(s.catalog[0].price == 1990);
  CHECK(s.catalog[0].name.empty());
  CHECK(s.orders.empty());
  CHECK(s.generated.empty());
  CHECK(s.steps.empty());
  CHECK(s.faults.empty());
  CHECK_FALSE(s.until_ms.has_value());
  CHECK(s.expect.orders.empty());
  CHECK(s.expect.violated_invariants.empty());
  CHECK_FALSE(s.expect.stuck.has_value());
}

constexpr const char* kFull = R"json({
  "format": 1,
  "name": "full",
  "description": "every section",
  "seed": 18446744073709551615,
  "mode": "concurrent",
  "profile": "seed",
  "options": {"publish": "outbox", "freeze": "atomic"},
  "broker": {"queuesPerTopic": 8, "delayLevels": "1s  2s 250ms", "offsetPersistInterval": "1s",
             "maxMessageSize": 1024},
  "bindings": {
    "stock.orderCreatedConsumer-in-0": {"maxAttempts": 1, "backOffInitialInterval": "500ms",
        "backOffMultiplier": 1.5, "backOffMaxInterval": "2s", "maxReconsumeTimes": 0, "concurrency": 4,
        "orderly": true, "suspendCurrentQueueTime": "1h", "batchSize": 16,
        "subscription": "ORDER_CREATED || OTHER"},
    "payment.orderCreatedConsumer-in-0": {"maxReconsumeTimes": -1, "suspendCurrentQueueTime": 1},
    "order.orderCreatedProducer-out-0": {"sync": true, "group": "my-producers"}
  },
  "catalog": [{"product": 1, "stock": 10, "price": "19.90", "name": "keyboard"},
              {"product": 7, "stock": 0, "price": 5}],
  "orders": [
    {"id": "o1", "user": 7, "items": {"1": 2, "7": 1}, "at": "1s", "remark": "first"},
    {"id": "o2", "items": {"1": 1}},
    {"generate": {"count": 1000, "idPrefix": "g", "users": [1, 100], "items": {"1": [1, 3], "7": [0, 1]},
                  "start": "2s", "every": "10ms"}},
    {"generate": {"count": 3, "idPrefix": "h"}}
  ],
  "steps": [
    {"at": "30m", "restock": {"1": 5}},
    {"at": "1h", "redriveDlq": "stock-consumer-group"},
    {"at": "10s", "resetOffset": {"group": "stock-consumer-group", "topic": "order-created", "to": "earliest"}},
    {"at": 0, "resetOffset": {"group": "payment-consumer-group", "topic": "%RETRY%payment-consumer-group",
                              "to": "5s"}}
  ],
  "faults": [
    {"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "times": "always"},
    {"kind": "duplicate", "copies": 2, "order": "o1", "probability": 0.5},
    {"kind": "send-failure", "service": "order", "order": "g*", "times": 3},
    {"kind": "crash", "service": "stock", "point": "after-send"},
    {"kind": "delay", "by": "30s", "topic": "%DLQ%order-consumer-group"},
    {"kind": "slow", "latency": 250},
    {"kind": "payment-decline", "order": "o2"},
    {"kind": "broker-restart", "at": "1m", "downFor": "10s"},
    {"kind": "poison", "at": "5s", "body": "{not json", "topic": "payment-success"},
    {"kind": "consumer-error", "message": "boom"}
  ],
  "until": "2h",
  "expect": {
    "orders": {"o1": "PAID", "g1000": "CANCELLED"},
    "orderCounts": {"PAID": 10, "CANCELLED": 0},
    "payments": {"o1": "SUCCESS", "o2": "NONE"},
    "paymentCounts": {"SUCCESS": 10, "REFUNDED": 2},
    "stock": {"1": {"available": 8, "sold": 2}, "7": {}},
    "dlq": {"stock-consumer-group": 1},
    "deliveries": [{"group": "stock-consumer-group", "topic": "order-created", "order": "o1", "count": 2,
                    "calls": 6},
                   {"group": "order-consumer-group", "topic": "payment-success", "order": "g3"}],
    "invariants": {"violated": ["cancelled-not-charged", "orders-settled"]},
    "stuck": ["o2"]
  }
})json";

TEST_CASE("scenario_json: full example fills every section") {
  Scenario s = MustParse(kFull);
  CHECK(s.name == "full");
  CHECK(s.description == "every section");
  CHECK(s.seed == UINT64_MAX);
  CHECK(s.mode == Mode::kConcurrent);
  CHECK(s.profile == Profile::kSeed);

  SUBCASE("options: seed profile with two overrides") {
    CHECK(s.overrides.publish == Publish::kOutbox);
    CHECK(s.overrides.freeze == Freeze::kAtomic);
    CHECK_FALSE(s.overrides.idempotency.has_value());
    CHECK(s.options.publish == Publish::kOutbox);
    CHECK(s.options.freeze == Freeze::kAtomic);
    CHECK(s.options.idempotency == Idempotency::kSample);
    CHECK(s.options.stock_deduct == StockDeduct::kUnknownItems);
    CHECK(s.options.cancellation == Cancellation::kNone);
    CHECK(s.options.compensation_job == CompensationJob::kOff);
  }
  SUBCASE("broker") {
    CHECK(s.broker.queues_per_topic == 8);
    CHECK(s.broker.delay_levels_ms == std::vector<int64_t>{1000, 2000, 250});
    CHECK(s.broker.offset_persist_interval_ms == 1000);
    CHECK(s.broker.max_message_size == 1024);
  }
  SUBCASE("bindings") {
    REQUIRE(s.bindings.consumers.size() == 2);
    const ConsumerSettings& c = s.bindings.consumers.at("stock.orderCreatedConsumer-in-0");
    CHECK(c.max_attempts == 1);
    CHECK(c.back_off_initial_ms == 500);
    CHECK(c.back_off_multiplier == 1.5);
    CHECK(c.back_off_max_ms == 2000);
    CHECK(c.max_reconsume_times == 0);
    CHECK(c.concurrency == 4);
    CHECK(c.orderly);
    CHECK(c.suspend_current_queue_time_ms == 30000);  // clamped like the client does
    CHECK(c.batch_size == 16);
    CHECK(c.subscription == "ORDER_CREATED || OTHER");
    const ConsumerSettings& p = s.bindings.consumers.at("payment.orderCreatedConsumer-in-0");
    CHECK_FALSE(p.max_reconsume_times.has_value());
    CHECK(p.suspend_current_queue_time_ms == 10);
    CHECK(p.max_attempts == 3);
    CHECK_FALSE(p.subscription.has_value());
    const ProducerSettings& out = s.bindings.producers.at("order.orderCreatedProducer-out-0");
    CHECK(out.sync);
    CHECK(out.group == "my-producers");
  }
  SUBCASE("catalog and orders") {
    REQUIRE(s.catalog.size() == 2);
    CHECK(s.catalog[0].name == "keyboard");
    CHECK(s.catalog[1].id == 7);
    CHECK(s.catalog[1].stock == 0);
    CHECK(s.catalog[1].price == 500);
    REQUIRE(s.orders.size() == 2);
    CHECK(s.orders[0].id == "o1");
    CHECK(s.orders[0].user == 7);
    CHECK(s.orders[0].items == Items{{1, 2}, {7, 1}});
    CHECK(s.orders[0].at_ms == 1000);
    CHECK(s.orders[0].remark == "first");
    CHECK(s.orders[1].user == 1);
    CHECK(s.orders[1].at_ms == 0);
    REQUIRE(s.generated.size() == 2);
    const GeneratedOrders& g = s.generated[0];
    CHECK(g.count == 1000);
    CHECK(g.id_prefix == "g");
    CHECK(g.user_min == 1);
    CHECK(g.user_max == 100);
    CHECK(g.items.at(1) == std::pair<int64_t, int64_t>{1, 3});
    CHECK(g.items.at(7) == std::pair<int64_t, int64_t>{0, 1});
    CHECK(g.start_ms == 2000);
    CHECK(g.every_ms == 10);
    CHECK(s.generated[1].id_prefix == "h");
  }
  SUBCASE("steps") {
    REQUIRE(s.steps.size() == 4);
    CHECK(s.steps[0].at_ms == 30 * 60 * 1000);
    CHECK(s.steps[0].restock == Items{{1, 5}});
    CHECK(s.steps[1].redrive_dlq == "stock-consumer-group");
    CHECK_FALSE(s.steps[1].restock.has_value());
    REQUIRE(s.steps[2].reset_offset.has_value());
    CHECK(s.steps[2].reset_offset->group == "stock-consumer-group");
    CHECK(s.steps[2].reset_offset->topic == "order-created");
    CHECK_FALSE(s.steps[2].reset_offset->to_ms.has_value());
    CHECK(s.steps[3].reset_offset->to_ms == 5000);
    for (int i = 0; i < 4; ++i) CHECK(s.steps[i].index == i);
  }
  SUBCASE("faults") {
    REQUIRE(s.faults.size() == 10);
    for (int i = 0; i < 10; ++i) CHECK(s.faults[i].index == i);
    const std::vector<Fault>& f = s.faults;
    CHECK(f[0].kind == FaultKind::kConsumerError);
    CHECK(f[0].group == "stock-consumer-group");
    CHECK(f[0].topic == "order-created");
    CHECK_FALSE(f[0].times.has_value());
    CHECK(f[0].message == "injected consumer error");
    CHECK(f[1].kind == FaultKind::kDuplicate);
    CHECK(f[1].copies == 2);
    CHECK(f[1].order == "o1");
    CHECK(f[1].probability == 0.5);
    CHECK(f[1].times == 1);
    CHECK(f[2].kind == FaultKind::kSendFailure);
    CHECK(f[2].service == "order");
    CHECK(f[2].order == "g*");
    CHECK(f[2].times == 3);
    CHECK(f[3].kind == FaultKind::kCrash);
    CHECK(f[3].point == CrashPoint::kAfterSend);
    CHECK(f[3].restart_after_ms == 5000);
    CHECK(f[4].kind == FaultKind::kDelay);
    CHECK(f[4].by_ms == 30000);
    CHECK(f[4].topic == "%DLQ%order-consumer-group");
    CHECK(f[5].kind == FaultKind::kSlow);
    CHECK(f[5].latency_ms == 250);
    CHECK(f[6].kind == FaultKind::kPaymentDecline);
    CHECK(f[6].reason == "payment declined");
    CHECK(f[7].kind == FaultKind::kBrokerRestart);
    CHECK(f[7].at_ms == 60000);
    CHECK(f[7].down_for_ms == 10000);
    CHECK(f[8].kind == FaultKind::kPoison);
    CHECK(f[8].at_ms == 5000);
    CHECK(f[8].body == "{not json");
    CHECK(f[8].topic == "payment-success");
    CHECK(f[9].message == "boom");
  }
  SUBCASE("until and expect") {
    CHECK(s.until_ms == 2 * 3600 * 1000);
    const Expectations& x = s.expect;
    CHECK(x.orders.at("o1") == "PAID");
    CHECK(x.orders.at("g1000") == "CANCELLED");
    CHECK(x.order_counts.at("PAID") == 10);
    CHECK(x.order_counts.at("CANCELLED") == 0);
    CHECK(x.payments.at("o2") == "NONE");
    CHECK(x.payment_counts.at("REFUNDED") == 2);
    CHECK(x.stock.at(1).available == 8);
    CHECK_FALSE(x.stock.at(1).frozen.has_value());
    CHECK(x.stock.at(1).sold == 2);
    CHECK_FALSE(x.stock.at(7).available.has_value());
    CHECK(x.dlq.at("stock-consumer-group") == 1);
    REQUIRE(x.deliveries.size() == 2);
    CHECK(x.deliveries[0].count == 2);
    CHECK(x.deliveries[0].calls == 6);
    CHECK(x.deliveries[1].order == "g3");
    CHECK_FALSE(x.deliveries[1].count.has_value());
    CHECK(x.violated_invariants == std::vector<std::string>{"cancelled-not-charged", "orders-settled"});
    CHECK(x.stuck == std::vector<std::string>{"o2"});
  }
}

TEST_CASE("scenario_json: generated block defaults") {
  Scenario s = MustParse(WithCatalog(R"(, "orders": [{"generate": {"count": 3}}],
      "expect": {"orders": {"g3": "PAID"}, "invariants": "hold", "stuck": []})"));
  REQUIRE(s.generated.size() == 1);
  const GeneratedOrders& g = s.generated[0];
  CHECK(g.count == 3);
  CHECK(g.id_prefix == "g");
  CHECK(g.user_min == 1);
  CHECK(g.user_max == 1);
  CHECK(g.items.empty());
  CHECK(g.start_ms == 0);
  CHECK(g.every_ms == 0);
  CHECK(s.expect.violated_invariants.empty());
  REQUIRE(s.expect.stuck.has_value());
  CHECK(s.expect.stuck->empty());
}

TEST_CASE("scenario_json: bad JSON reports line and column") {
  struct Case {
    const char* text;
    const char* where;   // "FILE:LINE:COL: invalid JSON"
    const char* reason;  // part of the short reason
  };
  static const Case kCases[] = {
      {"{\n  \"name\": \"x\",\n  \"seed\": tru\n}", "scenarios/x.json:3:14: invalid JSON: ", "invalid literal"},
      {"{\"name\": \"x\",}", "scenarios/x.json:1:14: invalid JSON: ", "unexpected '}'"},
      {"", "scenarios/x.json:1:1: invalid JSON: ", "unexpected end of input"},
      {"{\"name\": \"x\"} extra", "scenarios/x.json:1:15: invalid JSON: ", "expected end of input"},
      // Columns count characters, not bytes: "é" is two bytes.
      {"{\"name\": \"é\", \"seed\": 1x}", "scenarios/x.json:1:24: invalid JSON: ", "syntax error"},
      {"{\"seed\": 1e999}", "scenarios/x.json:1:", "number overflow"},
  };
  for (const Case& c : kCases) {
    std::string text = c.text;
    CAPTURE(text);
    std::string message = ErrorOf(c.text);
    CHECK(message.starts_with(c.where));
    CHECK(message.find(c.reason) != std::string::npos);
    CHECK(message.find("[json.exception") == std::string::npos);
  }
}

TEST_CASE("scenario_json: an unterminated string does not flood the message") {
  std::string message = ErrorOf("{\"name\": \"" + std::string(5000, 'a'));
  CHECK(message.starts_with("scenarios/x.json:1:"));
  CHECK(message.size() < 300);
}

TEST_CASE("scenario_json: each input error names the file and the JSON path") {
  struct Case {
    const char* label;
    std::string text;
    const char* expected;  // must appear in the message, after "scenarios/x.json: "
  };
  static const Case kCases[] = {
      {"format 2", R"({"format": 2, "name": "x", "newKey": 1})",
       "/format: unsupported format 2 (this version reads format 1)"},
      {"top level not an object", "[1]", "(top level): expected an object, got array"},
      {"missing name", R"({"catalog": [{"product": 1, "stock": 1, "price": 1}]})", "/name: missing required key"},
      {"empty name", R"({"name": "", "catalog": [{"product": 1, "stock": 1, "price": 1}]})",
       "/name: must not be empty"},
      {"unknown top-level key", R"({"name": "x", "seeed": 1})",
       "/seeed: unknown key \"seeed\" (expected one of: format, name, description, seed, mode, profile, options, "
       "broker, bindings, spring, catalog, orders, steps, faults, until, expect, $schema)"},
      {"duplicate key", R"({"name": "x", "orders": [{"id": "a", "id": "b"}]})", "/orders/0/id: duplicate key \"id\""},
      {"wrong type", WithCatalog(R"(, "seed": "42")"), "/seed: expected an unsigned integer, got string \"42\""},
      {"negative seed", WithCatalog(R"(, "seed": -1)"), "/seed: expected an unsigned integer, got number -1"},
      {"unknown mode", WithCatalog(R"(, "mode": "parallel")"),
       "/mode: unknown value \"parallel\" (expected one of: deterministic, concurrent)"},
      {"unknown option value", WithCatalog(R"(, "options": {"publish": "fire-and-forget"})"),
       "/options/publish: unknown value \"fire-and-forget\" (expected one of: async, sync, outbox)"},
      {"missing catalog", R"({"name": "x"})", "/catalog: missing required key"},
      {"empty catalog", R"({"name": "x", "catalog": []})", "/catalog: must list at least one product"},
      {"duplicate product", R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": 1},
                                                         {"product": 1, "stock": 1, "price": 1}]})",
       "/catalog/1/product: duplicate product 1 (first at /catalog/0)"},
      {"negative stock", R"({"name": "x", "catalog": [{"product": 1, "stock": -1, "price": 1}]})",
       "/catalog/0/stock: must be between 0 and 1000000000, got -1"},
      {"bad money", R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": "19.999"}]})",
       "/catalog/0/price: bad money \"19.999\" (use a decimal string with at most 2 fraction digits"},
      {"money as float", R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": 19.9}]})",
       "/catalog/0/price: bad money 19.9"},
      {"broker range", WithCatalog(R"(, "broker": {"queuesPerTopic": 65})"),
       "/broker/queuesPerTopic: must be between 1 and 64, got 65"},
      {"bad delay level", WithCatalog(R"(, "broker": {"delayLevels": "1s 5x"})"),
       "/broker/delayLevels: bad duration \"5x\""},
      {"zero delay level", WithCatalog(R"(, "broker": {"delayLevels": "1s 0s"})"),
       "/broker/delayLevels: delay level \"0s\" must be greater than 0"},
      {"unknown binding", WithCatalog(R"(, "bindings": {"stock.orderCreated": {}})"),
       "/bindings/stock.orderCreated: unknown binding \"stock.orderCreated\" (expected one of: "
       "order.paymentSuccessConsumer-in-0, "},
      {"consumer key on producer", WithCatalog(R"(, "bindings": {"order.orderCreatedProducer-out-0": {"maxAttempts": 2}})"),
       "/bindings/order.orderCreatedProducer-out-0/maxAttempts: unknown key \"maxAttempts\" (expected one of: sync, "
       "group)"},
      {"producer key on consumer", WithCatalog(R"(, "bindings": {"stock.orderCreatedConsumer-in-0": {"sync": true}})"),
       "/bindings/stock.orderCreatedConsumer-in-0/sync: unknown key \"sync\""},
      {"bad subscription", WithCatalog(R"(, "bindings": {"stock.orderCreatedConsumer-in-0": {"subscription": "A | B"}})"),
       "/bindings/stock.orderCreatedConsumer-in-0/subscription: bad tag expression \"A | B\""},
      {"multiplier below 1", WithCatalog(R"(, "bindings": {"stock.orderCreatedConsumer-in-0": {"backOffMultiplier": 0.5}})"),
       "/bindings/stock.orderCreatedConsumer-in-0/backOffMultiplier: must be at least 1"},
      {"unknown order key", WithCatalog(R"(, "orders": [{"id": "o1", "itme": {"1": 1}}])"),
       "/orders/0/itme: unknown key \"itme\" (expected one of: id, user, items, at, remark)"},
      {"unknown product", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"9": 1}}])"),
       "/orders/0/items/9: unknown product 9 (catalog has 1, 2)"},
      {"bad product key", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"01": 1}}])"),
       "/orders/0/items/01: bad product id \"01\""},
      {"zero quantity", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"1": 0}}])"),
       "/orders/0/items/1: must be between 1 and 1000000000, got 0"},
      {"no items", WithCatalog(R"(, "orders": [{"id": "o1", "items": {}}])"),
       "/orders/0/items: must list at least one product"},
      {"single id inside a nested-prefix block", WithCatalog(R"(, "orders": [{"generate": {"count": 9, "idPrefix": "g1"}}, {"id": "g11", "items": {"1": 1}}])"),
       "/orders/1/id: order id \"g11\" is also generated by /orders/0/generate (g11..g19)"},
      {"duplicate order id", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o1", "items": {"1": 1}}])"),
       "/orders/1/id: duplicate order id \"o1\" (first at /orders/0)"},
      {"single id inside a generated block", WithCatalog(R"(, "orders": [{"generate": {"count": 10}}, {"id": "g7", "items": {"1": 1}}])"),
       "/orders/1/id: order id \"g7\" is also generated by /orders/0/generate (g1..g10)"},
      {"generated block covering a single id", WithCatalog(R"(, "orders": [{"id": "g7", "items": {"1": 1}}, {"generate": {"count": 10}}])"),
       "/orders/1/generate: generated ids g1..g10 include \"g7\", the id of /orders/0"},
      {"generated blocks with one prefix", WithCatalog(R"(, "orders": [{"generate": {"count": 2}}, {"generate": {"count": 5}}])"),
       "/orders/1/generate: generated ids g1..g5 overlap those of /orders/0/generate (same idPrefix \"g\")"},
      {"generated blocks with nested prefixes", WithCatalog(R"(, "orders": [{"generate": {"count": 20}}, {"generate": {"count": 5, "idPrefix": "g1"}}])"),
       "/orders/1/generate: generated ids g11..g15 collide with /orders/0/generate (both have \"g11\")"},
      {"generated blocks with nested prefixes, longer first", WithCatalog(R"(, "orders": [{"generate": {"count": 5, "idPrefix": "g1"}}, {"generate": {"count": 20}}])"),
       "/orders/1/generate: generated ids g1..g20 collide with /orders/0/generate (both have \"g11\")"},
      {"generated user range", WithCatalog(R"(, "orders": [{"generate": {"count": 2, "users": [5, 3]}}])"),
       "/orders/0/generate/users: min 5 is greater than max 3"},
      {"generated unknown product", WithCatalog(R"(, "orders": [{"generate": {"count": 2, "items": {"3": [0, 1]}}}])"),
       "/orders/0/generate/items/3: unknown product 3"},
      {"too many orders", WithCatalog(R"(, "orders": [{"generate": {"count": 10000000}}, {"generate": {"count": 1, "idPrefix": "h"}}])"),
       "/orders/1/generate/count: too many orders: 10000001 in total (at most 10000000)"},
      {"bad duration", WithCatalog(R"(, "until": "10x")"),
       "/until: bad duration \"10x\" (use e.g. \"250ms\", \"10s\", \"5m\", \"2h\")"},
      {"negative duration", WithCatalog(R"(, "until": -5)"), "/until: bad duration -5"},
      {"absurd duration", WithCatalog(R"(, "until": "100000h")"), "/until: duration \"100000h\" is too long"},
      {"duration of wrong type", WithCatalog(R"(, "until": true)"),
       "/until: expected a duration such as \"10s\", got boolean true"},
      {"step with two actions", WithCatalog(R"(, "steps": [{"at": "1s", "restock": {"1": 1}, "redriveDlq": "stock-consumer-group"}])"),
       "/steps/0: expected exactly one action (restock, redriveDlq or resetOffset), got restock and redriveDlq"},
      {"step without time", WithCatalog(R"(, "steps": [{"restock": {"1": 1}}])"), "/steps/0/at: missing required key"},
      {"redrive unknown group", WithCatalog(R"(, "steps": [{"at": 0, "redriveDlq": "stock-group"}])"),
       "/steps/0/redriveDlq: unknown group \"stock-group\" (expected one of: order-consumer-group, "
       "stock-consumer-group, payment-consumer-group)"},
      {"reset offset of a topic the group does not read",
       WithCatalog(R"(, "steps": [{"at": 0, "resetOffset": {"group": "order-consumer-group", "topic": "order-created", "to": "earliest"}}])"),
       "/steps/0/resetOffset/topic: group order-consumer-group does not consume topic order-created"},
      {"reset offset bad time",
       WithCatalog(R"(, "steps": [{"at": 0, "resetOffset": {"group": "stock-consumer-group", "topic": "order-created", "to": "latest"}}])"),
       "/steps/0/resetOffset/to: bad offset time \"latest\" (use \"earliest\" or a duration"},
      {"unknown fault kind", WithCatalog(R"(, "faults": [{"kind": "explode"}])"),
       "/faults/0/kind: unknown fault kind \"explode\" (expected one of: consumer-error, duplicate, send-failure, "
       "crash, delay, slow, payment-decline, broker-restart, poison)"},
      {"key of another fault kind", WithCatalog(R"(, "faults": [{"kind": "slow", "by": "1s"}])"),
       "/faults/0/by: unknown key \"by\" (expected one of: kind, service, group, topic, order, probability, times, "
       "latency)"},
      {"missing delay", WithCatalog(R"(, "faults": [{"kind": "delay"}])"), "/faults/0/by: missing required key"},
      {"poison without topic", WithCatalog(R"(, "faults": [{"kind": "poison", "at": 0, "body": "x"}])"),
       "/faults/0/topic: missing required key"},
      {"bad times", WithCatalog(R"(, "faults": [{"kind": "send-failure", "times": "often"}])"),
       "/faults/0/times: expected an integer >= 1 or \"always\", got string \"often\""},
      {"zero times", WithCatalog(R"(, "faults": [{"kind": "send-failure", "times": 0}])"),
       "/faults/0/times: must be at least 1, got 0"},
      {"probability above 1", WithCatalog(R"(, "faults": [{"kind": "send-failure", "probability": 1.5}])"),
       "/faults/0/probability: must be between 0 and 1, got 1.5"},
      {"unknown service", WithCatalog(R"(, "faults": [{"kind": "send-failure", "service": "shipping"}])"),
       "/faults/0/service: unknown service \"shipping\""},
      {"unknown topic", WithCatalog(R"(, "faults": [{"kind": "send-failure", "topic": "orders"}])"),
       "/faults/0/topic: unknown topic \"orders\" (expected one of: order-created,"},
      {"unknown order matcher", WithCatalog(R"(, "faults": [{"kind": "send-failure", "order": "o9"}])"),
       "/faults/0/order: unknown order \"o9\""},
      {"glob matching nothing", WithCatalog(R"(, "orders": [{"generate": {"count": 5}}], "faults": [{"kind": "send-failure", "order": "g6*"}])"),
       "/faults/0/order: no order id matches \"g6*\""},
      {"star inside a glob", WithCatalog(R"(, "faults": [{"kind": "send-failure", "order": "g*1"}])"),
       "/faults/0/order: bad order pattern \"g*1\""},
      {"unknown expect key", WithCatalog(R"(, "expect": {"order": {}})"), "/expect/order: unknown key \"order\""},
      {"expect unknown order", WithCatalog(R"(, "orders": [{"generate": {"count": 5}}], "expect": {"orders": {"g6": "PAID"}})"),
       "/expect/orders/g6: unknown order \"g6\""},
      {"expect bad status", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"1": 1}}], "expect": {"orders": {"o1": "DONE"}})"),
       "/expect/orders/o1: unknown order status \"DONE\" (expected one of: CREATED, PAID, CANCELLED)"},
      {"expect bad count status", WithCatalog(R"(, "expect": {"paymentCounts": {"NONE": 1}})"),
       "/expect/paymentCounts/NONE: unknown payment status \"NONE\" (expected one of: SUCCESS, FAILED, REFUNDED)"},
      {"expect stock of unknown product", WithCatalog(R"(, "expect": {"stock": {"5": {"sold": 1}}})"),
       "/expect/stock/5: unknown product 5"},
      {"expect stock unknown field", WithCatalog(R"(, "expect": {"stock": {"1": {"reserved": 1}}})"),
       "/expect/stock/1/reserved: unknown key \"reserved\""},
      {"expect dlq unknown group", WithCatalog(R"(, "expect": {"dlq": {"%DLQ%stock-consumer-group": 1}})"),
       "/expect/dlq/%DLQ%stock-consumer-group: unknown group"},
      {"delivery without order", WithCatalog(R"(, "expect": {"deliveries": [{"group": "stock-consumer-group", "topic": "order-created"}]})"),
       "/expect/deliveries/0/order: missing required key"},
      {"bad invariant name", WithCatalog(R"(, "expect": {"invariants": {"violated": ["stock-conserved", "no-loss"]}})"),
       "/expect/invariants/violated/1: unknown invariant \"no-loss\" (expected one of: stock-conserved, "
       "stock-non-negative, orders-settled, paid-charged-once, cancelled-not-charged, sold-matches-paid, "
       "broker-no-loss)"},
      {"invariants of wrong shape", WithCatalog(R"(, "expect": {"invariants": "all"})"),
       "/expect/invariants: expected \"hold\" or {\"violated\": [names]}, got string \"all\""},
      {"duplicate stuck order", WithCatalog(R"(, "orders": [{"id": "o1", "items": {"1": 1}}], "expect": {"stuck": ["o1", "o1"]})"),
       "/expect/stuck/1: duplicate order \"o1\""},
  };
  for (const Case& c : kCases) {
    std::string label = c.label;
    CAPTURE(label);
    std::string message = ErrorOf(c.text);
    CAPTURE(message);
    CHECK(message.starts_with(std::string(kFile) + ": "));
    CHECK(message.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("scenario_json: order matchers and ids across generated blocks") {
  SUBCASE("distinct prefixes that cannot collide") {
    // "g" (g1..g10) and "g1" (g11..g19) do not meet; "g0" ids never collide (no
    // leading zeros); "g20" is past both.
    Scenario s = MustParse(WithCatalog(R"(, "orders": [{"generate": {"count": 10}},
        {"generate": {"count": 9, "idPrefix": "g1"}}, {"generate": {"count": 50, "idPrefix": "g0"}},
        {"id": "g20", "items": {"1": 1}}],
        "faults": [{"kind": "duplicate", "order": "g0*"}, {"kind": "duplicate", "order": "*"}],
        "expect": {"orders": {"g10": "PAID", "g19": "PAID", "g050": "PAID"}})"));
    CHECK(s.generated.size() == 3);
  }
  SUBCASE("a glob may reach into the numbers") {
    Scenario s = MustParse(WithCatalog(R"(, "orders": [{"generate": {"count": 120}}],
        "faults": [{"kind": "duplicate", "order": "g12*"}])"));
    CHECK(s.faults[0].order == "g12*");
  }
  SUBCASE("empty idPrefix") {
    Scenario s = MustParse(WithCatalog(R"(, "orders": [{"generate": {"count": 3, "idPrefix": ""}}],
        "expect": {"stuck": ["3"]})"));
    CHECK(s.generated[0].id_prefix.empty());
  }
}

TEST_CASE("scenario_json: LoadScenarioFile") {
  SUBCASE("missing file") {
    base::Result<Scenario> result = LoadScenarioFile("/nonexistent/dir/x.json");
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().IsInvalidInput());
    CHECK(result.status().message().starts_with("/nonexistent/dir/x.json: cannot read file"));
  }
  SUBCASE("a directory") {
    std::string dir = std::filesystem::temp_directory_path().string();
    base::Result<Scenario> result = LoadScenarioFile(dir);
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message().starts_with(dir + ": cannot read file"));
  }
  SUBCASE("reads and labels with the path") {
    std::string path =
        (std::filesystem::temp_directory_path() / ("scenario_json_test_" + std::to_string(::getpid()) + ".json"))
            .string();
    { std::ofstream(path) << "{\"name\": \"from-file\",\n \"catalog\": 5}"; }
    base::Result<Scenario> result = LoadScenarioFile(path);
    std::remove(path.c_str());
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().message() == path + ": /catalog: expected an array, got number 5");
  }
}

TEST_CASE("scenario_json: \"spring\" files are resolved against the scenario's folder") {
  auto ok = ParseScenario(R"({"name": "s", "spring": {"stock": "../cfg/stock.yml", "order": "/abs/o.yml"},
                              "catalog": [{"product": 1, "stock": 1, "price": 1}]})",
                          "scenarios/x.json");
  REQUIRE(ok.ok());
  CHECK(ok->spring.at("stock") == "cfg/stock.yml");
  CHECK(ok->spring.at("order") == "/abs/o.yml");
  auto bad = ParseScenario(R"({"name": "s", "spring": {"shipping": "a.yml"},
                               "catalog": [{"product": 1, "stock": 1, "price": 1}]})",
                           "scenarios/x.json");
  REQUIRE(!bad.ok());
  CHECK(bad.status().message().find("/spring/shipping: unknown key") != std::string::npos);
  auto empty = ParseScenario(R"({"name": "s", "spring": {"stock": ""}, "catalog": [{"product": 1, "stock": 1, "price": 1}]})",
                             "scenarios/x.json");
  REQUIRE(!empty.ok());
  CHECK(empty.status().message().find("/spring/stock: must not be empty") != std::string::npos);
}

}  // namespace
}  // namespace scenario
