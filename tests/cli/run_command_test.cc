// Runs the sagasim binary as a user would: exit codes, error messages, trace files.

#include "cli/run_command.h"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

namespace fs = std::filesystem;

using testing::Outcome;
using testing::ReadFile;
using testing::Sagasim;
using testing::TempDir;

std::string Scenario(const std::string& name) { return testing::BundledScenario(name); }

TEST_CASE("run: a passing scenario exits 0 and ends with the closing line") {
  Outcome out = Sagasim("run " + Scenario("happy-path.json"));
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("1 scenarios: 1 passed, 0 failed") != std::string::npos);
  CHECK(out.output.find("PAID") != std::string::npos);
}

TEST_CASE("run: an expectation that does not hold exits 1 and shows expected vs actual") {
  TempDir dir;
  std::string file = dir.Write("wrong.json", R"json({
    "name": "wrong", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
    "orders": [{"id": "o1", "items": {"1": 1}}],
    "expect": {"orders": {"o1": "CANCELLED"}}
  })json");
  Outcome out = Sagasim("run " + file);
  CHECK(out.exit_code == 1);
  CHECK(out.output.find("orders.o1: expected CANCELLED, got PAID") != std::string::npos);
}

TEST_CASE("run: invalid input exits 2, names the file and the place, and runs nothing") {
  struct Case {
    const char* what;
    const char* text;
    const char* place;  // must appear in the message
  };
  static const Case kCases[] = {
      {"bad JSON", "{\n  \"name\": \"x\",\n  \"catalog\": [\n}", ":4:"},
      {"unknown key", R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": "1"}], "ordres": []})",
       "/ordres"},
      {"unknown product",
       R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": "1"}], "orders": [{"id": "o1", "items": {"9": 1}}]})",
       "/orders/0/items/9"},
      {"bad duration",
       R"({"name": "x", "catalog": [{"product": 1, "stock": 1, "price": "1"}], "until": "10 minutes"})", "/until"},
      {"wrong type", R"({"name": "x", "seed": "one", "catalog": [{"product": 1, "stock": 1, "price": "1"}]})",
       "/seed"},
  };
  TempDir dir;
  for (const Case& c : kCases) {
    CAPTURE(c.what);
    std::string file = dir.Write("bad.json", c.text);
    std::string good = Scenario("happy-path.json");
    Outcome out = Sagasim("run " + good + " " + file);
    CHECK(out.exit_code == 2);
    CHECK(out.output.find(file) != std::string::npos);
    CHECK(out.output.find(c.place) != std::string::npos);
    CHECK(out.output.find("scenarios:") == std::string::npos);  // nothing ran
  }
}

TEST_CASE("run: the same file and seed write byte-identical trace files") {
  TempDir dir;
  std::string a = (fs::path(dir.path) / "a.jsonl").string(), b = (fs::path(dir.path) / "b.jsonl").string();
  std::string file = Scenario("competing-orders.json");
  REQUIRE(Sagasim("run -q --seed 3 --trace " + a + " " + file).exit_code == 0);
  REQUIRE(Sagasim("run -q --seed 3 --trace " + b + " " + file).exit_code == 0);
  std::string first = ReadFile(a);
  CHECK(first.size() > 1000);
  CHECK(first == ReadFile(b));
  CHECK(first.rfind("{\"seq\":1,\"t\":0,\"kind\":\"place\"", 0) == 0);
}

TEST_CASE("run: --state keeps the services' databases") {
  TempDir dir;
  std::string state = (fs::path(dir.path) / "run1").string();
  REQUIRE(Sagasim("run -q --state " + state + " " + Scenario("happy-path.json")).exit_code == 0);
  for (const char* db : {"order.db", "stock.db", "payment.db"}) CHECK(fs::exists(fs::path(state) / db));
}

TEST_CASE("run: a missing path exits 2") {
  Outcome out = Sagasim("run /nonexistent/scenario.json");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find("/nonexistent/scenario.json") != std::string::npos);
}

}  // namespace
