"""Loads sagasim's HTML report in headless Chromium and checks the timeline and the
detail view: one timeline element per trace event (data-seq), and clicking an event
shows its message (properties, body) and marks its cause chain.

usage: check_html_report.py SAGASIM SCENARIO_DIR WORK_DIR

Skips (exit 77, with the reason) when there is no chromium."""

import html
import json
import os
import re
import sys

from render_lib import chromium, dump_dom, fail, run_sagasim


def rows(dom):
    """(seq, classes of the row, order) of every timeline row, in page order."""
    return [(int(m.group(2)), m.group(1), m.group(3))
            for m in re.finditer(r'<div class="(row[^"]*)" data-seq="(\d+)" data-order="([^"]*)"', dom)]


def detail(dom):
    m = re.search(r'<aside id="detail"[^>]*>(.*?)</aside>', dom, re.S)
    if not m:
        fail("no detail panel (aside#detail) in the page")
    return html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))


def check_scenario(browser, sagasim, scenarios, work, name, pick, order_filter=None):
    page = os.path.join(work, name + ".html")
    trace = os.path.join(work, name + ".jsonl")
    run_sagasim(sagasim, ["run", "-q", os.path.join(scenarios, name + ".json"), "--html", page, "--trace", trace])
    events = [json.loads(line) for line in open(trace, encoding="utf-8")]
    by_seq = {e["seq"]: e for e in events}
    target = pick(events)
    url = "file://" + os.path.abspath(page) + "#seq=%d" % target["seq"]
    if order_filter:
        url += "&order=" + order_filter
    dom = dump_dom(browser, url, budget_ms=5000)

    found = rows(dom)
    seqs = [s for s, _, _ in found]
    if seqs != [e["seq"] for e in events]:
        fail("%s: the timeline has %d elements for %d trace events (or not in order)" % (name, len(seqs), len(events)))
    if len(re.findall(r'data-seq="\d+"', dom)) != len(events):
        fail("%s: data-seq appears on something other than the one element per event" % name)

    classes = {s: c for s, c, _ in found}
    if "selected" not in classes[target["seq"]]:
        fail("%s: clicking event %d did not select it" % (name, target["seq"]))
    chain = []
    c = by_seq.get(target.get("cause"))
    while c:
        chain.append(c["seq"])
        c = by_seq.get(c.get("cause"))
    marked = sorted(s for s, cl in classes.items() if "chain" in cl.split())
    if marked != sorted(chain) or not chain:
        fail("%s: cause chain of %d should be %s, the page marks %s" % (name, target["seq"], chain, marked))

    text = " ".join(detail(dom).split())
    want = ["#%d %s" % (target["seq"], target["kind"]), target["msgId"], "Properties", "UNIQ_KEY", "Body",
            '"orderNo": "%s"' % target["order"], "Cause chain (%d)" % len(chain), "topic", "queue", "offset", "attempt"]
    missing = [w for w in want if w not in text]
    if missing:
        fail("%s: the detail view lacks %s; it shows: %s" % (name, missing, text[:1500]))

    if order_filter:
        hidden_wrong = [s for s, cl, o in found if o and o != order_filter and "hidden" not in cl]
        shown_wrong = [s for s, cl, o in found if o == order_filter and "hidden" in cl]
        if hidden_wrong or shown_wrong:
            fail("%s: the order filter left %d other rows shown and hid %d of %s" %
                 (name, len(hidden_wrong), len(shown_wrong), order_filter))
    print("%s: %d events, %d elements; event %d (%s) shows its message and a chain of %d" %
          (name, len(events), len(seqs), target["seq"], target["kind"], len(chain)))


def main():
    sagasim, scenarios, work = sys.argv[1:4]
    browser = chromium()
    os.makedirs(work, exist_ok=True)
    # The dead letter: its message is the %DLQ% copy, its chain goes back to the placement.
    check_scenario(browser, sagasim, scenarios, work, "retry-then-dlq",
                   lambda evs: [e for e in evs if e["kind"] == "dlq"][-1])
    # A delivery of the second order, with the page filtered to that order.
    check_scenario(browser, sagasim, scenarios, work, "fault-crash-after-commit",
                   lambda evs: [e for e in evs if e["kind"] == "deliver" and e["order"] == "o2"][0], order_filter="o2")
    check_scenario(browser, sagasim, scenarios, work, "fault-duplicate",
                   lambda evs: [e for e in evs if e["kind"] == "ack"][-1])
    print("the HTML report's timeline and detail view work")


if __name__ == "__main__":
    main()
