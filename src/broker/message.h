#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace broker {

// Property names that RocketMQ sets on retried and dead-lettered messages.
inline constexpr const char* kPropRetryTopic = "RETRY_TOPIC";
inline constexpr const char* kPropOriginMessageId = "ORIGIN_MESSAGE_ID";
inline constexpr const char* kPropRealTopic = "REAL_TOPIC";
inline constexpr const char* kPropRealQid = "REAL_QID";
inline constexpr const char* kPropDelay = "DELAY";
inline constexpr const char* kPropUniqKey = "UNIQ_KEY";
// User properties (Spring message headers) the services set on every event.
inline constexpr const char* kPropEventType = "eventType";
inline constexpr const char* kPropEventId = "eventId";

// A stored message. msg_id is the client's UNIQ_KEY: it survives retries and DLQ.
struct Message {
  std::string msg_id;
  std::string topic;           // where it is stored (%RETRY%g for a retried copy)
  std::string tags;
  std::string keys;            // the order number
  std::string body;            // JSON
  std::map<std::string, std::string> properties;
  int queue_id = 0;
  int64_t queue_offset = 0;
  std::string offset_msg_id;   // store host + commit-log offset, assigned by the broker
  int64_t born_ms = 0;
  int64_t store_ms = 0;
  int reconsume_times = 0;
  std::string last_error;      // why the last delivery failed (sim bookkeeping, not RocketMQ)
  int64_t trace_seq = 0;       // the trace event that stored it: its publish, retry or dlq

  // The topic the handler sees: RETRY_TOPIC for retried copies.
  const std::string& OriginalTopic() const {
    auto it = properties.find(kPropRetryTopic);
    return it == properties.end() ? topic : it->second;
  }
  std::string Property(const std::string& name) const {
    auto it = properties.find(name);
    return it == properties.end() ? std::string() : it->second;
  }
};

inline std::string RetryTopic(const std::string& group) { return "%RETRY%" + group; }
inline std::string DlqTopic(const std::string& group) { return "%DLQ%" + group; }

}  // namespace broker
