#pragma once

// Plain structs for a loaded scenario file (format version 1). The loader
// (scenario_json.cc) fills them and guarantees what each comment promises; the
// runner never re-validates. See docs/scenario-format.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/money.h"
#include "broker/broker.h"
#include "services/binding_settings.h"
#include "services/crash_point.h"
#include "services/saga_options.h"
#include "sim/executor.h"

namespace scenario {

// How steps are scheduled: the executor's modes.
using Mode = sim::ExecMode;

// The saga options live with the services; the scenario names them here too.
using services::CompensationJob;
using services::ConsumerGroups;
using services::Cancellation;
using services::Freeze;
using services::Idempotency;
using services::Options;
using services::Profile;
using services::Publish;
using services::StockDeduct;

// Overrides given in the file's "options" object, applied on top of the profile.
struct OptionOverrides {
  std::optional<Idempotency> idempotency;
  std::optional<Publish> publish;
  std::optional<StockDeduct> stock_deduct;
  std::optional<Freeze> freeze;
  std::optional<Cancellation> cancellation;
  std::optional<CompensationJob> compensation_job;
  std::optional<ConsumerGroups> consumer_groups;

  Options ApplyTo(Options base) const;
};

// The file's "broker" object is the broker's own config: queues 1..64, delay levels
// each > 0, persist interval > 0, max message size > 0.
using BrokerSettings = broker::BrokerConfig;

using services::ConsumerSettings;
using services::ProducerSettings;

// Per-binding overrides keyed by "service.binding", e.g. "stock.orderCreatedConsumer-in-0".
// The loader checks the names against the list in services/bindings.h.
struct Bindings {
  std::map<std::string, ConsumerSettings> consumers;  // only keys the file names
  std::map<std::string, ProducerSettings> producers;
};

struct Product {
  int64_t id = 0;      // > 0, unique
  int64_t stock = 0;   // >= 0
  base::Cents price = 0;
  std::string name;    // may be empty
};

// Product id -> quantity (> 0). Ordered by product id.
using Items = std::map<int64_t, int64_t>;

struct SingleOrder {
  std::string id;      // unique across single and generated ids, non-empty
  int64_t user = 0;
  Items items;         // non-empty, every product in the catalog
  int64_t at_ms = 0;
  std::string remark;
};

struct GeneratedOrders {
  int64_t count = 0;                        // 1..10,000,000
  std::string id_prefix = "g";
  int64_t user_min = 1, user_max = 1;       // min <= max
  std::map<int64_t, std::pair<int64_t, int64_t>> items;  // product -> [min, max], 0 <= min <= max
  int64_t start_ms = 0;
  int64_t every_ms = 0;
};

// An operator action at a virtual time. Exactly one of the actions is set.
struct Step {
  int64_t at_ms = 0;
  std::optional<Items> restock;                 // product -> added quantity (> 0)
  std::optional<std::string> redrive_dlq;       // consumer group
  struct ResetOffset {
    std::string group;
    std::string topic;
    std::optional<int64_t> to_ms;               // unset: "earliest"
  };
  std::optional<ResetOffset> reset_offset;
  int index = 0;                                // position in the file's "steps"
};

enum class FaultKind {
  kConsumerError, kDuplicate, kSendFailure, kCrash, kDelay, kSlow,
  kPaymentDecline, kBrokerRestart, kPoison,
};
using services::CrashPoint;

struct Fault {
  FaultKind kind = FaultKind::kConsumerError;
  // Matchers; unset matches anything.
  std::optional<std::string> service;   // order | stock | payment
  std::optional<std::string> group;
  std::optional<std::string> topic;
  std::optional<std::string> order;     // an order id, or a prefix glob ending in '*'
  double probability = 1.0;             // 0..1
  std::optional<int64_t> times = 1;     // unset: "always"
  // Kind-specific keys.
  std::string message;                  // consumer-error (default "injected consumer error")
  int copies = 1;                       // duplicate
  CrashPoint point = CrashPoint::kBeforeCommit;  // crash
  int64_t restart_after_ms = 5000;      // crash
  int64_t by_ms = 0;                    // delay
  int64_t latency_ms = 0;               // slow
  std::string reason = "payment declined";  // payment-decline
  int64_t at_ms = 0;                    // broker-restart, poison
  int64_t down_for_ms = 0;              // broker-restart
  std::string body;                     // poison
  int index = 0;                        // position in the file's "faults"
};

struct DeliveryExpectation {
  std::string group;
  std::string topic;
  std::string order;
  std::optional<int64_t> count;
  std::optional<int64_t> calls;
};

struct StockExpectation {
  std::optional<int64_t> available, frozen, sold;
};

struct Expectations {
  std::map<std::string, std::string> orders;        // order id -> CREATED|PAID|CANCELLED
  std::map<std::string, int64_t> order_counts;      // status -> count
  std::map<std::string, std::string> payments;      // order id -> SUCCESS|FAILED|REFUNDED|NONE
  std::map<std::string, int64_t> payment_counts;    // SUCCESS|FAILED|REFUNDED -> count
  std::map<int64_t, StockExpectation> stock;        // product -> expectation
  std::map<std::string, int64_t> dlq;               // group -> messages in %DLQ%group
  std::vector<DeliveryExpectation> deliveries;
  // Empty: all invariants must hold. Otherwise exactly these are violated.
  std::vector<std::string> violated_invariants;
  std::optional<std::vector<std::string>> stuck;    // order ids
};

struct Scenario {
  std::string file;          // path as given, for messages
  std::string name;
  std::string description;
  uint64_t seed = 1;
  Mode mode = Mode::kDeterministic;
  Profile profile = Profile::kHardened;
  Options options;           // profile preset with the file's overrides applied
  OptionOverrides overrides; // as written in the file
  BrokerSettings broker;
  Bindings bindings;
  std::map<std::string, std::string> spring;  // service -> Spring config file, resolved (src/spring applies it)
  std::vector<Product> catalog;      // in file order
  std::vector<SingleOrder> orders;   // in file order
  std::vector<GeneratedOrders> generated;
  std::vector<Step> steps;           // in file order
  std::vector<Fault> faults;         // in file order
  std::optional<int64_t> until_ms;
  Expectations expect;
  // What loads but probably does not do what the author meant, e.g. a fault rule that
  // can never fire: "file: /faults/2/group: ...". The run goes on; run and validate
  // print them on stderr.
  std::vector<std::string> warnings;
};

const char* ModeName(Mode mode);
const char* ProfileName(Profile profile);
const char* FaultKindName(FaultKind kind);

// The names of the seven invariants, in report order.
extern const char* const kInvariantNames[7];

}  // namespace scenario
