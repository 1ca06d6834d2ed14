#include "broker/broker_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/check.h"
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

namespace {

// What nlohmann::json(properties).dump() writes, without building the DOM when every
// key and value is printable ASCII needing no escape (ids, topics, event types: the
// properties the services set), where the dump is the text as it is. Anything else
// goes to nlohmann.
std::string PropertiesJson(const std::map<std::string, std::string>& properties) {
  auto plain = [](const std::string& text) {
    for (unsigned char c : text)
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
    return true;
  };
  std::string out = "{";
  for (const auto& [key, value] : properties) {
    if (!plain(key) || !plain(value)) return nlohmann::json(properties).dump();
    if (out.size() > 1) out += ',';
    out += '"';
    out += key;
    out += "\":\"";
    out += value;
    out += '"';
  }
  out += '}';
  return out;
}


// Rows of a one-column query, with errors as a Status: the file under check may not be
// a database at all, where Db::Prepare would abort.
base::Status Column(sqlite3* db, const std::string& sql, const std::string& arg, std::vector<std::string>* rows) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  if (rc == SQLITE_OK && !arg.empty()) rc = sqlite3_bind_text(raw, 1, arg.c_str(), -1, SQLITE_TRANSIENT);
  while (rc == SQLITE_OK && (rc = sqlite3_step(raw)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(raw, 0);
    rows->push_back(text ? reinterpret_cast<const char*>(text) : "");
    rc = SQLITE_OK;
  }
  return rc == SQLITE_DONE ? base::Status::Ok() : base::Status::Io(sqlite3_errmsg(db));
}

std::string Joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Table name -> column names in order, of every table of `db`.
base::Status TablesOf(sqlite3* db, std::map<std::string, std::vector<std::string>>* tables) {
  std::vector<std::string> names;
  base::Status s = Column(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name", "", &names);
  for (const std::string& name : names)
    if (s.ok()) s = Column(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", name, &(*tables)[name]);
  return s;
}

// What is wrong with the schema of `db` against kBrokerSchema, or "" when nothing is.
// Tables of its own are allowed: a user may have added some with sqlite3.
base::Status SchemaMismatch(sqlite3* db, std::string* mismatch) {
  auto reference = store::Db::Open(":memory:");
  if (!reference.ok()) return reference.status();
  base::Status s = (*reference)->Exec(kBrokerSchema);
  std::map<std::string, std::vector<std::string>> expected, actual;
  if (s.ok()) s = TablesOf((*reference)->handle(), &expected);
  if (s.ok()) s = TablesOf(db, &actual);
  if (!s.ok()) return s;
  std::vector<std::string> missing, present;
  for (const auto& [name, columns] : actual) present.push_back(name);
  for (const auto& [name, columns] : expected) {
    auto it = actual.find(name);
    if (it == actual.end()) {
      missing.push_back(name);
    } else if (it->second != columns) {
      *mismatch = "table " + name + " has columns (" + Joined(it->second, ", ") + "), expected (" +
                  Joined(columns, ", ") + ")";
      return base::Status::Ok();
    }
  }
  if (!missing.empty())
    *mismatch = "no table " + Joined(missing, ", ") + " (it has " + (present.empty() ? "no tables" : Joined(present, ", ")) + ")";
  return base::Status::Ok();
}

}  // namespace

base::Result<std::unique_ptr<store::Db>> OpenBrokerDbForReading(const std::string& path) {
  auto invalid = [&path](const std::string& what) { return base::Status::InvalidInput(path + ": " + what); };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return invalid(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return invalid("not a regular file");
  if (st.st_size == 0) return invalid("empty file (0 bytes): not a broker.db written by a run");
  struct stat wal;
  if (::stat((path + "-wal").c_str(), &wal) == 0)
    return invalid("has a -wal file beside it: a run is still writing it, or was killed before it finished "
                   "(its last changes are in broker.db-wal; sqlite3 can recover them)");
  char header[16] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return invalid(std::strerror(errno));
  size_t n = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  if (n < sizeof header || std::memcmp(header, "SQLite format 3", 16) != 0)
    return invalid("not an SQLite database (its first bytes are not \"SQLite format 3\")");
  auto db = store::Db::OpenImmutable(path);
  if (!db.ok()) return invalid(db.status().message());
  std::vector<std::string> problems;
  base::Status s = Column((*db)->handle(), "PRAGMA quick_check(5)", "", &problems);
  if (!s.ok()) return invalid("damaged: " + s.message());
  if (problems != std::vector<std::string>{"ok"}) {
    // SQLite puts several findings in one row, a line each, after a heading line.
    std::vector<std::string> findings;
    for (const std::string& row : problems)
      for (size_t at = 0; at <= row.size() && findings.size() < 5;) {
        size_t end = std::min(row.find('\n', at), row.size());
        std::string line = row.substr(at, end - at);
        if (!line.empty() && line.rfind("***", 0) != 0) findings.push_back(line);
        at = end + 1;
      }
    return invalid("damaged (PRAGMA quick_check): " + Joined(findings, "; "));
  }
  std::string mismatch;
  s = SchemaMismatch((*db)->handle(), &mismatch);
  if (!s.ok()) return invalid("damaged: " + s.message());
  if (!mismatch.empty()) return invalid("not a broker.db of sagasim: " + mismatch);
  return db;
}

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
      // Messages leave memory only after a Sync (Broker::set_retention's before_drop).
      SAGASIM_CHECK(written >= queue.first);
      for (; written < queue.max_offset(); ++written) {
        const Message& m = queue.At(written);
        s = db_->Prepare("INSERT OR REPLACE INTO message VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .Bind(1, m.topic)
                .Bind(2, m.queue_id)
                .Bind(3, m.queue_offset)
                .Bind(4, m.msg_id)
                .Bind(5, m.offset_msg_id)
                .Bind(6, m.tags)
                .Bind(7, m.keys)
                .Bind(8, m.body)
                .Bind(9, PropertiesJson(m.properties))
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
