// Scenario paths that are not scenario files: FIFOs, devices, huge files. Each is
// refused with a message naming it and exit 2, without blocking or reading it whole.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <doctest/doctest.h>

#include "cli/process.h"
#include "testing/cli_fixtures.h"

namespace {

namespace fs = std::filesystem;

using testing::SagasimSplit;
using testing::SplitOutcome;
using testing::TempDir;

constexpr const char* kTiny =
    R"({"name": "tiny", "catalog": [{"product": 1, "stock": 1, "price": "1.00"}],
        "orders": [{"id": "o1", "items": {"1": 1}}]})";

void CheckRefused(const SplitOutcome& out, const std::string& path, const std::string& why) {
  CHECK(out.exit_code == 2);
  CHECK(out.err.find(path) != std::string::npos);
  CHECK(out.err.find(why) != std::string::npos);
  CHECK(out.out.find("scenarios:") == std::string::npos);  // nothing ran
}

TEST_CASE("a FIFO as a scenario path is refused at once, by run, validate and explore") {
  TempDir dir;
  std::string fifo = dir.path + "/pipe.json";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // No writer ever opens it: reading it would block forever (the harness's timeout
  // would then fail the test with 124).
  for (const char* command : {"run", "validate", "explore"}) {
    CAPTURE(command);
    CheckRefused(SagasimSplit(std::string(command) + " " + fifo), fifo, "a FIFO, not a regular file");
  }
}

TEST_CASE("/dev/zero as a scenario path is refused without reading it") {
  for (const char* command : {"run", "validate", "explore"}) {
    CAPTURE(command);
    CheckRefused(SagasimSplit(std::string(command) + " /dev/zero"), "/dev/zero", "a character device, not a regular file");
  }
}

TEST_CASE("a file over 16 MiB is refused, --max-input-size raises the limit") {
  TempDir dir;
  std::string big = dir.path + "/big.json";
  {
    std::FILE* f = std::fopen(big.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
  }
  fs::resize_file(big, uint64_t{20} << 20);  // sparse: 20 MiB of NULs, no disk used
  for (const char* command : {"run", "validate", "explore"}) {
    CAPTURE(command);
    SplitOutcome out = SagasimSplit(std::string(command) + " " + big);
    CheckRefused(out, big, "20 MiB, over the limit of 16 MiB");
    CHECK(out.err.find("--max-input-size") != std::string::npos);
  }
  // Raised, the file is read (and is then invalid JSON: exit 2 still, for another reason).
  SplitOutcome raised = SagasimSplit("validate --max-input-size 32M " + big);
  CHECK(raised.exit_code == 2);
  CHECK(raised.err.find("over the limit") == std::string::npos);
  CHECK(raised.err.find(big + ":1:1") != std::string::npos);
  // A size that is not one is bad input.
  CHECK(SagasimSplit("validate --max-input-size lots " + big).exit_code == 2);
  CHECK(SagasimSplit("validate --max-input-size 16 " + dir.Write("t.json", kTiny)).exit_code == 2);
  CHECK(SagasimSplit("validate --max-input-size 1K " + dir.Write("t.json", kTiny)).exit_code == 0);
}

TEST_CASE("in a folder, a *.json that is not a regular file is an error, not skipped") {
  TempDir dir;
  dir.Write("a.json", kTiny);
  std::string fifo = dir.path + "/b.json";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  for (const char* command : {"run", "validate"}) {
    CAPTURE(command);
    CheckRefused(SagasimSplit(std::string(command) + " " + dir.path), fifo, "a FIFO, not a regular file");
  }
  fs::remove(fifo);
  fs::create_directory(dir.path + "/c.json");
  CheckRefused(SagasimSplit("run " + dir.path), dir.path + "/c.json", "a folder, not a regular file");
}

TEST_CASE("explore refuses a folder where a scenario file is expected") {
  TempDir dir;
  CheckRefused(SagasimSplit("explore " + dir.path), dir.path, "a folder, not a regular file");
}

}  // namespace
