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
  // Writes what is buffered, flushes and closes. Not OK when any write, the flush or
  // the close failed (a full disk, /dev/full): the trace is then incomplete.
  base::Status Close();
  void Emit(const sim::Event& e) override;
  // False once a write has failed; later events are dropped, Close reports it.
  bool ok() const { return error_ == 0; }

 private:
  void Write();  // the buffer to the file, recording the first failure

  std::FILE* file_ = nullptr;
  std::string path_;
  std::string buffer_;
  int error_ = 0;  // errno of the first failed write
};

}  // namespace report
