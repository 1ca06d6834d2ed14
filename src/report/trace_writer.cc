#include "report/trace_writer.h"

#include <cerrno>
#include <cstring>

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
  if (!file_) return base::Status::Io("cannot write trace file " + path + ": " + std::strerror(errno));
  path_ = path;
  error_ = 0;
  return base::Status::Ok();
}

void TraceWriter::Write() {
  errno = 0;
  if (error_ == 0 && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    error_ = errno ? errno : EIO;
  buffer_.clear();
}

void TraceWriter::Emit(const sim::Event& e) {
  if (!file_ || error_ != 0) return;  // after a failed write, the trace is lost anyway
  buffer_ += EventToJsonLine(e);
  buffer_ += '\n';
  if (buffer_.size() > (1 << 16)) Write();
}

base::Status TraceWriter::Close() {
  if (!file_) return base::Status::Ok();
  Write();
  // fwrite may only have buffered: the flush and the close can still fail.
  errno = 0;
  if (std::fflush(file_) != 0 && error_ == 0) error_ = errno ? errno : EIO;
  errno = 0;
  if (std::fclose(file_) != 0 && error_ == 0) error_ = errno ? errno : EIO;
  file_ = nullptr;
  if (error_ == 0) return base::Status::Ok();
  return base::Status::Io("cannot write trace file " + path_ + ": " + std::strerror(error_) +
                          " (the trace is incomplete)");
}

}  // namespace report
