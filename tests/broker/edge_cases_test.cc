// The edge cases of shared/reference/rocketmq-semantics.md section 12 ("Edge cases a
// faithful emulator must get right"), one TEST_CASE (or a few, for a bullet with several
// facets) per applicable case, each named "edge: <the case>".
//
// Most run small scenarios in-process and assert on the trace events (kinds, attempt and
// call numbers, virtual times); the low-level ones drive broker::Broker / broker::Consumer
// directly, and the failure-equivalence one runs a test service whose handler throws or
// returns an error.
//
// Section-12 items NOT applicable to this emulator (no test):
// - BROADCASTING's local offset store: offsets of a BROADCASTING binding are reported
//   like a clustering one's (its dropped failures are in tests/broker/fidelity_test.cc).
// - Rebalance while running (in-flight results dropped on rebalance): the clients of a
//   run are created once, before anything is consumed; the allocation itself
//   (AllocateMessageQueueAveragely over a group's clients) is in tests/broker/fidelity_test.cc.
// - An existing stored offset overriding ConsumeFromWhere across client restarts: offsets
//   live only for one run (a broker restart rolls back to the persisted ones, tested below).
// - DLQ perm 2 vs 6 (a version difference): no permission model beyond the Topic::perm
//   field; nothing reads it.
// - Producer send internals: sync-send's two internal retries, selector sends, the 3000 ms
//   total budget, SendStatus values, the 32767-byte properties limit. A failed send is
//   modelled as a whole (the `send-failure` fault); there is no selector or partitioning.
// - The delayed / scheduled-message API (setDelayTimeLevel, 5.x timers) and transactional
//   messages (half messages, check-back, TRANS_CHECK_MAX_TIME_TOPIC): the saga never uses
//   them. Only retry copies go through a schedule-topic-like delay.
// - Spring Cloud Alibaba property names (legacy `consumer.orderly` / `producer.sync` vs
//   `push.orderly` / `sendType`, ignored `push.maxReconsumeTimes` and batch sizes): the
//   format keeps its keys and runs them as written; the binder warnings saying what a real
//   binder would do are tested in tests/broker/fidelity_test.cc. Pull batch 10: no model.
// - Inbound ROCKET_* Spring headers: handlers get the stored broker::Message; what they see
//   as the topic (OriginalTopic()) is checked in the failure-equivalence case.
// - mqadmin / dashboard outputs (consumerProgress rows and columns, resetOffsetByTime
//   printing): covered by the golden files of tests/cli/admin_command_test.cc.

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker/broker.h"
#include "broker/consumer.h"
#include "report/trace_writer.h"
#include "services/consumer_groups.h"
#include "services/service.h"
#include "services/step_context.h"
#include "sim/executor.h"
#include "sim/prng.h"
#include "testing/broker_fixture.h"
#include "testing/recording_sink.h"
#include "testing/scenario_fixtures.h"

