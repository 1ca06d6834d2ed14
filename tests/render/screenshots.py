"""Regenerates the screenshots in docs/images/ from real runs (not a CTest test):

    python3 tests/render/screenshots.py build/sagasim scenarios build/node/node_modules/mermaid/dist/mermaid.min.js docs/images

The HTML report pages are the ones tests/render/check_html_report.py drives, the
comparison page the one tests/render/check_compare_report.py drives; the diagrams are
drawn by the same Mermaid the render test uses."""

import json
import os
import re
import sys
import tempfile

from render_lib import chromium, run_sagasim, screenshot


def main():
    sagasim, scenarios, mermaid_js, out = sys.argv[1:5]
    browser = chromium()
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="sagasim-shots-")
    shots = [
        ("retry-then-dlq", "seq=202", "html-report-retry-then-dlq.png"),
        ("fault-duplicate", "seq=13", "html-report-fault-duplicate.png"),
        ("seed-duplicate-charges-twice", "seq=30", "html-report-seed-duplicate-charges-twice.png"),
    ]
    for name, anchor, png in shots:
        page = os.path.join(work, name + ".html")
        run_sagasim(sagasim, ["run", "-q", os.path.join(scenarios, name + ".json"), "--html", page])
        screenshot(browser, "file://%s#%s" % (page, anchor), os.path.join(out, png))
        print("wrote", os.path.join(out, png))
    # The comparison page (compare --html): its top, and its timelines (the same page with
    # the sections above them hidden, since a headless screenshot shows the top only).
    name = "seed-partial-freeze-leaks-stock"
    page = os.path.join(work, name + ".compare.html")
    run_sagasim(sagasim, ["compare", os.path.join(scenarios, name + ".json"), "--html", page])
    png = os.path.join(out, "compare-%s.png" % name)
    screenshot(browser, "file://" + page, png)
    print("wrote", png)
    timelines = os.path.join(work, name + ".timelines.html")
    with open(page, encoding="utf-8") as f, open(timelines, "w", encoding="utf-8") as g:
        g.write(f.read().replace("</head>", "<style>body > *:not(#timelines):not(.legend-only):not(div:last-of-type)"
                                 " { display:none !important; }</style></head>", 1))
    png = os.path.join(out, "compare-%s-timelines.png" % name)
    screenshot(browser, "file://" + timelines, png, window="1400,900")
    print("wrote", png)
    # One order's sequence diagram, rendered by Mermaid.
    md = os.path.join(work, "fault-duplicate.mmd.md")
    run_sagasim(sagasim, ["run", "-q", os.path.join(scenarios, "fault-duplicate.json"), "--mermaid", md, "--order", "o1"])
    text = re.search(r"```mermaid\n(.*?)```", open(md, encoding="utf-8").read(), re.S).group(1)
    page = os.path.join(work, "diagram.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"><script src="file://%s"></script></head>'
                '<body style="margin:0;background:#fff"><pre class="mermaid">%s</pre><script>'
                "mermaid.initialize({startOnLoad:true, sequence:{useMaxWidth:true}});</script></body></html>"
                % (os.path.abspath(mermaid_js), text.replace("&", "&amp;").replace("<", "&lt;")))
    png = os.path.join(out, "mermaid-fault-duplicate-o1.png")
    screenshot(browser, "file://" + page, png, window="1600,1250", budget_ms=20000)
    print("wrote", png)


if __name__ == "__main__":
    main()
