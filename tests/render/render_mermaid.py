"""Renders sagasim's Mermaid diagrams in the real Mermaid library, in headless
Chromium, and checks that each one parses and shows its key labels.

usage: render_mermaid.py SAGASIM SCENARIO_DIR MERMAID_JS WORK_DIR

Skips (exit 77, with the reason) when mermaid.min.js was not installed (no npm, or
no network for `npm install`) or there is no chromium."""

import html
import json
import os
import re
import sys

from render_lib import chromium, dump_dom, fail, run_sagasim, skip

# scenario, order (None: the whole run), labels that must be in the SVG text. "#2)"
# proves entity codes survive: an unescaped "#2" would be eaten by the renderer.
CASES = [
    ("retry-then-dlq", "o1", ["%RETRY%stock-consumer-group", "%DLQ%stock-consumer-group", "retry hop",
                              "dead-letter", "attempt 17", "delay level 3 (10s)", "handler FAILED"]),
    ("fault-duplicate", "o1", ["duplicate copy", "skip duplicate", "duplicate (rule 0, #2)", "attempt 1"]),
    ("seed-duplicate-charges-twice", None, ["duplicate copy", "payment 1 SUCCESS"]),
    ("fault-crash-after-commit", "o1", ["CRASH", "restart", "crash (rule 0, #1)", "redelivered after the stock crash"]),
    ("orderly-head-of-line", "o1", ["orderly", "local retry", "order-created"]),
    ("out-of-stock-cancels", None, ["StockFreezeFailedEvent", "stock-freeze-failed", "CANCELLED"]),
    ("broker-restart-redelivers", "g9", ["broker-restart", "send failed", "down for 2000ms"]),
    ("redrive-dlq-settles", "o1", ["redrive", "redriveDlq"]),
]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="%s"></script></head><body>
<div id="out"></div><pre id="results"></pre>
<script>
const diagrams = %s;
mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
(async () => {
  const out = document.getElementById('out');
  const results = [];
  for (const [name, text] of diagrams) {
    const div = document.createElement('div');
    out.appendChild(div);
    try {
      const {svg} = await mermaid.render('d' + results.length, text);
      div.innerHTML = svg;
      const el = div.querySelector('svg');
      results.push({name, ok: !!el, text: el ? el.textContent : '', error: el ? '' : 'no <svg>'});
    } catch (err) {
      results.push({name, ok: false, text: '', error: String(err && err.message || err)});
    }
  }
  document.getElementById('results').textContent = JSON.stringify(results);
})();
</script></body></html>
"""


def main():
    sagasim, scenarios, mermaid_js, work = sys.argv[1:5]
    if not os.path.exists(mermaid_js):
        skip("%s is missing: `npm install mermaid` did not run (no npm, or no network); "
             "build the mermaid_js target to install it" % mermaid_js)
    browser = chromium()
    os.makedirs(work, exist_ok=True)
    diagrams = []
    for name, order, _ in CASES:
        md = os.path.join(work, name + ".mmd.md")
        args = ["run", "-q", os.path.join(scenarios, name + ".json"), "--mermaid", md]
        if order:
            args += ["--order", order]
        run_sagasim(sagasim, args)
        text = open(md, encoding="utf-8").read()
        m = re.search(r"```mermaid\n(.*?)```", text, re.S)
        if not m:
            fail("%s: no ```mermaid fence" % md)
        if re.search(r"#(?![0-9]+;)", m.group(1)):
            fail("%s: an unescaped '#' reaches the renderer" % md)
        diagrams.append([name, m.group(1)])
    page = os.path.join(work, "harness.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(PAGE % ("file://" + os.path.abspath(mermaid_js), json.dumps(diagrams).replace("</", "<\\/")))
    dom = dump_dom(browser, "file://" + os.path.abspath(page), budget_ms=60000)
    m = re.search(r'<pre id="results">(.*?)</pre>', dom, re.S)
    if not m or not m.group(1).strip():
        fail("the harness did not finish rendering")
    results = json.loads(html.unescape(m.group(1)))
    if len(results) != len(CASES):
        fail("expected %d rendered diagrams, found %d" % (len(CASES), len(results)))
    failures = 0
    for (name, order, labels), r in zip(CASES, results):
        if not r["ok"]:
            print("%s: Mermaid could not render it: %s" % (name, r["error"][:800]))
            failures += 1
            continue
        text = " ".join(r["text"].split())
        missing = [label for label in labels if label not in text]
        if missing:
            print("%s: labels missing from the rendered SVG: %s" % (name, missing))
            failures += 1
        else:
            print("%s: rendered, all %d labels found" % (name, len(labels)))
    if failures:
        fail("%d of %d diagrams failed" % (failures, len(CASES)))
    print("all %d diagrams render in Mermaid" % len(CASES))


if __name__ == "__main__":
    main()
