// The cross-checks of lint-config and of a run with Spring files.

#include "spring/lint.h"

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace spring {
namespace {

using services::ServiceId;

struct Lint {
  testing::TempDir dir;
  std::vector<ServiceFile> files;
  void Add(ServiceId id, const std::string& yaml) {
    files.push_back({id, dir.Write(std::string(services::ServiceName(id)) + ".yml", yaml)});
  }
  LintReport Run(std::optional<services::Options> saga = std::nullopt) {
    LintOptions o;
    o.saga = saga;
    o.load.env = [](const std::string&) { return std::nullopt; };
    auto r = LintFiles(files, o);
    REQUIRE_MESSAGE(r.ok(), r.status().message());
    return r.value();
  }
};

int Count(const LintReport& r, const std::string& code) {
  int n = 0;
  for (const Finding& f : r.findings) n += f.code == code;
  return n;
}

const std::string kStock =
    "spring.cloud.function.definition: orderCreatedConsumer;paymentSuccessConsumer\n"
    "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination: order-created\n"
    "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.group: stock-order-created\n"
    "spring.cloud.stream.bindings.paymentSuccessConsumer-in-0.destination: payment-success\n"
    "spring.cloud.stream.bindings.paymentSuccessConsumer-in-0.group: stock-payment-success\n"
    "spring.cloud.stream.bindings.stockFreezeFailedProducer-out-0.destination: stock-freeze-failed\n";

TEST_CASE("lint: a clean stock file has no findings") {
  Lint l;
  l.Add(ServiceId::kStock, kStock);
  LintReport r = l.Run();
  CHECK(r.findings.empty());
  REQUIRE(r.rows.size() == 3);
  CHECK(r.rows[0].client == "push consumer, concurrently, 1 thread");
  CHECK(r.rows[2].client == "producer, sync (default sendType) send");
}

TEST_CASE("lint: a saga function the definition leaves out is an error at the definition") {
  Lint l;
  std::string yaml = kStock;
  yaml.replace(yaml.find(";paymentSuccessConsumer"), 23, "");
  l.Add(ServiceId::kStock, yaml);
  LintReport r = l.Run();
  CHECK(Count(r, "unbound-function") == 1);
  CHECK(r.errors() == 1);
}

TEST_CASE("lint: compensation functions are required only when the saga compensates") {
  Lint l;
  l.Add(ServiceId::kStock, kStock);
  CHECK(l.Run(services::Options::ForProfile(services::Profile::kSeed)).findings.empty());
  LintReport hardened = l.Run(services::Options::ForProfile(services::Profile::kHardened));
  CHECK(Count(hardened, "unbound-function") == 1);  // orderCancelledConsumer
  CHECK(Count(hardened, "no-destination") == 1);    // stockFrozenProducer-out-0
}

TEST_CASE("lint: a function the service does not have, and a destination nobody sends to") {
  Lint l;
  std::string yaml = kStock;
  yaml.replace(yaml.find("paymentSuccessConsumer\n"), 22, "paymentSuccessConsumer;refundConsumer");
  yaml.replace(yaml.find("destination: payment-success"), 28, "destination: payment-succes");
  l.Add(ServiceId::kStock, yaml);
  LintReport r = l.Run();
  CHECK(Count(r, "unknown-function") == 1);
  CHECK(Count(r, "no-producer") == 1);
}

TEST_CASE("lint: a subscription that never matches the producer's tag") {
  Lint l;
  l.Add(ServiceId::kStock,
        kStock + "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.subscription: ORDER_CREATE\n");
  LintReport r = l.Run();
  REQUIRE(Count(r, "tag-mismatch") == 1);
  CHECK(r.findings[0].at.line == 7);
}

TEST_CASE("lint: orderly with concurrency > 1 (ConsumeMessageOrderlyService locks a queue per consume)") {
  Lint l;
  l.Add(ServiceId::kStock, kStock +
                               "spring.cloud.stream.rocketmq.bindings.orderCreatedConsumer-in-0.consumer.push.orderly: true\n"
                               "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.concurrency: 4\n");
  CHECK(Count(l.Run(), "orderly-concurrency") == 1);
}

TEST_CASE("lint: a group shared by two bindings with different topics (the reference's defect)") {
  Lint l;
  std::string yaml = kStock;
  yaml.replace(yaml.find("stock-order-created"), 19, "stock-consumer-group");
  yaml.replace(yaml.find("stock-payment-success"), 21, "stock-consumer-group");
  l.Add(ServiceId::kStock, yaml);
  LintReport r = l.Run();
  REQUIRE(Count(r, "shared-group") == 1);
  CHECK(r.findings[0].severity == Finding::Severity::kWarning);
  CHECK(r.findings[0].message.find("about 50% of each") != std::string::npos);
}

TEST_CASE("lint: two services without a group share anonymous_<destination> on one topic") {
  Lint l;
  l.Add(ServiceId::kStock, kStock);
  l.Add(ServiceId::kPayment,
        "spring.cloud.function.definition: orderCreatedConsumer\n"
        "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination: order-created\n"
        "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.group: stock-order-created\n"
        "spring.cloud.stream.bindings.paymentSuccessProducer-out-0.destination: payment-success\n");
  LintReport r = l.Run();
  REQUIRE(Count(r, "shared-group") == 1);
  CHECK(r.errors() == 1);  // one topic, two clients: not modelled yet
}

TEST_CASE("lint: a service given twice is an input error") {
  Lint l;
  l.Add(ServiceId::kStock, kStock);
  l.files.push_back(l.files[0]);
  LintOptions o;
  CHECK(!LintFiles(l.files, o).ok());
}

TEST_CASE("lint: ParseServiceFile") {
  CHECK(ParseServiceFile("order=a.yml").ok());
  CHECK(ParseServiceFile("order=a.yml")->path == "a.yml");
  CHECK(!ParseServiceFile("orders=a.yml").ok());
  CHECK(!ParseServiceFile("a.yml").ok());
}

}  // namespace
}  // namespace spring
