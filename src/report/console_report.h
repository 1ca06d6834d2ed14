#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/metrics.h"
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
  // The scenario file's own profile: when a run's differs (--profile), the description
  // is marked as written for the file's.
  void set_written_for(scenario::Profile profile) { written_for_ = profile; }
  // Pads every headline to this width, so a suite's verdicts line up (see HeadText).
  void set_head_width(size_t width) { head_width_ = width; }
  // "name (profile seed, seed 1)": what a headline starts with.
  static std::string HeadText(const std::string& name, scenario::Profile profile, uint64_t seed,
                              scenario::Mode mode);
  // The next Print shows these metrics after the final state (null: none). Not owned.
  void set_metrics(const RunMetrics* metrics) { metrics_ = metrics; }
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
  // Why a delivery happened and which binding handled it, remembered from the events
  // that led to it, so the story can say so on the handler's lines.
  struct DeliveryNote {
    std::string binding;   // e.g. orderCreatedConsumer-in-0
    std::string event;     // e.g. OrderCreatedEvent
    std::string event_id;
    int attempt = 1;
    std::string why;       // empty for a first delivery
  };
  void Remember(const sim::Event& e);
  std::string DeliveryWhy(const sim::Event& deliver) const;
  // " [binding <- event id, delivery N: why]" for a line a handler call caused; "" otherwise.
  std::string HandlerContext(const sim::Event& e) const;
  std::string StoryColumns(const sim::Event& e) const;
  void MeasureStory();
  std::string Description(const scenario::RunResult& r) const;
  bool InStory(const sim::Event& e) const;
  std::string StoryLine(const sim::Event& e) const;
  void PrintStory(const scenario::RunResult& result);
  void PrintFinalState(const scenario::RunResult& result);
  void PrintChecks(const scenario::RunResult& result);
  void PrintMetrics() const;
  std::string Paint(const char* code, const std::string& text) const;

  std::FILE* out_;
  Verbosity verbosity_;
  bool color_;
  std::vector<sim::Event> story_;
  size_t story_dropped_ = 0;
  std::map<std::string, int64_t> kind_counts_;
  const RunMetrics* metrics_ = nullptr;
  std::optional<scenario::Profile> written_for_;
  size_t head_width_ = 48;
  size_t order_width_ = 6;
  std::map<int64_t, DeliveryNote> deliveries_;    // by the deliver event's seq
  std::map<int64_t, int64_t> call_delivery_;      // call seq -> deliver seq
  std::map<int64_t, std::string> reasons_;        // seq of a crash, fault, retry, step -> why
};

}  // namespace report
