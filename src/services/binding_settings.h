#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace services {

// One consumer binding's settings; defaults are those of the reference
// configuration, the RocketMQ client and the Spring Cloud Stream binder.
struct ConsumerSettings {
  int max_attempts = 3;                        // >= 1
  int64_t back_off_initial_ms = 1000;
  double back_off_multiplier = 2.0;            // >= 1.0
  int64_t back_off_max_ms = 10000;
  std::optional<int> max_reconsume_times;      // unset: 16 (concurrent), unlimited (orderly)
  int concurrency = 1;                         // 1..64
  bool orderly = false;
  int64_t suspend_current_queue_time_ms = 1000;  // clamped to [10, 30000] by the loader
  int batch_size = 1;                          // 1..1024
  std::optional<std::string> subscription;     // unset: the reference's tag for the binding
  std::optional<std::string> group;            // unset: the binding's group (bindings.h); set by Spring files
  // push.delayLevelWhenNextConsume, set on the context before RECONSUME_LATER:
  // -1 straight to the DLQ, 0 the broker decides (reconsumeTimes + 3), N level N.
  int delay_level_when_next_consume = 0;       // -1..1000
  bool broadcasting = false;                   // messageModel: BROADCASTING
};

struct ProducerSettings {
  // Unset: follows the `publish` option (sync sends for `sync`, async otherwise).
  // false is the reference's legacy `sync: false`: an async send whose failure only
  // reaches a callback that logs it, even under `publish: sync`.
  std::optional<bool> sync;
  std::optional<std::string> group;
};

}  // namespace services
