#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "scenario/runner.h"
#include "sim/event.h"

namespace report {

enum class Verbosity { kQuiet, kNormal, kVerbose };

// The console story of a run, for people: what happened to each order step by step
// (a summary for large runs), the final orders, stock and payments, the invariants
// and the expectations, then a verdict line. Collects events while the scenario runs
// (as its EventSink), prints when it is over.
// Thread-safety: Emit runs under the executor's lock; the rest from the CLI thread.
class ConsoleReport : public sim::EventSink {
 public:
  ConsoleReport(std::FILE* out, Verbosity verbosity, bool color);

  void set_verbosity(Verbosity verbosity) { verbosity_ = verbosity; }
  // Starts collecting for a new scenario.
  void Begin();
  void Emit(const sim::Event& e) override;
  // Prints the scenario's report.
  void Print(const scenario::RunResult& result);
  // Prints an input error or a setup failure for one file.
  void PrintError(const std::string& file, const std::string& message);
  // The closing line "N scenarios: P passed, F failed".
  void PrintSummary(int passed, int failed);

  // Runs with more orders than this get a summary instead of the full story.
  static constexpr int kStoryMaxOrders = 12;
  static constexpr size_t kStoryMaxLines = 400;

 private:
  bool InStory(const sim::Event& e) const;
  std::string StoryLine(const sim::Event& e) const;
  void PrintStory(const scenario::RunResult& result);
  void PrintFinalState(const scenario::RunResult& result);
  void PrintChecks(const scenario::RunResult& result);
  std::string Paint(const char* code, const std::string& text) const;

  std::FILE* out_;
  Verbosity verbosity_;
  bool color_;
  std::vector<sim::Event> story_;
  size_t story_dropped_ = 0;
  std::map<std::string, int64_t> kind_counts_;
};

}  // namespace report
