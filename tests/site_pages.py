"""The course site in headless Chromium: build it, open its pages from disk, find axe-core.

Shared by tests/test_site.py and bench/bench_site.py.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import lab_browser as lab

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "scripts" / "build_site.py"
NOTEBOOK_DIR = ROOT / "notebooks"
VIEWPORT = {"width": 1300, "height": 900}
AXE_CANDIDATES = (
    ROOT
    / "scripts"
    / "site"
    / "node_modules"
    / "axe-core"
    / "axe.min.js",  # npm ci --prefix scripts/site
    ROOT / "node_modules" / "axe-core" / "axe.min.js",  # npm install axe-core at the root
)
# a fresh cache trains the notes' model first (20 s to 2 min); a build alone takes seconds
BUILD_TIMEOUT_S = 600


def notebook_stems():
    """Every numbered notebook, in course order: the pages the site must have besides index."""
    return sorted(p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def page_stems():
    """Every page of the site: the front page, then one per notebook."""
    return ["index", *notebook_stems()]


def find_axe():
    """(path of axe.min.js or None, reason); $BIGRAM_AXE_JS first."""
    candidates = [Path(os.environ["BIGRAM_AXE_JS"])] if os.environ.get("BIGRAM_AXE_JS") else []
    candidates += list(AXE_CANDIDATES)
    for path in candidates:
        if path.is_file():
            return path, ""
    return None, (
        "axe-core is not installed (looked at $BIGRAM_AXE_JS, "
        + ", ".join(str(p.relative_to(ROOT)) for p in AXE_CANDIDATES)
        + "); run `npm ci --prefix scripts/site`"
    )


def build_site(out):
    """Run the one build command into `out`; (seconds, its output). Raises with the output if it fails."""
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise RuntimeError(f"scripts/build_site.py failed ({done.returncode}):\n{output}")
    return seconds, output


def launch(playwright, executable):
    """Headless Chromium with the flags that work on this kind of machine (the JupyterLab test's)."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=lab.CHROMIUM_ARGS
    )


class OfflinePage:
    """A page in a fresh context that records every request and lets none leave the machine."""

    def __init__(self, browser, scheme="light", viewport=VIEWPORT):
        self.context = browser.new_context(viewport=viewport, color_scheme=scheme)
        self.context.set_default_timeout(30_000)
        self.requests = []  # every URL the page asked for
        self.errors = []  # uncaught exceptions and console errors
        self.context.route(self._is_remote, lambda route: route.abort())  # never fetched
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on(
            "console",
            lambda m: (
                self.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None
            ),
        )

    @staticmethod
    def _is_remote(url):
        return not url.startswith(("file:", "data:", "about:", "blob:"))

    def remote_requests(self):
        """Every request that was not for a file on disk (or an inline data: URL)."""
        return [u for u in self.requests if self._is_remote(u)]

    def goto(self, url):
        self.page.goto(url, wait_until="load")
        return self.page

    def close(self):
        self.context.close()


def page_url(site, stem):
    """The file:// URL of one page of a built site."""
    return (Path(site) / f"{stem}.html").resolve().as_uri()


# The text a browser shows for some HTML: what the kernel's readout.value reads as in JupyterLab.
JS_TEXT_OF_HTML = """(markup) => {
  const d = document.createElement('div');
  d.innerHTML = markup;
  return d.textContent;
}"""

# What an explorer section shows and holds: its controls' values, readout text, chart numbers.
JS_EXPLORER_STATE = """(section) => {
  const controls = {};
  section.querySelectorAll('[data-control]').forEach((el) => {
    controls[el.dataset.control] = el.tagName === 'SELECT'
      ? {index: el.selectedIndex, text: el.options[el.selectedIndex].text}
      : {value: el.valueAsNumber, text: el.value};
  });
  const bars = Array.from(section.querySelectorAll('svg.explorer-chart rect[data-p]'));
  const line = section.querySelector('svg.explorer-chart .chart-line');
  const note = section.querySelector('.explorer-note');
  const state = section.bigramExplorer || {};
  return {
    controls: controls,
    readout: section.querySelector('.explorer-readout').textContent,
    bars: bars.map((b) => Number(b.dataset.p)),
    barLabels: Array.from(section.querySelectorAll('svg.explorer-chart .chart-value')).map((t) => t.textContent),
    curve: line && line.bigramValues ? Array.from(line.bigramValues) : null,
    note: note ? note.textContent : null,
    source: state.view ? state.view.source || null : null,
    sample: state.view && state.view.text !== undefined ? state.view.text : null,
    updates: state.updates || 0,
  };
}"""
