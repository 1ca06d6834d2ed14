#include "cli/shard.h"

#include <charconv>

namespace cli {
namespace {

bool ParseNumber(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool ParseShard(const std::string& spec, const char* job_index, Shard* out, std::string* error) {
  size_t slash = spec.find('/');
  std::string k_text, n_text = spec;
  if (slash != std::string::npos) {
    k_text = spec.substr(0, slash);
    n_text = spec.substr(slash + 1);
  } else if (job_index) {
    k_text = job_index;
  } else {
    *error = "--shard " + spec + ": no K/N and JOB_COMPLETION_INDEX is not set";
    return false;
  }
  uint64_t k = 0, n = 0;
  if (!ParseNumber(n_text, &n) || n == 0 || n > 1'000'000) {
    *error = "--shard " + spec + ": N must be a whole number from 1 to 1000000";
    return false;
  }
  if (!ParseNumber(k_text, &k) || k >= n) {
    *error = "--shard " + spec + ": K" + (slash == std::string::npos ? " (JOB_COMPLETION_INDEX=" + k_text + ")" : "") +
             " must be a whole number from 0 to N-1";
    return false;
  }
  out->index = k;
  out->count = n;
  return true;
}

void ShardSlice(uint64_t seeds, const Shard& shard, uint64_t* first, uint64_t* count) {
  // 128-bit products: seeds * index cannot overflow.
  auto edge = [&](uint64_t i) {
    return static_cast<uint64_t>(static_cast<unsigned __int128>(seeds) * i / shard.count);
  };
  *first = edge(shard.index);
  *count = edge(shard.index + 1) - *first;
}

}  // namespace cli
