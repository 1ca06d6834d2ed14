#include "broker/broker_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "broker/consumer.h"
#include "store/transaction.h"

namespace broker {

const char* const kBrokerSchema = R"sql(
CREATE TABLE IF NOT EXISTS topic(
  name TEXT PRIMARY KEY,
  queues INTEGER NOT NULL,
  perm INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS message(
  topic TEXT NOT NULL,
  queue_id INTEGER NOT NULL,
  queue_offset INTEGER NOT NULL,
  msg_id TEXT NOT NULL,
  offset_msg_id TEXT NOT NULL,
  tags TEXT NOT NULL,
  keys TEXT NOT NULL,
  body TEXT NOT NULL,
  properties TEXT NOT NULL,
  born_ms INTEGER NOT NULL,
  store_ms INTEGER NOT NULL,
  reconsume_times INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  PRIMARY KEY(topic, queue_id, queue_offset)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_by_msg_id ON message(msg_id);
CREATE TABLE IF NOT EXISTS subscription(
  group_name TEXT NOT NULL,
  topic TEXT NOT NULL,
  expression TEXT NOT NULL,
  binding TEXT NOT NULL,
  service TEXT NOT NULL,
  orderly INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  message_model TEXT NOT NULL,
  PRIMARY KEY(group_name, topic, binding)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS consumer_offset(
  group_name TEXT NOT NULL,
  topic TEXT NOT NULL,
  queue_id INTEGER NOT NULL,
  pull_offset INTEGER NOT NULL,
  committed_offset INTEGER NOT NULL,
  persisted_offset INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  PRIMARY KEY(group_name, topic, queue_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dlq_redrive(
  group_name TEXT PRIMARY KEY,
  redriven_offset INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS run_info(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

base::Result<std::unique_ptr<BrokerStore>> BrokerStore::Open(const std::string& path) {
  auto db = store::Db::Open(path, /*exclusive=*/true);
  if (!db.ok()) return db.status();
  base::Status s = (*db)->Exec(kBrokerSchema);
  if (!s.ok()) return s;
  return std::unique_ptr<BrokerStore>(new BrokerStore(std::move(db.value())));
}

base::Status BrokerStore::Sync(const Broker& broker, int64_t now_ms) {
  // A group's offsets on a queue come from the client the rebalance gave it (the
  // most conservative of theirs should two hold it); a queue no client holds keeps
  // the offsets nobody moved, and no client ("N/A").
  std::map<std::tuple<std::string, std::string, int>, Offsets> offsets;
  for (const Consumer* c : broker.consumers()) {
    for (const Consumer::QueueState& q : c->Queues()) {
      Offsets mine{q.next, q.committed, q.persisted, q.held ? c->config().client_id : std::string()};
      auto [it, fresh] = offsets.try_emplace({c->config().group, q.topic, q.queue}, mine);
      if (fresh) continue;
      if (!q.held) continue;
      if (it->second.client.empty()) {
        it->second = mine;
        continue;
      }
      it->second.pull = std::max(it->second.pull, q.next);
      it->second.committed = std::min(it->second.committed, q.committed);
      it->second.persisted = std::min(it->second.persisted, q.persisted);
    }
  }
  int64_t stored = 0;
  for (const auto& [name, topic] : broker.topics())
    for (const Queue& q : topic.queues) stored += q.max_offset();
  // Most offset persists in a long quiet run change nothing: skip the transaction.
  if (synced_once_ && stored == stored_ && offsets == offsets_ && broker.dlq_redriven() == redriven_) return base::Status::Ok();

  store::Transaction txn(db_.get());
  if (!txn.begin_status().ok()) return txn.begin_status();
  base::Status s;
  for (const auto& [name, topic] : broker.topics()) {
    s = db_->Prepare("INSERT OR REPLACE INTO topic(name, queues, perm) VALUES(?, ?, ?)")
            .Bind(1, name)
            .Bind(2, static_cast<int64_t>(topic.queues.size()))
            .Bind(3, topic.perm)
            .Run();
    if (!s.ok()) return s;
    for (size_t q = 0; q < topic.queues.size(); ++q) {
      int64_t& written = written_[{name, static_cast<int>(q)}];
      const Queue& queue = topic.queues[q];
      for (; written < queue.max_offset(); ++written) {
        const Message& m = queue.messages[written];
        s = db_->Prepare("INSERT OR REPLACE INTO message VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .Bind(1, m.topic)
                .Bind(2, m.queue_id)
                .Bind(3, m.queue_offset)
                .Bind(4, m.msg_id)
                .Bind(5, m.offset_msg_id)
                .Bind(6, m.tags)
                .Bind(7, m.keys)
                .Bind(8, m.body)
                .Bind(9, nlohmann::json(m.properties).dump())
                .Bind(10, m.born_ms)
                .Bind(11, m.store_ms)
                .Bind(12, m.reconsume_times)
                .Bind(13, m.last_error)
                .Run();
        if (!s.ok()) return s;
      }
    }
  }
  for (const Consumer* c : broker.consumers()) {
    const ConsumerConfig& cfg = c->config();
    s = db_->Prepare("INSERT OR REPLACE INTO subscription VALUES(?, ?, ?, ?, ?, ?, ?, ?)")
            .Bind(1, cfg.group)
            .Bind(2, cfg.topic)
            .Bind(3, cfg.filter.expression())
            .Bind(4, cfg.binding)
            .Bind(5, cfg.service)
            .Bind(6, cfg.orderly ? 1 : 0)
            .Bind(7, cfg.client_id)
            .Bind(8, cfg.broadcasting ? "BROADCASTING" : "CLUSTERING")
            .Run();
    if (!s.ok()) return s;
  }
  for (const auto& [key, o] : offsets) {
    s = db_->Prepare("INSERT OR REPLACE INTO consumer_offset VALUES(?, ?, ?, ?, ?, ?, ?)")
            .Bind(1, std::get<0>(key))
            .Bind(2, std::get<1>(key))
            .Bind(3, std::get<2>(key))
            .Bind(4, o.pull)
            .Bind(5, o.committed)
            .Bind(6, o.persisted)
            .Bind(7, o.client)
            .Run();
    if (!s.ok()) return s;
  }
  for (const auto& [group, offset] : broker.dlq_redriven()) {
    s = db_->Prepare("INSERT OR REPLACE INTO dlq_redrive VALUES(?, ?)").Bind(1, group).Bind(2, offset).Run();
    if (!s.ok()) return s;
  }
  s = db_->Prepare("INSERT OR REPLACE INTO run_info VALUES('end_ms', ?)").Bind(1, std::to_string(now_ms)).Run();
  if (!s.ok()) return s;
  s = txn.Commit();
  if (!s.ok()) return s;
  synced_once_ = true;
  stored_ = stored;
  offsets_ = std::move(offsets);
  redriven_ = broker.dlq_redriven();
  return s;
}

}  // namespace broker
