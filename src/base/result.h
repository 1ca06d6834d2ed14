#pragma once

#include <optional>
#include <utility>

#include "base/check.h"
#include "base/status.h"

namespace base {

// Either a value or the Status that explains why there is none; our stand-in for
// std::expected. Thread-safety: a value type.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { SAGASIM_CHECK(!status_.ok()); }  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { SAGASIM_CHECK(ok()); return *value_; }
  const T& value() const { SAGASIM_CHECK(ok()); return *value_; }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace base
