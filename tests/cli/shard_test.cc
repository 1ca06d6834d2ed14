#include "cli/shard.h"

#include <doctest/doctest.h>

namespace cli {
namespace {

TEST_CASE("--shard K/N and N with JOB_COMPLETION_INDEX pick a slice, bad specs are refused") {
  Shard s;
  std::string error;
  CHECK(ParseShard("2/5", nullptr, &s, &error));
  CHECK(s.index == 2);
  CHECK(s.count == 5);
  CHECK(ParseShard("4", "3", &s, &error));
  CHECK(s.index == 3);
  CHECK(s.count == 4);
  CHECK_FALSE(ParseShard("4", nullptr, &s, &error));
  CHECK(error.find("JOB_COMPLETION_INDEX") != std::string::npos);
  CHECK_FALSE(ParseShard("4", "4", &s, &error));
  CHECK_FALSE(ParseShard("5/5", nullptr, &s, &error));
  CHECK_FALSE(ParseShard("0/0", nullptr, &s, &error));
  CHECK_FALSE(ParseShard("a/3", nullptr, &s, &error));
}

TEST_CASE("Shard slices cover the seeds exactly once, sizes differing by at most one") {
  for (uint64_t seeds : {1u, 7u, 100u, 1001u}) {
    for (uint64_t n : {1u, 3u, 8u}) {
      uint64_t next = 0, smallest = seeds, largest = 0;
      for (uint64_t k = 0; k < n; ++k) {
        uint64_t first = 0, count = 0;
        ShardSlice(seeds, Shard{k, n}, &first, &count);
        CHECK(first == next);
        next = first + count;
        smallest = std::min(smallest, count);
        largest = std::max(largest, count);
      }
      CHECK(next == seeds);
      CHECK(largest - smallest <= 1);
    }
  }
}

}  // namespace
}  // namespace cli
