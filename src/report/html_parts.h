#pragma once

// The pieces of sagasim's HTML pages that both the report of one run (html_report.cc)
// and the comparison of two (compare_html.cc) draw: the swim-lane timeline, the trace
// and message data its script reads, the checks and the final state tables. A page
// may hold several timelines: each names its run, and the script (html_assets.cc)
// wires every `section.timeline` to its own data and detail panel.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "report/stored_messages.h"
#include "report/trace_links.h"
#include "scenario/runner.h"
#include "sim/event.h"

namespace report {

// HTML-escapes text for element content and attribute values.
std::string HtmlText(const std::string& s);

// How one timeline sits in its page.
struct TimelineView {
  // Empty in the report of one run. Else the run's id ("a", "b"): every row carries
  // data-run="<run>", the element ids and the #<run>=N link are suffixed with it.
  std::string run;
  std::string title = "Timeline";
  std::map<int64_t, std::string> marks;  // extra classes of a row, by seq
  int64_t select = 0;                    // the event selected when the link names none
  bool compact = false;                  // lanes as indents, for a half-width column
  bool legend = true;                    // the legend of colours in the toolbar
};

// The legend of the timeline's colours (a page of several timelines shows it once).
std::string TimelineLegend();

// The timeline section: toolbar (order filter, legend), one row per event with
// data-seq, and the two data blocks its script reads (ids trace-data<run>,
// message-data<run>). The detail panel it fills is `DetailPanel(view)`.
std::string TimelineHtml(const std::vector<sim::Event>& events, const TraceLinks& links,
                         const std::vector<StoredMessage>& messages, const TimelineView& view);
std::string DetailPanel(const TimelineView& view);

// One line saying what an event did (the timeline's text, the comparison's chains).
std::string EventSummary(const sim::Event& e, const TraceLinks& links);

// Expectations and invariants, each with its detail; the one-line tally of them.
// `id` names the section (the tally links to it); two runs on a page need two.
std::string ChecksHtml(const scenario::RunResult& result, const std::string& id = "checks");
std::string CheckSummaryHtml(const scenario::RunResult& result, const std::string& id = "checks");
// Orders, stock, payments, reservations and dead letters.
std::string StateHtml(const scenario::FinalState& state, const std::string& id = "state");

}  // namespace report
