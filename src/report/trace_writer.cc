#include "report/trace_writer.h"

#include <nlohmann/json.hpp>

namespace report {
namespace {

void AddString(std::string* out, const char* key, const std::string& value) {
  if (value.empty()) return;
  *out += ",\"";
  *out += key;
  *out += "\":";
  *out += nlohmann::json(value).dump();  // escapes as JSON requires
}

void AddInt(std::string* out, const char* key, int64_t value) {
  if (value < 0) return;
  *out += ",\"";
  *out += key;
  *out += "\":";
  *out += std::to_string(value);
}

}  // namespace

std::string EventToJsonLine(const sim::Event& e) {
  std::string out = "{\"seq\":" + std::to_string(e.seq) + ",\"t\":" + std::to_string(e.t) + ",\"kind\":\"" +
                    sim::EventKindName(e.kind) + "\"";
  if (e.cause > 0) out += ",\"cause\":" + std::to_string(e.cause);
  AddString(&out, "topic", e.topic);
  AddString(&out, "tags", e.tags);
  AddInt(&out, "queue", e.queue);
  AddInt(&out, "offset", e.offset);
  AddString(&out, "msgId", e.msg_id);
  AddString(&out, "eventId", e.event_id);
  AddString(&out, "event", e.event);
  AddString(&out, "order", e.order);
  AddString(&out, "group", e.group);
  AddString(&out, "service", e.service);
  AddInt(&out, "attempt", e.attempt);
  AddInt(&out, "call", e.call);
  AddString(&out, "detail", e.detail);
  out += "}";
  return out;
}

TraceWriter::~TraceWriter() { (void)Close(); }

base::Status TraceWriter::Open(const std::string& path) {
  file_ = std::fopen(path.c_str(), "w");
  if (!file_) return base::Status::Io("cannot write trace file " + path);
  path_ = path;
  return base::Status::Ok();
}

void TraceWriter::Emit(const sim::Event& e) {
  if (!file_) return;
  buffer_ += EventToJsonLine(e);
  buffer_ += '\n';
  if (buffer_.size() > (1 << 16)) {
    std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    buffer_.clear();
  }
}

base::Status TraceWriter::Close() {
  if (!file_) return base::Status::Ok();
  std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  buffer_.clear();
  bool ok = std::fclose(file_) == 0;
  file_ = nullptr;
  return ok ? base::Status::Ok() : base::Status::Io("cannot finish trace file " + path_);
}

}  // namespace report