namespace {

using ::testing::ParseOrDie;
using ::testing::RecordingSink;
using ::testing::RunOrDie;

constexpr int64_t kSec = 1000, kMin = 60 * kSec, kHour = 60 * kMin;
constexpr const char* kStockGroup = "stock-consumer-group";
constexpr const char* kPaymentGroup = "payment-consumer-group";
// The hardened profile's per-binding group of Stock's order-created binding.
constexpr const char* kStockOrderCreatedGroup = "stock-consumer-group-orderCreatedConsumer-in-0";
constexpr const char* kOrderCreated = "order-created";

// ---------------------------------------------------------------------------------
// Small helpers

// RocketMQ's default messageDelayLevel, as the scenario loader builds it.
broker::BrokerConfig DefaultBrokerConfig(int queues_per_topic = 4) {
  broker::BrokerConfig c;
  c.queues_per_topic = queues_per_topic;
  c.delay_levels_ms = {1 * kSec,  5 * kSec,  10 * kSec, 30 * kSec, 1 * kMin,  2 * kMin,
                       3 * kMin,  4 * kMin,  5 * kMin,  6 * kMin,  7 * kMin,  8 * kMin,
                       9 * kMin,  10 * kMin, 20 * kMin, 30 * kMin, 1 * kHour, 2 * kHour};
  return c;
}

broker::ConsumerConfig Binding(const std::string& group, const std::string& topic, const std::string& filter = "*") {
  broker::ConsumerConfig c;
  c.group = group;
  c.topic = topic;
  c.service = "stock";
  c.binding = "stock.orderCreatedConsumer-in-0";
  c.filter = broker::TagFilter(filter);
  return c;
}

// A broker on a deterministic executor, for the low-level cases.
using ::testing::BrokerFixture;

// The events of a message's failure road.
bool IsRoadKind(sim::EventKind k) {
  using K = sim::EventKind;
  return k == K::kDeliver || k == K::kCall || k == K::kFail || k == K::kRetry || k == K::kAck || k == K::kDlq;
}

// Events of `kind` about `order` for `group` on (original) `topic`; an empty group,
// order or topic matches any.
std::vector<sim::Event> Of(const RecordingSink& sink, std::string_view kind, std::string_view group,
                           std::string_view order, std::string_view topic = kOrderCreated) {
  std::vector<sim::Event> out;
  for (const sim::Event& e : sink.events)
    if (sim::EventKindName(e.kind) == kind && (group.empty() || services::GroupNamed(group, e.group)) &&
        (order.empty() || e.order == order) &&
        (topic.empty() || e.topic == topic))
      out.push_back(e);
  return out;
}

// Stock's skip-duplicate events (they carry no topic) for `order`'s OrderCreatedEvent.
std::vector<sim::Event> StockSkippedOrderCreated(const RecordingSink& sink, std::string_view order) {
  std::vector<sim::Event> out;
  for (const sim::Event& e : Of(sink, "skip-duplicate", "", order, ""))
    if (e.service == "stock" && e.event_id.rfind("oc-", 0) == 0) out.push_back(e);
  return out;
}

std::vector<int64_t> Times(const std::vector<sim::Event>& events) {
  std::vector<int64_t> out;
  for (const sim::Event& e : events) out.push_back(e.t);
  return out;
}

// Differences between consecutive values.
std::vector<int64_t> Gaps(const std::vector<int64_t>& times) {
  std::vector<int64_t> out;
  for (size_t i = 1; i < times.size(); ++i) out.push_back(times[i] - times[i - 1]);
  return out;
}

scenario::RunResult Run(const std::string& text, RecordingSink* sink, uint64_t seed = 1) {
  scenario::RunSettings settings;
  settings.seed = seed;
  return RunOrDie(ParseOrDie(text), settings, sink);
}

// ---------------------------------------------------------------------------------
// 1. The committed offset is the lowest in-flight offset.

TEST_CASE("edge: the committed offset is the lowest in-flight offset, not the highest acked") {
  // Low level: offset 0 stays in flight while 1..4 are acked.
  BrokerFixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  broker::Consumer consumer(&f.broker, Binding("g", "orders"));
  for (int i = 0; i < 5; ++i) f.PutNew("orders", 0, "T", "o" + std::to_string(i));
  broker::Delivery slow = consumer.Pull().value();
  REQUIRE(slow.messages.front()->queue_offset == 0);
  for (int i = 1; i < 5; ++i) consumer.Ack(consumer.Pull().value());
  CHECK(consumer.CommittedOffset(0) == 0);
  CHECK_FALSE(consumer.HasDeliverable());
  consumer.PersistOffsets();
  CHECK(consumer.Queues()[0].persisted == 0);
  CHECK(consumer.Queues()[0].next == 5);

  // A restart now redelivers everything from the pinned offset, acked work included.
  consumer.RollBackToPersisted(0);
  consumer.Ack(slow);  // the dropped delivery's late result does not move anything
  CHECK(consumer.CommittedOffset(0) == 0);
  std::vector<int64_t> again;
  while (consumer.HasDeliverable()) {
    broker::Delivery d = consumer.Pull().value();
    again.push_back(d.messages.front()->queue_offset);
    consumer.Ack(d);
  }
  CHECK(again == std::vector<int64_t>{0, 1, 2, 3, 4});
  CHECK(consumer.CommittedOffset(0) == 5);
}

TEST_CASE("edge: one slow message pins the persisted offset, so a restart redelivers the acked ones after it") {
  // o1's Stock handler takes 20 s on one thread; the second thread acks o2..o4 at once.
  // Persisted offsets at 5 s and 10 s still point at o1, so the restart at 12 s
  // delivers o2..o4 to Stock a second time. Without the slow fault nothing comes twice.
  const std::string base = R"json({
    "name": "pin", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"concurrency": 2}},
    "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "1s"},
               {"id": "o3", "items": {"1": 1}, "at": "2s"}, {"id": "o4", "items": {"1": 1}, "at": "3s"}],
    "faults": [{"kind": "broker-restart", "at": "12s"})json";
  for (bool slow : {true, false}) {
    CAPTURE(slow);
    std::string text = base +
                       (slow ? R"(, {"kind": "slow", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "latency": "20s"})"
                             : "") +
                       "]}";
    RecordingSink sink;
    scenario::RunResult r = Run(text, &sink);
    for (const char* o : {"o2", "o3", "o4"}) {
      CAPTURE(o);
      std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, o);
      REQUIRE(delivers.size() == (slow ? 2u : 1u));
      REQUIRE(Of(sink, "ack", kStockGroup, o).size() == delivers.size());
      CHECK(Of(sink, "ack", kStockGroup, o).front().t < 5 * kSec);  // acked before both persists
      if (slow) CHECK(delivers[1].t == 12 * kSec);
    }
    CHECK(Of(sink, "deliver", kPaymentGroup, "o3").size() == 1);  // Payment was not pinned
    for (const auto& o : r.state.orders) CHECK(o.status == "PAID");
  }
}

// ---------------------------------------------------------------------------------
// 2. A broker restart redelivers from the last persisted offset.

TEST_CASE("edge: a broker restart redelivers everything acked since the last offset persist") {
  struct Variant {
    const char* interval;               // offsetPersistInterval
    std::set<std::string> redelivered;  // orders Stock gets twice
  };
  for (const Variant& v : {Variant{"5s", {"o2", "o3"}}, Variant{"7s", {"o3"}}}) {
    CAPTURE(v.interval);
    std::string text = R"json({
      "name": "restart", "options": {"compensationJob": "off"},
      "broker": {"queuesPerTopic": 1, "offsetPersistInterval": ")json" +
                       std::string(v.interval) + R"json("},
      "catalog": [{"product": 1, "stock": 10, "price": "1.00"}],
      "orders": [{"id": "o1", "items": {"1": 1}, "at": "1s"}, {"id": "o2", "items": {"1": 1}, "at": "6s"},
                 {"id": "o3", "items": {"1": 1}, "at": "7500ms"}],
      "faults": [{"kind": "broker-restart", "at": "8s", "downFor": "1s"}]
    })json";
    RecordingSink sink;
    scenario::RunResult r = Run(text, &sink);
    for (const char* o : {"o1", "o2", "o3"}) {
      CAPTURE(o);
      std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, o);
      bool twice = v.redelivered.count(o) > 0;
      REQUIRE(delivers.size() == (twice ? 2u : 1u));
      if (!twice) continue;
      CHECK(delivers[0].t < 8 * kSec);
      CHECK(delivers[1].t == 9 * kSec);  // nothing is consumed while the broker is down
      CHECK(delivers[1].msg_id == delivers[0].msg_id);
      CHECK(delivers[1].offset == delivers[0].offset);
      // Hardened idempotency absorbs the duplicate.
      CHECK(StockSkippedOrderCreated(sink, o).size() == 1);
    }
    CHECK(Of(sink, "fault", "", "", "").size() == 1);
    for (const auto& p : r.state.products) CHECK(p.sold == 3);
    CHECK(r.passed);
  }
}

// ---------------------------------------------------------------------------------
// 3. consumeConcurrentlyMaxSpan.

