// Golden tests: `sagasim admin` views of bundled scenarios' state directories must
// match tests/golden/*.txt byte for byte. Set SAGASIM_UPDATE_GOLDEN=1 to rewrite them
// after an intended change (and review the diff).

#include "cli/admin_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "cli/exit_code.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"

namespace {

namespace fs = std::filesystem;

// The hardened profile's group of Stock's order-created binding (consumerGroups per-binding).
constexpr const char* kStockOrderCreated = "stock-consumer-group-orderCreatedConsumer-in-0";

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a bundled scenario with its state kept in a fresh directory.
std::string RunKeepingState(const std::string& scenario_name) {
  std::string dir = (fs::temp_directory_path() / ("sagasim-golden-" + scenario_name)).string();
  fs::remove_all(dir);
  auto sc = scenario::LoadScenarioFile(std::string(SAGASIM_SOURCE_DIR) + "/scenarios/" + scenario_name + ".json");
  REQUIRE(sc.ok());
  scenario::RunSettings settings;
  settings.state_dir = dir;
  auto result = scenario::RunScenario(sc.value(), settings, nullptr);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  REQUIRE(result->passed);
  return dir;
}

std::string Admin(cli::AdminOptions options, int* exit_code) {
  std::FILE* out = std::tmpfile();
  REQUIRE(out != nullptr);
  *exit_code = cli::RunAdmin(options, out);
  std::fflush(out);
  std::rewind(out);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
  std::fclose(out);
  return text;
}

void CheckGolden(const std::string& name, const std::string& actual) {
  std::string path = std::string(SAGASIM_SOURCE_DIR) + "/tests/golden/" + name + ".txt";
  if (std::getenv("SAGASIM_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::string expected = Slurp(path);
  CHECK_MESSAGE(!expected.empty(), "missing golden file " << path);
  CHECK(actual == expected);
}

TEST_CASE("admin views of retry-then-dlq match their golden files") {
  std::string dir = RunKeepingState("retry-then-dlq");
  struct View {
    const char* golden;
    cli::AdminOptions options;
  };
  const View views[] = {
      {"retry-then-dlq.topic-list", {"topic-list", dir, "", "", ""}},
      {"retry-then-dlq.topic-status", {"topic-status", dir, "order-created", "", ""}},
      {"retry-then-dlq.consumer-progress", {"consumer-progress", dir, "", kStockOrderCreated, ""}},
      {"retry-then-dlq.groups", {"consumer-progress", dir, "", "", ""}},
      {"retry-then-dlq.dlq", {"dlq", dir, "", kStockOrderCreated, ""}},
      {"retry-then-dlq.query-msg", {"query-msg", dir, "", "", "7F000001000000000000000000000001"}},
  };
  for (const View& v : views) {
    CAPTURE(v.golden);
    int code = -1;
    std::string text = Admin(v.options, &code);
    CHECK(code == cli::kExitOk);
    CheckGolden(v.golden, text);
  }
  fs::remove_all(dir);
}

TEST_CASE("admin consumer-connection (ConsumerConnectionSubCommand) and consumer-progress (ConsumerProgressSubCommand "
          "#Client IP) of seed-shared-group-loses-events match their golden files") {
  std::string dir = RunKeepingState("seed-shared-group-loses-events");
  for (const char* group : {"stock-consumer-group", "order-consumer-group"}) {
    CAPTURE(group);
    int code = -1;
    std::string connection = Admin({"consumer-connection", dir, "", group, ""}, &code);
    CHECK(code == cli::kExitOk);
    CheckGolden(std::string("seed-shared-group-loses-events.") + group + ".consumer-connection", connection);
    std::string progress = Admin({"consumer-progress", dir, "", group, ""}, &code);
    CHECK(code == cli::kExitOk);
    CheckGolden(std::string("seed-shared-group-loses-events.") + group + ".consumer-progress", progress);
  }
  fs::remove_all(dir);
}

TEST_CASE("admin dlq after a redrive marks the message redriven") {
  std::string dir = RunKeepingState("redrive-dlq-settles");
  int code = -1;
  std::string text = Admin({"dlq", dir, "", kStockOrderCreated, ""}, &code);
  CHECK(code == cli::kExitOk);
  CheckGolden("redrive-dlq-settles.dlq", text);
  fs::remove_all(dir);
}

TEST_CASE("admin: query-msg shows which groups consumed a message, filtered ones included") {
  std::string dir = RunKeepingState("tag-filter-skips");
  int code = -1;
  std::string text = Admin({"query-msg", dir, "", "", "7F000001000000000000000000000001"}, &code);
  CHECK(code == cli::kExitOk);
  CHECK(text.find("MessageTrack [consumerGroup=payment-consumer-group-orderCreatedConsumer-in-0, trackType=CONSUMED_BUT_FILTERED") !=
        std::string::npos);
  CHECK(text.find("MessageTrack [consumerGroup=stock-consumer-group-orderCreatedConsumer-in-0, trackType=CONSUMED,") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("admin: errors exit 2") {
  int code = -1;
  Admin({"topic-list", "/nonexistent-state-dir", "", "", ""}, &code);
  CHECK(code == cli::kExitInvalid);
  std::string dir = RunKeepingState("happy-path");
  Admin({"topic-status", dir, "no-such-topic", "", ""}, &code);
  CHECK(code == cli::kExitInvalid);
  Admin({"consumer-progress", dir, "", "no-such-group", ""}, &code);
  CHECK(code == cli::kExitInvalid);
  Admin({"query-msg", dir, "", "", "FFFF"}, &code);
  CHECK(code == cli::kExitInvalid);
  fs::remove_all(dir);
}

}  // namespace
