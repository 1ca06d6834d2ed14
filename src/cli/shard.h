#pragma once

#include <cstdint>
#include <string>

namespace cli {

// One of N equal slices of a seed range, for spreading `explore` over machines.
struct Shard {
  uint64_t index = 0;  // K, from 0
  uint64_t count = 1;  // N
};

// Parses `--shard K/N`, or `--shard N` with K taken from `job_index` (the value of
// JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it; null when unset).
// False with a message naming the flag on bad input.
bool ParseShard(const std::string& spec, const char* job_index, Shard* out, std::string* error);

// The slice of `seeds` seeds this shard runs: [*first, *first + *count), offsets from
// the range's start. Slices differ in size by at most one; together they cover all.
void ShardSlice(uint64_t seeds, const Shard& shard, uint64_t* first, uint64_t* count);

}  // namespace cli
