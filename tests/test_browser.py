"""The course in a real browser: JupyterLab runs every notebook clean, and every explorer answers its sliders."""

import json
import re
import time
from pathlib import Path

import lab_browser as lab
import pytest

from bigram_lib import trained_model

pytestmark = pytest.mark.slow  # JupyterLab in Chromium: every notebook, Run All, in two themes

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SCREENSHOT_DIR = ROOT / "artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
LIGHT, DARK = "JupyterLab Light", "JupyterLab Dark"
# generous: the busiest notebook runs ~45 s on 2 cores with a warm model cache
RUN_ALL_TIMEOUT_MS = 300_000

EXPLORER_CALL = re.compile(r"\b(\w+)_explorer\(")


def explorer_notebooks():
    """Which explorer each notebook must show, read from the `<kind>_explorer(` calls of its code cells."""
    kinds = {}
    for path in sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")):
        code = "".join(
            "".join(c["source"])
            for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"
        )
        found = sorted(set(EXPLORER_CALL.findall(code)))
        if found:
            kinds[path.stem] = found[0]
    return kinds


EXPLORER_NOTEBOOKS = explorer_notebooks()
# sliders whose top the explorer holds one below another slider's value (rows 0 to B-1 of a batch of B)
HELD_BELOW = {"row (0 to B-1)": "B (batch_size)"}


