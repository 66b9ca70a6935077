"""A slider move as a learner sees it: from the key press in Chromium to the new readout and image on the page.

JupyterLab on 127.0.0.1 and headless Chromium, started as the browser test starts them (tests/lab_browser.py),
open a temporary notebook that shows every explorer. For every control of every explorer, the slider's handle is
focused and ArrowRight is pressed N times (ArrowLeft on the way back from the end of its range), one press at a
time, each after the kernel went idle; a select gets its next option picked N times (headless Chromium opens a
select's popup on an arrow key instead of moving it). A MutationObserver, installed with page.evaluate, records
performance.now() when the readout's text and the image's src have both changed (the readout alone where the
image stays the same, as for a sample's seed); the move's time runs from the keydown (or the select's input)
event. Beside the browser's p50 and p90 stand the kernel's own share: bench_explorers.py's measurement
of the same control in this process (setting the value, no browser), and the explorer's refresh as timed inside
the notebook's kernel during these very moves. What the move costs on the wire is counted too: messages from the
kernel per move and the PNG's size.

Usage: BIGRAM_DATA=/path/to/tinyshakespeare.txt python bench/bench_browser.py [--presses N] [--out FILE]
The server, its kernels and the browser are stopped at the end, also on an error or Ctrl-C.
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the browser test's JupyterLab + Chromium harness

import lab_browser as lab  # noqa: E402
from bench_explorers import p90, slider_moves  # noqa: E402
from machine import describe_machine  # noqa: E402

from bigram_lib import load_corpus  # noqa: E402
from bigram_lib.explorers import (  # noqa: E402
    batch_explorer,
    optimizer_explorer,
    sampling_explorer,
    shape_explorer,
    softmax_explorer,
)
from bigram_lib.model import BigramLanguageModel  # noqa: E402

TARGET_P90_MS = 100.0
MOONSHOT_P90_MS = 50.0
VIEWPORT = {"width": 1400, "height": 1000}
MOVE_TIMEOUT_MS = 10_000
NOTEBOOK = "explorers_bench.ipynb"

# Each explorer as the course's notebooks call it (the sampling one on an untrained model: the same cost).
EXPLORER_CALLS = {
    "softmax": "softmax_explorer()",
    "shape": "shape_explorer(corpus)",
    "batch": "batch_explorer(corpus)",
    "sampling": "sampling_explorer(corpus, model)",
    "optimizer": "optimizer_explorer(corpus)",
}

SETUP_CELL = """\
import json, time
import torch
from bigram_lib import load_corpus
from bigram_lib.explorers import batch_explorer, optimizer_explorer, sampling_explorer, shape_explorer, softmax_explorer
from bigram_lib.model import BigramLanguageModel

corpus = load_corpus(progress=False)
with torch.random.fork_rng(devices=[]):
    torch.manual_seed(1337)
    model = BigramLanguageModel(corpus.vocab_size)
REFRESH_LOG = open({log!r}, "a", buffering=1)

def timed(explorer):
    \"\"\"The explorer, its refresh timed into REFRESH_LOG (milliseconds, one line per refresh).\"\"\"
    refresh = explorer.refresh
    def timed_refresh():
        start = time.perf_counter()
        try:
            return refresh()
        finally:
            REFRESH_LOG.write(json.dumps([explorer.kind, (time.perf_counter() - start) * 1e3]) + "\\n")
    explorer.refresh = timed_refresh
    return explorer
