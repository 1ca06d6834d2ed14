#pragma once

// One service on in-memory databases (services::Env::in_memory) over a test broker,
// in deterministic mode: a test publishes the events the other services would send,
// runs the executor to quiescence, and reads the service's tables and what it
// published.
//
//   ServiceFixture<services::StockService> f(Options::ForProfile(Profile::kSeed));
//   f.Publish("order-created", "o1", services::ToJson(event));
//   f.Run();
//   CHECK(f.Int("SELECT frozen FROM product WHERE id = 1") == 2);

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "broker/broker.h"
#include "services/bindings.h"
#include "services/env.h"
#include "services/events.h"
#include "services/saga_options.h"
#include "sim/prng.h"
#include "testing/broker_fixture.h"

namespace testing {

// Faults a test arms by hand: declined payments and failing sends. Nothing else fires.
class ScriptedFaults : public services::FaultHooks {
 public:
  std::map<std::string, std::string> declines;  // order_no -> the gateway's reason
  std::map<std::string, int> failing_sends;     // topic -> how many sends to it fail next

  std::optional<std::string> DeclinePayment(const std::string& order_no, int64_t) override {
    auto it = declines.find(order_no);
    if (it == declines.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> ConsumerError(services::ServiceId, const std::string&, const std::string&,
                                           const std::string&, int64_t) override {
    return std::nullopt;
  }
  int64_t SlowLatency(services::ServiceId, const std::string&, const std::string&, const std::string&,
                      int64_t) override {
    return 0;
  }
  std::optional<std::string> SendFailure(services::ServiceId, const std::string& topic, const std::string&,
                                         int64_t) override {
    auto it = failing_sends.find(topic);
    if (it == failing_sends.end() || it->second == 0) return std::nullopt;
    --it->second;
    return "test: the broker refused the send";
  }
  bool Crash(services::CrashPoint, services::ServiceId, const std::string&, const std::string&, const std::string&,
             int64_t, int64_t*, int64_t*) override {
    return false;
  }
};

template <typename ServiceT>
struct ServiceFixture : BrokerFixture {
  explicit ServiceFixture(services::Options options) {
    env.exec = &exec;
    env.broker = &broker;
    env.trace = broker.trace();
    env.faults = &faults;
    env.producer_prng = &producer_prng;
    env.options = options;
    // One group per binding: the handlers are under test here, not the rebalance of
    // a shared group (tests/broker/fidelity_test.cc has that).
    env.options.consumer_groups = services::ConsumerGroups::kPerBinding;
    env.in_memory = true;
    service = std::make_unique<ServiceT>(&env);
    base::Status opened = service->Open();
    REQUIRE_MESSAGE(opened.ok(), opened.ToString());
  }

  // Stores `body` on `topic` as that topic's producer would: its tag and event type,
  // `event_id`, the order as the key. Delivered at the next Run().
  void Publish(const std::string& topic, const std::string& order_no, const std::string& event_id,
               const std::string& body) {
    auto lock = exec.Lock();
    const services::TopicDef* def = services::FindTopic(topic);
    REQUIRE(def != nullptr);
    broker.EnsureTopic(topic, broker.config().queues_per_topic);
    broker::Message msg;
    msg.msg_id = broker.NewMsgId();
    msg.topic = topic;
    msg.tags = def->tag;
    msg.keys = order_no;
    msg.body = body;
    msg.properties[broker::kPropUniqKey] = msg.msg_id;
    msg.properties[broker::kPropEventType] = def->event;
    msg.properties[broker::kPropEventId] = event_id;
    msg.born_ms = exec.now();
    broker.Put(std::move(msg), 0);
  }

  // Runs until nothing is ready and no timer is left that matters; a service error
  // (an unexpected SQLite error) fails the test.
  void Run() {
    sim::Executor::Outcome outcome = exec.Run(std::nullopt);
    REQUIRE_MESSAGE(service->error().ok(), service->error().ToString());
    REQUIRE_FALSE(outcome.aborted);
  }

  // The first column of the first row of `sql` on the service's database (-1 if no row).
  int64_t Int(const std::string& sql) {
    store::Statement& q = service->admin_db().Prepare(sql);
    int64_t value = q.Step() ? q.Int(0) : -1;
    q.Reset();
    return value;
  }
  std::string Text(const std::string& sql) {
    store::Statement& q = service->admin_db().Prepare(sql);
    std::string value = q.Step() ? q.Text(0) : "(no row)";
    q.Reset();
    return value;
  }

  // The bodies the broker holds for `topic`, queue by queue.
  std::vector<std::string> Published(const std::string& topic) {
    auto lock = exec.Lock();
    std::vector<std::string> bodies;
    if (const broker::Topic* t = broker.FindTopic(topic))
      for (const broker::Queue& q : t->queues)
        for (const broker::Message& m : q.messages) bodies.push_back(m.body);
    return bodies;
  }

  // The details of the service's trace events of `kind` ("state", "skip-duplicate", ...).
  std::vector<std::string> Details(std::string_view kind) const {
    std::vector<std::string> out;
    for (const sim::Event& e : sink.OfKind(kind)) out.push_back(e.detail);
    return out;
  }

  sim::Prng producer_prng{1, sim::kStreamProducers};
  ScriptedFaults faults;
  services::Env env;
  std::unique_ptr<ServiceT> service;  // last: destroyed first, while env and broker live
};

// The bodies of the events the other services send about order o1 (orderId 1, user 7,
// total 12.00).
inline std::string OrderCreatedBody(const services::Items& items = {{1, 2}}, const std::string& event_id = "oc-1") {
  services::OrderCreatedEvent e;
  e.order_id = 1;
  e.order_no = "o1";
  e.user_id = 7;
  e.total_amount = 1200;
  e.product_quantity_map = items;
  e.timestamp = services::kEpochMs;
  e.event_id = event_id;
  return services::ToJson(e);
}

inline std::string PaymentSuccessBody(const std::string& event_id = "ps-1") {
  services::PaymentSuccessEvent e;
  e.payment_id = 1;
  e.order_id = 1;
  e.order_no = "o1";
  e.user_id = 7;
  e.amount = 1200;
  e.payment_method = "ALIPAY";
  e.transaction_no = "TXN1";
  e.timestamp = services::kEpochMs;
  e.event_id = event_id;
  return services::ToJson(e);
}

// StockFrozen, StockFreezeFailed, PaymentFailed and OrderCancelled share this body.
inline std::string NoticeBody(const std::string& event_id, const std::string& reason = "") {
  services::OrderNoticeEvent e;
  e.order_id = 1;
  e.order_no = "o1";
  e.reason = reason;
  e.timestamp = services::kEpochMs;
  e.event_id = event_id;
  return services::ToJson(e);
}

// True if some string of `all` contains `part`.
inline bool AnyContains(const std::vector<std::string>& all, std::string_view part) {
  for (const std::string& s : all)
    if (s.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace testing
