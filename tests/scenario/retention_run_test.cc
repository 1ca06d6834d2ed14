// Consumed messages leave memory during a run (broker::Retention): what a run shows
// must not depend on it. A generated run long enough to compact many times, with and
// without retention, gives the same trace, final state and broker.db.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/db.h"
#include "testing/scenario_fixtures.h"

namespace {

namespace fs = std::filesystem;

// 1,500 orders, 4,500 messages: several compactions (every 1,024 stores), with
// retries (a consumer error) so %RETRY% queues are compacted too.
const char* kLong = R"json({
  "name": "long-run",
  "profile": "hardened",
  "catalog": [{"product": 1, "stock": 4000, "price": "5.00"}, {"product": 2, "stock": 4000, "price": "7.00"}],
  "orders": [{"generate": {"count": 1500, "users": [1, 50], "items": {"1": [1, 2], "2": [0, 1]}, "every": "10ms"}}],
  "faults": [{"kind": "consumer-error", "service": "payment", "order": "g1*", "times": 20}]
})json";

int64_t MessageRows(const std::string& dir) {
  auto db = store::Db::OpenImmutable(dir + "/broker.db");
  REQUIRE(db.ok());
  auto& stmt = db.value()->Prepare("SELECT COUNT(*) FROM message");
  REQUIRE(stmt.Step());
  int64_t n = stmt.Int(0);
  stmt.Reset();
  return n;
}

TEST_CASE("a run that drops consumed messages shows what one keeping them all shows") {
  scenario::Scenario sc = testing::ParseOrDie(kLong);
  fs::path root = fs::temp_directory_path() / ("sagasim-retention-" + std::to_string(::getpid()));
  fs::remove_all(root);
  testing::TraceLines kept_trace, dropped_trace;
  scenario::RunSettings keep;
  keep.keep_all_messages = true;
  keep.state_dir = (root / "kept").string();
  scenario::RunSettings drop;
  drop.state_dir = (root / "dropped").string();
  scenario::RunResult kept = testing::RunOrDie(sc, keep, &kept_trace);
  scenario::RunResult dropped = testing::RunOrDie(sc, drop, &dropped_trace);
  CHECK(kept.messages_dropped == 0);
  CHECK(dropped.messages_dropped > 3000);
  CHECK(kept.passed == dropped.passed);
  REQUIRE(kept_trace.lines.size() == dropped_trace.lines.size());
  CHECK(kept_trace.lines == dropped_trace.lines);
  CHECK(kept.state.orders.size() == 1500);
  CHECK(kept.state.unacked.size() == dropped.state.unacked.size());
  CHECK(kept.state.progress.size() == dropped.state.progress.size());
  for (size_t i = 0; i < kept.state.progress.size() && i < dropped.state.progress.size(); ++i) {
    CHECK(kept.state.progress[i].broker_offset == dropped.state.progress[i].broker_offset);
    CHECK(kept.state.progress[i].consumer_offset == dropped.state.progress[i].consumer_offset);
  }
  // broker.db caught up before each drop: it holds every message either way.
  int64_t rows = MessageRows(keep.state_dir);
  CHECK(rows >= 4500);
  CHECK(MessageRows(drop.state_dir) == rows);
  fs::remove_all(root);
}

}  // namespace