"""

# Once per page: the keydown time of the current move, and every kernel message during it.
JS_INSTALL = """() => {
  if (window.__benchInstalled) return;
  window.__benchInstalled = true;
  const started = () => {
    const m = window.__move;
    if (m && m.t0 === null) m.t0 = performance.now();
  };
  document.addEventListener('keydown', started, true);  // a slider: the key press
  document.addEventListener('input', started, true);  // a select: the option picked
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  kernel.anyMessage.connect((_, args) => {
    const m = window.__move;
    if (!m || m.t0 === null) return;
    const msg = args.msg;
    let bytes = 0;
    for (const b of (msg.buffers || [])) bytes += b.byteLength || 0;
    const data = msg.content && msg.content.data;
    const state = data && data.state ? Object.keys(data.state).join(',') : '';
    m.msgs.push([args.direction, msg.header.msg_type, (data && data.method) || '', state, bytes,
                 JSON.stringify(msg.content || {}).length, performance.now() - m.t0]);
    // The kernel is done with the key press: whatever changed has arrived; allow the page a moment.
    if (args.direction === 'recv' && msg.header.msg_type === 'status' && msg.content.execution_state === 'idle')
      setTimeout(() => m.finish('idle'), 250);
  });
}"""

# Before each press: remember what the explorer shows; resolve when its readout and image have both changed.
JS_ARM = """(root) => {
  const readout = root.querySelector(':scope > .widget-html .widget-html-content')
               || root.querySelector(':scope > .widget-html');
  const img = root.querySelector(':scope > img');
  const m = {t0: null, tText: null, tImg: null, tDecoded: null, result: null, msgs: [],
             beforeText: readout.innerHTML, beforeSrc: img ? img.getAttribute('src') : null, hasImg: !!img};
  let resolve;
  m.done = new Promise(r => { resolve = r; });
  m.decoded = Promise.resolve();
  const obs = new MutationObserver(() => {
    const now = performance.now();
    if (m.tText === null && readout.innerHTML !== m.beforeText) m.tText = now;
    if (img && m.tImg === null && img.getAttribute('src') !== m.beforeSrc) {
      m.tImg = now;
      m.decoded = img.decode().then(() => { m.tDecoded = performance.now(); }, () => {});
    }
    if (m.tText !== null && (!img || m.tImg !== null)) m.finish('both');
  });
  m.finish = (why) => { if (m.result === null) { m.result = why; obs.disconnect(); resolve(); } };
  obs.observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                     attributeFilter: ['src']});
  window.__move = m;
}"""

# After the press: wait (bounded) for the observer, then for the image to decode; the move's timings.
JS_RESULT = """async (ms) => {
  const m = window.__move;
  await Promise.race([m.done, new Promise(r => setTimeout(r, ms))]);
  m.finish('timeout');
  await Promise.race([m.decoded, new Promise(r => setTimeout(r, 2000))]);
  const rel = (t) => (t === null || m.t0 === null) ? null : t - m.t0;
  return {result: m.result, hasImg: m.hasImg, text: rel(m.tText), img: rel(m.tImg), decoded: rel(m.tDecoded),
          keydown: m.t0 !== null};
}"""

JS_SELECT_INDEX = "(el) => el.tagName === 'SELECT' ? el.selectedIndex : null"

JS_MESSAGES = "() => window.__move ? window.__move.msgs : []"

# Where a control stands: a slider handle's aria values, or a select's index.
JS_POSITION = """(el) => {
  if (el.tagName === 'SELECT') return [el.selectedIndex, 0, el.options.length - 1];
  return [Number(el.getAttribute('aria-valuenow')), Number(el.getAttribute('aria-valuemin')),
          Number(el.getAttribute('aria-valuemax'))];
}"""


def write_notebook(path, log_path):
    """A notebook: the setup cell, then one cell per explorer, each timed."""
    cells = [nbformat.v4.new_code_cell(SETUP_CELL.format(log=str(log_path)))]
    cells += [nbformat.v4.new_code_cell(f"timed({call})") for call in EXPLORER_CALLS.values()]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(nb, path)


def control_names(explorer):
    """The control names of an explorer element in display order (its `bigram-control-<name>` classes)."""
    return explorer.evaluate("""(root) => Array.from(root.querySelectorAll('[class*="bigram-control-"]'))
        .map(el => Array.from(el.classList).find(c => c.startsWith('bigram-control-')).slice(15))""")


def focus_target(control):
    """The element a learner moves with the keyboard: the slider's handle, or the select."""
    handle = control.locator(".noUi-handle")
    return handle.first if handle.count() else control.locator("select").first


def kernel_refreshes(log_path):
    """Every refresh time (ms) the notebook's kernel logged so far."""
    if not log_path.exists():
        return []
    return [json.loads(line)[1] for line in log_path.read_text().splitlines() if line.strip()]