TEST_CASE("edge: concurrent pulling of a queue stops when its span exceeds consumeConcurrentlyMaxSpan (2000)") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  f.broker.EnsureTopic("orders", 1);
  broker::Consumer consumer(&f.broker, Binding("g", "orders"));
  const int64_t total = broker::Consumer::kMaxSpan + 10;
  for (int64_t i = 0; i < total; ++i) f.PutNew("orders", 0, "T", "o");

  broker::Delivery held = consumer.Pull().value();  // offset 0 stays unacked
  // Pull and ack offsets 1..1999: next = 2000, span next - committed = 2000: still pulling.
  for (int64_t i = 1; i < broker::Consumer::kMaxSpan; ++i) consumer.Ack(consumer.Pull().value());
  CHECK(consumer.Queues()[0].next == broker::Consumer::kMaxSpan);
  REQUIRE(consumer.HasDeliverable());
  // Offset 2000: next = 2001, more than 2000 past the oldest unacked one: paused.
  consumer.Ack(consumer.Pull().value());
  CHECK(consumer.Queues()[0].next == broker::Consumer::kMaxSpan + 1);
  CHECK_FALSE(consumer.HasDeliverable());
  CHECK(consumer.CommittedOffset(0) == 0);

  // Acking the old message closes the span and pulling resumes where it stopped.
  consumer.Ack(held);
  CHECK(consumer.CommittedOffset(0) == broker::Consumer::kMaxSpan + 1);
  REQUIRE(consumer.HasDeliverable());
  CHECK(consumer.Pull().value().messages.front()->queue_offset == broker::Consumer::kMaxSpan + 1);
}

// ---------------------------------------------------------------------------------
// 4. Exception == error return == RECONSUME_LATER.

// A Stock-shaped service whose order-created handler the test supplies.
class ProbeService : public services::Service {
 public:
  ProbeService(services::Env* env, services::Handler handler)
      : Service(services::ServiceId::kStock, env), handler_(std::move(handler)) {}

 protected:
  const char* Schema() const override { return "SELECT 1;"; }
  void AddConsumers() override { AddConsumer("orderCreatedConsumer-in-0", handler_); }

 private:
  services::Handler handler_;
};

// Runs one order-created message (queue 1) through ProbeService's handler to quiescence.
struct ProbeRun {
  explicit ProbeRun(services::Handler handler) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sagasim-edge-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    env.exec = &exec;
    env.broker = &broker;
    env.trace = broker.trace();
    env.producer_prng = &prng;
    env.state_dir = dir;
    service = std::make_unique<ProbeService>(&env, std::move(handler));
    base::Status s = service->Open();
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    {
      auto lock = exec.Lock();
      broker::Message msg;
      msg.msg_id = broker.NewMsgId();
      msg.topic = kOrderCreated;
      msg.tags = "ORDER_CREATED";
      msg.keys = "o1";
      msg.body = "{}";
      msg.properties[broker::kPropUniqKey] = msg.msg_id;
      msg.properties[broker::kPropEventId] = "oc-1";
      original = broker.Put(std::move(msg), 1);
    }
    exec.Run(std::nullopt);
  }
  ~ProbeRun() {
    service.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  // (kind, t, attempt, call) of the retry road's events, in order.
  std::vector<std::string> Road() const {
    std::vector<std::string> out;
    for (const sim::Event& e : sink.events)
      if (IsRoadKind(e.kind))
        out.push_back(std::string(sim::EventKindName(e.kind)) + "@" + std::to_string(e.t) + " a" + std::to_string(e.attempt) + " c" +
                      std::to_string(e.call));
    return out;
  }

  sim::Executor exec{sim::ExecMode::kDeterministic, 1};
  RecordingSink sink;
  broker::Broker broker{DefaultBrokerConfig(), &exec, &sink};
  sim::Prng prng{1, sim::kStreamProducers};
  services::Env env;
  std::string dir;
  std::unique_ptr<ProbeService> service;
  broker::Message original;
};

TEST_CASE("edge: a thrown exception and an error return are the same failure (RECONSUME_LATER): "
          "the original is acked and a new message goes to %RETRY%<group>") {
  enum class How { kThrowStd, kThrowOther, kReturnError };
  for (How how : {How::kThrowStd, How::kThrowOther, How::kReturnError}) {
    CAPTURE(static_cast<int>(how));
    struct Seen {
      std::string topic, msg_id;
      int reconsume_times;
    };
    std::vector<Seen> seen;
    // Fails every call of the first delivery, succeeds on the retried copy.
    ProbeRun run([&](const broker::Message& msg, services::StepContext&) -> base::Status {
      seen.push_back({msg.OriginalTopic(), msg.msg_id, msg.reconsume_times});
      if (msg.reconsume_times > 0) return base::Status::Ok();
      if (how == How::kThrowStd) throw std::runtime_error("boom");
      if (how == How::kThrowOther) throw 42;
      return base::Status::Failed("boom");
    });
    std::vector<std::string> road = run.Road();
    CHECK(road == std::vector<std::string>{"deliver@0 a1 c-1", "call@0 a1 c1", "fail@0 a1 c1", "call@1000 a1 c2",
                                           "fail@1000 a1 c2", "call@3000 a1 c3", "fail@3000 a1 c3",
                                           "retry@3000 a1 c-1", "deliver@13000 a2 c-1", "call@13000 a2 c1",
                                           "ack@13000 a2 c-1"});
    std::vector<sim::Event> fails = run.sink.OfKind("fail");
    REQUIRE(fails.size() == 3);
    CHECK(fails[0].detail == (how == How::kThrowOther ? "unknown exception" : "boom"));

    // The handler saw the original topic and msgId both times.
    REQUIRE(seen.size() == 4);
    for (const Seen& s : seen) {
      CHECK(s.topic == kOrderCreated);
      CHECK(s.msg_id == run.original.msg_id);
    }
    CHECK(seen.back().reconsume_times == 1);

    auto lock = run.exec.Lock();
    // The original was acked: its queue's committed offset moved past it.
    REQUIRE(run.broker.consumers().size() == 1);
    broker::Consumer* consumer = run.broker.consumers()[0];
    CHECK(consumer->CommittedOffset(1) == 1);
    CHECK(consumer->CollectUnacked().empty());
    // A new message in %RETRY%stock-consumer-group.
    const broker::Topic* retry = run.broker.FindTopic(broker::RetryTopic(kStockOrderCreatedGroup));
    REQUIRE(retry != nullptr);
    REQUIRE(retry->queues.size() == 1);
    REQUIRE(retry->queues[0].max_offset() == 1);
    const broker::Message& copy = retry->queues[0].messages[0];
    CHECK(copy.topic == "%RETRY%stock-consumer-group-orderCreatedConsumer-in-0");
    CHECK(copy.msg_id == run.original.msg_id);
    CHECK(copy.Property(broker::kPropUniqKey) == run.original.msg_id);
    CHECK(copy.offset_msg_id != run.original.offset_msg_id);
    CHECK(copy.queue_id == 0);
    CHECK(copy.queue_offset == 0);
    CHECK(copy.reconsume_times == 1);
    CHECK(copy.Property(broker::kPropRetryTopic) == kOrderCreated);
    CHECK(copy.Property(broker::kPropOriginMessageId) == run.original.offset_msg_id);
    CHECK(copy.tags == run.original.tags);
    CHECK(copy.keys == run.original.keys);
    CHECK(copy.body == run.original.body);
    CHECK(copy.store_ms == 13 * kSec);  // stored when its 10 s delay ended
    // The original stays where it was.
    const broker::Topic* topic = run.broker.FindTopic(kOrderCreated);
    REQUIRE(topic != nullptr);
    CHECK(topic->queues[1].max_offset() == 1);
    CHECK(topic->queues[1].messages[0].reconsume_times == 0);
  }
}

