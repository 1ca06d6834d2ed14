// Order Service's handlers on an in-memory database: placing an order, the happy path
// to PAID, a duplicate delivery, and the seed profile's defects (an async send lost
// after the commit, a CANCELLED order that a late payment leaves cancelled and charged).

#include "services/order/order_service.h"

#include <doctest/doctest.h>

#include "services/events.h"
#include "services/saga_options.h"
#include "testing/service_fixture.h"

namespace services {
namespace {

using Fixture = ::testing::ServiceFixture<OrderService>;
using ::testing::AnyContains;
using ::testing::NoticeBody;
using ::testing::PaymentSuccessBody;

// Places o1 (2x product 1 at 6.00) and runs it.
void PlaceO1(Fixture& f) {
  REQUIRE(f.service->SeedPrices({{1, 600}}).ok());
  {
    auto lock = f.exec.Lock();
    f.service->Place(PlaceRequest{"o1", 7, {{1, 2}}, ""});
  }
  f.Run();
}

TEST_CASE("order: placing an order records it CREATED with its items and publishes OrderCreatedEvent") {
  for (Profile profile : {Profile::kHardened, Profile::kSeed}) {
    CAPTURE(static_cast<int>(profile));
    Fixture f(Options::ForProfile(profile));
    PlaceO1(f);
    CHECK(f.Text("SELECT status FROM orders WHERE order_no = 'o1'") == "CREATED");
    CHECK(f.Int("SELECT total_cents FROM orders WHERE order_no = 'o1'") == 1200);
    CHECK(f.Int("SELECT quantity FROM order_item WHERE order_id = 1 AND product_id = 1") == 2);
    std::vector<std::string> sent = f.Published("order-created");
    REQUIRE(sent.size() == 1);
    auto event = ParseOrderCreated(sent[0]);
    REQUIRE(event.ok());
    CHECK(event->event_id == "oc-1");
    CHECK(event->product_quantity_map == Items{{1, 2}});
  }
}

TEST_CASE("order (hardened): PAID only once both the freeze and the payment are confirmed") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  PlaceO1(f);
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "CREATED");
  CHECK(AnyContains(f.Details("state"), "payment confirmed, waiting for the stock freeze"));
  f.Publish("stock-frozen", "o1", "sf-1", NoticeBody("sf-1"));
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "PAID");
  CHECK(f.Text("SELECT transaction_no FROM orders WHERE id = 1") == "TXN1");
}

TEST_CASE("order (hardened): a duplicate PaymentSuccessEvent is skipped by its eventId") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  PlaceO1(f);
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Details("skip-duplicate") == std::vector<std::string>{"eventId already in processed_event"});
  CHECK(f.Int("SELECT COUNT(*) FROM processed_event WHERE event_id = 'ps-1'") == 1);
}

TEST_CASE("order (seed): a payment marks the order PAID at once, a duplicate only logs") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  PlaceO1(f);
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "PAID");
  // No idempotency outside Stock: the duplicate runs the handler, which only logs.
  CHECK(f.Details("skip-duplicate").empty());
  CHECK(AnyContains(f.Details("state"), "stays PAID: payment 1 ignored (only logged)"));
}

TEST_CASE("order (seed): an async send that fails after the commit loses the OrderCreatedEvent") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  f.faults.failing_sends["order-created"] = 1;
  PlaceO1(f);
  CHECK(f.Text("SELECT status FROM orders WHERE order_no = 'o1'") == "CREATED");
  CHECK(f.Published("order-created").empty());
  CHECK(f.sink.OfKind("send-failed").size() == 1);
  // Nothing retries it: the compensation job is off in the seed design.
  f.Run();
  CHECK(f.Published("order-created").empty());
}

TEST_CASE("order (hardened): the outbox relay re-sends what a failed send left behind") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  f.faults.failing_sends["order-created"] = 1;
  PlaceO1(f);
  CHECK(f.sink.OfKind("send-failed").size() == 1);
  CHECK(f.Published("order-created").size() == 1);
  CHECK(f.Int("SELECT COUNT(*) FROM outbox WHERE sent = 0") == 0);
}

TEST_CASE("order (seed): a CANCELLED order stays cancelled when a late payment arrives") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  PlaceO1(f);
  f.Publish("stock-freeze-failed", "o1", "sff-1", NoticeBody("sff-1", "product 1 has insufficient stock"));
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "CANCELLED");
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "CANCELLED");
  CHECK(AnyContains(f.Details("state"), "stays CANCELLED: payment 1 ignored (only logged)"));
  // The seed design publishes no cancellation: nothing asks Payment to refund.
  CHECK(f.Published("order-cancelled").empty());
}

TEST_CASE("order (hardened): a cancelled order publishes OrderCancelledEvent, so the payment is refunded") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  PlaceO1(f);
  f.Publish("stock-freeze-failed", "o1", "sff-1", NoticeBody("sff-1", "product 1 has insufficient stock"));
  f.Run();
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Text("SELECT status FROM orders WHERE id = 1") == "CANCELLED");
  std::vector<std::string> cancelled = f.Published("order-cancelled");
  REQUIRE(cancelled.size() == 1);
  auto event = ParseOrderNotice(cancelled[0]);
  REQUIRE(event.ok());
  CHECK(event->reason == "product 1 has insufficient stock");
}

}  // namespace
}  // namespace services
