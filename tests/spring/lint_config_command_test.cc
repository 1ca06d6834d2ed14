// `sagasim lint-config` and `sagasim run --spring` through the binary: the golden
// tables and findings of the bundled example sets, one test per YAML error class
// (exit 2 with file:line:column), and runs whose bindings come from Spring files.

#include <cstdlib>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

using testing::Sagasim;
using testing::TempDir;

const std::string kSource = SAGASIM_SOURCE_DIR;

std::string ExampleArgs(const std::string& set) {
  std::string args;
  for (const char* service : {"order", "stock", "payment"})
    args += std::string(" ") + service + "=" + kSource + "/examples/" + set + "/" + service +
            "-service/application-rocketmq.yml";
  return args;
}

// Paths in the output relative to the source tree, so the golden files are portable.
std::string Relative(std::string text) {
  const std::string prefix = kSource + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

void CheckGolden(const std::string& output, const std::string& name) {
  const std::string path = kSource + "/tests/golden/" + name;
  // SAGASIM_UPDATE_GOLDEN=1 rewrites the file instead of comparing.
  if (std::getenv("SAGASIM_UPDATE_GOLDEN")) {
    std::ofstream(path) << output;
    return;
  }
  CHECK_MESSAGE(output == testing::ReadFile(path), (std::string("differs from tests/golden/") + name + ":\n" + output));
}

TEST_CASE("lint-config: the reference's files report the two shared groups and the legacy keys, exit 1") {
  testing::Outcome out = Sagasim("lint-config" + ExampleArgs("reference-config"));
  CHECK(out.exit_code == 1);
  std::string text = Relative(out.output);
  CHECK(text.find("stock-service/application-rocketmq.yml:29:18: warning: group stock-consumer-group is shared") !=
        std::string::npos);
  CHECK(text.find("order-service/application-rocketmq.yml:29:18: warning: group order-consumer-group is shared") !=
        std::string::npos);
  CHECK(text.find("order-service/application-rocketmq.yml:17:15: warning: "
                  "spring.cloud.stream.rocketmq.bindings.paymentSuccessConsumer-in-0.consumer.orderly: a legacy key") !=
        std::string::npos);
  CHECK(text.find("payment-service/application-rocketmq.yml:13:15: warning: "
                  "spring.cloud.stream.rocketmq.bindings.paymentSuccessProducer-out-0.producer.sync: a legacy key") !=
        std::string::npos);
  CheckGolden(text, "lint-reference-config.txt");
}

TEST_CASE("lint-config: the fixed files are clean, exit 0, also for the hardened saga's functions") {
  testing::Outcome out = Sagasim("lint-config --profile hardened" + ExampleArgs("fixed-config"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("No findings.") != std::string::npos);
  CheckGolden(Relative(out.output), "lint-fixed-config.txt");
}

TEST_CASE("lint-config: --json for CI") {
  testing::Outcome out = Sagasim("lint-config --json" + ExampleArgs("reference-config"));
  CHECK(out.exit_code == 1);
  CheckGolden(Relative(out.output), "lint-reference-config.json");
}

TEST_CASE("lint-config: the legacy binder reads orderly and sync, and ignores subscription") {
  testing::Outcome out = Sagasim("lint-config --binder legacy" + ExampleArgs("reference-config"));
  CHECK(out.exit_code == 1);
  CHECK(out.output.find("consumer.subscription: a key of newer binders") != std::string::npos);
  CHECK(out.output.find("legacy-key") == std::string::npos);
  CHECK(out.output.find("producer, async send") != std::string::npos);
}

// One test per class of YAML error: each names file:line:column and exits 2.
struct BadFile {
  const char* what;
  const char* yaml;
  const char* expected;  // after "stock.yml:"
};

TEST_CASE("lint-config: errors in the YAML name file, line and column, exit 2") {
  const BadFile cases[] = {
      {"bad indentation", "spring:\n  cloud:\n    stream:\n   bindings:\n", ":4:4: YAML syntax error"},
      {"a tab", "spring:\n\tcloud: x\n", ":2:1: tab character in the indentation"},
      {"a duplicate key",
       "spring.cloud.stream.bindings.orderCreatedConsumer-in-0:\n  group: a\n  destination: order-created\n  group: b\n",
       ":4:3: duplicate key \"group\" (first at line 2"},
      {"a wrong type",
       "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attempts: three\n",
       ":1:79: spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attempts must be an integer, not "
       "\"three\""},
      {"an unresolvable placeholder", "spring.cloud.stream.rocketmq.binder.name-server: ${SAGASIM_TEST_UNSET_NS}\n",
       ":1:50: cannot resolve placeholder ${SAGASIM_TEST_UNSET_NS}"},
  };
  for (const BadFile& c : cases) {
    CAPTURE(c.what);
    TempDir dir;
    std::string file = dir.Write("stock.yml", c.yaml);
    testing::Outcome out = Sagasim("lint-config stock=" + file);
    CHECK(out.exit_code == 2);
    CHECK_MESSAGE(out.output.find(file + c.expected) != std::string::npos, out.output);
  }
}

TEST_CASE("lint-config: a missing file, an unknown service or a service given twice is input, exit 2") {
  CHECK(Sagasim("lint-config stock=/nonexistent/x.yml").exit_code == 2);
  testing::Outcome unknown = Sagasim("lint-config shipping=x.yml");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("unknown service \"shipping\"") != std::string::npos);
  TempDir dir;
  std::string file = dir.Write("a.yml", "a: 1\n");
  CHECK(Sagasim("lint-config stock=" + file + " stock=" + file).exit_code == 2);
}

TEST_CASE("lint-config: .properties files read like YAML") {
  TempDir dir;
  std::string file = dir.Write("application-rocketmq.properties",
                               "spring.cloud.function.definition=orderCreatedConsumer\n"
                               "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination=order-created\n"
                               "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.group=payment-order-created\n"
                               "spring.cloud.stream.bindings.paymentSuccessProducer-out-0.destination=payment-success\n"
                               "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.consumer.max-attemps=2\n");
  testing::Outcome out = Sagasim("lint-config payment=" + file);
  CHECK(out.exit_code == 1);
  CHECK(out.output.find(file + ":5:1: warning:") != std::string::npos);
  CHECK(out.output.find("did you mean consumer.max-attempts?") != std::string::npos);
}

// The reference's files describe the seed profile's bindings exactly: the same trace.
TEST_CASE("run --spring: the reference's files under the seed profile reproduce the built-in bindings") {
  TempDir dir;
  const std::string scenario = testing::BundledScenario("seed-shared-group-loses-events.json");
  std::string spring;
  for (const char* service : {"order", "stock", "payment"})
    spring += std::string(" --spring ") + service + "=" + kSource + "/examples/reference-config/" + service +
              "-service/application-rocketmq.yml";
  testing::Outcome plain = Sagasim("run -q " + scenario + " --trace " + dir.path + "/plain.jsonl");
  testing::Outcome with = Sagasim("run -q " + scenario + " --profile seed --trace " + dir.path + "/spring.jsonl" + spring);
  CHECK(plain.exit_code == 0);
  CHECK_MESSAGE(with.exit_code == 0, with.output);
  CHECK(testing::ReadFile(dir.path + "/plain.jsonl") == testing::ReadFile(dir.path + "/spring.jsonl"));
  // The findings are warnings on stderr, the run goes on.
  CHECK(with.output.find("[shared-group]") != std::string::npos);
}

TEST_CASE("run --spring: the fixed files' groups reach the broker") {
  TempDir dir;
  testing::Outcome out = Sagasim("run -q " + testing::BundledScenario("spring-fixed-config.json") + " --trace " +
                                 dir.path + "/t.jsonl");
  CHECK_MESSAGE(out.exit_code == 0, out.output);
  std::string trace = testing::ReadFile(dir.path + "/t.jsonl");
  CHECK(trace.find("\"stock-order-created-group\"") != std::string::npos);
  CHECK(trace.find("\"stock-consumer-group\"") == std::string::npos);
}

TEST_CASE("run --spring: what the run cannot reproduce stops it with file and line, exit 2") {
  TempDir dir;
  std::string stock = dir.Write("stock.yml",
                                "spring.cloud.function.definition: orderCreatedConsumer\n"
                                "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.destination: order-created\n"
                                "spring.cloud.stream.bindings.orderCreatedConsumer-in-0.group: g\n"
                                "spring.cloud.stream.bindings.stockFreezeFailedProducer-out-0.destination: stock-freeze-failed\n");
  testing::Outcome out = Sagasim("run -q " + testing::BundledScenario("happy-path.json") + " --spring stock=" + stock +
                                 " --profile seed");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find(stock + ":1:35: error: the saga's paymentSuccessConsumer") != std::string::npos);
}

TEST_CASE("run: a scenario's \"spring\" paths are relative to the scenario file, validate reads them too") {
  TempDir dir;
  dir.Write("bad.yml", "a:\n  b: 1\n  b: 2\n");
  std::string scenario = dir.Write("s.json",
                                   "{\"name\": \"s\", \"spring\": {\"stock\": \"bad.yml\"},"
                                   " \"catalog\": [{\"product\": 1, \"stock\": 1, \"price\": 1}]}");
  testing::Outcome run = Sagasim("run -q " + scenario);
  CHECK(run.exit_code == 2);
  CHECK(run.output.find(dir.path + "/bad.yml:3:3: duplicate key") != std::string::npos);
  CHECK(Sagasim("validate " + scenario).exit_code == 2);
}

}  // namespace
