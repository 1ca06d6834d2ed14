#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "scenario/runner.h"
#include "sim/event.h"

namespace report {

// Event kind -> how many times it was emitted during one run.
using EventCounts = std::map<std::string, int64_t>;

// Counts a run's events by kind, for the JSON report's metrics.
// Thread-safety: Emit runs under the executor's lock; the rest from the CLI thread.
class MetricsCounter : public sim::EventSink {
 public:
  // Starts counting for a new scenario.
  void Reset() { counts_.clear(); }
  void Emit(const sim::Event& e) override { ++counts_[sim::EventKindName(e.kind)]; }
  const EventCounts& counts() const { return counts_; }

 private:
  EventCounts counts_;
};

// One scenario's entry of the report. Keys keep a fixed order and every key is always
// present, so two runs of the same file and seed give the same bytes except wallMs.
// Without counts the entry has no "metrics" key.
nlohmann::ordered_json RunResultToJson(const scenario::RunResult& result, const EventCounts* counts);

// The full report of a `run` as one JSON document, for CI:
//   {"format": 1, "tool": "sagasim", "scenarios": [...], "summary": {...}}
// A scenario that could not run is {name, file, passed: false, error}. In the summary,
// "failed" counts those too (as the exit code does) and "errors" says how many they were.
// Thread-safety: none; use from one thread.
class JsonReport {
 public:
  void AddResult(const scenario::RunResult& result, const EventCounts* counts);
  void AddError(const std::string& name, const std::string& file, const std::string& message);

  nlohmann::ordered_json ToJson() const;
  // Indented, newline-terminated; invalid UTF-8 in messages becomes U+FFFD.
  std::string ToText() const;
  base::Status Write(const std::string& path) const;

 private:
  std::vector<nlohmann::ordered_json> scenarios_;
  int passed_ = 0, failed_ = 0, errors_ = 0;
};

}  // namespace report