def browser_moves(page, explorer, name, presses, log_path):
    """Per press: the timings from JS_RESULT, the kernel's refresh time, and the kernel messages."""
    control = explorer.locator(f".bigram-control-{name}").first
    target = focus_target(control)
    target.scroll_into_view_if_needed()
    # Headless Chromium opens a select's popup on an arrow key and leaves its value alone, so a select
    # gets the next option picked (Playwright's select_option: input and change events, as a click does).
    is_select = target.evaluate(JS_SELECT_INDEX) is not None
    keys = ("next option", "previous option") if is_select else ("ArrowRight", "ArrowLeft")
    moves, direction = [], keys[0]
    for _ in range(presses):
        now, low, high = target.evaluate(JS_POSITION)
        if now >= high:
            direction = keys[1]
        elif now <= low:
            direction = keys[0]
        target.focus()
        page.wait_for_timeout(150)  # a learner's pace: the page is quiet before each press
        before = len(kernel_refreshes(log_path))
        explorer.evaluate(JS_ARM)
        if is_select:
            target.select_option(index=now + (1 if direction == keys[0] else -1))
        else:
            target.press(direction)
        move = page.evaluate(JS_RESULT, MOVE_TIMEOUT_MS)
        lab.wait_kernel_idle(page)
        page.wait_for_timeout(100)  # the idle message and any late echo reach the page
        move["msgs"] = page.evaluate(JS_MESSAGES)
        refreshes = kernel_refreshes(log_path)[before:]
        move["kernel"] = sum(refreshes) if refreshes else None
        move["key"] = direction
        moves.append(move)
    return moves, keys[0]


def summarize_moves(moves):
    """Browser p50/p90 (ms) over complete moves, and what the moves cost on the wire."""
    # a move is complete when what it changes has changed: readout and image, or the readout alone when
    # the kernel went idle without a new image (a seed moves the sample text, not the distribution)
    done = [m for m in moves if m["result"] in ("both", "idle") and m["text"] is not None]
    ends = [max(m["text"], m["img"] or 0) for m in done]
    shown = {"readout + image" if m["img"] is not None else "readout" for m in done}
    decoded = [m["decoded"] for m in done if m["decoded"] is not None]
    kernel = [m["kernel"] for m in done if m["kernel"] is not None]
    recv = [[x for x in m["msgs"] if x[0] == "recv"] for m in done]
    # when the kernel's answer began (its busy status) and when its last widget update arrived, after the press
    busy = [next((x[6] for x in r if x[1] == "status"), None) for r in recv]
    updates = [[x[6] for x in r if x[1] == "comm_msg" and x[2] == "update"] for r in recv]
    last_update = [max(u) for u in updates if u]
    comm = [[x for x in r if x[1] == "comm_msg"] for r in recv]
    return {
        "n": len(moves),
        "complete": len(done),
        "p50": statistics.median(ends) if ends else None,
        "p90": p90(ends) if ends else None,
        "decoded_p50": statistics.median(decoded) if decoded else None,
        "kernel_p50": statistics.median(kernel) if kernel else None,
        "busy_p50": statistics.median(b for b in busy if b is not None)
        if any(b is not None for b in busy)
        else None,
        "update_p50": statistics.median(last_update) if last_update else None,
        "recv_msgs": statistics.median(len(r) for r in recv) if recv else None,
        "comm_msgs": statistics.median(len(c) for c in comm) if comm else None,
        "kb": statistics.median(sum(x[4] + x[5] for x in r) for r in recv) / 1024 if recv else None,
        "kinds": sorted({f"{x[1]}:{x[2]}:{x[3]}" for r in recv for x in r}),
        "shown": " / ".join(sorted(shown)) or "nothing",
    }


def walk(control):
    """The control's positions there and back (a bounce), as ArrowRight / ArrowLeft presses visit them."""
    if hasattr(control, "_options_values"):  # a Dropdown: its values in option order
        values = list(control._options_values)
    else:
        n = round((control.max - control.min) / control.step)
        values = [round(control.min + k * control.step, 10) for k in range(n + 1)]
        if hasattr(control, "base"):  # FloatLogSlider: min, max and step are exponents
            values = [control.base**e for e in values]
    return values + values[-2:0:-1]


def kernel_only(presses):
    """bench_explorers' measurement (setting the control's value, no browser) for every control, in ms."""
    corpus = load_corpus(progress=False)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1337)
        model = BigramLanguageModel(corpus.vocab_size)
    makers = {
        "softmax": lambda: softmax_explorer(),
        "shape": lambda: shape_explorer(corpus),
        "batch": lambda: batch_explorer(corpus),
        "sampling": lambda: sampling_explorer(corpus, model),
        "optimizer": lambda: optimizer_explorer(corpus),
    }
    out, png = {}, {}
    for kind, make in makers.items():
        explorer = make()
        png[kind] = len(explorer.image.value) / 1024 if explorer.image is not None else None
        for name, control in explorer.controls.items():
            out[kind, name] = slider_moves(explorer, name, walk(control), presses, check=False)
    return out, png


def fmt(x, digits=1):
    """A number for the table, '-' for none."""
    return "-" if x is None else f"{x:.{digits}f}"


