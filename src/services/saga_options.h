#pragma once

// The saga's design choices, one per decision of the reference system. The `seed`
// profile takes the reference's literal choices, `hardened` the fix for each.

namespace services {

enum class Profile { kSeed, kHardened };

enum class Idempotency { kNone, kSample, kTransactional };
enum class Publish { kAsync, kSync, kOutbox };
enum class StockDeduct { kUnknownItems, kReservation };
enum class Freeze { kPerItem, kAtomic };
enum class Cancellation { kNone, kCompensate };
enum class CompensationJob { kOff, kResend };
// How the services' consumer bindings map to RocketMQ consumer groups. The binder
// builds one push consumer (one client) per binding either way.
//   per-service: the reference's, one group per service shared by its bindings, so
//     a group holds clients with different subscriptions and the rebalance leaves
//     queues unconsumed;
//   per-binding: a group of its own per binding, "<service group>-<binding name>".
enum class ConsumerGroups { kPerService, kPerBinding };

struct Options {
  Idempotency idempotency = Idempotency::kTransactional;
  Publish publish = Publish::kOutbox;
  StockDeduct stock_deduct = StockDeduct::kReservation;
  Freeze freeze = Freeze::kAtomic;
  Cancellation cancellation = Cancellation::kCompensate;
  CompensationJob compensation_job = CompensationJob::kResend;
  ConsumerGroups consumer_groups = ConsumerGroups::kPerBinding;

  static Options ForProfile(Profile profile);
};

const char* OptionValueName(Idempotency v);
const char* OptionValueName(Publish v);
const char* OptionValueName(StockDeduct v);
const char* OptionValueName(Freeze v);
const char* OptionValueName(Cancellation v);
const char* OptionValueName(CompensationJob v);
const char* OptionValueName(ConsumerGroups v);

}  // namespace services
