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
// A multiset of latencies kept as counts per distinct value: virtual latencies take
// few values (0, the back-offs, the delay levels), so a million acks cost a few map
// nodes, and the quantiles stay exact.
class Latencies {
 public:
  Latencies() = default;
  Latencies(std::initializer_list<int64_t> values) {
    for (int64_t v : values) Add(v);
  }
  void Add(int64_t ms, int64_t times = 1) {
    counts_[ms] += times;
    size_ += times;
    sum_ += ms * times;
  }
  bool empty() const { return size_ == 0; }
  int64_t size() const { return size_; }
  int64_t sum() const { return sum_; }
  // Nearest rank, as Quantile below; 0 when empty.
  int64_t Quantile(double q) const;
  const std::map<int64_t, int64_t>& counts() const { return counts_; }
  bool operator==(const Latencies& other) const { return counts_ == other.counts_; }

 private:
  std::map<int64_t, int64_t> counts_;
  int64_t size_ = 0, sum_ = 0;
};

struct GroupMetrics {
  int64_t deliveries = 0;   // broker deliveries, duplicate copies included
  int64_t calls = 0;        // handler invocations
  int64_t failures = 0;     // failed handler calls
  int64_t acks = 0;
  int64_t retries = 0;      // copies sent back (to %RETRY%<group>, or orderly local retries)
  int64_t dead_lettered = 0;  // copies stored in %DLQ%<group> during the run
  int64_t dlq = 0;          // messages still in %DLQ%<group> at the end
  // Store-to-ack latency of every ack, in virtual ms: from the time the message was
  // first stored (the original publish, for a retry or DLQ copy) to the ack.
  Latencies latencies_ms;

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
// Keeps counters per group and topic, not the events: its memory does not grow with
// the run's length.
// Thread-safety: Emit runs under the executor's lock; the rest from the CLI thread.
class MetricsCollector : public sim::EventSink {
 public:
  void Reset();
  void Emit(const sim::Event& e) override;
  RunMetrics Finish(const scenario::RunResult& result) const;

 private:
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
