// Micro-benchmarks of the hot paths: publish -> deliver -> ack through the broker,
// one delivery through a service handler (a whole one-order saga, per handler
// call), and executor steps. Run: ./build/sagasim_microbench
#include <benchmark/benchmark.h>

#include "bench/bench_scenario.h"
#include "broker/broker.h"
#include "broker/consumer.h"
#include "scenario/runner.h"
#include "sim/executor.h"

namespace {

// One message stored, pulled and acked by one consumer, trace events included.
void BM_PublishDeliverAck(benchmark::State& state) {
  sim::Executor exec(sim::ExecMode::kDeterministic, 1);
  broker::Broker broker(broker::BrokerConfig{}, &exec, nullptr);
  auto lock = exec.Lock();
  broker.EnsureTopic("order-created", 4);
  broker::ConsumerConfig c;
  c.group = "stock-group";
  c.topic = "order-created";
  c.service = "stock";
  c.binding = "stock.orderCreatedConsumer-in-0";
  c.filter = broker::TagFilter("*");
  broker::Consumer consumer(&broker, c);
  int queue = 0;
  for (auto _ : state) {
    broker::Message msg;
    msg.msg_id = broker.NewMsgId();
    msg.topic = "order-created";
    msg.tags = "ORDER_CREATED";
    msg.keys = "o1";
    msg.body = R"({"orderId":1,"orderNo":"o1","eventId":"oc-1"})";
    broker.Put(std::move(msg), queue++ % 4);
    auto delivery = consumer.Pull();
    if (!delivery) state.SkipWithError("nothing delivered");
    else consumer.Ack(*delivery);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PublishDeliverAck);

// A whole hardened run of N orders in memory; items are handler calls (11 per order).
void BM_HandlerCalls(benchmark::State& state) {
  const int64_t orders = state.range(0);
  scenario::Scenario sc = bench::BenchScenario(orders, bench::Load::kPaced, scenario::Mode::kDeterministic);
  for (auto _ : state) {
    auto r = scenario::RunScenario(sc, scenario::RunSettings{}, nullptr);
    if (!r.ok() || !r->passed) state.SkipWithError("run failed");
  }
  state.SetItemsProcessed(state.iterations() * orders);
  state.SetLabel("items = orders");
}
BENCHMARK(BM_HandlerCalls)->Arg(1)->Arg(100)->Unit(benchmark::kMillisecond);

// Executor steps: timers that fire one after another with nothing else to do.
void BM_ExecutorTimers(benchmark::State& state) {
  for (auto _ : state) {
    sim::Executor exec(sim::ExecMode::kDeterministic, 1);
    int fired = 0;
    {
      auto lock = exec.Lock();
      for (int i = 0; i < 1000; ++i) exec.At(i, [&fired] { ++fired; });
    }
    exec.Run(std::nullopt);
    benchmark::DoNotOptimize(fired);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_ExecutorTimers);

}  // namespace

BENCHMARK_MAIN();
