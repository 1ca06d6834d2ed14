// SIGTERM and SIGINT during a long run: the run stops, its temporary state directory
// is removed, and the exit code is 128 + the signal (143, 130).

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

namespace fs = std::filesystem;

using testing::Background;
using testing::ReadFile;
using testing::TempDir;

// A million orders: minutes of work, far longer than the test waits.
constexpr const char* kLong = R"({"name": "long", "catalog": [{"product": 1, "stock": 1000000000, "price": "1.00"}],
  "orders": [{"generate": {"count": 1000000, "items": {"1": [1, 1]}, "every": "10ms"}}]})";

// The temporary state directory the run made under `tmp`, once it has its broker.db;
// "" if none appeared within about 60 s (polled, never assumed).
std::string WaitForStateDir(const std::string& tmp, int polls = 6000) {
  for (int i = 0; i < polls; ++i) {
    for (const auto& entry : fs::directory_iterator(tmp))
      if (entry.path().filename().string().rfind("sagasim-", 0) == 0 && fs::exists(entry.path() / "broker.db"))
        return entry.path().string();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return "";
}

void CheckStopsAndCleansUp(const std::vector<std::string>& args, int signal, int expected_exit) {
  TempDir dir;
  std::string tmp = dir.path + "/tmp";
  fs::create_directory(tmp);
  std::string file = dir.Write("long.json", kLong);
  std::vector<std::string> argv = args;
  argv.push_back(file);
  Background sagasim(argv, {"TMPDIR=" + tmp}, dir.path + "/out", dir.path + "/err");
  // The state lives in memory unless kept: the run has started once it announced
  // itself (the large-run note comes before the first step).
  bool started = false;
  for (int i = 0; i < 6000 && !started; ++i) {
    started = ReadFile(dir.path + "/err").find("note:") != std::string::npos;
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE_MESSAGE(started, ReadFile(dir.path + "/err"));
  std::string state = WaitForStateDir(tmp, 20);  // a temporary one, if the run made any
  sagasim.Signal(signal);
  int code = sagasim.Wait();
  std::string err = ReadFile(dir.path + "/err");
  CAPTURE(err);
  CHECK(code == expected_exit);
  if (!state.empty()) CHECK(!fs::exists(state));
  CHECK(fs::is_empty(tmp));
  CHECK(err.find("interrupted") != std::string::npos);
  // The large run was announced before it started.
  CHECK(err.find("1,000,000 orders: this will take about") != std::string::npos);
}

TEST_CASE("run: SIGTERM stops a long run, removes its temporary state and exits 143") {
  CheckStopsAndCleansUp({"run"}, SIGTERM, 143);
}

TEST_CASE("run: SIGINT (Ctrl-C) in concurrent mode does the same and exits 130") {
  CheckStopsAndCleansUp({"run", "--mode", "concurrent"}, SIGINT, 130);
}

TEST_CASE("explore: SIGTERM stops every seed in progress, removes their state and exits 143") {
  CheckStopsAndCleansUp({"explore", "-j", "2", "--seeds", "4"}, SIGTERM, 143);
}

}  // namespace
