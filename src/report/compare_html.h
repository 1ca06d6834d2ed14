#pragma once

// `sagasim compare FILE --html OUT`: the comparison of two runs as one self-contained
// page. The runs side by side (profile and options, verdict, the invariants and
// expectations each breaks), where they first part (the first event of each with no
// counterpart in the other, with its cause chain), both final states, and both
// timelines, drawn by the HTML report's code (html_parts.h): one element per trace
// event with data-seq="N" and data-run="a" or "b".

#include <string>
#include <vector>

#include "report/stored_messages.h"
#include "scenario/compare.h"
#include "scenario/scenario.h"

namespace report {

// `messages_a`/`_b`: each run's broker.db rows (empty: the detail view says so).
std::string CompareHtml(const scenario::Scenario& scenario, const scenario::Comparison& cmp,
                        const std::vector<StoredMessage>& messages_a, const std::vector<StoredMessage>& messages_b);

}  // namespace report
