#pragma once

// Scenario texts shared by tests, and helpers to run them in-process.

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "report/trace_writer.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"

namespace testing {

// Two buyers race for the last unit under the seed profile: its outcome depends on
// the interleaving the seed picks.
inline const char* kRaceForLastUnit = R"json({
  "name": "race-for-last-unit",
  "profile": "seed",
  "catalog": [{"product": 1, "stock": 1, "price": "50.00"}],
  "orders": [
    {"id": "o1", "user": 1, "items": {"1": 1}},
    {"id": "o2", "user": 2, "items": {"1": 1}}
  ]
})json";

// Collects trace lines exactly as the trace file would hold them.
class TraceLines : public sim::EventSink {
 public:
  void Emit(const sim::Event& e) override { lines.push_back(report::EventToJsonLine(e)); }
  std::vector<std::string> lines;
};

inline scenario::Scenario ParseOrDie(const std::string& text) {
  auto parsed = scenario::ParseScenario(text, "test.json");
  REQUIRE_MESSAGE(parsed.ok(), parsed.status().message());
  return parsed.value();
}

inline scenario::RunResult RunOrDie(const scenario::Scenario& sc, const scenario::RunSettings& settings,
                                    sim::EventSink* sink = nullptr) {
  auto result = scenario::RunScenario(sc, settings, sink);
  REQUIRE_MESSAGE(result.ok(), result.status().ToString());
  return result.value();
}

}  // namespace testing
