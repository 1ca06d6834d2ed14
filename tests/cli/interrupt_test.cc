// SIGTERM and SIGINT during a long run: the run stops, its temporary state directory
// is removed, and the exit code is 128 + the signal (143, 130).

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
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

// sagasim's stderr through a FIFO: reading it blocks until the program writes, so the
// test knows where the run is without sleeping or polling.
class StderrPipe {
 public:
  explicit StderrPipe(const std::string& path) : path_(path) {
    REQUIRE(mkfifo(path.c_str(), 0600) == 0);
    // Opened before the program starts (non-blocking, or the open would wait for a
    // writer), then made blocking for the reads.
    fd_ = open(path.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(fd_ >= 0);
  }
  ~StderrPipe() {
    if (fd_ >= 0) close(fd_);
  }
  void MakeBlocking() { REQUIRE(fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) & ~O_NONBLOCK) == 0); }
  // Reads until `what` has appeared (true) or the program closed its stderr (false).
  bool ReadUntil(const std::string& what) {
    while (text_.find(what) == std::string::npos) {
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      text_.append(buf, static_cast<size_t>(n));
    }
    return true;
  }
  std::string ReadAll() {
    ReadUntil(std::string(1, '\0'));  // never written: reads to the end
    return text_;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string text_;
};

TEST_CASE("run: Ctrl-C prints the summary of what finished (one passed, one cut short, one not run) and exits 130") {
  TempDir dir;
  std::string long_file = dir.Write("long.json", kLong);
  StderrPipe err(dir.path + "/err");
  Background sagasim({"run", testing::BundledScenario("happy-path.json"), long_file,
                      testing::BundledScenario("fault-duplicate.json")},
                     {}, dir.path + "/out", err.path());
  err.MakeBlocking();
  // The long run's note comes after the first scenario finished and before its own first step.
  REQUIRE_MESSAGE(err.ReadUntil("note:"), err.ReadAll());
  sagasim.Signal(SIGINT);
  std::string stderr_text = err.ReadAll();
  int code = sagasim.Wait();
  std::string out = ReadFile(dir.path + "/out");
  CAPTURE(out);
  CAPTURE(stderr_text);
  CHECK(code == 130);
  CHECK(out.find("happy-path") != std::string::npos);
  CHECK(out.find("fault-duplicate") == std::string::npos);
  CHECK(out.find("interrupted: 1 of 3 scenarios finished (1 passed, 0 failed); 1 cut short, 1 not run\n") !=
        std::string::npos);
  CHECK(out.find("scenarios: ") == std::string::npos);  // not the summary of a whole run
  CHECK(stderr_text.find("interrupted: the run stopped") != std::string::npos);
}

TEST_CASE("explore: Ctrl-C prints the same summary of the seeds and exits 130") {
  TempDir dir;
  std::string long_file = dir.Write("long.json", kLong);
  StderrPipe err(dir.path + "/err");
  Background sagasim({"explore", "-j", "2", "--seeds", "4", long_file}, {}, dir.path + "/out", err.path());
  err.MakeBlocking();
  REQUIRE_MESSAGE(err.ReadUntil("note:"), err.ReadAll());
  sagasim.Signal(SIGINT);
  std::string stderr_text = err.ReadAll();
  int code = sagasim.Wait();
  std::string out = ReadFile(dir.path + "/out");
  CAPTURE(out);
  CAPTURE(stderr_text);
  CHECK(code == 130);
  // None of the million-order seeds can finish; how many had started when the signal
  // came is the scheduler's business, so only the total is pinned.
  CHECK(out.find("interrupted: 0 of 4 seeds finished (0 passed, 0 failed); ") != std::string::npos);
  CHECK(stderr_text.find("interrupted: the runs in progress stopped") != std::string::npos);
}

}  // namespace
