#pragma once

#include "base/status.h"
#include "broker/message.h"
#include "services/idempotency.h"
#include "services/step_context.h"
#include "store/transaction.h"

namespace services {

// The shape every message handler shares: decode the body (a malformed one fails the
// delivery), open the step's transaction, skip an already processed eventId under
// `idempotency: transactional`, apply the effect, commit, then publish.
// `apply(const Event&)` returns a Status; on error the transaction rolls back.
template <typename ParseFn, typename ApplyFn>
base::Status HandleInTransaction(const broker::Message& msg, StepContext& ctx, ParseFn parse, ApplyFn apply) {
  auto parsed = parse(msg.body);
  if (!parsed.ok()) return parsed.status();
  const auto& event = parsed.value();
  store::Transaction txn(&ctx.db());
  if (!txn.begin_status().ok()) return txn.begin_status();
  if (ctx.options().idempotency == Idempotency::kTransactional) {
    auto seen = AlreadyProcessed(ctx, event.event_id);
    if (!seen.ok()) return seen.status();
    if (*seen) {
      NoteDuplicate(ctx, event.order_no, event.event_id, "eventId already in processed_event");
      return ctx.Flush();
    }
  }
  base::Status s = apply(event);
  if (!s.ok()) return s;
  return ctx.Commit(&txn);
}

}  // namespace services
