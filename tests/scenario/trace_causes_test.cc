// The trace's seq/cause links, walked over every bundled scenario: each event is
// numbered in order, and each event that something else caused names an earlier
// event of a kind that can cause it. Diagrams and reports are drawn from these links.

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "scenario/runner.h"
#include "scenario/scenario_json.h"
#include "testing/recording_sink.h"

namespace {

namespace fs = std::filesystem;
using sim::EventKind;
using K = sim::EventKind;

std::vector<std::string> BundledScenarios() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SAGASIM_SOURCE_DIR) / "scenarios"))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

// Roots: what the scenario itself starts. An order placed, an operator step; a
// scenario timer's fault (broker-restart, poison: no service) and what Order's own
// thread does unprompted (the compensation job's state change, a crash fault at a
// placement's commit).
bool MayBeRoot(const sim::Event& e) {
  if (e.kind == K::kPlace || e.kind == K::kStep) return true;
  bool timer = e.service.empty();
  bool order_api = e.service == "order" && e.group.empty();
  switch (e.kind) {
    case K::kFault: return timer || order_api;
    case K::kSendFailed: return timer;
    case K::kState: return order_api;
    default: return false;
  }
}

// Which kinds may cause an event of each kind.
std::set<EventKind> CauseKinds(EventKind kind) {
  switch (kind) {
    case K::kDeliver: return {K::kPublish, K::kRetry, K::kFault, K::kCrash, K::kStep, K::kDlq};
    case K::kFiltered: return {K::kPublish, K::kCrash, K::kStep, K::kFault};
    case K::kCall: return {K::kDeliver};
    case K::kFail: return {K::kCall, K::kPlace};
    case K::kAck: return {K::kCall, K::kDeliver};
    case K::kRetry: return {K::kFail, K::kStep};
    case K::kDlq: return {K::kFail};
    case K::kCrash: return {K::kFault};
    case K::kRestart: return {K::kCrash};
    case K::kPublish:
    case K::kSendFailed: return {K::kPlace, K::kState, K::kCall, K::kFault};
    case K::kState:
    case K::kSkipDuplicate: return {K::kCall};
    case K::kFault: return {K::kCall, K::kDeliver, K::kPublish, K::kRetry, K::kState, K::kPlace, K::kCrash, K::kStep};
    default: return {};
  }
}

// Checks every link of `events`; returns how many events had a cause.
int CheckLinks(const std::vector<sim::Event>& events, const std::string& label) {
  std::map<int64_t, const sim::Event*> by_seq;
  int linked = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const sim::Event& e = events[i];
    INFO(label << ": seq " << e.seq << " " << sim::EventKindName(e.kind) << " " << e.detail);
    REQUIRE(e.seq == static_cast<int64_t>(i) + 1);
    by_seq[e.seq] = &e;
    if (e.cause == 0) {
      CHECK(MayBeRoot(e));
      continue;
    }
    ++linked;
    REQUIRE(e.cause < e.seq);
    const sim::Event& c = *by_seq.at(e.cause);
    INFO("cause: seq " << c.seq << " " << sim::EventKindName(c.kind) << " " << c.detail);
    CHECK(CauseKinds(e.kind).count(c.kind) == 1);
    // A delivery, call and its outcome are about the message that was published.
    if (e.kind == K::kDeliver && c.kind == K::kPublish) CHECK(e.msg_id == c.msg_id);
    if (e.kind == K::kCall || (e.kind == K::kAck && c.kind != K::kDeliver)) CHECK(e.msg_id == c.msg_id);
    if (e.kind == K::kCall) CHECK(e.group == c.group);
  }
  return linked;
}

std::vector<sim::Event> Run(const scenario::Scenario& sc, const scenario::RunSettings& settings) {
  testing::RecordingSink sink;
  auto result = scenario::RunScenario(sc, settings, &sink);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  return sink.events;
}

TEST_CASE("trace causes: every bundled scenario's events link to earlier causes") {
  std::vector<std::string> files = BundledScenarios();
  REQUIRE(files.size() >= 20);
  for (const std::string& file : files) {
    auto sc = scenario::LoadScenarioFile(file);
    REQUIRE_MESSAGE(sc.ok(), sc.status().message());
    scenario::RunSettings settings;
    settings.mode = scenario::Mode::kDeterministic;
    std::vector<sim::Event> events = Run(sc.value(), settings);
    int linked = CheckLinks(events, fs::path(file).filename().string());
    CHECK(linked > static_cast<int>(events.size()) / 2);
  }
}

TEST_CASE("trace causes: links hold under real parallelism (storm, concurrent)") {
  auto sc = scenario::LoadScenarioFile(std::string(SAGASIM_SOURCE_DIR) + "/scenarios/storm.json");
  REQUIRE(sc.ok());
  for (uint64_t seed : {1, 2}) {
    scenario::RunSettings settings;
    settings.mode = scenario::Mode::kConcurrent;
    settings.seed = seed;
    CheckLinks(Run(sc.value(), settings), "storm concurrent");
  }
}

TEST_CASE("trace causes: a retried message's deliveries chain through retry back to its publish") {
  auto sc = scenario::LoadScenarioFile(std::string(SAGASIM_SOURCE_DIR) + "/scenarios/retry-then-dlq.json");
  REQUIRE(sc.ok());
  std::vector<sim::Event> events = Run(sc.value(), {});
  const sim::Event* dlq = nullptr;
  for (const sim::Event& e : events)
    if (e.kind == K::kDlq) dlq = &e;
  REQUIRE(dlq != nullptr);
  // Walk back from the dead-letter to the root: fail, call, deliver, retry, ... publish, place.
  std::vector<EventKind> chain;
  for (const sim::Event* e = dlq; e; e = e->cause ? &events[e->cause - 1] : nullptr) chain.push_back(e->kind);
  CHECK(chain.back() == K::kPlace);
  int retries = 0;
  for (EventKind k : chain) retries += k == K::kRetry;
  CHECK(retries == 16);  // 17 deliveries: the first and 16 from %RETRY%
}

}  // namespace
