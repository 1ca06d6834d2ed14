#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "base/result.h"
#include "broker/broker.h"
#include "store/db.h"

namespace broker {

// broker.db: the broker's topics, messages with their properties, subscriptions,
// consumer offsets (pull, committed, persisted) and DLQ redrive marks, written at
// each offset persist and at the end of a run, for `sagasim admin` and sqlite3.
// Thread-safety: Sync requires the executor's lock (it reads the broker).
class BrokerStore {
 public:
  static base::Result<std::unique_ptr<BrokerStore>> Open(const std::string& path);

  // Writes what changed since the last call: new topics and messages, all offsets.
  base::Status Sync(const Broker& broker, int64_t now_ms);

 private:
  explicit BrokerStore(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
  std::unique_ptr<store::Db> db_;
  std::map<std::pair<std::string, int>, int64_t> written_;  // (topic, queue) -> messages written
};

// The schema of broker.db, shared with the admin views.
extern const char* const kBrokerSchema;

}  // namespace broker
