"""Drive JupyterLab in headless Chromium: a throwaway server, run-all, explorers, screenshots."""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Lab settings for a predictable page: every cell in the DOM, no news toast, no update check.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "scrollPastEnd": False,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

SERVER_START_TIMEOUT_S = 90
PAGE_TIMEOUT_MS = 60_000
KERNEL_IDLE_TIMEOUT_MS = 120_000
WIDGET_UPDATE_TIMEOUT_MS = 60_000

# The notebook as the page's own model sees it (needs --LabApp.expose_app_in_browser).
JS_NOTEBOOK_STATE = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model || !panel.sessionContext) return null;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = [];
  const model = panel.content.model;
  for (let i = 0; i < model.cells.length; i++) {
    const c = model.cells.get(i);
    if (c.type !== 'code') continue;
    const outputs = [];
    for (let j = 0; j < c.outputs.length; j++) outputs.push(c.outputs.get(j).toJSON());
    cells.push({index: i, source: c.sharedModel.getSource(), count: c.executionCount,
                state: c.executionState, tags: c.getMetadata('tags') || [], outputs: outputs});
  }
  return {kernel: kernel ? kernel.status : null, cells: cells};
}"""

# Run-all is over when the kernel is idle, no cell is queued or running, and something ran.
JS_RUN_FINISHED = """() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content.model) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const cells = panel.content.model.cells;
  let ran = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    if (c.executionState === 'running') return false;
    if (c.executionCount !== null) ran++;
  }
  return ran > 0;
}"""

JS_KERNEL_IDLE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

JS_NOTEBOOK_READINESS = """(path) => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path || !panel.context.isReady) return 'loading';
  const session = panel.sessionContext;
  if (!session || !session.isReady) return 'starting session';
  const kernel = session.session && session.session.kernel;
  return kernel ? kernel.status : 'no kernel';
}"""

JS_CLOSE_DOCUMENTS = """() => {
  const open = Array.from(window.jupyterapp.shell.widgets('main'));
  for (const w of open) {
    if (w.context && w.context.model) w.context.model.dirty = false;  // nothing to save: it is a temp copy
    w.close();
  }
  return open.length;
}"""

# What an explorer shows, minus its own controls: text outside the sliders and every image.
JS_EXPLORER_SIGNATURE = """(el) => {
  const clone = el.cloneNode(true);
  clone.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider').forEach(s => s.remove());
  const imgs = Array.from(el.querySelectorAll('img')).map(i => i.getAttribute('src') || '');
  const text = clone.textContent.replace(/\\s+/g, ' ').trim();
  let h = 0;
  for (const s of imgs) for (let k = 0; k < s.length; k++) h = (h * 31 + s.charCodeAt(k)) | 0;
  return {text: text, images: imgs.length, image_hash: h};
}"""

# A widget view is a cell output whose child is a `.jupyter-widgets` element (it has no data-mime-type).
EXPLORER_SELECTOR = (
    ".jp-Cell-outputArea > .jp-OutputArea-child > "
    ".jp-OutputArea-output:has(> .jupyter-widgets .widget-slider)"
)


def ci_requested():
    """True when the CI environment variable is set to something other than a false-like value."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_browser():
    """(chromium executable or None, reason); honours $BIGRAM_CHROMIUM, then Debian's, then Playwright's."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        return None, f"playwright is not importable ({exc}); pip install playwright"
    candidates = [os.environ.get("BIGRAM_CHROMIUM", ""), DEBIAN_CHROMIUM]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return path, ""
    try:
        with sync_playwright() as p:
            bundled = p.chromium.executable_path
    except (PlaywrightError, OSError) as exc:  # a broken driver means no usable browser either
        return None, f"playwright cannot locate a browser ({exc})"
    if bundled and os.access(bundled, os.X_OK):
        return bundled, ""
    return None, (
        f"no Chromium found (looked at $BIGRAM_CHROMIUM, {DEBIAN_CHROMIUM} and Playwright's "
        f"{bundled}); install chromium or run `playwright install chromium`"
    )


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_notebooks_without_outputs(src, dest):
    """Copy a notebooks folder; strip outputs and counts so the page shows only what it runs itself."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for path in sorted(Path(dest).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)
    return Path(dest)


