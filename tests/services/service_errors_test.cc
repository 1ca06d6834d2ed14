// An unexpected SQLite error inside a step is never dropped: even a handler that
// ignores the failed statement's status gets its service failed, the run stopped and
// the message left unacked.

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "broker/broker.h"
#include "services/service.h"
#include "services/step_context.h"
#include "sim/executor.h"
#include "testing/recording_sink.h"

namespace {

class WritingService : public services::Service {
 public:
  WritingService(services::Env* env, services::Handler handler)
      : Service(services::ServiceId::kStock, env), handler_(std::move(handler)) {}

 protected:
  const char* Schema() const override { return "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT);"; }
  void AddConsumers() override { AddConsumer("orderCreatedConsumer-in-0", handler_); }

 private:
  services::Handler handler_;
};

struct OneMessageRun {
  explicit OneMessageRun(services::Handler handler) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sagasim-svc-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    env.exec = &exec;
    env.broker = &broker;
    env.trace = broker.trace();
    env.producer_prng = &prng;
    env.state_dir = dir;
    service = std::make_unique<WritingService>(&env, std::move(handler));
    base::Status s = service->Open();
    REQUIRE_MESSAGE(s.ok(), s.ToString());
    {
      auto lock = exec.Lock();
      broker::Message msg;
      msg.msg_id = broker.NewMsgId();
      msg.topic = "order-created";
      msg.tags = "ORDER_CREATED";
      msg.keys = "o1";
      msg.body = "{}";
      broker.Put(std::move(msg), 0);
    }
    outcome = exec.Run(std::nullopt);
  }
  ~OneMessageRun() {
    service.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  sim::Executor exec{sim::ExecMode::kDeterministic, 1};
  testing::RecordingSink sink;
  broker::Broker broker{broker::BrokerConfig{}, &exec, &sink};
  sim::Prng prng{1, sim::kStreamProducers};
  services::Env env;
  std::string dir;
  std::unique_ptr<WritingService> service;
  sim::Executor::Outcome outcome;
};

TEST_CASE("service: a statement error the handler ignores still fails the service and stops the run") {
  OneMessageRun run([](const broker::Message&, services::StepContext& ctx) {
    store::Db& db = ctx.db();
    REQUIRE(db.Exec("PRAGMA query_only=ON;").ok());
    // The write fails (read-only connection); the handler drops the status.
    (void)db.Prepare("INSERT INTO t(v) VALUES(?)").Bind(1, "x").Run();
    return base::Status::Ok();
  });
  CHECK(run.outcome.aborted);
  REQUIRE_FALSE(run.service->error().ok());
  CHECK(run.service->error().message().find("stock service stopped the run") != std::string::npos);
  CHECK(run.service->error().message().find("readonly") != std::string::npos);
  CHECK(run.sink.OfKind("ack").empty());  // the delivery is not acked as if it had worked
}

TEST_CASE("service: a handler whose statements succeed leaves the service healthy") {
  OneMessageRun run([](const broker::Message&, services::StepContext& ctx) {
    return ctx.db().Prepare("INSERT INTO t(v) VALUES(?)").Bind(1, "x").Run();
  });
  CHECK_FALSE(run.outcome.aborted);
  CHECK(run.service->error().ok());
  CHECK(run.sink.OfKind("ack").size() == 1);
}

}  // namespace
