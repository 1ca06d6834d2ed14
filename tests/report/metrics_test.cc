// The monitoring metrics: quantiles, what the collector counts from a trace, and the
// Prometheus text it writes (a real parser checks the file: cmake/metrics_check.cmake).

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "report/metrics.h"
#include "scenario/runner.h"
#include "scenario/scenario_json.h"
#include "testing/cli_fixtures.h"

namespace {

using K = sim::EventKind;

sim::Event Ev(int64_t seq, int64_t cause, K kind, int64_t t, const std::string& group = "") {
  sim::Event e = sim::Event::Make(kind, t, cause);
  e.seq = seq;
  e.group = group;
  e.topic = "order-created";
  // The events about the message carry its born time (Broker::Describe): stored at 100.
  if (kind != K::kPlace) e.born_ms = 100;
  return e;
}

TEST_CASE("metrics: nearest-rank quantiles") {
  std::vector<int64_t> v{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  CHECK(report::Quantile(v, 0.5) == 50);
  CHECK(report::Quantile(v, 0.95) == 100);
  CHECK(report::Quantile(v, 0.1) == 10);
  CHECK(report::Quantile({}, 0.5) == 0);
  CHECK(report::Quantile({7}, 0.99) == 7);
}

TEST_CASE("metrics: latency counts give the same nearest-rank quantiles as the sorted list") {
  std::vector<int64_t> v;
  report::Latencies counts;
  for (int64_t x : {30, 10, 10, 100, 0, 0, 0, 5000, 10, 30, 30, 60000}) {
    v.push_back(x);
    counts.Add(x);
  }
  std::sort(v.begin(), v.end());
  for (double q : {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0}) CHECK(counts.Quantile(q) == report::Quantile(v, q));
  CHECK(counts.size() == 12);
  CHECK(counts.sum() == 65220);
  CHECK(counts.counts().size() == 6);  // one entry per distinct value
  CHECK(report::Latencies{}.Quantile(0.5) == 0);
}

TEST_CASE("metrics: failures, retries and store-to-ack latency from the trace") {
  report::MetricsCollector c;
  c.Reset();
  // stored at 100; delivered, fails, retried; the copy is acked at 10,100.
  for (const auto& e : {Ev(1, 0, K::kPlace, 100), Ev(2, 1, K::kPublish, 100), Ev(3, 2, K::kDeliver, 100, "g"),
                        Ev(4, 3, K::kCall, 100, "g"), Ev(5, 4, K::kFail, 100, "g"), Ev(6, 5, K::kRetry, 100, "g"),
                        Ev(7, 6, K::kDeliver, 10100, "g"), Ev(8, 7, K::kCall, 10100, "g"),
                        Ev(9, 8, K::kAck, 10100, "g")})
    c.Emit(e);
  scenario::RunResult r;
  r.name = "t";
  r.state.end_ms = 20000;
  r.state.progress.push_back({"g", "order-created", 0, 5, 3});
  r.state.progress.push_back({"g", "order-created", 0, 5, 2});  // a second client: the lower offset counts
  r.state.dlq.push_back({"g", "order-created", "o1", "m"});
  report::RunMetrics m = c.Finish(r);
  const report::GroupMetrics& g = m.groups.at("g");
  CHECK(g.deliveries == 2);
  CHECK(g.calls == 2);
  CHECK(g.failures == 1);
  CHECK(g.FailureRate() == doctest::Approx(0.5));
  CHECK(g.retries == 1);
  CHECK(g.acks == 1);
  CHECK(g.dlq == 1);
  CHECK(g.latencies_ms == report::Latencies{10000});
  REQUIRE(m.backlog.size() == 1);
  CHECK(m.backlog[0].messages == 3);
  CHECK(m.published.at("order-created") == 1);
  CHECK(m.Throughput() == doctest::Approx(0.05));

  std::string text = report::ToPrometheusText({m});
  CHECK(text.find("# TYPE sagasim_consume_latency_ms summary\n") != std::string::npos);
  CHECK(text.find("sagasim_consume_latency_ms{scenario=\"t\",group=\"g\",quantile=\"0.99\"} 10000\n") !=
        std::string::npos);
  CHECK(text.find("sagasim_backlog_messages{scenario=\"t\",group=\"g\",topic=\"order-created\",queue=\"0\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("sagasim_dlq_messages{scenario=\"t\",group=\"g\"} 1\n") != std::string::npos);
  CHECK(text.find("sagasim_consume_failure_ratio{scenario=\"t\",group=\"g\"} 0.5\n") != std::string::npos);
  // Every family says what it is before its samples.
  size_t helps = 0, types = 0;
  for (size_t at = 0; (at = text.find("# HELP ", at)) != std::string::npos; ++at) ++helps;
  for (size_t at = 0; (at = text.find("# TYPE ", at)) != std::string::npos; ++at) ++types;
  CHECK(helps == types);
  CHECK(helps >= 10);
}

TEST_CASE("metrics: label values are escaped") {
  report::RunMetrics m;
  m.scenario = "a \"quoted\" \\ name";
  m.groups["g"].calls = 1;
  std::string text = report::ToPrometheusText({m});
  CHECK(text.find("scenario=\"a \\\"quoted\\\" \\\\ name\"") != std::string::npos);
}

TEST_CASE("metrics: run --metrics writes the file and the console shows the summary") {
  testing::TempDir dir;
  std::string file = dir.path + "/metrics.prom";
  auto out = testing::Sagasim("run " + testing::BundledScenario("retry-then-dlq.json") + " --metrics " + file);
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("  metrics:   ") != std::string::npos);
  CHECK(out.output.find("store-to-ack p50/p95/p99") != std::string::npos);
  std::string text = testing::ReadFile(file);
  CHECK(text.find("sagasim_dlq_messages{scenario=\"retry-then-dlq\",group=\"stock-consumer-group-orderCreatedConsumer-in-0\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("sagasim_retries_total{scenario=\"retry-then-dlq\",group=\"stock-consumer-group-orderCreatedConsumer-in-0\"}") !=
        std::string::npos);
  auto bad = testing::Sagasim("run " + testing::BundledScenario("happy-path.json") + " --metrics " + dir.path +
                              "/no/such/folder/m.prom");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--metrics") != std::string::npos);
}

}  // namespace
