#include "base/status.h"

namespace base {

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kInvalidInput: return "invalid input: " + message_;
    case Code::kNotFound: return "not found: " + message_;
    case Code::kIo: return "I/O error: " + message_;
    case Code::kFailed: return "failed: " + message_;
    case Code::kCrashed: return "crashed: " + message_;
  }
  return message_;
}

}  // namespace base
