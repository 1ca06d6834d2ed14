#pragma once

#include <cstdio>
#include <string>

#include "base/status.h"
#include "sim/event.h"

namespace report {

// Formats one event as a JSON object on one line: `t` and `kind` first, then the
// fields that apply, in a fixed order (so traces compare byte for byte).
std::string EventToJsonLine(const sim::Event& e);

// Writes the trace file (JSON Lines), one event per line, in the order emitted.
// Thread-safety: Emit runs under the executor's lock; Open/Close from one thread.
class TraceWriter : public sim::EventSink {
 public:
  TraceWriter() = default;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;
  ~TraceWriter() override;

  base::Status Open(const std::string& path);
  base::Status Close();
  void Emit(const sim::Event& e) override;

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  std::string buffer_;
};

}  // namespace report
