#include "cli/run_estimate.h"

#include <doctest/doctest.h>

#include <string>

namespace cli {
namespace {

scenario::Scenario WithGenerated(int64_t count) {
  scenario::Scenario sc;
  scenario::GeneratedOrders g;
  g.count = count;
  sc.generated.push_back(g);
  return sc;
}

TEST_CASE("LargeRunNote: nothing for ordinary runs") {
  CHECK(LargeRunNote(WithGenerated(300)).empty());
  CHECK(LargeRunNote(WithGenerated(300), 200, 2).empty());
  scenario::Scenario until = WithGenerated(1);
  until.until_ms = 2 * 3600 * 1000;
  CHECK(LargeRunNote(until).empty());
}

TEST_CASE("LargeRunNote: fifty million orders get the time and the disk they will take") {
  std::string note = LargeRunNote(WithGenerated(50'000'000));
  CAPTURE(note);
  CHECK(note.rfind("note: 50,000,000 orders: this will take about ", 0) == 0);
  CHECK(note.find(" h and about ") != std::string::npos);
  CHECK(note.find(" GB of temporary state") != std::string::npos);
}

TEST_CASE("LargeRunNote: many seeds of a mid-sized run add up, divided among the jobs") {
  std::string note = LargeRunNote(WithGenerated(20'000), 1000, 2);
  CHECK(note.rfind("note: 1,000 seeds of 20,000 orders: this will take about", 0) == 0);
}

TEST_CASE("WithThousands") {
  CHECK(WithThousands(0) == "0");
  CHECK(WithThousands(999) == "999");
  CHECK(WithThousands(1000) == "1,000");
  CHECK(WithThousands(18446744073709551615ull) == "18,446,744,073,709,551,615");
}

}  // namespace
}  // namespace cli
