"""Loads `sagasim compare --html`'s page in headless Chromium and checks it: both
timelines have one element per trace event (data-seq, data-run="a"/"b"), and the
point where the runs part is shown: each run's first event with no counterpart is
marked and selected in its timeline, its detail panel shows it, and the "Where they
part" section lists it after its causes.

usage: check_compare_report.py SAGASIM SCENARIO_DIR WORK_DIR

Skips (exit 77, with the reason) when there is no chromium."""

import html
import json
import os
import re

from render_lib import chromium, dump_dom, fail, run_sagasim


def rows(dom):
    """(run, seq, classes) of every timeline row, in page order."""
    return [(m.group(3), int(m.group(2)), m.group(1).split())
            for m in re.finditer(r'<div class="(row[^"]*)" data-seq="(\d+)" data-order="[^"]*" data-kind="[^"]*" '
                                 r'data-run="([ab])"', dom)]


def text_of(dom, pattern, what):
    m = re.search(pattern, dom, re.S)
    if not m:
        fail("no %s in the page" % what)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())


def check(browser, sagasim, scenarios, work, name):
    page = os.path.join(work, name + ".compare.html")
    out = run_sagasim(sagasim, ["compare", os.path.join(scenarios, name + ".json"), "--html", page, "--json", "-"])
    cmp = json.loads(out.stdout)
    dom = dump_dom(browser, "file://" + os.path.abspath(page), budget_ms=5000)
    found = rows(dom)
    if len(re.findall(r'data-seq="\d+"', dom)) != len(found):
        fail("%s: data-seq appears on something other than the one element per event" % name)
    for run, side, part in (("a", cmp["sides"][0], cmp["divergence"]["firstUnmatchedA"]),
                            ("b", cmp["sides"][1], cmp["divergence"]["firstUnmatchedB"])):
        seqs = [s for r, s, _ in found if r == run]
        if len(seqs) != side["events"] or seqs != sorted(set(seqs)):
            fail("%s: timeline %s has %d elements for %d trace events (or repeats, or out of order)" %
                 (name, run, len(seqs), side["events"]))
        if not part:
            fail("%s: the runs do not part on side %s; pick a scenario where they do" % (name, run))
        first = part[-1]
        classes = {s: c for r, s, c in found if r == run}
        if "parts" not in classes[first["seq"]] or "selected" not in classes[first["seq"]]:
            fail("%s: timeline %s does not mark and select event %d, where the runs part (classes %s)" %
                 (name, run, first["seq"], classes[first["seq"]]))
        if [s for s, c in classes.items() if "parts" in c] != [first["seq"]]:
            fail("%s: timeline %s marks more than one parting event" % (name, run))
        chain = sorted(e["seq"] for e in part[:-1])
        marked = sorted(s for s, c in classes.items() if "chain" in c)
        if marked != chain:
            fail("%s: timeline %s marks the chain %s, the parting event's causes are %s" % (name, run, marked, chain))
        detail = text_of(dom, r'<aside id="detail%s"[^>]*>(.*?)</aside>' % run, "detail panel of run " + run)
        if "#%d %s" % (first["seq"], first["kind"]) not in detail:
            fail("%s: the detail panel of %s does not show event %d: %s" % (name, run, first["seq"], detail[:600]))
        listed = text_of(dom, r'<div class="card parting" id="parting-%s">(.*?)</div>' % run, "parting card " + run)
        want = ["#%d" % e["seq"] for e in part] + [side["label"]]
        missing = [w for w in want if w not in listed]
        if missing:
            fail("%s: the parting card of %s lacks %s: %s" % (name, run, missing, listed[:600]))
    for heading in ("Where they part<", "Final state<", "Invariants and expectations ", "Timelines<"):
        if '<h2 class="section"' not in dom or (">" + heading) not in dom:
            fail("%s: no section %r" % (name, heading))
    print("%s: %d + %d events, one element each; the runs part at %d and %d, both marked and selected" %
          (name, cmp["sides"][0]["events"], cmp["sides"][1]["events"], cmp["divergence"]["firstUnmatchedA"][-1]["seq"],
           cmp["divergence"]["firstUnmatchedB"][-1]["seq"]))


def main():
    import sys
    sagasim, scenarios, work = sys.argv[1:4]
    browser = chromium()
    os.makedirs(work, exist_ok=True)
    check(browser, sagasim, scenarios, work, "seed-partial-freeze-leaks-stock")
    check(browser, sagasim, scenarios, work, "seed-duplicate-charges-twice")
    print("the comparison page shows both timelines and where the runs part")


if __name__ == "__main__":
    main()