// ---------------------------------------------------------------------------------
// 5. Retry delays, clamping, 16 retries = 17 deliveries, 51 calls, DLQ time.

TEST_CASE("edge: the first broker retry waits 10s (level 3), then 30s, 1m, ..., 17 deliveries and 51 calls, "
          "then the DLQ at 4h46m31s with reconsumeTimes 17") {
  const std::string text = R"json({
    "name": "road", "options": {"compensationJob": "off"},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  REQUIRE(delivers.size() == 17);
  CHECK(Of(sink, "call", kStockGroup, "o1").size() == 51);
  CHECK(Of(sink, "retry", kStockGroup, "o1").size() == 16);
  // Each gap = the delivery's in-process back-off (1 s + 2 s) + the retry's delay level.
  const std::vector<int64_t> delays = {10 * kSec, 30 * kSec, 1 * kMin,  2 * kMin,  3 * kMin,  4 * kMin,
                                       5 * kMin,  6 * kMin,  7 * kMin,  8 * kMin,  9 * kMin,  10 * kMin,
                                       20 * kMin, 30 * kMin, 1 * kHour, 2 * kHour};
  std::vector<int64_t> expected_gaps;
  for (int64_t d : delays) expected_gaps.push_back(3 * kSec + d);
  CHECK(delivers[0].t == 0);
  CHECK(Gaps(Times(delivers)) == expected_gaps);
  std::vector<sim::Event> retries = Of(sink, "retry", kStockGroup, "o1");
  CHECK(retries.front().detail.find("as reconsumeTimes 1, delay level 3 (10s)") != std::string::npos);
  CHECK(retries.back().detail.find("as reconsumeTimes 16, delay level 18 (2h)") != std::string::npos);

  std::vector<sim::Event> dlq = Of(sink, "dlq", kStockGroup, "o1");
  REQUIRE(dlq.size() == 1);
  CHECK(dlq[0].t == 4 * kHour + 46 * kMin + 31 * kSec);
  CHECK(dlq[0].attempt == 17);
  CHECK(dlq[0].detail.find("after 17 deliveries") != std::string::npos);  // the copy's reconsumeTimes
  CHECK(dlq[0].msg_id == delivers[0].msg_id);
  REQUIRE(r.state.dlq.size() == 1);
  CHECK(services::GroupNamed(kStockGroup, r.state.dlq[0].group));
  CHECK(r.state.dlq[0].topic == kOrderCreated);
}

TEST_CASE("edge: retry delay levels clamp at 18 (2h) past the 16th retry") {
  // maxReconsumeTimes 18 and no in-process retry: retries 16, 17 and 18 would use
  // levels 18, 19 and 20; the last two are clamped to level 18.
  const std::string text = R"json({
    "name": "clamp", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 1, "maxReconsumeTimes": 18}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  RecordingSink sink;
  Run(text, &sink);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  REQUIRE(delivers.size() == 19);
  std::vector<int64_t> gaps = Gaps(Times(delivers));
  CHECK(gaps[0] == 10 * kSec);
  CHECK(gaps[14] == 1 * kHour);
  CHECK(gaps[15] == 2 * kHour);
  CHECK(gaps[16] == 2 * kHour);
  CHECK(gaps[17] == 2 * kHour);
  std::vector<sim::Event> dlq = Of(sink, "dlq", kStockGroup, "o1");
  REQUIRE(dlq.size() == 1);
  CHECK(dlq[0].attempt == 19);
}

// ---------------------------------------------------------------------------------
// 6. Retries keep msgId, tags and keys, under the original topic.

TEST_CASE("edge: retries keep msgId, tags and keys and are shown to the handler under the original topic") {
  const std::string text = R"json({
    "name": "keep", "options": {"compensationJob": "off"},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 3}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  std::vector<sim::Event> published = Of(sink, "publish", "", "o1");
  REQUIRE(!published.empty());
  const sim::Event& pub = published.front();
  REQUIRE(pub.topic == kOrderCreated);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  REQUIRE(delivers.size() == 2);
  CHECK(delivers[1].attempt == 2);
  // A new place (the retry queue, queue 0 offset 0) ...
  CHECK(delivers[1].queue == 0);
  CHECK(delivers[1].offset == 0);
  // ... but the same identity, shown under the original topic.
  for (const char* kind : {"deliver", "call", "ack"}) {
    CAPTURE(kind);
    for (const sim::Event& e : Of(sink, kind, kStockGroup, "o1")) {
      CHECK(e.topic == kOrderCreated);
      CHECK(e.msg_id == pub.msg_id);
      CHECK(e.tags == "ORDER_CREATED");
      CHECK(e.order == "o1");  // the key
      CHECK(e.event_id == pub.event_id);
    }
  }
  REQUIRE(Of(sink, "ack", kStockGroup, "o1").size() == 1);
  CHECK(Of(sink, "ack", kStockGroup, "o1")[0].attempt == 2);
  CHECK(r.state.orders[0].status == "PAID");
}

