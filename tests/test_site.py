"""The course site: built by scripts/build_site.py from the stored outputs, opened from disk in headless Chromium.

Every page renders with its figures and fetches nothing from the network; every explorer answers key presses with
the numbers the kernel's widget shows at the same control values; axe-core finds nothing serious or critical in
either theme; the keyboard reaches every control, and shows where it is.

Needs Debian's chromium and axe-core (`npm ci --prefix scripts/site`); without them these tests skip, except when
$CI is set, where they fail.
"""

import html
import json
import math
import re
from pathlib import Path

import lab_browser as lab
import pytest
import site_pages as sp

from bigram_lib import trained_model
from bigram_lib.explorers import (
    batch_explorer,
    optimizer_explorer,
    sampling_explorer,
    shape_explorer,
    softmax_explorer,
)

pytestmark = pytest.mark.slow  # builds the site and drives a browser

# the issue: under a minute (a fresh model cache trains first: that time is not counted)
BUILD_LIMIT_S = 60
PAGES = sp.page_stems()
THEMES = ("light", "dark")
GENERIC_ALT = {"plot", "figure", "image", "chart", "graph", "picture", "img", "png", "output"}
NBCONVERT_PLACEHOLDER = "no description has been provided for this image"

# The explorers as the notebooks call them; each test below also checks that its notebook still does.
EXPLORER_PAGES = {
    "softmax": ("06_cross_entropy_and_nll", "softmax_explorer()"),
    "shape": ("05_embedding_and_logits", "shape_explorer(corpus)"),
    "batch": ("04_get_batch", "batch_explorer(corpus)"),
    "sampling": ("08_generation", "sampling_explorer(corpus, model)"),
    "optimizer": ("07_training_loop", "optimizer_explorer(corpus)"),
}
RANGE_KEYS = ("ArrowRight", "ArrowRight", "PageUp", "End", "ArrowLeft", "Home", "ArrowRight")
SELECT_KEYS = ("ArrowDown", "ArrowDown", "End", "ArrowUp", "Home")


