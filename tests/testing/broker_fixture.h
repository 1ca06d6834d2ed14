#pragma once

// A broker on a deterministic executor, with a sink that records its trace events, for
// tests that drive broker::Broker and broker::Consumer (or services) directly.
//
//   ::testing::BrokerFixture f;
//   auto lock = f.exec.Lock();
//   const broker::Message& m = f.PutNew("orders", 0, "Created", "o1");

#include <string>
#include <utility>

#include <doctest/doctest.h>

#include "broker/broker.h"
#include "broker/message.h"
#include "sim/executor.h"
#include "testing/recording_sink.h"

namespace testing {

struct BrokerFixture {
  // RocketMQ's defaults (BrokerConfig{}): 4 queues per topic, the 18 delay levels.
  explicit BrokerFixture(broker::BrokerConfig config = {}) : broker(std::move(config), &exec, &sink) {}
  explicit BrokerFixture(int queues_per_topic) : BrokerFixture(WithQueues(queues_per_topic)) {}

  // Stores a message with a fresh msgId, also set as its UNIQ_KEY as a producer does.
  // REQUIRES: exec's lock held.
  const broker::Message& PutNew(const std::string& topic, int queue, const std::string& tags = "TagA",
                                const std::string& key = "o1", const std::string& body = "{}") {
    broker::Message msg;
    msg.msg_id = broker.NewMsgId();
    msg.topic = topic;
    msg.tags = tags;
    msg.keys = key;
    msg.body = body;
    msg.properties[broker::kPropUniqKey] = msg.msg_id;
    return broker.Put(std::move(msg), queue);
  }

  // REQUIRES: exec's lock held.
  const broker::Queue& QueueOf(const std::string& topic, int queue = 0) {
    const broker::Topic* t = broker.FindTopic(topic);
    REQUIRE(t != nullptr);
    return t->queues.at(queue);
  }

  sim::Executor exec{sim::ExecMode::kDeterministic, 1};
  RecordingSink sink;
  broker::Broker broker;  // after exec and sink, which it uses

 private:
  static broker::BrokerConfig WithQueues(int queues_per_topic) {
    broker::BrokerConfig config;
    config.queues_per_topic = queues_per_topic;
    return config;
  }
};

}  // namespace testing