// ---------------------------------------------------------------------------------
// 7. %RETRY% subscribed with "*", %DLQ% never consumed.

TEST_CASE("edge: %RETRY%<group> is subscribed with * so a tag filter does not re-apply to retries") {
  // The group's subscription no longer matches tag Old (say it changed since the
  // message failed): an original tagged Old is filtered, its retry copy is delivered.
  BrokerFixture f;
  std::unique_ptr<broker::Consumer> consumer;
  std::string retried_id;
  {
    auto lock = f.exec.Lock();
    f.broker.EnsureTopic("orders", 1);
    consumer = std::make_unique<broker::Consumer>(&f.broker, Binding("g", "orders", "New"));
    broker::Message failed = f.PutNew("orders", 0, "Old", "o1");
    retried_id = failed.msg_id;
    f.broker.SendBack("g", failed, 16, "stock", 0);
    CHECK_FALSE(consumer->HasDeliverable());  // o1 itself is filtered
  }
  f.exec.Run(std::nullopt);
  auto lock = f.exec.Lock();
  f.PutNew("orders", 0, "Old", "o2");
  std::vector<std::string> delivered;
  while (consumer->HasDeliverable()) {
    broker::Delivery d = consumer->Pull().value();
    for (const broker::Message* m : d.messages) {
      delivered.push_back(m->keys);
      CHECK(m->tags == "Old");
      CHECK(m->msg_id == retried_id);
    }
    consumer->Ack(d);
  }
  CHECK(delivered == std::vector<std::string>{"o1"});
  std::vector<std::string> filtered;
  for (const sim::Event& e : f.sink.OfKind("filtered")) filtered.push_back(e.order);
  CHECK(filtered == std::vector<std::string>{"o1", "o2"});
  CHECK(consumer->CollectUnacked().empty());
}

TEST_CASE("edge: %DLQ%<group> has 1 queue and is never consumed automatically") {
  BrokerFixture f;
  auto lock = f.exec.Lock();
  broker::ConsumerConfig config = Binding("g", "orders");
  config.max_reconsume_times = 0;
  broker::Consumer consumer(&f.broker, config);
  f.PutNew("orders", 2, "T", "o1");
  consumer.SendBack(consumer.Pull().value(), "boom");
  const broker::Topic* dlq = f.broker.FindTopic("%DLQ%g");
  REQUIRE(dlq != nullptr);
  CHECK(dlq->queues.size() == 1);
  CHECK(dlq->queues[0].max_offset() == 1);
  CHECK_FALSE(consumer.HasDeliverable());
  CHECK(consumer.CollectUnacked().empty());
  for (const broker::Consumer::QueueState& q : consumer.Queues()) CHECK(q.topic != "%DLQ%g");
  CHECK(f.sink.OfKind("deliver").size() == 1);

  // End to end: a dead-lettered message stays there and the run still ends.
  const std::string text = R"json({
    "name": "dlq", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 1, "maxReconsumeTimes": 0}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  lock.unlock();
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  CHECK_FALSE(r.state.hit_until);
  CHECK(Of(sink, "deliver", kStockGroup, "o1").size() == 1);
  CHECK(Of(sink, "dlq", kStockGroup, "o1").size() == 1);
  REQUIRE(r.state.dlq.size() == 1);
  CHECK(r.stuck == std::vector<std::string>{"o1"});
}

// ---------------------------------------------------------------------------------
// 8. Orderly consumption.

TEST_CASE("edge: orderly failure blocks the queue and retries locally every suspendCurrentQueueTime, "
          "with no %RETRY% message") {
  struct Variant {
    const char* suspend;
    int64_t gap_ms;  // clamped to [10 ms, 30 s]
  };
  for (const Variant& v : {Variant{"500ms", 500}, Variant{"1ms", 10}, Variant{"1m", 30 * kSec}}) {
    CAPTURE(v.suspend);
    std::string text = R"json({
      "name": "orderly", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
      "bindings": {"stock.orderCreatedConsumer-in-0":
                     {"orderly": true, "maxAttempts": 1, "suspendCurrentQueueTime": ")json" +
                       std::string(v.suspend) + R"json("}},
      "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
      "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
      "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 3}]
    })json";
    RecordingSink sink;
    scenario::RunResult r = Run(text, &sink);
    std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
    REQUIRE(delivers.size() == 4);
    CHECK(Gaps(Times(delivers)) == std::vector<int64_t>{v.gap_ms, v.gap_ms, v.gap_ms});
    for (size_t i = 0; i < delivers.size(); ++i) CHECK(delivers[i].attempt == static_cast<int>(i) + 1);
    for (const sim::Event& e : Of(sink, "retry", kStockGroup, "", "")) {
      CHECK(e.detail.find("%RETRY%") == std::string::npos);
      CHECK(e.detail.find("orderly: queue suspended") != std::string::npos);
    }
    // o2 waited behind o1 in the same queue.
    std::vector<sim::Event> o2 = Of(sink, "deliver", kStockGroup, "o2");
    REQUIRE(o2.size() == 1);
    CHECK(o2[0].t >= Of(sink, "ack", kStockGroup, "o1").at(0).t);
    CHECK(o2[0].t == 3 * v.gap_ms);
    CHECK(Of(sink, "dlq", "", "", "").empty());
    CHECK(r.state.orders[0].status == "PAID");
    CHECK(r.state.orders[1].status == "PAID");
  }
}

TEST_CASE("edge: orderly failure retries forever by default (no DLQ), blocking the rest of its queue") {
  // All defaults: 3 calls (1 s + 2 s back-off), then a 1 s suspend: one delivery every 4 s.
  const std::string text = R"json({
    "name": "orderly-forever", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}],
    "until": "2m"
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  CHECK(r.state.hit_until);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  CHECK(delivers.size() >= 30);
  for (int64_t gap : Gaps(Times(delivers))) CHECK(gap == 4 * kSec);
  CHECK(delivers.back().attempt == static_cast<int>(delivers.size()));
  CHECK(Of(sink, "call", kStockGroup, "o1").size() >= 3 * delivers.size() - 3);
  CHECK(Of(sink, "dlq", "", "", "").empty());
  CHECK(Of(sink, "deliver", kStockGroup, "o2").empty());
  CHECK(r.state.dlq.empty());
}