def write_lab_settings(settings_dir):
    """Write the user settings files JupyterLab reads from $JUPYTERLAB_SETTINGS_DIR."""
    for rel, values in LAB_SETTINGS.items():
        path = Path(settings_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@dataclass
class LabServer:
    """A JupyterLab server process on 127.0.0.1 with a random token."""

    root_dir: Path
    work_dir: Path
    port: int = 0
    token: str = ""
    proc: subprocess.Popen = None
    log_path: Path = None
    env: dict = field(default_factory=dict, repr=False)

    @property
    def base_url(self):
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s=SERVER_START_TIMEOUT_S):
        """Launch the server and block (bounded) until its REST API answers."""
        self.port = free_port()
        self.token = secrets.token_hex(24)
        settings, workspaces, runtime = (
            self.work_dir / n for n in ("settings", "workspaces", "runtime")
        )
        write_lab_settings(settings)
        workspaces.mkdir(parents=True, exist_ok=True)
        runtime.mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)  # carries BIGRAM_DATA and BIGRAM_CACHE_DIR to the kernels
        self.env.update(
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(workspaces),
            JUPYTER_RUNTIME_DIR=str(runtime),
            PYTHONUNBUFFERED="1",
        )
        cmd = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--LabApp.expose_app_in_browser=True",
        ]
        self.log_path = self.work_dir / "jupyterlab.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=self.root_dir,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.proc.returncode}:\n{self.log_tail()}"
                )
            if self.api("GET", "/api/status", timeout=2) is not None:
                return self
            time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not answer within {timeout_s} s:\n{self.log_tail()}")

    def api(self, method, path, timeout=10):
        """Call the REST API with the token; the decoded JSON (or {}), None when unreachable."""
        req = urllib.request.Request(
            self.base_url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                body = resp.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None
        return json.loads(body) if body else {}

    def shutdown_kernels(self):
        """Delete every session (and its kernel) so finished notebooks stop using memory."""
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def lab_url(self):
        """URL of JupyterLab with a fresh layout (no document restored from an earlier visit)."""
        return f"{self.base_url}/lab?reset&token={self.token}"

    def log_tail(self, n=40):
        """Last lines of the server log."""
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])

    def stop(self, grace_s=10):
        """Terminate the server and its kernels; kill what does not exit in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.shutdown_kernels()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=grace_s)
            # the server and the kernels it started share its group
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=grace_s)


def launch_browser(playwright, executable):
    """Headless Chromium with the flags that work on this kind of machine."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def load_lab(page, server, timeout_ms=PAGE_TIMEOUT_MS):
    """Open JupyterLab itself and wait (bounded) until its layout is restored; hide the file browser."""
    page.goto(server.lab_url(), timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=timeout_ms)
    restored = page.evaluate(
        """(ms) => Promise.race([
        window.jupyterapp.restored.then(() => true),
        new Promise(resolve => setTimeout(() => resolve(false), ms))])""",
        timeout_ms,
    )
    if not restored:
        raise TimeoutError(f"JupyterLab did not finish loading within {timeout_ms // 1000} s")
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # the notebook gets the width


class UnexpectedDialog(RuntimeError):
    """JupyterLab opened a dialog the test did not ask for (a dead kernel, a failed save...)."""


def accept_dialog(page):
    """Accept the "Select Kernel" prompt (shown on a cold server) if open; raise on any other dialog."""
    dialog = page.locator(".jp-Dialog")
    if not dialog.count():
        return False
    header = dialog.first.locator(".jp-Dialog-header").inner_text().strip()
    if not header.startswith("Select Kernel"):
        body = dialog.first.locator(".jp-Dialog-body").inner_text().strip()
        raise UnexpectedDialog(f"JupyterLab shows a dialog {header!r}: {body[:300]!r}")
    dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
    return True


def open_notebook(page, name, timeout_ms=KERNEL_IDLE_TIMEOUT_MS):
    """Open a notebook in the loaded JupyterLab; wait (bounded) until it is loaded and its kernel is idle."""
    # a dialog that belongs to an earlier notebook must not be blamed on this one
    dismiss_dialogs(page)
    page.evaluate(
        "(path) => { window.jupyterapp.commands.execute('docmanager:open', {path: path}); }", name
    )
    deadline = time.monotonic() + timeout_ms / 1000
    status = "not requested"
    while time.monotonic() < deadline:
        accept_dialog(page)
        status = page.evaluate(JS_NOTEBOOK_READINESS, name)
        if (
            status == "idle"
            and page.locator(
                '.jp-NotebookPanel:visible .jp-Notebook-ExecutionIndicator[data-status="idle"]'
            ).count()
        ):
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"{name}: not ready within {timeout_ms // 1000} s (last status: {status})")


def dismiss_dialogs(page):
    """Close whatever dialogs are open (left over from an earlier notebook), rejecting where possible."""
    for _ in range(5):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count():
            return
        buttons = dialog.first.locator(".jp-Dialog-footer .jp-Dialog-button")
        reject = dialog.first.locator(".jp-Dialog-button.jp-mod-reject")
        (reject.first if reject.count() else buttons.last).click()
        page.wait_for_timeout(200)