def course_notebooks():
    """Every numbered notebook in notebooks/: a new one is tested without any list to edit."""
    return sorted(p.stem for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def chromium():
    """Path of a Chromium Playwright can drive; skips without one, but fails when $CI is set."""
    executable, reason = lab.find_browser()
    if executable is None:
        if lab.ci_requested():
            pytest.fail(f"CI is set but the browser test cannot run: {reason}", pytrace=False)
        pytest.skip(f"no browser for the JupyterLab test: {reason}")
    return executable


@pytest.fixture(scope="module")
def warm_model_cache(chromium, corpus):
    """Train (or just load) the cached model up front, so a cold cache never eats a notebook's time limit."""
    # the defaults every notebook uses, hence the same cache file
    trained_model(corpus, progress=False)


@pytest.fixture(scope="module")
def lab_server(chromium, warm_model_cache, tmp_path_factory):
    """One JupyterLab server over a temporary, output-free copy of notebooks/; always stopped."""
    work = tmp_path_factory.mktemp("jupyterlab")
    root = lab.copy_notebooks_without_outputs(NOTEBOOK_DIR, work / "notebooks")
    server = lab.LabServer(root_dir=root, work_dir=work)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser_context(chromium):
    """One headless Chromium for the module, closed at the end."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = lab.launch_browser(playwright, chromium)
        try:
            # twice the pixels of the CSS size, as on a HiDPI screen: the screenshots show how sharp images are
            context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2)
            context.set_default_timeout(lab.PAGE_TIMEOUT_MS)
            yield context
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="module")
def lab_page(browser_context, lab_server):
    """One JupyterLab tab for the module; notebooks open and close inside it."""
    tab = browser_context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text[:300]))
    lab.load_lab(tab, lab_server)
    yield tab
    tab.close()


@pytest.fixture
def page(lab_page, lab_server):
    """The JupyterLab tab, emptied afterwards: documents closed, kernels shut down (reloaded if that fails)."""
    from playwright.sync_api import Error as PlaywrightError

    lab_page.console_errors.clear()
    yield lab_page
    try:
        lab.close_documents(lab_page)
    # a wedged page (a dialog that will not close, a dead renderer) is reloaded
    except PlaywrightError:
        lab.load_lab(lab_page, lab_server)
    finally:
        lab_server.shutdown_kernels()


def fresh_screenshot_path(name):
    """artifacts/screenshots/<name>.png, with any stale file of that name removed."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    path.unlink(missing_ok=True)
    return path


def describe(cells, indices):
    """A few words per cell for a failure message: its notebook index and first source line."""
    by_index = {c["index"]: c for c in cells}
    return "; ".join(
        f"cell {i}: {by_index[i]['source'].strip().splitlines()[0][:70]!r}" for i in indices
    )


def check_images(name, page):
    """Static figures stored at 2x and shown at 1x (crisp on HiDPI); live explorer images never scaled up."""
    sizes = lab.image_sizes(page)
    assert any(kind == "static" for _, kind, _, _ in sizes), f"{name}: no static figure was shown"
    for (
        index,
        kind,
        natural,
        shown,
    ) in sizes:  # live images and static figures alike: 2 pixels per CSS pixel
        assert 1.9 <= natural / shown <= 2.1, (
            f"{name}: cell {index}: a {kind} image of {natural} px is shown at {shown:.0f} px, not at half its "
            "pixels, so it is blurry on a HiDPI screen (use_course_style() missing, a figure too wide for the "
            "page, or a live figure not drawn at LIVE_SCALE)"
        )


def run_in_browser(stem, page, theme):
    """Run All in JupyterLab in the theme: no error anywhere; each explorer's output changes when a slider moves."""
    name = f"{stem}.ipynb"
    assert (NOTEBOOK_DIR / name).exists(), (
        f"notebooks/{name} does not exist yet (it should hold the {EXPLORER_NOTEBOOKS.get(stem)} explorer)"
    )
    tag = "" if theme == LIGHT else "--dark"
    for old in SCREENSHOT_DIR.glob(f"{stem}{tag}--*.png"):
        old.unlink()
    start = time.monotonic()

    lab.set_theme(page, theme)
    lab.open_notebook(page, name)
    opened_s = time.monotonic() - start
    lab.run_all_cells(page, RUN_ALL_TIMEOUT_MS)
    ran_s = time.monotonic() - start - opened_s
    if not lab.screenshot_notebook(page, fresh_screenshot_path(f"{stem}{tag}--run-all")):
        print(f"[{stem}] the notebook is taller than the full-page screenshot; its end is cut off")

    state = lab.notebook_state(page)
    tagged = {c["index"] for c in state["cells"] if "raises-exception" in c["tags"]}
    errors = lab.error_outputs(state)
    assert not errors, f"{name}: error outputs after Run All: {errors}"
    shown = [(i, text) for i, text in lab.visible_tracebacks(page) if i not in tagged]
    assert not shown, f"{name}: the page shows a traceback or a broken widget: {shown}"
    not_run = lab.cells_not_run(state)
    assert not not_run, f"{name}: code cells never ran: {describe(state['cells'], not_run)}"
    for text in lab.stderr_texts(page):
        print(f"[{stem}] stderr shown (not an error): {text.strip()[:200]}")
    check_images(name, page)

    explorers = lab.find_explorers(page)
    kind = EXPLORER_NOTEBOOKS.get(stem)
    if kind:
        names = [e.name for e in explorers]
        assert any(n.startswith(f"{kind}_explorer") for n in names), (
            f"{name}: expected a live {kind}_explorer with a slider after Run All; found {names or 'no slider widget'}"
        )
    for explorer in explorers:
        sliders = explorer.locator.locator(".widget-slider")
        for j in range(sliders.count()):
            before = lab.explorer_signature(explorer)
            was, now = lab.move_slider(page, sliders.nth(j))
            label = lab.slider_label(sliders.nth(j)) or f"slider {j + 1}"
            assert now != was, (
                f"{name}: {explorer.name}: {label!r} did not move with the arrow keys (stuck at {was})"
            )
            after = lab.wait_for_change(page, explorer, before)
            assert after != before, (
                f"{name}: {explorer.name}: moving {label!r} from {was} to {now} changed nothing in its output "
                f"within {lab.WIDGET_UPDATE_TIMEOUT_MS // 1000} s (text: {before['text'][:200]!r})"
            )
            print(f"[{stem}] {explorer.name}: {label} {was} -> {now}: output changed")
        # End on every slider once all have moved: at an extreme (every logit at its top) the next
        # slider's small moves would not show. Last slider first, so a batch explorer's row slider
        # meets B at its largest, 8, and must reach row 7
        for j in reversed(range(sliders.count())):
            label = lab.slider_label(sliders.nth(j)) or f"slider {j + 1}"
            top, end = lab.press_end(page, sliders.nth(j))
            if label in HELD_BELOW:  # the explorer holds it under another slider's value
                other = next(
                    sliders.nth(k)
                    for k in range(sliders.count())
                    if lab.slider_label(sliders.nth(k)) == HELD_BELOW[label]
                )
                top = min(top, float(lab.slider_readout(other)) - 1)
            assert end == top, (
                f"{name}: {explorer.name}: End on {label!r} went to {end}, its range ends at {top}"
            )
        lab.wait_kernel_idle(page)
        check_images(name, page)  # the redrawn images too
        explorer.locator.screenshot(
            path=str(fresh_screenshot_path(f"{stem}{tag}--{explorer.name}"))
        )
    if page.console_errors:
        print(f"[{stem}] browser console errors (not asserted): {page.console_errors[:5]}")
    print(
        f"[{stem}] {theme}: open {opened_s:.1f} s, run-all {ran_s:.1f} s, whole test "
        f"{time.monotonic() - start:.1f} s, {len(explorers)} explorer(s)"
    )


@pytest.mark.parametrize("stem", course_notebooks())
def test_notebook_runs_clean_and_explorers_react(stem, lab_server, page):
    """Every notebook in the light theme."""
    run_in_browser(stem, page, LIGHT)


@pytest.mark.parametrize("stem", sorted(EXPLORER_NOTEBOOKS))
def test_explorer_notebooks_in_the_dark_theme(stem, lab_server, page):
    """The notebooks with explorers again in the dark theme: same checks, screenshots named --dark."""
    try:
        run_in_browser(stem, page, DARK)
    finally:
        lab.set_theme(page, LIGHT)