TEST_CASE("edge: orderly with maxReconsumeTimes N goes to the DLQ after N+1 deliveries and the queue moves on") {
  const std::string text = R"json({
    "name": "orderly-dlq", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"orderly": true, "maxAttempts": 1, "maxReconsumeTimes": 2}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  REQUIRE(delivers.size() == 3);
  CHECK(Gaps(Times(delivers)) == std::vector<int64_t>{1 * kSec, 1 * kSec});
  std::vector<sim::Event> dlq = Of(sink, "dlq", kStockGroup, "o1");
  REQUIRE(dlq.size() == 1);
  CHECK(dlq[0].attempt == 3);
  CHECK(dlq[0].t == 2 * kSec);
  CHECK(Of(sink, "retry", kStockGroup, "o1").size() == 2);  // local suspends only
  for (const sim::Event& e : Of(sink, "retry", kStockGroup, "o1")) CHECK(e.detail.find("%RETRY%") == std::string::npos);
  // The queue moved on: o2 is handled after o1 was dead-lettered.
  std::vector<sim::Event> o2 = Of(sink, "ack", kStockGroup, "o2");
  REQUIRE(o2.size() == 1);
  CHECK(o2[0].t >= dlq[0].t);
  REQUIRE(r.state.dlq.size() == 1);
  CHECK(r.state.dlq[0].order_no == "o1");
  CHECK(r.state.orders[1].status == "PAID");
}

// ---------------------------------------------------------------------------------
// New groups start at offset 0.

TEST_CASE("edge: a new group starts at offset 0 of its topic and of its retry queue") {
  BrokerFixture f;
  {
    auto lock = f.exec.Lock();
    f.broker.EnsureTopic("orders", 1);
    f.PutNew("orders", 0, "T", "o1");
    f.PutNew("orders", 0, "T", "o2");
    broker::Message failed = f.PutNew("orders", 0, "T", "o3");
    f.broker.SendBack("g", failed, 16, "stock", 0);  // a retry copy waiting for the group
  }
  f.exec.Run(std::nullopt);
  auto lock = f.exec.Lock();
  broker::Consumer consumer(&f.broker, Binding("g", "orders"));  // subscribes after all that
  std::vector<std::string> delivered;
  while (consumer.HasDeliverable()) {
    broker::Delivery d = consumer.Pull().value();
    delivered.push_back(d.messages.front()->keys + "@" + d.messages.front()->topic);
    consumer.Ack(d);
  }
  std::multiset<std::string> got(delivered.begin(), delivered.end());
  CHECK(got == std::multiset<std::string>{"o1@orders", "o2@orders", "o3@orders", "o3@%RETRY%g"});
}

// ---------------------------------------------------------------------------------
// 9. Queue counts.

TEST_CASE("edge: auto-created topics get queuesPerTopic (4) queues, %RETRY% and %DLQ% topics 1") {
  for (int per_topic : {4, 8}) {
    CAPTURE(per_topic);
    BrokerFixture f(per_topic);
    auto lock = f.exec.Lock();
    broker::Consumer consumer(&f.broker, Binding("g", "subscribed"));
    f.PutNew("sent-to", 0, "T", "o1");
    const broker::Topic* subscribed = f.broker.FindTopic("subscribed");
    const broker::Topic* sent_to = f.broker.FindTopic("sent-to");
    REQUIRE(subscribed != nullptr);
    REQUIRE(sent_to != nullptr);
    CHECK(subscribed->queues.size() == static_cast<size_t>(per_topic));
    CHECK(sent_to->queues.size() == static_cast<size_t>(per_topic));
    const broker::Topic* retry = f.broker.FindTopic("%RETRY%g");
    REQUIRE(retry != nullptr);
    CHECK(retry->queues.size() == 1);
    f.broker.DeadLetter("g2", sent_to->queues[0].messages[0], "stock", 0);
    const broker::Topic* dlq = f.broker.FindTopic("%DLQ%g2");
    REQUIRE(dlq != nullptr);
    CHECK(dlq->queues.size() == 1);
  }
}

// ---------------------------------------------------------------------------------
// 10. Producer round robin per thread from a seeded start.

// Queues of Order's order-created publishes (sent by its API lane under async publishing).
std::vector<int> PublishQueues(uint64_t seed) {
  const std::string text = R"json({
    "name": "rr", "options": {"compensationJob": "off", "publish": "async"},
    "catalog": [{"product": 1, "stock": 50, "price": "1.00"}],
    "orders": [{"generate": {"count": 9, "every": "1s"}}]
  })json";
  RecordingSink sink;
  Run(text, &sink, seed);
  std::vector<int> out;
  for (const sim::Event& e : sink.OfKind("publish"))
    if (e.topic == kOrderCreated) {
      CHECK(e.detail == "async send");
      CHECK(e.service == "order");
      out.push_back(e.queue);
    }
  return out;
}

TEST_CASE("edge: a producer thread sends round robin over the queues from a seeded random start") {
  std::set<int> starts;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    CAPTURE(seed);
    std::vector<int> queues = PublishQueues(seed);
    REQUIRE(queues.size() == 9);
    for (size_t i = 1; i < queues.size(); ++i) CHECK(queues[i] == (queues[i - 1] + 1) % 4);
    starts.insert(queues[0]);
    CHECK(PublishQueues(seed) == queues);  // the start is the seed's, not the run's luck
  }
  CHECK(starts.size() > 1);
}

// ---------------------------------------------------------------------------------
// 11. Body size limits at send.

TEST_CASE("edge: a body over maxMessageSize is rejected at send with code 13, before anything is stored") {
  const std::string text = R"json({
    "name": "big", "options": {"compensationJob": "off", "publish": "async"},
    "broker": {"maxMessageSize": 64},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  std::vector<sim::Event> failed = Of(sink, "send-failed", "", "o1");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].topic == kOrderCreated);
  CHECK(failed[0].detail.find("MAX: 64") != std::string::npos);
  CHECK(failed[0].detail.find("code 13") != std::string::npos);
  CHECK(Of(sink, "publish", "", "o1").empty());
  CHECK(Of(sink, "deliver", "", "o1").empty());
  CHECK(r.state.orders[0].status == "CREATED");  // async publishing lost the event
}

