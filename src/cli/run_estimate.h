#pragma once

#include <cstdint>
#include <string>

#include "scenario/scenario.h"

namespace cli {

// A note to print before a run that will be long, from the counts in the file (orders,
// `until` against the offset persist interval), or "" for an ordinary one:
//   note: 10,000,000 orders: this run will take about 1 h 50 min and about 7 GB of
//   temporary state (...)
// `runs` scenarios in a row (explore's seeds), `jobs` at a time. The rates are
// measured ones (docs/cli.md), so the figures are rough; nothing depends on them.
std::string LargeRunNote(const scenario::Scenario& scenario, uint64_t runs = 1, int jobs = 1);

// 10000000 -> "10,000,000".
std::string WithThousands(uint64_t n);

}  // namespace cli
