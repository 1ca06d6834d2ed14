// `sagasim bench` through the binary: the figures it promises are printed (their
// values are timings, never asserted).

#include "cli/bench_command.h"

#include <string>

#include <doctest/doctest.h>

#include "testing/cli_fixtures.h"

namespace {

TEST_CASE("bench pays every order and prints the floor ratio, the in-memory rate and the per-seed cost") {
  auto out = testing::Sagasim("bench --orders 30 --seeds 2 --repeat 2");
  CHECK(out.exit_code == 0);
  for (const char* line : {"orders/s: ", "messages/s: ", "handler calls/s: ", "virtual saga latency: p50 ",
                           "peak RSS: ", "floor ratio: ", "in-memory: ", "per-seed fixed cost: "})
    CHECK_MESSAGE(out.output.find(line) != std::string::npos, line);
}

TEST_CASE("bench --json reports the same figures, bad options exit 2") {
  auto out = testing::Sagasim("bench --orders 20 --seeds 2 --state memory --load burst --repeat 1 --json");
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("\"passed\": true") != std::string::npos);
  CHECK(out.output.find("\"floorRatio\"") != std::string::npos);
  CHECK(out.output.find("\"handlerCallsPerOrder\"") != std::string::npos);
  CHECK(out.output.find("\"repeat\": 1") != std::string::npos);
  CHECK(testing::Sagasim("bench --orders 0").exit_code == 2);
  CHECK(testing::Sagasim("bench --state tape").exit_code == 2);
  CHECK(testing::Sagasim("bench --repeat 0").exit_code == 2);
}

}  // namespace
