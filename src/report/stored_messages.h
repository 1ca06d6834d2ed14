#pragma once

// The broker's stored messages (bodies and properties are not in the trace), read
// back from a run's broker.db for the HTML report's detail view.

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace report {

struct StoredMessage {
  std::string topic;        // where it is stored: a topic, %RETRY%<group> or %DLQ%<group>
  int queue = 0;
  int64_t offset = 0;
  std::string msg_id, offset_msg_id, tags, keys, body;
  std::string properties;   // a JSON object, as broker.db keeps it
  int64_t born_ms = 0, store_ms = 0;
  int reconsume_times = 0;
};

// Every row of broker.db's `message` table, by topic, queue and offset.
base::Result<std::vector<StoredMessage>> ReadStoredMessages(const std::string& broker_db);

}  // namespace report
