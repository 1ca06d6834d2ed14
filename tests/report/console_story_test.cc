// The console for people: the headline names the profile as such, handler lines say
// which binding and event they belong to and why a delivery happened, columns line up
// whatever the names' lengths, and an overridden profile is pointed out.

#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST_CASE("console: the headline says profile and seed apart") {
  auto out = testing::Sagasim("run --no-color " + testing::BundledScenario("happy-path.json"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("> happy-path (profile hardened, seed 1) ") != std::string::npos);
  auto seed = testing::Sagasim("run --no-color " + testing::BundledScenario("seed-happy-path-leaves-stock-frozen.json"));
  CHECK(seed.output.find("(profile seed, seed 1)") != std::string::npos);
}

TEST_CASE("console: handler lines name their binding and event, and why a copy came") {
  auto out = testing::Sagasim("run --no-color " + testing::BundledScenario("fault-duplicate.json"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("payment 1 SUCCESS 20.00  [orderCreatedConsumer-in-0 <- OrderCreatedEvent oc-1]") !=
        std::string::npos);
  CHECK(out.output.find("skipped duplicate oc-1 (eventId already in processed_event)  [orderCreatedConsumer-in-0 "
                        "<- OrderCreatedEvent: duplicate copy (at-least-once)]") != std::string::npos);
  CHECK(out.output.find("deducted 1x product 1  [paymentSuccessConsumer-in-0 <- PaymentSuccessEvent ps-1]") !=
        std::string::npos);
  auto verbose = testing::Sagasim("run -v --no-color " + testing::BundledScenario("fault-duplicate.json"));
  CHECK(verbose.output.find("(delivery 1)  [duplicate copy (at-least-once)]") != std::string::npos);
}

TEST_CASE("console: a held-back delivery and a retry say so") {
  auto delay = testing::Sagasim("run --no-color " + testing::BundledScenario("fault-delay.json"));
  CHECK(delay.output.find(": held back by a delay fault]") != std::string::npos);
  auto retry = testing::Sagasim("run --no-color " + testing::BundledScenario("retry-then-dlq.json"));
  CHECK(retry.output.find("delivery 2: retry from %RETRY%stock-consumer-group-orderCreatedConsumer-in-0]") != std::string::npos);
  auto crash = testing::Sagasim("run --no-color " + testing::BundledScenario("fault-crash-after-commit.json"));
  CHECK(crash.output.find("redelivered: stock crashed before acking]") != std::string::npos);
}

TEST_CASE("console: --profile over the file's marks the description") {
  auto out = testing::Sagasim("run --no-color --profile seed " + testing::BundledScenario("happy-path.json"));
  CHECK(out.output.find("  (written for profile hardened, run here under profile seed) One order") !=
        std::string::npos);
  auto same = testing::Sagasim("run --no-color --profile hardened " + testing::BundledScenario("happy-path.json"));
  CHECK(same.output.find("written for profile") == std::string::npos);
}

TEST_CASE("console: a suite's verdicts line up whatever the names' lengths") {
  std::string body = testing::ReadFile(testing::BundledScenario("happy-path.json"));
  testing::TempDir dir;
  auto named = [&](const std::string& name) {
    std::string text = body;
    size_t at = text.find("\"happy-path\"");
    REQUIRE(at != std::string::npos);
    return text.replace(at, 12, "\"" + name + "\"");
  };
  dir.Write("a.json", named("a"));
  dir.Write("b.json", named(std::string(70, 'x')));
  auto out = testing::Sagasim("run --no-color " + dir.path);
  CHECK(out.exit_code == 0);
  // The verdict follows the padded headline: the same column on both lines.
  auto verdict = [&](const std::string& line) { return line.find(" ok "); };
  std::vector<size_t> at;
  for (const std::string& line : Lines(out.output))
    if (line.rfind("> ", 0) == 0) at.push_back(verdict(line));
  REQUIRE(at.size() == 2);
  CHECK(at[0] == at[1]);
}

}  // namespace
