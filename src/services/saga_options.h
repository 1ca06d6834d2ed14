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

struct Options {
  Idempotency idempotency = Idempotency::kTransactional;
  Publish publish = Publish::kOutbox;
  StockDeduct stock_deduct = StockDeduct::kReservation;
  Freeze freeze = Freeze::kAtomic;
  Cancellation cancellation = Cancellation::kCompensate;
  CompensationJob compensation_job = CompensationJob::kResend;

  static Options ForProfile(Profile profile);
};

const char* OptionValueName(Idempotency v);
const char* OptionValueName(Publish v);
const char* OptionValueName(StockDeduct v);
const char* OptionValueName(Freeze v);
const char* OptionValueName(Cancellation v);
const char* OptionValueName(CompensationJob v);

}  // namespace services