def missing(reason):
    """Skip for a missing tool, except in CI, where the tests must run."""
    if lab.ci_requested():
        pytest.fail(f"CI is set but the site test cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """(folder, seconds, output) of one build of the site, as `python scripts/build_site.py` makes it."""
    out = tmp_path_factory.mktemp("site") / "site"
    seconds, output = sp.build_site(out)
    return out, seconds, output


@pytest.fixture(scope="session")
def site(built_site):
    return built_site[0]


@pytest.fixture(scope="session")
def browser():
    executable, reason = lab.find_browser()
    if executable is None:
        missing(f"no browser for the site test: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = sp.launch(p, executable)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_js():
    path, reason = sp.find_axe()
    if path is None:
        missing(reason)
    return path


@pytest.fixture
def offline(browser):
    """Open pages with OfflinePage(scheme); every one is closed after the test."""
    opened = []

    def open_page(scheme="light"):
        page = sp.OfflinePage(browser, scheme)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.close()


def stored_figures(stem):
    """The alternative text (or None) of every image/png the notebook stores, in order."""
    nb = json.loads((sp.NOTEBOOK_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))
    alts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                alts.append(out.get("metadata", {}).get("image/png", {}).get("alt"))
    return alts


def meaningful(alt):
    """Alternative text that says what a figure shows: not empty, not a generic word, not a placeholder."""
    if alt is None:
        return False
    text = " ".join(alt.split()).strip().lower().rstrip(".")
    if (
        not text
        or text in GENERIC_ALT
        or text == NBCONVERT_PLACEHOLDER
        or text.startswith("<figure size")
    ):
        return False
    return not re.fullmatch(r"(a |an |the )?(plot|figure|image|chart|graph|picture)( \d+)?", text)


# ---------------------------------------------------------------------------------------------------------
# The build


def test_one_command_builds_every_page_quickly(built_site):
    out, seconds, output = built_site
    for stem in PAGES:
        assert (out / f"{stem}.html").is_file(), f"no page for {stem}:\n{output}"
    # a fresh cache trains the notes' model first: the build says how long that took, and it is not counted
    trained = re.search(r"of which ([\d.]+) s to load or train the model", output)
    training = float(trained.group(1)) if trained else 0.0
    assert seconds - training < BUILD_LIMIT_S, (
        f"the build took {seconds:.1f} s, {training:.1f} s of it for the model (limit {BUILD_LIMIT_S} s):\n{output}"
    )
    found = re.search(r"explorers: ([\w, ]+);", output)
    assert found and set(found.group(1).split(", ")) == set(EXPLORER_PAGES), output


def test_pages_reference_only_files_of_the_site(site):
    """No page loads anything from elsewhere: every src and stylesheet is a relative path that exists."""
    for stem in PAGES:
        text = (site / f"{stem}.html").read_text(encoding="utf-8")
        loads = re.findall(
            r'<(?:script|img|link|source|iframe)\b[^>]*\s(?:src|href)="([^"]*)"', text
        )
        assert loads, stem
        for url in loads:
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url), f"{stem} loads {url}"
            assert (site / url.split("#")[0]).is_file(), (
                f"{stem} loads {url}, which the site does not have"
            )
        assert "cdn" not in " ".join(loads).lower(), stem


# ---------------------------------------------------------------------------------------------------------
# Every page in the browser


@pytest.mark.parametrize("stem", PAGES)
def test_page_renders_offline_with_its_figures(site, offline, stem):
    view = offline("light")
    page = view.goto(sp.page_url(site, stem))
    assert page.locator("h1").count() == 1, "one title per page"
    figures = page.evaluate(
        """() => Array.from(document.querySelectorAll('article img')).map(
            (img) => ({src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth}))"""
    )
    if stem != "index":
        assert len(figures) == len(stored_figures(stem)), "every stored figure is on the page"
        assert page.locator("nav.toc a").count() > 0, "a contents list"
    broken = [f["src"] for f in figures if not f["complete"] or f["width"] == 0]
    assert not broken, f"images that did not load: {broken}"
    assert not view.remote_requests(), (
        f"requests that would leave the machine: {view.remote_requests()}"
    )
    assert all(u.startswith(("file:", "data:")) for u in view.requests), view.requests
    assert not view.errors, view.errors


@pytest.mark.parametrize("stem", sp.notebook_stems())
def test_every_figure_has_meaningful_alt_text(site, stem):
    """Each <img alt> is the text the notebook stores in output.metadata["image/png"]["alt"], and says something.

    Fails until every notebook's figures are regenerated with alternative text.
    """
    text = (site / f"{stem}.html").read_text(encoding="utf-8")
    tags = re.findall(r"<img\b[^>]*>", text)
    shown = []
    for tag in tags:
        alt = re.search(r'\salt="([^"]*)"', tag)
        shown.append(None if alt is None else html.unescape(alt.group(1)))
    stored = stored_figures(stem)
    assert len(shown) == len(stored)
    bad = [f"figure {k + 1}: {alt!r}" for k, alt in enumerate(shown) if not meaningful(alt)]
    assert not bad, f"{stem}: figures without meaningful alternative text: {bad}"
    for k, (alt, want) in enumerate(zip(shown, stored, strict=True)):
        assert " ".join(alt.split()) == " ".join(want.split()), (
            f"figure {k + 1}: the page's alt is not the notebook's"
        )


def test_previous_and_next_links_walk_the_course(site, offline):
    view = offline()
    page = view.goto(sp.page_url(site, "index"))
    visited = ["index"]
    while page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").first.click()
        page.wait_for_load_state("load")
        visited.append(Path(page.url).stem)
    assert visited == PAGES
    while page.locator("a[rel=prev]").count():
        page.locator("a[rel=prev]").first.click()
        page.wait_for_load_state("load")
        visited.append(Path(page.url).stem)
    assert visited[len(PAGES) - 1 :] == PAGES[::-1]
    assert not view.remote_requests()


def test_front_page_has_the_readmes_intro_and_table_of_notebooks(site, offline):
    readme = (sp.ROOT / "README.md").read_text(encoding="utf-8")
    page = offline().goto(sp.page_url(site, "index"))
    first = readme.split("\n\n")[1].split()[:6]  # the intro's first words
    assert " ".join(first).replace("**", "") in " ".join(
        page.locator("article").inner_text().split()
    )
    links = page.eval_on_selector_all(
        "article table a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert links == [f"{stem}.html" for stem in sp.notebook_stems()]


def test_contents_list_links_to_the_notebooks_headings(site, offline):
    view = offline()
    for stem in sp.notebook_stems():
        page = view.goto(sp.page_url(site, stem))
        broken = page.evaluate(
            """() => Array.from(document.querySelectorAll('nav.toc a')).map((a) => a.getAttribute('href'))
                 .filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))
                             && !document.getElementById(h.slice(1)))"""
        )
        assert not broken, f"{stem}: contents entries without their heading: {broken}"
        headings = page.locator("article h2, article h3").count()
        assert page.locator("nav.toc a").count() == headings, stem


def test_math_markdown_and_html_outputs_render(site, offline):
    page = offline().goto(sp.page_url(site, "06_cross_entropy_and_nll"))
    math_el = page.locator("math[display=block]")
    assert math_el.count() >= 1
    assert math_el.first.locator("mfrac").count() == 1, "the softmax formula is a fraction"
    assert "\\frac" not in page.locator("article").inner_text(), "no raw TeX shown"
    assert page.locator("math").first.bounding_box()["height"] > 20, "MathML is laid out"
    # an exercise verdict (text/html) as HTML, not as escaped text
    assert page.locator(".output_html strong").count() > 0
    assert "<div" not in page.locator("article").inner_text()
    # show_source (text/markdown): a highlighted Python block
    page.goto(sp.page_url(site, "07_training_loop"))
    assert page.locator(".output_markdown .highlight pre .k").count() > 0


def test_dark_theme_follows_the_system_and_the_toggle(site, offline):
    def background(page):
        return page.evaluate("() => getComputedStyle(document.body).backgroundColor")

    def dark(color):
        r, g, b = (int(x) for x in re.findall(r"\d+", color)[:3])
        return (r + g + b) / 3 < 60

    page = offline("dark").goto(sp.page_url(site, "06_cross_entropy_and_nll"))
    assert dark(background(page)), background(page)
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"

    view = offline("light")
    page = view.goto(sp.page_url(site, "06_cross_entropy_and_nll"))
    assert not dark(background(page))
    toggle = page.locator("#theme-toggle")
    assert toggle.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")  # a keyboard press, as for any button
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert dark(background(page)) and toggle.get_attribute("aria-pressed") == "true"
    code_bg = page.evaluate(
        "() => getComputedStyle(document.querySelector('.highlight')).backgroundColor"
    )
    assert dark(code_bg), "code blocks follow the theme"
    page.goto(sp.page_url(site, "07_training_loop"))  # the choice is kept from page to page
    assert dark(background(page))
    page.locator("#theme-toggle").focus()
    page.keyboard.press("Space")
    assert not dark(background(page))


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("stem", PAGES)
def test_axe_finds_nothing_serious(site, offline, axe_js, stem, theme):
    view = offline(theme)
    page = view.goto(sp.page_url(site, stem))
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']}); return r.violations; }"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -- "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        + (f" and {len(v['nodes']) - 4} more" if len(v["nodes"]) > 4 else "")
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{stem}, {theme} theme:\n" + "\n".join(serious)
    assert not view.remote_requests()


# ---------------------------------------------------------------------------------------------------------
# The explorers: the kernel's numbers at every position the keyboard reaches


@pytest.fixture(scope="module")
def kernel_explorers(corpus):
    """Each explorer widget exactly as its notebook's cell builds it."""
    model = trained_model(corpus, progress=False)[0]
    return {
        "softmax": lambda: softmax_explorer(),
        "shape": lambda: shape_explorer(corpus),
        "batch": lambda: batch_explorer(corpus),
        "sampling": lambda: sampling_explorer(corpus, model),
        "optimizer": lambda: optimizer_explorer(corpus),
    }