def close_documents(page, timeout_ms=10_000):
    """Dismiss open dialogs, close every document unsaved; bounded wait until no notebook is left."""
    dismiss_dialogs(page)
    page.evaluate(JS_CLOSE_DOCUMENTS)
    page.locator(".jp-NotebookPanel").first.wait_for(state="detached", timeout=timeout_ms)


def wait_until(page, js, timeout_ms, what, poll_ms=250):
    """Poll a page function until it returns true, accepting dialogs meanwhile; TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        accept_dialog(page)
        if page.evaluate(js):
            return
        page.wait_for_timeout(poll_ms)
    raise TimeoutError(f"{what} did not happen within {timeout_ms / 1000:.0f} s")


def run_all_cells(page, timeout_ms):
    """Run > Run All Cells from the menu bar, then wait (bounded) until execution is over."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(
        ".lm-Menu-item:visible .lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")
    ).click()
    try:
        wait_until(page, JS_RUN_FINISHED, timeout_ms, "Run All finishing", poll_ms=500)
        page.wait_for_timeout(500)  # let the last outputs reach the DOM
        wait_until(page, JS_RUN_FINISHED, timeout_ms, "Run All finishing")
    except TimeoutError as exc:
        state = notebook_state(page) or {"cells": [], "kernel": None}
        running = [
            f"cell {c['index']} ({c['source'].strip().splitlines()[0][:60]!r})"
            for c in state["cells"]
            if c["state"] == "running" and c["source"].strip()
        ]
        raise TimeoutError(
            f"{exc}; kernel {state['kernel']}, still queued or running: "
            f"{', '.join(running[:3]) or 'none'}"
        ) from exc


def notebook_state(page):
    """Kernel status and every code cell (source, count, state, tags, outputs) from the page's model."""
    return page.evaluate(JS_NOTEBOOK_STATE)


def error_outputs(state):
    """(cell index, 'Ename: evalue') for every error output outside cells tagged raises-exception."""
    found = []
    for cell in state["cells"]:
        if "raises-exception" in cell["tags"]:
            continue
        for out in cell["outputs"]:
            if out.get("output_type") == "error":
                found.append((cell["index"], f"{out.get('ename')}: {out.get('evalue')}"))
    return found


def cells_not_run(state):
    """Indices of non-empty code cells that have no execution count after run-all."""
    return [c["index"] for c in state["cells"] if c["source"].strip() and c["count"] is None]


def visible_tracebacks(page):
    """(cell index, text) of every rendered output that shows a traceback or a widget that failed to display."""
    return page.evaluate("""() => {
      const bad = [];
      document.querySelectorAll('.jp-Notebook .jp-Cell').forEach((cell, i) => {
        cell.querySelectorAll('.jp-OutputArea-output').forEach(out => {
          const text = out.textContent || '';
          const stderr = out.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr';
          if ((stderr && /Traceback|Error: |Exception: /.test(text)) || /Error displaying widget/.test(text))
            bad.push([i, text.slice(0, 600)]);
        });
      });
      return bad;
    }""")


def stderr_texts(page):
    """Every rendered stderr output's text (warnings are reported, not failed)."""
    return page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
    ).all_text_contents()


def screenshot_notebook(page, path, max_height=30000):
    """Screenshot the whole notebook panel by growing the viewport to fit it; False if cut at max_height px."""
    size = page.viewport_size
    # pixels of notebook below the fold
    hidden = page.evaluate("""() => {
      const outer = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
                 || document.querySelector('.jp-NotebookPanel .jp-Notebook');
      return Math.max(outer.scrollHeight - outer.clientHeight, 0);
    }""")
    wanted = size["height"] + hidden + 40
    page.set_viewport_size({"width": size["width"], "height": min(wanted, max_height)})
    try:
        page.wait_for_timeout(500)
        page.locator(".jp-NotebookPanel").first.screenshot(path=str(path), timeout=PAGE_TIMEOUT_MS)
    finally:
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
    return wanted <= max_height


@dataclass
class Explorer:
    """One live widget with sliders, found in the page after run-all."""

    locator: object
    name: str


