// Stock Service's handlers on an in-memory database: the happy path, a duplicate
// delivery, and the seed profile's defects (shared seed-design, "Known problems").

#include "services/stock/stock_service.h"

#include <doctest/doctest.h>

#include "services/events.h"
#include "services/saga_options.h"
#include "testing/service_fixture.h"

namespace services {
namespace {

using Fixture = ::testing::ServiceFixture<StockService>;
using ::testing::AnyContains;
using ::testing::NoticeBody;
using ::testing::OrderCreatedBody;
using ::testing::PaymentSuccessBody;

// Products 1 (5 in stock) and 2 (none).
void SeedCatalog(Fixture& f) { REQUIRE(f.service->SeedCatalog({{1, "cable", 5}, {2, "plug", 0}}).ok()); }

const char* kProduct1 = "FROM product WHERE id = 1";

TEST_CASE("stock (hardened): an order's items are frozen, then deducted when it is paid") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  CHECK(f.Int(std::string("SELECT available ") + kProduct1) == 3);
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 2);
  CHECK(f.Text("SELECT status FROM reservation WHERE order_id = 1") == "FROZEN");
  // The confirmation goes out through the outbox relay.
  CHECK(f.Published("stock-frozen").size() == 1);
  CHECK(f.Int("SELECT COUNT(*) FROM outbox WHERE sent = 0") == 0);

  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 0);
  CHECK(f.Int(std::string("SELECT sold ") + kProduct1) == 2);
  CHECK(f.Text("SELECT status FROM reservation WHERE order_id = 1") == "DEDUCTED");
}

TEST_CASE("stock (hardened): a payment that arrives before the order deducts once the items freeze") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  SeedCatalog(f);
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(AnyContains(f.Details("state"), "paid before anything was frozen"));
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  CHECK(f.Int(std::string("SELECT sold ") + kProduct1) == 2);
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 0);
}

TEST_CASE("stock (hardened): a duplicate OrderCreatedEvent is skipped by its eventId in processed_event") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 2);
  CHECK(f.Int("SELECT COUNT(*) FROM reservation") == 1);
  CHECK(f.Details("skip-duplicate") == std::vector<std::string>{"eventId already in processed_event"});
}

TEST_CASE("stock (hardened): a cancellation releases the frozen items and stops a late freeze") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  f.Publish("order-cancelled", "o1", "ocl-1", NoticeBody("ocl-1", "payment failed"));
  f.Run();
  CHECK(f.Int(std::string("SELECT available ") + kProduct1) == 5);
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 0);
  CHECK(f.Text("SELECT status FROM reservation WHERE order_id = 1") == "RELEASED");

  // A re-sent OrderCreatedEvent (a new eventId, as after a lost send) freezes nothing.
  f.Publish("order-created", "o1", "oc-1b", OrderCreatedBody({{1, 2}}, "oc-1b"));
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 0);
  CHECK(AnyContains(f.Details("state"), "already cancelled: nothing frozen"));
}

TEST_CASE("stock (hardened): atomic freeze: a short item freezes none of the order's items") {
  Fixture f(Options::ForProfile(Profile::kHardened));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}, {2, 1}}));
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 0);
  CHECK(f.Int("SELECT COUNT(*) FROM reservation") == 0);
  CHECK(f.Published("stock-freeze-failed").size() == 1);
}

TEST_CASE("stock (seed): sample idempotency skips a duplicate OrderCreatedEvent by its Redis mark") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 2);
  CHECK(f.Details("skip-duplicate") == std::vector<std::string>{"Redis key event:processed:oc-1"});
  // The mark lives outside the database: nothing is recorded in processed_event.
  CHECK(f.Int("SELECT COUNT(*) FROM processed_event") == 0);
}

TEST_CASE("stock (seed): PaymentSuccessEvent has no productQuantityMap, so nothing is deducted") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}}));
  f.Run();
  f.Publish("payment-success", "o1", "ps-1", PaymentSuccessBody());
  f.Run();
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 2);
  CHECK(f.Int(std::string("SELECT sold ") + kProduct1) == 0);
  CHECK(f.Text("SELECT status FROM reservation WHERE order_id = 1") == "FROZEN");
  CHECK(AnyContains(f.Details("state"), "cannot deduct: PaymentSuccessEvent has no productQuantityMap"));
}

TEST_CASE("stock (seed): per-item freeze leaks the items frozen before the short one") {
  Fixture f(Options::ForProfile(Profile::kSeed));
  SeedCatalog(f);
  f.Publish("order-created", "o1", "oc-1", OrderCreatedBody({{1, 2}, {2, 1}}));
  f.Run();
  // Product 1 froze, product 2 was short: the order fails, product 1 stays frozen.
  CHECK(f.Int(std::string("SELECT frozen ") + kProduct1) == 2);
  CHECK(f.Int(std::string("SELECT available ") + kProduct1) == 3);
  CHECK(f.Int("SELECT COUNT(*) FROM reservation WHERE status = 'FROZEN'") == 1);
  CHECK(f.Published("stock-freeze-failed").size() == 1);
  CHECK(AnyContains(f.Details("state"), "product 2 has insufficient stock (2x product 1 stays frozen)"));
  // No cancellation in the seed design: nothing listens for order-cancelled.
  CHECK(f.broker.consumers().size() == 2);
}

}  // namespace
}  // namespace services
