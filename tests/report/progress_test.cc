// The progress line: its text, and that it never reaches a pipe.

#include <string>

#include <doctest/doctest.h>

#include "report/progress.h"
#include "testing/cli_fixtures.h"

namespace {

TEST_CASE("progress: done/total, rate, failures and time left") {
  CHECK(report::ProgressLine::Text("seeds", 50, 200, 2, 10.0) == "50/200 seeds, 5.0/s, 2 failed, ~30s left");
  CHECK(report::ProgressLine::Text("seeds", 10, 1000, 0, 10.0) == "10/1000 seeds, 1.0/s, 0 failed, ~16m30s left");
  CHECK(report::ProgressLine::Text("orders placed", 0, 10, 0, 2.0) == "0/10 orders placed, 0.0/s, 0 failed, ? left");
}

TEST_CASE("progress: a disabled line draws nothing") {
  testing::TempDir dir;
  std::string path = dir.path + "/err.txt";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f != nullptr);
    report::ProgressLine line(f, /*enabled=*/false, 10, "seeds");
    line.Update(5, 0);
    line.Clear();
    std::fclose(f);
  }
  CHECK(testing::ReadFile(path).empty());
}

TEST_CASE("progress: never when stderr is piped") {
  auto out = testing::Sagasim("explore " + testing::BundledScenario("happy-path.json") + " --seeds 30 -q");
  CHECK(out.exit_code == 0);
  CHECK(out.output.find('\r') == std::string::npos);
  CHECK(out.output.find("\033[K") == std::string::npos);
}

}  // namespace
