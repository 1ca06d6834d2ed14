#include "base/logging.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

namespace base {
namespace {

// Restores the default level and stderr when a test ends.
struct CapturedLogs {
  CapturedLogs() { TEST_SetLogStream(&out); }
  ~CapturedLogs() {
    TEST_SetLogStream(nullptr);
    SetLogLevel(kDefaultLogLevel);
  }
  std::ostringstream out;
};

TEST_CASE("ParseLogLevel takes the six names --log-level documents and nothing else") {
  CHECK(ParseLogLevel("trace") == spdlog::level::trace);
  CHECK(ParseLogLevel("debug") == spdlog::level::debug);
  CHECK(ParseLogLevel("info") == spdlog::level::info);
  CHECK(ParseLogLevel("warn") == spdlog::level::warn);
  CHECK(ParseLogLevel("error") == spdlog::level::err);
  CHECK(ParseLogLevel("off") == spdlog::level::off);
  CHECK_FALSE(ParseLogLevel("warning").has_value());
  CHECK_FALSE(ParseLogLevel("DEBUG").has_value());
  CHECK_FALSE(ParseLogLevel("").has_value());
}

TEST_CASE("log lines read `sagasim: LEVEL: message`, with the module's name for a module") {
  CapturedLogs logs;
  SAGASIM_LOG(Log(), warn, "{}: unused fault rule {}", "x.json", 2);
  SAGASIM_LOG(ModuleLog("test-module"), err, "t={}ms: it broke", 1000);
  CHECK(logs.out.str() ==
        "sagasim: warning: x.json: unused fault rule 2\n"
        "sagasim: error: test-module: t=1000ms: it broke\n");
}

TEST_CASE("the level applies to every logger, and a disabled call does not evaluate its arguments") {
  CapturedLogs logs;
  int evaluated = 0;
  auto count = [&] { return ++evaluated; };
  CHECK(LogLevel() == kDefaultLogLevel);
  SAGASIM_LOG(ModuleLog("test-module"), debug, "hidden {}", count());
  CHECK(evaluated == 0);
  CHECK(logs.out.str().empty());

  SetLogLevel(spdlog::level::debug);
  SAGASIM_LOG(ModuleLog("test-module"), debug, "shown {}", count());
  SAGASIM_LOG(ModuleLog("test-module-created-later"), debug, "shown too");
  CHECK(evaluated == 1);
  CHECK(logs.out.str() ==
        "sagasim: debug: test-module: shown 1\n"
        "sagasim: debug: test-module-created-later: shown too\n");

  SetLogLevel(spdlog::level::off);
  SAGASIM_LOG(Log(), err, "not even errors");
  CHECK(logs.out.str().find("not even errors") == std::string::npos);
}

}  // namespace
}  // namespace base
