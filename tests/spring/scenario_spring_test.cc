// ApplySpring: the files' bindings replace the scenario's for their services.

#include "spring/scenario_spring.h"

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"
#include "testing/scenario_fixtures.h"

namespace spring {
namespace {

using services::ServiceId;

const std::string kSource = SAGASIM_SOURCE_DIR;

std::string Example(const std::string& set, const char* service) {
  return kSource + "/examples/" + set + "/" + service + "-service/application-rocketmq.yml";
}

scenario::Scenario Base(const std::string& extra = "") {
  return testing::ParseOrDie(R"({"name": "s", "profile": "seed",
    "bindings": {"stock.orderCreatedConsumer-in-0": {"concurrency": 4}, "order.paymentSuccessConsumer-in-0": {"maxAttempts": 5}},
    "catalog": [{"product": 1, "stock": 1, "price": 1}])" + extra + "}");
}

TEST_CASE("scenario_spring: a service's file replaces all its bindings, the others keep theirs") {
  scenario::Scenario sc = Base();
  SpringRequest request;
  request.files.push_back({ServiceId::kStock, Example("fixed-config", "stock")});
  std::vector<std::string> warnings;
  base::Status s = ApplySpring(&sc, request, &warnings);
  REQUIRE_MESSAGE(s.ok(), s.message());
  CHECK(warnings.empty());
  const services::ConsumerSettings& stock = sc.bindings.consumers.at("stock.orderCreatedConsumer-in-0");
  CHECK(stock.concurrency == 1);  // the scenario's 4 is replaced by the file's default
  CHECK(*stock.group == "stock-order-created-group");
  CHECK(*stock.subscription == "ORDER_CREATED");
  CHECK(*sc.bindings.producers.at("stock.stockFreezeFailedProducer-out-0").sync);  // sendType: SYNC
  CHECK(sc.bindings.consumers.at("order.paymentSuccessConsumer-in-0").max_attempts == 5);
}

TEST_CASE("scenario_spring: the reference's files keep the seed bindings' groups and leave sync to publish") {
  scenario::Scenario sc = Base();
  SpringRequest request;
  for (auto [id, name] : {std::pair{ServiceId::kOrder, "order"}, {ServiceId::kStock, "stock"}, {ServiceId::kPayment, "payment"}})
    request.files.push_back({id, Example("reference-config", name)});
  std::vector<std::string> warnings;
  REQUIRE(ApplySpring(&sc, request, &warnings).ok());
  CHECK(warnings.size() == 10);  // 8 legacy keys, 2 shared groups
  CHECK(*sc.bindings.consumers.at("stock.paymentSuccessConsumer-in-0").group == "stock-consumer-group");
  CHECK(!sc.bindings.producers.at("order.orderCreatedProducer-out-0").sync);
  // The legacy binder reads `sync: false`: an async send.
  request.generation = Generation::kLegacy;
  scenario::Scenario legacy = Base();
  REQUIRE(ApplySpring(&legacy, request, &warnings).ok());
  CHECK(*legacy.bindings.producers.at("order.orderCreatedProducer-out-0").sync == false);
  CHECK(*legacy.bindings.consumers.at("stock.orderCreatedConsumer-in-0").subscription == "*");
}

TEST_CASE("scenario_spring: --profile hardened asks the reference's files for the compensation functions") {
  scenario::Scenario sc = Base();
  SpringRequest request;
  request.files.push_back({ServiceId::kPayment, Example("reference-config", "payment")});
  request.profile = services::Profile::kHardened;
  std::vector<std::string> warnings;
  base::Status s = ApplySpring(&sc, request, &warnings);
  REQUIRE(!s.ok());
  CHECK(s.message().find("orderCancelledConsumer") != std::string::npos);
  CHECK(s.message().find("[unbound-function]") != std::string::npos);
}

TEST_CASE("scenario_spring: a group the scenario names must survive the files' groups") {
  scenario::Scenario sc = Base(R"(, "expect": {"dlq": {"stock-consumer-group": 0}})");
  SpringRequest request;
  request.files.push_back({ServiceId::kStock, Example("fixed-config", "stock")});
  std::vector<std::string> warnings;
  base::Status s = ApplySpring(&sc, request, &warnings);
  REQUIRE(!s.ok());
  CHECK(s.message() == "test.json: /expect/dlq/stock-consumer-group: no consumer is in group stock-consumer-group "
                       "once the Spring files' groups replace the built-in ones");
}

TEST_CASE("scenario_spring: nothing to apply leaves the scenario alone") {
  scenario::Scenario sc = Base();
  std::vector<std::string> warnings;
  REQUIRE(ApplySpring(&sc, {}, &warnings).ok());
  CHECK(sc.bindings.consumers.at("stock.orderCreatedConsumer-in-0").concurrency == 4);
}

}  // namespace
}  // namespace spring
