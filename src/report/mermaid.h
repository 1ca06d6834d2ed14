#pragma once

// Mermaid sequence diagrams of a run, drawn from its recorded trace: one order's
// messages (or the whole run's when it is small) between Order, Stock, Payment, the
// topics and the %RETRY%/%DLQ% topics of the groups that used them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sim/event.h"

namespace report {

// Mermaid refuses a diagram longer than its maxTextSize (50,000 characters); a
// diagram longer than this is refused here first, with a hint to pass --order.
inline constexpr size_t kMermaidMaxChars = 40000;

// Text safe inside a Mermaid message, note or participant label: characters the
// parser would read as syntax (# ; % " < > : and the arrow dashes) become entity
// codes such as #35; and newlines become spaces. "#1" becomes "#35;1".
std::string MermaidEscape(std::string_view text);

// The `sequenceDiagram` source (no Markdown fence) of the events of `order`, or of
// every event when `order` is empty. Errors: an order with no events; a diagram over
// kMermaidMaxChars (the message names --order and the run's orders).
base::Result<std::string> MermaidDiagram(const std::vector<sim::Event>& events, const std::string& order);

// A Markdown file: a heading (`title`), a line on what is drawn, and the diagram
// in a ```mermaid fence, which GitHub renders as it is.
base::Result<std::string> MermaidMarkdown(const std::vector<sim::Event>& events, const std::string& order,
                                          const std::string& title);

}  // namespace report