def run(presses, keep_dir=None):
    """Start the server and the browser, time every control, stop both; (rows, machine lines, kernel-only)."""
    from playwright.sync_api import sync_playwright

    executable, reason = lab.find_browser()
    if executable is None:
        raise SystemExit(f"no browser: {reason}")
    machine = describe_machine()
    print("\n".join(machine), flush=True)
    print("kernel only (bench_explorers' measurement) ...", flush=True)
    kernel, png = kernel_only(presses)
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        work = Path(keep_dir or tmp)
        root = work / "notebooks"
        root.mkdir(parents=True, exist_ok=True)
        log_path = work / "refresh.jsonl"
        write_notebook(root / NOTEBOOK, log_path)
        server = lab.LabServer(root_dir=root, work_dir=work)
        rows = []
        try:
            server.start()
            with sync_playwright() as p:
                browser = lab.launch_browser(p, executable)
                try:
                    context = browser.new_context(viewport=VIEWPORT)
                    context.set_default_timeout(lab.PAGE_TIMEOUT_MS)
                    page = context.new_page()
                    lab.load_lab(page, server)
                    lab.open_notebook(page, NOTEBOOK)
                    lab.run_all_cells(page, 300_000)
                    errors = lab.error_outputs(lab.notebook_state(page))
                    if errors:
                        raise RuntimeError(f"the benchmark notebook failed: {errors}")
                    page.evaluate(JS_INSTALL)
                    for kind in EXPLORER_CALLS:
                        explorer = page.locator(f".bigram-{kind}-explorer").first
                        for name in control_names(explorer):
                            print(f"browser: {kind}: {name} ...", flush=True)
                            moves, key = browser_moves(page, explorer, name, presses, log_path)
                            summary = summarize_moves(moves)
                            summary["key"] = key
                            rows.append(
                                (kind, name, summary, kernel.get((kind, name)), png.get(kind))
                            )
                finally:
                    browser.close()
        finally:
            server.stop()
    return rows, machine


def table(rows, presses):
    """The markdown table and the verdict lines."""
    lines = [
        "| explorer: control | key presses (complete): what changed | browser p50 ms | browser p90 ms | "
        "image decoded p50 ms | "
        "kernel only p50 ms (bench_explorers) | kernel refresh p50 ms (these moves) | browser p50 minus kernel "
        "refresh | kernel busy seen p50 ms | last update received p50 ms | messages from the kernel per move "
        "(comm) | KB per move | PNG KB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    worst = []
    for kind, name, s, kernel, png in rows:
        k50 = statistics.median(kernel) if kernel else None
        transport = (
            s["p50"] - s["kernel_p50"]
            if s["p50"] is not None and s["kernel_p50"] is not None
            else None
        )
        lines.append(
            f"| {kind}: {name} | {s['n']} x {s['key']} ({s['complete']}): {s['shown']} | "
            f"{fmt(s['p50'])} | {fmt(s['p90'])} | "
            f"{fmt(s['decoded_p50'])} | {fmt(k50, 2)} | {fmt(s['kernel_p50'], 2)} | {fmt(transport)} | "
            f"{fmt(s['busy_p50'])} | {fmt(s['update_p50'])} | "
            f"{fmt(s['recv_msgs'], 0)} ({fmt(s['comm_msgs'], 0)}) | {fmt(s['kb'])} | {fmt(png)} |"
        )
        if s["p90"] is not None:
            worst.append((s["p90"], f"{kind}: {name}"))
        else:
            worst.append((float("inf"), f"{kind}: {name} (no complete move)"))
    high, which = max(worst)
    lines.append("")
    lines.append(
        f"Target (p90 under {TARGET_P90_MS:.0f} ms for every control): "
        f"{'met' if high < TARGET_P90_MS else 'NOT met'}; moonshot (under {MOONSHOT_P90_MS:.0f} ms): "
        f"{'met' if high < MOONSHOT_P90_MS else 'not met'}. Highest p90: {high:.1f} ms ({which})."
    )
    return lines


def main():
    """Run the benchmark and print (optionally write) the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--presses", type=int, default=20, help="key presses per control (default 20)"
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the server's files (notebook, log) in DIR"
    )
    args = parser.parse_args()
    if args.presses < 1:
        parser.error("--presses must be at least 1")
    rows, machine = run(args.presses, args.keep)
    print()
    print("\n".join(machine))
    print()
    print("\n".join(table(rows, args.presses)))
    kinds = sorted({k for _, _, s, _, _ in rows for k in s["kinds"]})
    print()
    print("Kernel messages seen during the moves (type:method:state): " + ", ".join(kinds))


if __name__ == "__main__":
    main()
