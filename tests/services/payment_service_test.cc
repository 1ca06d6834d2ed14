// Payment Service's handlers on an in-memory database: a captured payment, a declined
// one, a duplicate delivery (charged twice in the seed design, which has no
// idempotency outside Stock), and the hardened refund on cancellation.

#include "services/payment/payment_service.h"

#include <doctest/doctest.h>

#include "services/events.h"
#include "services/saga_options.h"
#include "testing/service_fixture.h"

namespace services {
namespace {

using Fixture = ::testing::ServiceFixture<PaymentService>;
using ::testing::AnyContains;
using ::testing::NoticeBody;
using ::testing::OrderCreatedBody;

TEST_CASE("payment: an order is charged and PaymentSuccessEvent published") {
  for (Profile profile : {Profile::kHardened, Profile::kSeed}) {
    CAPTURE(static_cast<int>(profile));
    Fixture f(Options::ForProfile(profile));
    f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
    f.Run();
    CHECK(f.Int("SELECT COUNT(*) FROM payment") == 1);
    CHECK(f.Text("SELECT status FROM payment WHERE order_id = 1") == "SUCCESS");
    CHECK(f.Int("SELECT amount_cents FROM payment WHERE order_id = 1") == 1200);
    std::vector<std::string> sent = f.Published("payment-success");
    REQUIRE(sent.size() == 1);
    auto event = ParsePaymentSuccess(sent[0]);
    REQUIRE(event.ok());
    CHECK(event->order_no == "o1");
    CHECK(event->amount == 1200);
  }
}

TEST_CASE("payment (hardened): a duplicate OrderCreatedEvent is charged once") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
  f.Run();
  CHECK(f.Int("SELECT COUNT(*) FROM payment") == 1);
  CHECK(f.Details("skip-duplicate") == std::vector<std::string>{"eventId already in processed_event"});
}

TEST_CASE("payment (seed): no idempotency outside Stock: a duplicate OrderCreatedEvent charges twice") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
  f.Run();
  CHECK(f.Int("SELECT COUNT(*) FROM payment WHERE order_id = 1 AND status = 'SUCCESS'") == 2);
  CHECK(f.Details("skip-duplicate").empty());
  CHECK(f.Published("payment-success").size() == 2);
}

TEST_CASE("payment: a declined payment is FAILED, and only the hardened profile reports it") {
  SUBCASE("seed: nothing is sent, the order is left waiting") {
    Fixture f(Options::ForProfile(Profile::kSeed));
    f.faults.declines["o1"] = "card expired";
    f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
    f.Run();
    CHECK(f.Text("SELECT status FROM payment WHERE order_id = 1") == "FAILED");
    CHECK(f.Text("SELECT reason FROM payment WHERE order_id = 1") == "card expired");
    CHECK(f.Published("payment-failed").empty());
    CHECK(f.Published("payment-success").empty());
  }
  SUBCASE("hardened: PaymentFailedEvent") {
    Fixture f(Options::ForProfile(Profile::kHardened));
    f.faults.declines["o1"] = "card expired";
    f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
    f.Run();
    CHECK(f.Text("SELECT status FROM payment WHERE order_id = 1") == "FAILED");
    std::vector<std::string> sent = f.Published("payment-failed");
    REQUIRE(sent.size() == 1);
    auto event = ParseOrderNotice(sent[0]);
    REQUIRE(event.ok());
    CHECK(event->reason == "card expired");
  }
}

TEST_CASE("payment (hardened): a cancellation refunds the captured payment and stops a late charge") {
  SUBCASE("cancelled after the charge: refunded") {
    Fixture f(Options::ForProfile(Profile::kHardened));
    f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
    f.Run();
    f.Publish("order-cancelled", "o1", "ocl-1", NoticeBody("ocl-1", "product 1 has insufficient stock"));
    f.Run();
    CHECK(f.Text("SELECT status FROM payment WHERE order_id = 1") == "REFUNDED");
    CHECK(AnyContains(f.Details("state"), "payment 1 REFUNDED"));
  }
  SUBCASE("cancelled before the order reached Payment: never charged") {
    Fixture f(Options::ForProfile(Profile::kHardened));
    f.Publish("order-cancelled", "o1", "ocl-1", NoticeBody("ocl-1", "product 1 has insufficient stock"));
    f.Run();
    f.Publish("order-created", "o1", "oc-1", OrderCreatedBody());
    f.Run();
    CHECK(f.Int("SELECT COUNT(*) FROM payment") == 0);
    CHECK(AnyContains(f.Details("state"), "already cancelled: not charged"));
  }
}

TEST_CASE("services: in concurrent mode in-memory databases are shared by the lanes' connections") {
  sim::Executor exec(sim::ExecMode::kConcurrent, 1);
  ::testing::RecordingSink sink;
  broker::Broker broker(broker::BrokerConfig{}, &exec, &sink);
  Env env;
  env.exec = &exec;
  env.broker = &broker;
  env.trace = broker.trace();
  env.in_memory = true;
  PaymentService payment(&env);
  CHECK(payment.db_path() == ":memory:");
  base::Status s = payment.Open();
  CHECK_MESSAGE(s.ok(), s.ToString());
}

}  // namespace
}  // namespace services