def set_kernel_control(widget, name, page_control):
    """Give the widget's control the value the page's control has (a press moves one control)."""
    import ipywidgets as w

    control = widget.controls[name]
    if isinstance(control, w.Dropdown):
        value = list(control._options_values)[page_control["index"]]
    elif isinstance(control, w.FloatLogSlider):
        value = control.base ** page_control["value"]
    elif isinstance(control, w.IntSlider):
        value = int(page_control["value"])
    else:
        value = float(page_control["value"])
    if control.value != value:
        control.value = value  # the widget recomputes, as when a learner moves it


def text_of(page, markup):
    return page.evaluate(sp.JS_TEXT_OF_HTML, markup)


def close(a, b):
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compare(kind, page, state, widget):
    """Differences between what the page shows and what the kernel's widget shows."""
    problems = []
    if widget.error is not None:
        return [f"the kernel widget failed: {widget.error}"]
    kernel_text = text_of(page, widget.readout.value)
    view = widget.view
    if kind == "sampling":
        # the numbers are the kernel's everywhere; the sample text is the kernel's only where the page says so
        exact_sample = state["source"] in ("kernel", "certain")
        head_page, head_kernel = state["readout"].split("\n", 1)[0], kernel_text.split("\n", 1)[0]
        if exact_sample:
            if state["readout"] != kernel_text:
                problems.append(f"readout {state['readout']!r} != kernel's {kernel_text!r}")
        else:
            page_first = text_of(page, widget.readout.value.split("</p>")[0] + "</p>")
            if not state["readout"].startswith(page_first):
                problems.append(f"readout {head_page!r} != kernel's {head_kernel!r}")
            if "Not the notebook's sample" not in (state["note"] or ""):
                problems.append(f"a page-drawn sample without its note: {state['note']!r}")
            sample = state["sample"]
            if len(sample) != view.length + 1 or sample[0] != view.char:
                problems.append(f"the page's sample has the wrong length or start: {sample[:20]!r}")
        if len(state["bars"]) != len(view.probs) or not all(map(close, state["bars"], view.probs)):
            problems.append("the bars are not the kernel's probabilities")
    elif state["readout"] != kernel_text:
        problems.append(f"readout {state['readout']!r} != kernel's {kernel_text!r}")
    if kind == "softmax":
        if not all(map(close, state["bars"], view.probs)):
            problems.append(f"bars {state['bars']} != kernel's {view.probs}")
        if state["barLabels"] != [f"{p:.3f}" for p in view.probs]:
            problems.append(f"bar labels {state['barLabels']}")
    if kind == "optimizer":
        curve = state["curve"] or []
        if len(curve) != len(view.losses) or not all(map(close, curve, view.losses)):
            problems.append("the curve is not the kernel's losses")
    return problems