def find_explorers(page):
    """Every widget view that holds a slider, named by its `bigram-<kind>-explorer` class or its cell's call."""
    views = page.locator(EXPLORER_SELECTOR)
    found = []
    for k in range(views.count()):
        view = views.nth(k)
        kind, source = view.evaluate("""(el) => {
          const marked = Array.from(el.querySelectorAll('*')).flatMap(n => Array.from(n.classList))
            .map(c => /^bigram-(\\w+)-explorer$/.exec(c)).find(m => m);
          const cell = el.closest('.jp-CodeCell');
          const editor = cell && cell.querySelector('.jp-InputArea-editor .cm-content');
          return [marked ? marked[1] : null, editor ? editor.innerText : ''];
        }""")
        calls = re.findall(r"(\w+_explorer)\s*\(", source)
        name = f"{kind}_explorer" if kind else (calls[-1] if calls else f"explorer{k + 1}")
        found.append(Explorer(view, name))
    names = [e.name for e in found]
    seen = {}
    for e in found:  # two explorers of the same kind in one notebook get numbered names
        if names.count(e.name) > 1:
            seen[e.name] = seen.get(e.name, 0) + 1
            e.name = f"{e.name}{seen[e.name]}"
    return found


def explorer_signature(explorer):
    """What the explorer shows (text outside its sliders, a hash over its images)."""
    return explorer.locator.evaluate(JS_EXPLORER_SIGNATURE)


def slider_label(slider):
    """The slider's description, '' when it has none."""
    label = slider.locator(".widget-label")
    return label.first.inner_text().strip() if label.count() else ""


def slider_readout(slider):
    """The value a slider displays."""
    readout = slider.locator(".widget-readout")
    if readout.count():
        return readout.first.inner_text()
    return slider.locator(".noUi-handle").first.get_attribute("aria-valuenow")


def move_slider(page, slider, presses=2):
    """Focus the slider's handle and press ArrowRight (ArrowLeft when already at the end); (before, after)."""
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed(timeout=PAGE_TIMEOUT_MS)
    before = slider_readout(slider)
    for key in ("ArrowRight", "ArrowLeft"):
        handle.focus()
        for _ in range(presses):
            handle.press(key)
            page.wait_for_timeout(100)
        after = slider_readout(slider)
        if after != before:
            return before, after
    return before, before


def press_end(page, slider):
    """Press End on the slider's handle; (the range's end, the value it went to), once the kernel settled."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("End")
    page.wait_for_timeout(300)
    wait_kernel_idle(page)
    return float(handle.get_attribute("aria-valuemax")), float(
        handle.get_attribute("aria-valuenow")
    )


def kernel_idle(page):
    """True when the current notebook's kernel reports idle."""
    return page.evaluate(JS_KERNEL_IDLE)


def wait_for_change(page, explorer, before, timeout_ms=WIDGET_UPDATE_TIMEOUT_MS, settle_ms=500):
    """Wait for the explorer to differ from `before`, then to settle (kernel idle, unchanged for settle_ms)."""
    deadline = time.monotonic() + timeout_ms / 1000
    current = explorer_signature(explorer)
    while current == before and time.monotonic() < deadline:
        page.wait_for_timeout(150)
        current = explorer_signature(explorer)
    if current == before:
        return current
    while time.monotonic() < deadline:
        page.wait_for_timeout(settle_ms)
        latest = explorer_signature(explorer)
        if latest == current and kernel_idle(page):
            break
        current = latest
    return current


def wait_kernel_idle(page, timeout_ms=KERNEL_IDLE_TIMEOUT_MS):
    """Bounded wait for the notebook's kernel to be idle again."""
    wait_until(page, JS_KERNEL_IDLE, timeout_ms, "the kernel going idle")


def image_sizes(page):
    """Every output image: (cell index, 'widget' or 'static', natural width, shown width) in CSS pixels."""
    return page.evaluate("""() => {
      const found = [];
      document.querySelectorAll('.jp-Notebook .jp-Cell').forEach((cell, i) => {
        cell.querySelectorAll('.jp-OutputArea-output img').forEach(img => {
          if (!img.naturalWidth) return;  // not loaded (yet): nothing to measure
          const kind = img.closest('.jupyter-widgets') ? 'widget' : 'static';
          found.push([i, kind, img.naturalWidth, img.getBoundingClientRect().width]);
        });
      });
      return found;
    }""")


def set_theme(page, theme, timeout_ms=PAGE_TIMEOUT_MS):
    """Switch JupyterLab's theme ('JupyterLab Light' or 'JupyterLab Dark') and wait until it is applied."""
    light = "true" if "Light" in theme else "false"
    page.evaluate(
        "(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme
    )
    wait_until(
        page,
        f"() => document.body.dataset.jpThemeLight === '{light}'",
        timeout_ms,
        f"the theme {theme!r}",
    )
    page.wait_for_timeout(300)  # let the new CSS variables paint
