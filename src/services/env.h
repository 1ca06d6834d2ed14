#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "services/binding_settings.h"
#include "services/bindings.h"
#include "services/crash_point.h"
#include "services/saga_options.h"

namespace broker {
class Broker;
}
namespace sim {
class Executor;
class Trace;
class Prng;
}

namespace services {

// Faults the services consult at their seams. The scenario layer implements it from
// the file's fault rules; a null FaultHooks* means no faults.
// Thread-safety: called with the executor's lock held.
class FaultHooks {
 public:
  virtual ~FaultHooks() = default;
  // Each hook gets `cause`, the trace event of the call or step it acts on, so the
  // fault's own event can name it.
  // payment-decline: the gateway's reason when it declines this order.
  virtual std::optional<std::string> DeclinePayment(const std::string& order_no, int64_t cause) = 0;
  // consumer-error: the message to throw for this handler invocation.
  virtual std::optional<std::string> ConsumerError(ServiceId service, const std::string& group,
                                                   const std::string& topic, const std::string& order_no,
                                                   int64_t cause) = 0;
  // slow: how long (virtual ms) this handler call takes; 0 for no fault.
  virtual int64_t SlowLatency(ServiceId service, const std::string& group, const std::string& topic,
                              const std::string& order_no, int64_t cause) = 0;
  // send-failure: the reason this send fails as a whole (the client's internal
  // retries included).
  virtual std::optional<std::string> SendFailure(ServiceId service, const std::string& topic,
                                                 const std::string& order_no, int64_t cause) = 0;
  // crash: whether the service crashes at `point` of this step; fills the restart
  // delay and the seq of the fault's trace event.
  virtual bool Crash(CrashPoint point, ServiceId service, const std::string& group, const std::string& topic,
                     const std::string& order_no, int64_t cause, int64_t* restart_after_ms,
                     int64_t* fault_seq) = 0;
};

// What every service of a run shares. Outlives the services.
struct Env {
  sim::Executor* exec = nullptr;
  broker::Broker* broker = nullptr;
  sim::Trace* trace = nullptr;                            // the broker's: one numbering per run
  FaultHooks* faults = nullptr;
  sim::Prng* producer_prng = nullptr;                     // seeds producers' round robin
  Options options;
  std::string state_dir;                                  // <dir>/<service>.db; empty: in memory
  // Each service's database in memory even with a state_dir (tests). Without a
  // state_dir the databases are in memory anyway: private to the one connection in
  // deterministic mode, a shared memdb for the lanes' connections in concurrent mode.
  bool in_memory = false;
  std::map<std::string, ConsumerSettings> consumers;      // by "service.binding"
  std::map<std::string, ProducerSettings> producers;
  uint64_t seed = 1;
};

}  // namespace services