def explorer_section(page, kind):
    section = page.locator(f"section.explorer-{kind}")
    assert section.count() == 1, f"one {kind} explorer on the page"
    page.wait_for_function(
        "(s) => s.bigramExplorer && s.bigramExplorer.updates > 0", arg=section.element_handle()
    )
    return section


@pytest.mark.parametrize("kind", list(EXPLORER_PAGES))
def test_explorer_answers_keys_with_the_kernels_numbers(site, offline, kernel_explorers, kind):
    stem, call = EXPLORER_PAGES[kind]
    assert call in (sp.NOTEBOOK_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"), (
        f"{stem} no longer calls {call}: update EXPLORER_PAGES"
    )
    widget = kernel_explorers[kind]()
    view = offline()
    page = view.goto(sp.page_url(site, stem))
    section = explorer_section(page, kind)
    state = section.evaluate(sp.JS_EXPLORER_STATE)
    assert list(state["controls"]) == list(widget.controls), "the same controls, in the same order"
    for name, control in widget.controls.items():  # same ranges, steps and defaults
        el = section.locator(f"[data-control='{name}']")
        label = page.locator(f"label[for='{el.get_attribute('id')}']")
        assert label.inner_text().strip() == control.description
        if el.evaluate("e => e.tagName") == "SELECT":
            options = el.evaluate("e => Array.from(e.options).map(o => o.text)")
            assert options == [str(x) for x in control._options_labels]
            assert options[state["controls"][name]["index"]] == str(control.label), (
                f"{name}: the default"
            )
        else:
            low, high, step = (float(el.get_attribute(a)) for a in ("min", "max", "step"))
            assert (low, high, step) == (control.min, control.max, control.step), name
            default = (
                math.log(control.value, control.base) if hasattr(control, "base") else control.value
            )
            assert math.isclose(state["controls"][name]["value"], default, abs_tol=1e-9), (
                f"{name}: the default"
            )
    problems = [f"defaults: {p}" for p in compare(kind, page, state, widget)]
    positions = 0
    for name in widget.controls:
        el = section.locator(f"[data-control='{name}']")
        keys = SELECT_KEYS if el.evaluate("e => e.tagName") == "SELECT" else RANGE_KEYS
        for key in keys:
            before = state
            el.focus()
            page.keyboard.press(key)
            state = section.evaluate(sp.JS_EXPLORER_STATE)
            if state["controls"] == before["controls"]:
                continue  # at the end of its range already
            set_kernel_control(widget, name, state["controls"][name])
            # the kernel adjusts the others as the page does (the batch explorer's row follows B)
            for other, shown in state["controls"].items():
                control = widget.controls[other]
                moved = other != name and "value" in shown and not hasattr(control, "base")
                if moved and not math.isclose(shown["value"], control.value):
                    problems.append(
                        f"{name} {key}: the page's {other} is {shown['value']}, the kernel's {control.value}"
                    )
            problems += [
                f"{name} {key} -> {state['controls'][name]}: {p}"
                for p in compare(kind, page, state, widget)
            ]
            positions += 1
    assert positions >= 3 * len(widget.controls), f"only {positions} positions reached"
    assert not problems, "\n".join(problems[:20])
    assert not view.errors and not view.remote_requests()


