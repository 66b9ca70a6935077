"""A key press on an explorer of the course site, from the keydown in headless Chromium to the new readout.

The site (scripts/build_site.py) is built into a temporary folder (or --site DIR is used as it is) and opened
from disk. For every control of every explorer, the control is focused and a key is pressed N times, one press at
a time with a quiet page before each: ArrowRight on a slider (ArrowLeft on the way back from the end of its
range), ArrowDown on a select (ArrowUp on the way back). A MutationObserver, installed with page.evaluate, records
performance.now() when the explorer's readout has changed; a requestAnimationFrame callback after it marks the
frame that paints it. Both run from the keydown event's timeStamp. "update" is the page's own work (the target: a
p90 under one frame, 16 ms, so the next frame shows the new values); "next frame" adds the wait for that frame.
Beside them stands the kernel's own time for the same control from bench_explorers.py (setting the widget's value
in this process, no browser; bench_browser.py's kernel-only column), which a JupyterLab page adds its message
round trip to (bench_browser.py measures that).

Usage: BIGRAM_DATA=/path/to/tinyshakespeare.txt python bench/bench_site.py [--presses N] [--site DIR] [--no-kernel]
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the site test's helpers and the JupyterLab test's browser flags
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import lab_browser as lab  # noqa: E402
import site_pages as sp  # noqa: E402
from machine import describe_machine  # noqa: E402

TARGET_P90_MS = 16.0  # one frame at 60 Hz
PAGES = {  # explorer -> the notebook page that shows it
    "softmax": "06_cross_entropy_and_nll",
    "shape": "05_embedding_and_logits",
    "batch": "04_get_batch",
    "sampling": "08_generation",
    "optimizer": "07_training_loop",
}

# Once per page: the keydown's time of the current move.
JS_INSTALL = """() => {
  if (window.__benchInstalled) return;
  window.__benchInstalled = true;
  document.addEventListener('keydown', (e) => {
    const m = window.__move;
    if (m && m.t0 === null) m.t0 = e.timeStamp;
  }, true);
}"""

# Before each press: resolve when the readout has changed and the frame after it has begun.
JS_ARM = """(section) => {
  const readout = section.querySelector('.explorer-readout');
  const m = {t0: null, tUpdate: null, tFrame: null, result: null};
  let resolve;
  m.done = new Promise((r) => { resolve = r; });
  const obs = new MutationObserver(() => {
    if (m.tUpdate !== null || m.t0 === null) return;
    m.tUpdate = performance.now();
    obs.disconnect();
    requestAnimationFrame(() => { m.tFrame = performance.now(); m.result = 'frame'; resolve(); });
  });
  obs.observe(readout, {subtree: true, childList: true, characterData: true});
  m.stop = () => { obs.disconnect(); if (m.result === null) { m.result = 'timeout'; resolve(); } };
  window.__move = m;
}"""

JS_RESULT = """async (ms) => {
  const m = window.__move;
  await Promise.race([m.done, new Promise((r) => setTimeout(r, ms))]);
  m.stop();
  const rel = (t) => (t === null || m.t0 === null) ? null : t - m.t0;
  return {result: m.result, update: rel(m.tUpdate), frame: rel(m.tFrame)};
}"""

JS_POSITION = """(el) => el.tagName === 'SELECT' ? el.selectedIndex : el.valueAsNumber"""


def p90(values):
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def control_moves(page, section, name, presses):
    """Timings of `presses` key presses on one control: [{update, frame}, ...] (ms)."""
    el = section.locator(f"[data-control='{name}']")
    el.scroll_into_view_if_needed()
    is_select = el.evaluate("e => e.tagName") == "SELECT"
    keys = ("ArrowDown", "ArrowUp") if is_select else ("ArrowRight", "ArrowLeft")
    direction, moves = keys[0], []
    while len(moves) < presses:
        el.focus()
        page.wait_for_timeout(60)  # a learner's pace: a quiet page before each press
        before = el.evaluate(JS_POSITION)
        section.evaluate(JS_ARM)
        page.keyboard.press(direction)
        move = page.evaluate(JS_RESULT, 2000)
        # the end of the range (or the row held at B-1): turn round
        if el.evaluate(JS_POSITION) == before:
            direction = keys[1] if direction == keys[0] else keys[0]
            continue
        if move["result"] != "frame" or move["update"] is None:
            raise RuntimeError(f"{name}: no readout update after {direction} ({move})")
        moves.append(move)
    return moves, keys[0]


def kernel_times(presses):
    """bench_explorers' kernel-only measurement of every control (bench_browser.kernel_only), or None."""
    try:
        from bench_browser import kernel_only
    except ImportError as err:  # bench_browser moved or changed: the page's columns stand alone
        print(f"(kernel-only times unavailable: {err})", flush=True)
        return None
    return kernel_only(presses)[0]


