"""Shared by the render tests: find Chromium, run it headless, skip cleanly.

Only the standard library: the tests run wherever python3 and chromium are."""

import os
import shutil
import subprocess
import sys

SKIP = 77  # CTest's SKIP_RETURN_CODE for these tests


def skip(why):
    print("SKIPPED: " + why)
    sys.exit(SKIP)


def fail(why):
    print("FAILED: " + why)
    sys.exit(1)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    skip("no chromium on PATH (Debian: apt-get install chromium; `make test` installs it)")


def run_sagasim(sagasim, args):
    out = subprocess.run([sagasim, *args], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        fail("sagasim %s exited %d:\n%s%s" % (" ".join(args), out.returncode, out.stdout, out.stderr))
    return out


def dump_dom(browser, url, budget_ms=20000, window="1400,1000"):
    """The page's DOM after its scripts ran (virtual time lets async work finish)."""
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--allow-file-access-from-files", "--window-size=" + window,
           "--virtual-time-budget=%d" % budget_ms, "--dump-dom", url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    if out.returncode != 0 or not out.stdout.strip():
        fail("chromium failed (exit %d):\n%s" % (out.returncode, out.stderr[-3000:]))
    return out.stdout


def screenshot(browser, url, png, window="1400,1000", budget_ms=5000):
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--hide-scrollbars", "--window-size=" + window, "--virtual-time-budget=%d" % budget_ms,
           "--screenshot=" + png, url]
    subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=True)
    return os.path.exists(png)
