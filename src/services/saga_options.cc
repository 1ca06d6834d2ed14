#include "services/saga_options.h"

namespace services {

Options Options::ForProfile(Profile profile) {
  Options o;  // the defaults are the hardened choices
  if (profile == Profile::kSeed) {
    o.idempotency = Idempotency::kSample;
    o.publish = Publish::kAsync;
    o.stock_deduct = StockDeduct::kUnknownItems;
    o.freeze = Freeze::kPerItem;
    o.cancellation = Cancellation::kNone;
    o.compensation_job = CompensationJob::kOff;
    o.consumer_groups = ConsumerGroups::kPerService;
  }
  return o;
}

const char* OptionValueName(Idempotency v) {
  switch (v) {
    case Idempotency::kNone: return "none";
    case Idempotency::kSample: return "sample";
    case Idempotency::kTransactional: return "transactional";
  }
  return "?";
}
const char* OptionValueName(Publish v) {
  switch (v) {
    case Publish::kAsync: return "async";
    case Publish::kSync: return "sync";
    case Publish::kOutbox: return "outbox";
  }
  return "?";
}
const char* OptionValueName(StockDeduct v) {
  return v == StockDeduct::kUnknownItems ? "unknown-items" : "reservation";
}
const char* OptionValueName(Freeze v) { return v == Freeze::kPerItem ? "per-item" : "atomic"; }
const char* OptionValueName(Cancellation v) { return v == Cancellation::kNone ? "none" : "compensate"; }
const char* OptionValueName(CompensationJob v) { return v == CompensationJob::kOff ? "off" : "resend"; }
const char* OptionValueName(ConsumerGroups v) {
  return v == ConsumerGroups::kPerService ? "per-service" : "per-binding";
}

}  // namespace services
