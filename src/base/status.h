#pragma once

#include <string>
#include <utility>

namespace base {

// Outcome of an operation that can fail in an expected way, after leveldb's Status.
// Thread-safety: a Status is a value; distinct objects may be used from any thread.
class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidInput, kNotFound, kIo, kFailed, kCrashed };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(Code::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Io(std::string msg) { return Status(Code::kIo, std::move(msg)); }
  // A handler or operation failed; the caller decides whether to retry.
  static Status Failed(std::string msg) { return Status(Code::kFailed, std::move(msg)); }
  // A simulated crash of the running service: nothing after this point may run.
  static Status Crashed(std::string msg) { return Status(Code::kCrashed, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsInvalidInput() const { return code_ == Code::kInvalidInput; }
  bool IsCrashed() const { return code_ == Code::kCrashed; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace base
