#include "services/bindings.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace services {
namespace {

using Names = std::vector<std::string>;

TEST_CASE("bindings: name tables are drawn from the binding tables, each name once") {
  CHECK(ServiceNames() == Names{"order", "stock", "payment"});
  CHECK(TopicNames() == Names{"order-created", "payment-success", "stock-freeze-failed", "stock-frozen",
                              "payment-failed", "order-cancelled"});
  CHECK(ConsumerGroupNames() == Names{"order-consumer-group", "stock-consumer-group", "payment-consumer-group"});
}

TEST_CASE("bindings: which group consumes which topic") {
  CHECK(TopicsOfGroup("stock-consumer-group") == Names{"order-created", "payment-success", "order-cancelled"});
  CHECK(TopicsOfGroup("payment-consumer-group") == Names{"order-created", "order-cancelled"});
  CHECK(TopicsOfGroup("nobody").empty());
  CHECK(GroupConsumes("stock-consumer-group", "order-created"));
  CHECK_FALSE(GroupConsumes("stock-consumer-group", "payment-failed"));
  CHECK_FALSE(GroupConsumes("stock-consumer-group", "%RETRY%stock-consumer-group"));
  // Every group's topics are topics of the table.
  for (const std::string& group : ConsumerGroupNames()) {
    for (const std::string& topic : TopicsOfGroup(group)) {
      CAPTURE(topic);
      CHECK(FindTopic(topic) != nullptr);
    }
  }
}

}  // namespace
}  // namespace services