// RocketMQ's broker itself refuses bodies over maxMessageSize (and the client refuses
// empty ones): a poison send must fail with code 13 and nothing reach a consumer.
TEST_CASE("edge: a poison body over maxMessageSize is refused at send like any other body") {
  const std::string text = R"json({
    "name": "big-poison", "options": {"compensationJob": "off"},
    "broker": {"maxMessageSize": 1024},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "poison", "topic": "order-created", "at": "1s", "body": ")json" +
                           std::string(2000, 'x') + R"json("}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  int poison_publishes = 0;
  for (const sim::Event& e : sink.OfKind("publish")) poison_publishes += e.detail == "poison";
  CHECK(poison_publishes == 0);
  CHECK(r.state.dlq.empty());
  bool refused = false;
  for (const sim::Event& e : sink.OfKind("send-failed")) refused = refused || e.detail.find("code 13") != std::string::npos;
  CHECK(refused);
}

// ---------------------------------------------------------------------------------
// 12, 13. max-attempts: in-process, blocking the consume thread.

TEST_CASE("edge: max-attempts retries happen in-process with exponential back-off capped by backOffMaxInterval") {
  struct Variant {
    const char* binding;
    std::vector<int64_t> gaps;
  };
  for (const Variant& v : {
           Variant{"{}", {1 * kSec, 2 * kSec}},
           Variant{R"({"maxAttempts": 5})", {1 * kSec, 2 * kSec, 4 * kSec, 8 * kSec}},
           Variant{R"({"backOffInitialInterval": "4s", "backOffMultiplier": 3, "backOffMaxInterval": "10s"})",
                   {4 * kSec, 10 * kSec}},
       }) {
    CAPTURE(v.binding);
    std::string text = R"json({
      "name": "backoff", "options": {"compensationJob": "off"},
      "bindings": {"stock.orderCreatedConsumer-in-0": )json" +
                       std::string(v.binding) + R"json(},
      "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
      "orders": [{"id": "o1", "items": {"1": 1}}],
      "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1",
                  "times": )json" + std::to_string(v.gaps.size() + 1) +
                       R"json(}]
    })json";
    RecordingSink sink;
    Run(text, &sink);
    std::vector<sim::Event> calls = Of(sink, "call", kStockGroup, "o1");
    REQUIRE(calls.size() >= v.gaps.size() + 1);
    calls.resize(v.gaps.size() + 1);  // the first delivery's calls
    for (size_t i = 0; i < calls.size(); ++i) {
      CHECK(calls[i].attempt == 1);
      CHECK(calls[i].call == static_cast<int>(i) + 1);
    }
    CHECK(Gaps(Times(calls)) == v.gaps);
    // One broker delivery for all of them, then the retry at the last call's time.
    std::vector<sim::Event> retries = Of(sink, "retry", kStockGroup, "o1");
    REQUIRE(retries.size() == 1);
    CHECK(retries[0].t == calls.back().t);
  }
}

TEST_CASE("edge: in-process back-off blocks the consume thread: with concurrency 1 a message in another queue waits") {
  // o1 fails three times (calls at 0, 1 s, 3 s); o2 is published at 500 ms to the next
  // queue. With one Stock thread it is delivered only when o1's delivery has failed.
  for (int concurrency : {1, 2}) {
    CAPTURE(concurrency);
    std::string text = R"json({
      "name": "blocked", "options": {"compensationJob": "off"},
      "bindings": {"stock.orderCreatedConsumer-in-0": {"concurrency": )json" +
                       std::to_string(concurrency) + R"json(}},
      "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
      "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "500ms"}],
      "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 3}]
    })json";
    RecordingSink sink;
    Run(text, &sink);
    std::vector<sim::Event> o1 = Of(sink, "deliver", kStockGroup, "o1");
    std::vector<sim::Event> o2 = Of(sink, "deliver", kStockGroup, "o2");
    REQUIRE(o1.size() == 2);
    REQUIRE(o2.size() == 1);
    CHECK(o2[0].queue != o1[0].queue);
    CHECK(o2[0].t == (concurrency == 1 ? 3 * kSec : 500));
    CHECK(Of(sink, "deliver", kPaymentGroup, "o2").at(0).t == 500);  // other groups are not held up
  }
}

TEST_CASE("edge: with maxAttempts 1 there is no in-process retry (one call per delivery)") {
  const std::string text = R"json({
    "name": "one-attempt", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 1, "maxReconsumeTimes": 2}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"}]
  })json";
  RecordingSink sink;
  Run(text, &sink);
  std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, "o1");
  std::vector<sim::Event> calls = Of(sink, "call", kStockGroup, "o1");
  REQUIRE(delivers.size() == 3);
  REQUIRE(calls.size() == 3);
  for (size_t i = 0; i < calls.size(); ++i) {
    CHECK(calls[i].call == 1);
    CHECK(calls[i].attempt == static_cast<int>(i) + 1);
    CHECK(calls[i].t == delivers[i].t);
  }
  CHECK(Gaps(Times(delivers)) == std::vector<int64_t>{10 * kSec, 30 * kSec});  // no back-off in them
  REQUIRE(Of(sink, "dlq", kStockGroup, "o1").size() == 1);
  CHECK(Of(sink, "dlq", kStockGroup, "o1")[0].t == 40 * kSec);
}

// ---------------------------------------------------------------------------------
// 14. The retry road's trace.

