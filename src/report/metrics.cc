#include "report/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

namespace report {
namespace {

using K = sim::EventKind;

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Ms(int64_t ms) { return std::to_string(ms) + "ms"; }

// Label values escape backslash, double quote and newline (the exposition format's rule).
std::string LabelValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

struct Family {
  const char* name;
  const char* type;
  const char* help;
};

// Writes one family: HELP, TYPE, then its samples, each prefixed by the family's name
// (or name + suffix) and labels.
class Exposition {
 public:
  void Begin(const Family& f) {
    name_ = f.name;
    text_ += std::string("# HELP ") + f.name + " " + f.help + "\n";
    text_ += std::string("# TYPE ") + f.name + " " + f.type + "\n";
  }
  void Sample(const std::vector<std::pair<std::string, std::string>>& labels, double value,
              const char* suffix = "") {
    text_ += name_ + suffix;
    if (!labels.empty()) {
      text_ += "{";
      for (size_t i = 0; i < labels.size(); ++i)
        text_ += (i ? "," : "") + labels[i].first + "=\"" + LabelValue(labels[i].second) + "\"";
      text_ += "}";
    }
    text_ += " " + Number(value) + "\n";
  }
  const std::string& text() const { return text_; }

 private:
  std::string name_;
  std::string text_;
};

using Labels = std::vector<std::pair<std::string, std::string>>;

Labels GroupLabels(const RunMetrics& r, const std::string& group) {
  return {{"scenario", r.scenario}, {"group", group}};
}

}  // namespace

int64_t RunMetrics::TotalBacklog() const {
  int64_t n = 0;
  for (const auto& b : backlog) n += b.messages;
  return n;
}

int64_t RunMetrics::TotalAcks() const {
  int64_t n = 0;
  for (const auto& [group, g] : groups) n += g.acks;
  return n;
}

double RunMetrics::Throughput() const {
  return virtual_ms <= 0 ? 0.0 : TotalAcks() * 1000.0 / static_cast<double>(virtual_ms);
}

int64_t Quantile(const std::vector<int64_t>& ascending, double q) {
  if (ascending.empty()) return 0;
  auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(ascending.size())));
  return ascending[std::clamp<size_t>(rank, 1, ascending.size()) - 1];
}

int64_t Latencies::Quantile(double q) const {
  if (size_ == 0) return 0;
  // Nearest rank: the smallest value with at least ceil(q * n) values at or below it.
  int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * static_cast<double>(size_))));
  int64_t seen = 0;
  for (const auto& [value, n] : counts_) {
    seen += n;
    if (seen >= rank) return value;
  }
  return counts_.rbegin()->first;
}

void MetricsCollector::Reset() {
  groups_.clear();
  published_.clear();
}

void MetricsCollector::Emit(const sim::Event& e) {
  if (e.kind == K::kPublish) ++published_[e.topic];
  if (e.group.empty()) return;
  GroupMetrics& g = groups_[e.group];
  switch (e.kind) {
    case K::kDeliver: ++g.deliveries; break;
    case K::kCall: ++g.calls; break;
    case K::kFail: ++g.failures; break;
    case K::kRetry: ++g.retries; break;
    case K::kDlq: ++g.dead_lettered; break;
    case K::kAck:
      ++g.acks;
      if (e.born_ms >= 0) g.latencies_ms.Add(e.t - e.born_ms);
      break;
    default: break;
  }
}

RunMetrics MetricsCollector::Finish(const scenario::RunResult& result) const {
  RunMetrics m;
  m.scenario = result.name;
  m.profile = scenario::ProfileName(result.profile);
  m.virtual_ms = result.state.end_ms;
  m.groups = groups_;
  m.published = published_;
  for (const auto& d : result.state.dlq) ++m.groups[d.group].dlq;
  // Several clients of one group read the same queue: the group's offset is the lowest.
  std::map<std::tuple<std::string, std::string, int>, std::pair<int64_t, int64_t>> queues;
  for (const auto& p : result.state.progress) {
    auto key = std::make_tuple(p.group, p.topic, p.queue);
    auto it = queues.find(key);
    if (it == queues.end()) queues[key] = {p.broker_offset, p.consumer_offset};
    else it->second.second = std::min(it->second.second, p.consumer_offset);
  }
  for (const auto& [key, offsets] : queues)
    m.backlog.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key),
                         std::max<int64_t>(0, offsets.first - offsets.second)});
  return m;
}