@pytest.mark.parametrize("kind", list(EXPLORER_PAGES))
def test_explorer_controls_are_reached_by_tab_and_show_focus(site, offline, kind):
    stem, _ = EXPLORER_PAGES[kind]
    page = offline().goto(sp.page_url(site, stem))
    section = explorer_section(page, kind)
    wanted = section.evaluate(
        "s => Array.from(s.querySelectorAll('[data-control]')).map(e => e.id)"
    )
    reached, unfocused = [], []
    page.locator("body").focus()
    for _ in range(1500):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return {id: e.id, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
                         shadow: s.boxShadow, visible: e.matches(':focus-visible')}; }"""
        )
        if info["id"] in wanted and info["id"] not in reached:
            reached.append(info["id"])
            if not ((info["outline"] != "none" and info["width"] >= 2) or info["shadow"] != "none"):
                unfocused.append(info)
        if len(reached) == len(wanted):
            break
    assert reached == wanted, f"Tab reached {reached} of {wanted}"
    assert not unfocused, f"focused controls with no visible focus indicator: {unfocused}"
    # ranges: Home and End go to the ends, as arrows step
    for el_id in wanted:
        el = page.locator(f"#{el_id}")
        if el.evaluate("e => e.type") != "range":
            continue
        el.focus()
        page.keyboard.press("End")
        assert el.evaluate("e => e.valueAsNumber === Number(e.max) || e.id.endsWith('-row')")
        page.keyboard.press("Home")
        assert el.evaluate("e => e.valueAsNumber === Number(e.min)")