TEST_CASE("edge: the retry road's trace events carry the delivery number (attempt) and the call number") {
  // Two calls per delivery, two deliveries; o1 always fails (ends in the DLQ), o2 fails
  // three calls (succeeds on its second delivery's second call).
  const std::string text = R"json({
    "name": "road-trace", "options": {"compensationJob": "off"}, "broker": {"queuesPerTopic": 1},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 2, "maxReconsumeTimes": 1}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "1m"}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": "always"},
               {"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o2", "times": 3}]
  })json";
  RecordingSink sink;
  Run(text, &sink);
  auto road = [&](const char* order) {
    std::vector<std::string> out;
    for (const sim::Event& e : sink.events) {
      if (!services::GroupNamed(kStockGroup, e.group) || e.order != order || e.topic != kOrderCreated) continue;
      if (!IsRoadKind(e.kind)) continue;
      // The JSON line as the trace file holds it: `call` only on call and fail.
      nlohmann::json j = nlohmann::json::parse(report::EventToJsonLine(e));
      std::string s = std::string(sim::EventKindName(e.kind)) + " a" + std::to_string(j.value("attempt", -1));
      if (j.contains("call")) s += " c" + std::to_string(j["call"].get<int>());
      out.push_back(s);
    }
    return out;
  };
  CHECK(road("o1") == std::vector<std::string>{"deliver a1", "call a1 c1", "fail a1 c1", "call a1 c2", "fail a1 c2",
                                               "retry a1", "deliver a2", "call a2 c1", "fail a2 c1", "call a2 c2",
                                               "fail a2 c2", "dlq a2"});
  CHECK(road("o2") == std::vector<std::string>{"deliver a1", "call a1 c1", "fail a1 c1", "call a1 c2", "fail a1 c2",
                                               "retry a1", "deliver a2", "call a2 c1", "fail a2 c1", "call a2 c2",
                                               "ack a2"});
  // Every one of them names the original topic and carries the msgId.
  for (const sim::Event& e : Of(sink, "fail", kStockGroup, "o1")) {
    CHECK(e.topic == kOrderCreated);
    CHECK(e.msg_id.size() == 32);
    CHECK(e.detail == "injected consumer error");
  }
}

// ---------------------------------------------------------------------------------
// 15. resetOffset.

TEST_CASE("edge: resetOffset makes the group consume the topic again, hardened idempotency skips the duplicates") {
  struct Variant {
    const char* to;
    std::set<std::string> again;
  };
  for (const Variant& v : {Variant{"\"earliest\"", {"o1", "o2"}}, Variant{"\"3s\"", {"o2"}}}) {
    CAPTURE(v.to);
    std::string text = R"json({
      "name": "reset", "options": {"compensationJob": "off"},
      "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
      "orders": [{"id": "o1", "items": {"1": 1}}, {"id": "o2", "items": {"1": 1}, "at": "5s"}],
      "steps": [{"at": "10s", "resetOffset": {"group": "stock-consumer-group", "topic": "order-created",
                                              "to": )json" +
                       std::string(v.to) + R"json(}}]
    })json";
    RecordingSink sink;
    scenario::RunResult r = Run(text, &sink);
    for (const char* o : {"o1", "o2"}) {
      CAPTURE(o);
      bool twice = v.again.count(o) > 0;
      std::vector<sim::Event> delivers = Of(sink, "deliver", kStockGroup, o);
      REQUIRE(delivers.size() == (twice ? 2u : 1u));
      CHECK(Of(sink, "deliver", kPaymentGroup, o).size() == 1);  // only that group
      if (!twice) continue;
      CHECK(delivers[1].t == 10 * kSec);
      CHECK(delivers[1].attempt == 1);
      CHECK(delivers[1].msg_id == delivers[0].msg_id);
      std::vector<sim::Event> skipped = StockSkippedOrderCreated(sink, o);
      REQUIRE(skipped.size() == 1);
      for (const sim::Event& e : Of(sink, "skip-duplicate", "", o, "")) CHECK(e.service == "stock");
    }
    std::vector<sim::Event> steps = sink.OfKind("step");
    REQUIRE(steps.size() == 1);
    CHECK(steps[0].group == kStockGroup);
    for (const auto& p : r.state.products) CHECK(p.sold == 2);
    CHECK(r.passed);
  }
}

// ---------------------------------------------------------------------------------
// 16. redriveDlq.

TEST_CASE("edge: redriveDlq sends the DLQ messages back to that group only") {
  // Both Stock and Payment dead-letter o1's OrderCreatedEvent; the operator redrives
  // Stock's DLQ only.
  const std::string text = R"json({
    "name": "redrive", "options": {"compensationJob": "off"},
    "bindings": {"stock.orderCreatedConsumer-in-0": {"maxAttempts": 1, "maxReconsumeTimes": 0},
                 "payment.orderCreatedConsumer-in-0": {"maxAttempts": 1, "maxReconsumeTimes": 0}},
    "catalog": [{"product": 1, "stock": 5, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "faults": [{"kind": "consumer-error", "group": "stock-consumer-group", "topic": "order-created", "order": "o1", "times": 1},
               {"kind": "consumer-error", "group": "payment-consumer-group", "topic": "order-created", "order": "o1", "times": 1}],
    "steps": [{"at": "30m", "redriveDlq": "stock-consumer-group"}]
  })json";
  RecordingSink sink;
  scenario::RunResult r = Run(text, &sink);
  std::vector<sim::Event> stock = Of(sink, "deliver", kStockGroup, "o1");
  REQUIRE(stock.size() == 2);
  CHECK(stock[1].t == 30 * kMin);
  CHECK(stock[1].attempt == 1);  // reconsumeTimes reset to 0
  CHECK(stock[1].msg_id == stock[0].msg_id);
  CHECK(stock[1].topic == kOrderCreated);
  REQUIRE(Of(sink, "ack", kStockGroup, "o1").size() == 1);
  CHECK(Of(sink, "deliver", kPaymentGroup, "o1").size() == 1);  // no new delivery to Payment
  std::vector<sim::Event> redriven = Of(sink, "retry", kStockGroup, "o1");
  REQUIRE(redriven.size() == 1);
  CHECK(redriven[0].detail.find("redriven from %DLQ%stock-consumer-group") != std::string::npos);
  CHECK(Of(sink, "retry", kPaymentGroup, "", "").empty());
  // Payment's copy is still dead-lettered; Stock's is not any more.
  REQUIRE(r.state.dlq.size() == 1);
  CHECK(services::GroupNamed(kPaymentGroup, r.state.dlq[0].group));
  CHECK(r.stuck == std::vector<std::string>{"o1"});
}

}  // namespace
