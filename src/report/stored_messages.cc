#include "report/stored_messages.h"

#include "store/db.h"

namespace report {

base::Result<std::vector<StoredMessage>> ReadStoredMessages(const std::string& broker_db) {
  auto db = store::Db::Open(broker_db);
  if (!db.ok()) return db.status();
  store::Statement& q = (*db)->Prepare(
      "SELECT topic, queue_id, queue_offset, msg_id, offset_msg_id, tags, keys, body, properties, born_ms, "
      "store_ms, reconsume_times FROM message ORDER BY topic, queue_id, queue_offset");
  std::vector<StoredMessage> out;
  while (q.Step()) {
    StoredMessage m;
    m.topic = q.Text(0);
    m.queue = static_cast<int>(q.Int(1));
    m.offset = q.Int(2);
    m.msg_id = q.Text(3);
    m.offset_msg_id = q.Text(4);
    m.tags = q.Text(5);
    m.keys = q.Text(6);
    m.body = q.Text(7);
    m.properties = q.Text(8);
    m.born_ms = q.Int(9);
    m.store_ms = q.Int(10);
    m.reconsume_times = static_cast<int>(q.Int(11));
    out.push_back(std::move(m));
  }
  if (!q.status().ok()) return q.status();
  return out;
}

}  // namespace report
