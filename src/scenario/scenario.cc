#include "scenario/scenario.h"

namespace scenario {

Options OptionOverrides::ApplyTo(Options o) const {
  if (idempotency) o.idempotency = *idempotency;
  if (publish) o.publish = *publish;
  if (stock_deduct) o.stock_deduct = *stock_deduct;
  if (freeze) o.freeze = *freeze;
  if (cancellation) o.cancellation = *cancellation;
  if (compensation_job) o.compensation_job = *compensation_job;
  if (consumer_groups) o.consumer_groups = *consumer_groups;
  return o;
}

const char* ModeName(Mode mode) {
  return mode == Mode::kDeterministic ? "deterministic" : "concurrent";
}

const char* ProfileName(Profile profile) { return profile == Profile::kSeed ? "seed" : "hardened"; }

const char* FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kConsumerError: return "consumer-error";
    case FaultKind::kDuplicate: return "duplicate";
    case FaultKind::kSendFailure: return "send-failure";
    case FaultKind::kCrash: return "crash";
    case FaultKind::kDelay: return "delay";
    case FaultKind::kSlow: return "slow";
    case FaultKind::kPaymentDecline: return "payment-decline";
    case FaultKind::kBrokerRestart: return "broker-restart";
    case FaultKind::kPoison: return "poison";
  }
  return "?";
}

const char* const kInvariantNames[7] = {
    "stock-conserved",       "stock-non-negative",     "orders-settled",   "paid-charged-once",
    "cancelled-not-charged", "sold-matches-paid",      "broker-no-loss",
};

}  // namespace scenario
