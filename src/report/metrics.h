#pragma once

// The reference design's monitoring list (seed-design "Best practices": message
// backlog, consume failure rate, consume latency, DLQ message count), plus retries and
// throughput, measured on one run in virtual time. Printed in the console summary and
// written with `--metrics FILE` in Prometheus' text exposition format.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "scenario/runner.h"
#include "sim/event.h"

namespace report {

// What one consumer group did during a run.
struct GroupMetrics {
  int64_t deliveries = 0;   // broker deliveries, duplicate copies included
  int64_t calls = 0;        // handler invocations
  int64_t failures = 0;     // failed handler calls
  int64_t acks = 0;
  int64_t retries = 0;      // copies sent back (to %RETRY%<group>, or orderly local retries)
  int64_t dead_lettered = 0;  // copies stored in %DLQ%<group> during the run
  int64_t dlq = 0;          // messages still in %DLQ%<group> at the end
  // Store-to-ack latency of every ack, in virtual ms, ascending: from the time the
  // message was first stored (the original publish, for a retry copy) to the ack.
  std::vector<int64_t> latencies_ms;

  double FailureRate() const { return calls == 0 ? 0.0 : static_cast<double>(failures) / calls; }
};

struct BacklogMetric {
  std::string group, topic;
  int queue = 0;
  int64_t messages = 0;     // max offset - consumer offset
};

struct RunMetrics {
  std::string scenario;
  std::string profile;
  int64_t virtual_ms = 0;
  std::map<std::string, GroupMetrics> groups;     // by consumer group
  std::map<std::string, int64_t> published;       // topic -> messages stored
  std::vector<BacklogMetric> backlog;             // by (group, topic, queue)

  int64_t TotalBacklog() const;
  int64_t TotalAcks() const;
  // Acks per virtual second over the whole run (0 for a run that took no time).
  double Throughput() const;
};

// Nearest-rank quantile of an ascending list; 0 for an empty one.
int64_t Quantile(const std::vector<int64_t>& ascending, double q);

// Gathers a run's metrics from its events (as an EventSink) and its final state.
// Keeps one number per event (the store time it descends from), not the events.
// Thread-safety: Emit runs under the executor's lock; the rest from the CLI thread.
class MetricsCollector : public sim::EventSink {
 public:
  void Reset();
  void Emit(const sim::Event& e) override;
  RunMetrics Finish(const scenario::RunResult& result) const;

 private:
  std::vector<int64_t> origin_ms_;   // by seq: store time the event descends from, -1 none
  std::map<std::string, GroupMetrics> groups_;
  std::map<std::string, int64_t> published_;
};

// The console's lines (indented two spaces, no trailing newline).
std::vector<std::string> MetricsSummaryLines(const RunMetrics& m);

// Every run's metrics as one Prometheus text exposition (version 0.0.4): each family
// once, with HELP and TYPE lines, every sample labelled with its scenario.
std::string ToPrometheusText(const std::vector<RunMetrics>& runs);
base::Status WritePrometheusFile(const std::string& path, const std::vector<RunMetrics>& runs);

}  // namespace report
