#pragma once

// The scenario loader's inside, shared by the files that parse one section each:
//   scenario_json.cc     entry points, the top level, options, shared cross-checks
//   scenario_broker.cc   "broker" and "bindings"
//   scenario_orders.cc   "catalog" and "orders"
//   scenario_steps.cc    "steps"
//   scenario_faults.cc   "faults" (with the warnings of fault_warnings.h)
//   scenario_expect.cc   "expect"
// Below them: json_dom.h (text to document), json_reader.h (typed access, errors with
// JSON pointers) and order_ids.h. Only the loader includes this header.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>

#include "base/money.h"
#include "base/result.h"
#include "scenario/json_reader.h"
#include "scenario/order_ids.h"
#include "scenario/scenario.h"

namespace scenario::loader {

// Guards against absurd inputs: the simulator would run out of memory or time long
// before it could report anything useful. docs/scenario-format.md lists them.
constexpr int64_t kMaxOrders = 10'000'000;
constexpr int64_t kMaxSteps = 100'000;
constexpr int64_t kMaxFaults = 100'000;
constexpr int64_t kMaxProducts = 100'000;
// Stock, order quantities and restocks; keeps every sum of units far from overflow.
constexpr int64_t kMaxUnits = 1'000'000'000;
constexpr int64_t kMaxCopies = 1000;
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// Reads one document into a Scenario. The sections are parsed in file-format order, so
// the cross-checks can rely on what came before (orders after the catalog, faults and
// expectations after the orders). Not copyable; one per load.
class Loader {
 public:
  // `root` must outlive the Loader.
  Loader(const Json& root, const std::string& file);
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // The scenario, or the first input error.
  base::Result<Scenario> Load();

 private:
  void ParseTopLevel();
  void ParseOptions(const Reader& r);
  void ParseBroker(const Reader& r);
  void ParseBindings(const Reader& r);
  ConsumerSettings ParseConsumer(const Reader& r);
  ProducerSettings ParseProducer(const Reader& r);
  void ParseCatalog(const Reader& r);
  void ParseOrders(const Reader& r);
  void ParseSingleOrder(const Reader& r);
  void ParseGenerated(const Reader& r);
  void ParseSteps(const Reader& r);
  Step ParseStep(const Reader& r);
  void ParseFaults(const Reader& r);
  Fault ParseFault(const Reader& r);
  void ParseExpect(const Reader& r);
  void ParseDeliveries(const Reader& r);
  void ParseInvariants(const Reader& r);

  // Shared checks.
  std::optional<int64_t> ProductId(const std::string& key, const Reader& at);
  Items ParseItems(const Reader& r);
  void CheckOrderTotal(const Reader& r, const Items& quantities);
  std::string OrderId(const Reader& r);
  std::string Topic(const Reader& r);
  void CheckGroupConsumes(const Reader& topic_reader, const std::string& group, const std::string& topic);
  void CountOrders(const Reader& r, int64_t n);

  // Adds "file: <pointer>: message" to the scenario's warnings.
  void Warn(const std::string& pointer, const std::string& message);

  Errors errors_;
  Reader root_;
  Scenario scenario_;
  std::map<int64_t, base::Cents> prices_;  // product -> price
  OrderIds order_ids_;
  int64_t total_orders_ = 0;
};

}  // namespace scenario::loader
