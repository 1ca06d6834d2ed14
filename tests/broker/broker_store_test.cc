#include "broker/broker_store.h"

#include <doctest/doctest.h>

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/db.h"
#include "testing/broker_fixture.h"

namespace broker {
namespace {

TEST_CASE("broker.db keeps each message's properties as nlohmann's dump of them, byte for byte") {
  char tmpl[] = "/tmp/sagasim_broker_store_test.XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl;
  const std::vector<std::map<std::string, std::string>> cases = {
      {},
      {{kPropUniqKey, "C0A8000100002A9F000000000001"}, {kPropEventId, "oc-1"}, {kPropEventType, "OrderCreatedEvent"}},
      {{kPropRetryTopic, "%RETRY%stock-order-created-group"}, {"RECONSUME_TIME", "3"}},
      // What needs escaping or is not ASCII takes nlohmann's own path.
      {{"a", "quote \" and backslash \\"}, {"b", "tab\there"}, {"c", "caf\xc3\xa9"}, {"d", "del \x7f"}},
  };
  {
    ::testing::BrokerFixture f;
    auto lock = f.exec.Lock();
    for (size_t i = 0; i < cases.size(); ++i) {
      Message msg;
      msg.msg_id = f.broker.NewMsgId();
      msg.topic = "orders";
      msg.tags = "T";
      msg.keys = "o" + std::to_string(i);
      msg.body = "{}";
      msg.properties = cases[i];
      f.broker.Put(std::move(msg), 0);
    }
    auto store = BrokerStore::Open(dir + "/broker.db");
    REQUIRE(store.ok());
    REQUIRE(store.value()->Sync(f.broker, 0).ok());
  }
  auto db = store::Db::Open(dir + "/broker.db");
  REQUIRE(db.ok());
  store::Statement& q =
      db.value()->Prepare("SELECT properties FROM message WHERE topic = 'orders' ORDER BY queue_offset");
  for (const auto& properties : cases) {
    REQUIRE(q.Step());
    CHECK(q.Text(0) == nlohmann::json(properties).dump());
  }
  CHECK_FALSE(q.Step());
  q.Reset();
  db.value().reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace broker