def run(presses, site, with_kernel):
    from playwright.sync_api import sync_playwright

    executable, reason = lab.find_browser()
    if executable is None:
        raise SystemExit(f"no browser: {reason}")
    machine = describe_machine()
    print("\n".join(machine), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        if site is None:
            site = Path(tmp) / "site"
            seconds, _ = sp.build_site(site)
            print(f"built the site in {seconds:.1f} s", flush=True)
        rows = []
        with sync_playwright() as p:
            browser = sp.launch(p, executable)
            try:
                view = sp.OfflinePage(browser)
                page = view.page
                for kind, stem in PAGES.items():
                    page.goto(sp.page_url(site, stem))
                    page.evaluate(JS_INSTALL)
                    section = page.locator(f"section.explorer-{kind}")
                    page.wait_for_function(
                        "(s) => s.bigramExplorer && s.bigramExplorer.updates > 0",
                        arg=section.element_handle(),
                    )
                    names = section.evaluate(
                        "s => Array.from(s.querySelectorAll('[data-control]')).map(e => e.dataset.control)"
                    )
                    for name in names:
                        print(f"page: {kind}: {name} ...", flush=True)
                        moves, key = control_moves(page, section, name, presses)
                        rows.append((kind, name, key, moves))
                if view.remote_requests():
                    raise RuntimeError(f"the pages asked the network for {view.remote_requests()}")
                view.close()
            finally:
                browser.close()
    kernel = None
    if with_kernel:
        print("kernel only (bench_explorers' measurement) ...", flush=True)
        kernel = kernel_times(presses)
    return rows, kernel, machine


def table(rows, kernel):
    def fmt(x, digits=1):
        return "-" if x is None else f"{x:.{digits}f}"

    lines = [
        "| explorer: control | key presses | page update p50 ms | page update p90 ms | next frame p50 ms | "
        "next frame p90 ms | kernel only p50 ms (bench_explorers) |",
        "|---|---|---|---|---|---|---|",
    ]
    worst = []
    for kind, name, key, moves in rows:
        updates = [m["update"] for m in moves]
        frames = [m["frame"] for m in moves if m["frame"] is not None]
        k = kernel.get((kind, name)) if kernel else None
        lines.append(
            f"| {kind}: {name} | {len(moves)} x {key} | {fmt(statistics.median(updates))} | {fmt(p90(updates))} | "
            f"{fmt(statistics.median(frames) if frames else None)} | {fmt(p90(frames) if frames else None)} | "
            f"{fmt(statistics.median(k) if k else None, 2)} |"
        )
        worst.append((p90(updates), f"{kind}: {name}"))
    high, which = max(worst)
    lines += [
        "",
        f"Target (a key press updates the page within one frame: update p90 under {TARGET_P90_MS:.0f} ms for every "
        f"control): {'met' if high < TARGET_P90_MS else 'NOT met'}. Highest update p90: {high:.2f} ms ({which}).",
    ]
    return lines


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--presses", type=int, default=20, help="key presses per control (default 20)"
    )
    parser.add_argument(
        "--site",
        type=Path,
        help="a built site to open (default: build one into a temporary folder)",
    )
    parser.add_argument("--no-kernel", action="store_true", help="leave out the kernel-only column")
    args = parser.parse_args()
    if args.presses < 2:
        parser.error("--presses must be at least 2")
    rows, kernel, machine = run(args.presses, args.site, not args.no_kernel)
    print()
    print("\n".join(machine))
    print()
    print("\n".join(table(rows, kernel)))


if __name__ == "__main__":
    main()