std::vector<std::string> MetricsSummaryLines(const RunMetrics& m) {
  std::vector<std::string> lines;
  int64_t delivered = 0;
  for (const auto& [name, g] : m.groups) delivered += g.deliveries;
  if (delivered == 0 && m.published.empty()) return lines;
  char buf[256];
  std::snprintf(buf, sizeof buf, "  metrics:   %lld acks in %s virtual (%.2f acks/s), backlog %lld",
                static_cast<long long>(m.TotalAcks()), Ms(m.virtual_ms).c_str(), m.Throughput(),
                static_cast<long long>(m.TotalBacklog()));
  lines.push_back(buf);
  size_t width = 5;
  for (const auto& [name, g] : m.groups) width = std::max(width, name.size());
  std::snprintf(buf, sizeof buf, "    %-*s  %6s  %6s  %7s  %7s  %4s  %7s  %s", static_cast<int>(width), "group",
                "deliv", "calls", "failed", "retries", "dlq", "backlog", "store-to-ack p50/p95/p99");
  lines.push_back(buf);
  for (const auto& [name, g] : m.groups) {
    int64_t backlog = 0;
    for (const auto& b : m.backlog)
      if (b.group == name) backlog += b.messages;
    std::string failed = std::to_string(g.failures);
    if (g.calls > 0) failed += " (" + std::to_string(static_cast<int>(std::lround(g.FailureRate() * 100))) + "%)";
    std::string latency = g.latencies_ms.empty() ? "-"
                                                 : Ms(g.latencies_ms.Quantile(0.5)) + "/" +
                                                       Ms(g.latencies_ms.Quantile(0.95)) + "/" +
                                                       Ms(g.latencies_ms.Quantile(0.99));
    std::snprintf(buf, sizeof buf, "    %-*s  %6lld  %6lld  %7s  %7lld  %4lld  %7lld  %s", static_cast<int>(width),
                  name.c_str(), static_cast<long long>(g.deliveries), static_cast<long long>(g.calls),
                  failed.c_str(), static_cast<long long>(g.retries), static_cast<long long>(g.dlq),
                  static_cast<long long>(backlog), latency.c_str());
    lines.push_back(buf);
  }
  return lines;
}

std::string ToPrometheusText(const std::vector<RunMetrics>& runs) {
  Exposition x;
  x.Begin({"sagasim_backlog_messages", "gauge",
           "Messages a consumer group has not consumed at the end of the run (max offset - consumer offset), "
           "per stored topic and queue."});
  for (const auto& r : runs)
    for (const auto& b : r.backlog)
      x.Sample({{"scenario", r.scenario}, {"group", b.group}, {"topic", b.topic}, {"queue", std::to_string(b.queue)}},
               static_cast<double>(b.messages));
  struct Counter {
    Family family;
    int64_t GroupMetrics::*field;
  };
  const Counter counters[] = {
      {{"sagasim_deliveries_total", "counter", "Broker deliveries to a consumer group, duplicate copies included."},
       &GroupMetrics::deliveries},
      {{"sagasim_consume_calls_total", "counter", "Handler invocations of a consumer group."}, &GroupMetrics::calls},
      {{"sagasim_consume_failures_total", "counter", "Failed handler invocations of a consumer group."},
       &GroupMetrics::failures},
      {{"sagasim_acks_total", "counter", "Messages a consumer group acknowledged (CONSUME_SUCCESS)."},
       &GroupMetrics::acks},
      {{"sagasim_retries_total", "counter",
        "Copies a consumer group sent back for a retry (%RETRY%<group>, or an orderly local retry)."},
       &GroupMetrics::retries},
      {{"sagasim_dead_lettered_total", "counter", "Copies stored in %DLQ%<group> during the run."},
       &GroupMetrics::dead_lettered},
  };
  for (const Counter& c : counters) {
    x.Begin(c.family);
    for (const auto& r : runs)
      for (const auto& [group, g] : r.groups) x.Sample(GroupLabels(r, group), static_cast<double>(g.*c.field));
  }
  x.Begin({"sagasim_consume_failure_ratio", "gauge", "Failed handler invocations over all invocations of a group."});
  for (const auto& r : runs)
    for (const auto& [group, g] : r.groups) x.Sample(GroupLabels(r, group), g.FailureRate());
  x.Begin({"sagasim_dlq_messages", "gauge", "Messages in %DLQ%<group> at the end of the run."});
  for (const auto& r : runs)
    for (const auto& [group, g] : r.groups) x.Sample(GroupLabels(r, group), static_cast<double>(g.dlq));
  x.Begin({"sagasim_consume_latency_ms", "summary",
           "Virtual milliseconds from a message's first store to its ack by a group (retries included)."});
  for (const auto& r : runs)
    for (const auto& [group, g] : r.groups) {
      for (double q : {0.5, 0.95, 0.99}) {
        Labels l = GroupLabels(r, group);
        l.push_back({"quantile", Number(q)});
        x.Sample(l, static_cast<double>(g.latencies_ms.Quantile(q)));
      }
      x.Sample(GroupLabels(r, group), static_cast<double>(g.latencies_ms.sum()), "_sum");
      x.Sample(GroupLabels(r, group), static_cast<double>(g.latencies_ms.size()), "_count");
    }
  x.Begin({"sagasim_published_messages_total", "counter", "Messages stored in a topic by the services."});
  for (const auto& r : runs)
    for (const auto& [topic, n] : r.published)
      x.Sample({{"scenario", r.scenario}, {"topic", topic}}, static_cast<double>(n));
  x.Begin({"sagasim_throughput_acks_per_second", "gauge", "Acks of all groups per virtual second over the run."});
  for (const auto& r : runs) x.Sample({{"scenario", r.scenario}, {"profile", r.profile}}, r.Throughput());
  x.Begin({"sagasim_virtual_time_ms", "gauge", "Virtual time at which the run ended."});
  for (const auto& r : runs)
    x.Sample({{"scenario", r.scenario}, {"profile", r.profile}}, static_cast<double>(r.virtual_ms));
  return x.text();
}

base::Status WritePrometheusFile(const std::string& path, const std::vector<RunMetrics>& runs) {
  std::string text = ToPrometheusText(runs);
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return base::Status::Io("cannot write metrics file " + path);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? base::Status::Ok() : base::Status::Io("cannot finish metrics file " + path);
}

}  // namespace report
