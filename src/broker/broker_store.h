#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
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
  // A call that finds nothing changed writes nothing.
  base::Status Sync(const Broker& broker, int64_t now_ms);

  struct Offsets {
    int64_t pull, committed, persisted;
    std::string client;  // the client id holding the queue; empty for none
    bool operator==(const Offsets& o) const {
      return pull == o.pull && committed == o.committed && persisted == o.persisted && client == o.client;
    }
  };

 private:
  explicit BrokerStore(std::unique_ptr<store::Db> db) : db_(std::move(db)) {}
  std::unique_ptr<store::Db> db_;
  std::map<std::pair<std::string, int>, int64_t> written_;  // (topic, queue) -> messages written
  // What the last Sync wrote, to skip a Sync that would write nothing new.
  bool synced_once_ = false;
  int64_t stored_ = 0;
  std::map<std::tuple<std::string, std::string, int>, Offsets> offsets_;
  std::map<std::string, int64_t> redriven_;
};

// The schema of broker.db, shared with the admin views.
extern const char* const kBrokerSchema;

// Opens a run's broker.db for reading (`sagasim admin`), after checking that it is one:
// a regular, non-empty SQLite file with no -wal beside it (a run still writing it, or
// killed before it finished), whose `PRAGMA quick_check` passes and which has every
// table and column of kBrokerSchema. Nothing is ever written: the file is opened
// immutable (store::Db::OpenImmutable), so its bytes and mtime stay as they were and a
// read-only directory works. Errors are InvalidInput and say what is wrong.
base::Result<std::unique_ptr<store::Db>> OpenBrokerDbForReading(const std::string& path);

}  // namespace broker
