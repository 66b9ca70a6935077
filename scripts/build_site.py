"""Build the course site: every notebook as a web page, from its stored outputs, readable without installing anything.

Usage:  python scripts/build_site.py [--out site] [--notebooks notebooks] [--readme README.md]

It writes `site/` (git-ignored): a front page from the README's course content (its intro and its table of
notebooks, read from README.md at build time), one page per notebook with its stored outputs, previous/next
links and a contents list of its headings, a light and a dark theme (the reader's `prefers-color-scheme`, and a
toggle), and the five explorers live in the page. No notebook is run: the pages show what the notebooks store.
Nothing is fetched from the network when a page is viewed, so the folder works opened from disk (`file://`),
zipped and unzipped, or copied to any static host as it is.

The explorers need numbers that only the library can give (random batches, a training run, the trained model),
so the build computes those with bigram_lib's own functions, as the kernel would: every window of the batch
explorer's seeds, B and T; the shape explorer's loss for every (B, T); the optimizer explorer's loss curves for
every optimizer and every lr of its slider; the trained model's (C, C) logits table and the sampling explorer's
sample at its default settings for every seed. The trained model comes from `trained_model(corpus)`, which
trains the notes' 100,000 steps once into the cache (`BIGRAM_CACHE_DIR`) on a fresh machine: 20 s to 2 min
by the machine's load; every later build loads it in a moment. A build then takes seconds.

Why nbconvert's HTMLExporter with the `basic` template, and a page layout of our own:
- it renders stored outputs exactly as Jupyter does (its mimetype priority, ANSI colours, Markdown through the
  same mistune parser and math rules as the notebook front end), without a kernel; it is already installed with
  JupyterLab (a dependency of jupyter_server), so the site needs no new toolchain;
- `basic` emits the notebook's body only: no <head>, no scripts from a CDN (the `lab` and `classic` templates
  load RequireJS, MathJax and the widget manager from CDNs, which a page opened from disk offline cannot), so
  the layout, CSS and JavaScript around it are ours and local; code is highlighted by Pygments at build time;
- Jupyter Book or Sphinx would add a configuration, a toolchain and minutes of build for eleven pages, and their
  math and widget support load from CDNs unless configured otherwise;
- math is rendered at build time to MathML by latex2mathml (pure Python), which browsers display natively: no
  JavaScript and no fonts to ship, and screen readers read it (KaTeX from npm would add JavaScript, fonts and
  Node to the build).
"""

import argparse
import ast
import base64
import datetime
import html
import inspect
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "site"  # templates, CSS and JavaScript of the site
SITE_NAME = "bigram-notebooks"
MARKER = ".bigram-site"  # a file in every built site: a folder without it is never replaced
EXPLORER_FUNCTIONS = (
    "softmax_explorer",
    "shape_explorer",
    "batch_explorer",
    "sampling_explorer",
    "optimizer_explorer",
)
EXPLORER_TITLES = {
    "softmax": "Softmax explorer",
    "shape": "Shape explorer",
    "batch": "Batch explorer",
    "sampling": "Sampling explorer",
    "optimizer": "Optimizer explorer",
}
# the explorers that draw a figure (shape and batch are text)
CHARTS = {"softmax", "sampling", "optimizer"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Pygments styles whose token colours pass WCAG AA
LIGHT_STYLE, DARK_STYLE = ("default", "github-dark")


class BuildError(RuntimeError):
    """Something the site cannot be built from; the message says what and where."""


def log(message):
    print(message, flush=True)


# ----------------------------------------------------------------------------------------------------------
# Markdown with math: nbconvert's renderer, math as MathML


def math_to_mathml(tex, display):
    """MathML for a TeX formula (latex2mathml); the TeX itself, marked, if it cannot be converted."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex, display="block" if display else "inline")
    # an unsupported command: show the source rather than fail the whole site
    except Exception as err:
        log(f"  warning: cannot convert math {tex!r} ({err}); shown as TeX")
        return f'<code class="math-tex">{html.escape(tex)}</code>'
    return mathml.replace("<math ", f'<math alttext="{html.escape(tex.strip())}" ', 1)


class PageState:
    """What rendering one page's Markdown collects: its headings (for the contents list), and its links' targets."""

    def __init__(self, pages):
        self.pages = set(pages)  # notebook stems that have a page on the site
        self.headings = []  # (level, id, inner HTML, text)
        self.ids = set()
        self.unlinked = []  # links to repository files that are not on the site, shown as their text

    def link_target(self, url):
        """The site's URL for a link of the notebooks or the README; None for a file the site does not have."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
            return url  # external (fetched only when followed) or within the page
        path, _, fragment = url.partition("#")
        stem = Path(path).stem
        if path.endswith(".ipynb") and stem in self.pages:
            return f"{stem}.html" + (f"#{fragment}" if fragment else "")
        return None


def make_exporter(state_holder):
    """nbconvert's HTMLExporter on our template (basic + explorers); Markdown math as MathML, links to pages."""
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
    from traitlets.config import Config

    class SiteRenderer(IPythonRenderer):
        def block_math(self, body):
            return math_to_mathml(body, display=True)

        def inline_math(self, body):
            return math_to_mathml(body, display=False)

        def latex_environment(self, name, body):
            return math_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

        def link(self, text, url, title=None):
            state = state_holder.state
            target = state.link_target(url)
            if target is None:
                state.unlinked.append(url)
                return text
            return super().link(text, target, title)

        def heading(self, text, level, **attrs):
            state = state_holder.state
            markup = super().heading(text, level, **attrs)  # nbconvert's: an id and an anchor link
            found = re.match(r'<h\d id="([^"]*)"', markup)
            hid = found.group(1) if found else ""
            if not hid or hid in state.ids:  # nbconvert could not name it, or the name is taken
                base = (
                    hid
                    or re.sub(r"[^\w-]+", "-", re.sub(r"<[^>]+>", "", text)).strip("-")
                    or "section"
                )
                n, hid = 2, hid or base
                while hid in state.ids:
                    hid, n = f"{base}-{n}", n + 1
                markup = f'<h{level} id="{hid}">{text}<a class="anchor-link" href="#{hid}">¶</a></h{level}>'
            state.ids.add(hid)
            # the pilcrow links are for the mouse: the contents list serves the keyboard, without a tab stop per heading
            markup = markup.replace(
                '<a class="anchor-link"',
                '<a class="anchor-link" aria-hidden="true" tabindex="-1"',
                1,
            )
            plain = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
            state.headings.append((level, hid, text, plain))
            return markup

    class SiteExporter(HTMLExporter):
        @jinja2.pass_context
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = SiteRenderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

    config = Config()
    config.HTMLExporter.template_name = "bigram_site"
    config.HTMLExporter.extra_template_basedirs = [str(SOURCE / "templates")]
    config.HTMLExporter.exclude_input_prompt = True
    config.HTMLExporter.exclude_output_prompt = True
    # figures as files next to the pages, not inline base64
    config.ExtractOutputPreprocessor.enabled = True
    return SiteExporter(config=config)


def markdown_html(exporter, text):
    """Markdown (from the README) as HTML, with the notebooks' renderer."""
    return exporter.markdown2html({}, text)


# ----------------------------------------------------------------------------------------------------------
# Finding the explorers in the notebooks


def explorer_call(source):
    """(function name, ast.Call) of the explorer a code cell calls, or None."""
    if not any(f"{name}(" in source for name in EXPLORER_FUNCTIONS):
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise BuildError(f"a cell that calls an explorer is not plain Python: {err}") from err
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in EXPLORER_FUNCTIONS
    ]
    if not calls:
        return None  # e.g. only imported here
    if len(calls) > 1:
        raise BuildError("a cell calls more than one explorer; give each its own cell")
    return calls[0].func.id, calls[0]


class Namespace:
    """The names an explorer call may use, as the notebooks define them: corpus and the trained model."""

    def __init__(self):
        self._corpus = None
        self._trained = None
        self.train_seconds = None

    @property
    def corpus(self):
        if self._corpus is None:
            from bigram_lib import load_corpus

            self._corpus = load_corpus(progress=False)
        return self._corpus

    @property
    def trained(self):
        if self._trained is None:
            from bigram_lib import trained_model

            start = time.perf_counter()
            log(
                "  the trained model: trained_model(corpus), the notes' 100,000 steps (trained once, then cached)"
            )
            self._trained = trained_model(self.corpus, progress=sys.stderr.isatty())[0]
            self.train_seconds = time.perf_counter() - start
            log(f"  the trained model: ready in {self.train_seconds:.1f} s")
        return self._trained

    def value(self, node, where):
        """The value of one argument of an explorer call."""
        if isinstance(node, ast.Name):
            if node.id == "corpus":
                return self.corpus
            if node.id in ("model", "trained"):  # the notebooks' names for trained_model(corpus)[0]
                return self.trained
            if node.id == "None":
                return None
            raise BuildError(
                f"{where}: the site knows no value for {node.id!r} (known: corpus, model, trained)"
            )
        try:
            return ast.literal_eval(node)
        except ValueError as err:
            raise BuildError(
                f"{where}: an explorer argument must be corpus, model or a literal"
            ) from err


def build_explorer(function, call, names, where):
    """The widget, exactly as the notebook's cell builds it, and its call's arguments by name."""
    from bigram_lib import explorers

    fn = getattr(explorers, function)
    args = [names.value(a, where) for a in call.args]
    kwargs = {k.arg: names.value(k.value, where) for k in call.keywords}
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return fn(*args, **kwargs), bound.arguments


# ----------------------------------------------------------------------------------------------------------
# Precomputed numbers, with the library's own functions


def b64(values, dtype):
    import numpy as np

    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def slider_range(control):
    """Every value of an int slider, in order."""
    return list(range(control.min, control.max + 1, control.step))


def shape_data(widget, arguments):
    """shape_trace's loss for every (B, T) of the sliders; the shapes are checked against the page's formulas."""
    from bigram_lib.explorers import SHAPE_CODE, shape_trace

    corpus, model = arguments["corpus"], arguments["model"]
    Bs, Ts = (
        slider_range(widget.controls["batch_size"]),
        slider_range(widget.controls["block_size"]),
    )
    losses, steps = [], None
    for B in Bs:
        for T in Ts:
            trace = shape_trace(corpus, model, B, T)
            losses.append(trace.loss)
            C = trace.vocab_size
            expected = {
                "idx": (B, T),
                "targets": (B, T),
                "logits": (B, T, C),
                "logits.view": (B * T, C),
                "targets.view": (B * T,),
                "loss": (),
            }
            for name, shape in trace.steps:
                if expected.get(name) != tuple(shape):
                    raise BuildError(
                        f"shape explorer: step {name!r} has shape {shape} at B={B}, T={T}; the page computes "
                        f"{expected.get(name)} (update SHAPES in scripts/site/explorers.js)"
                    )
            steps = [[name, SHAPE_CODE[name]] for name, _ in trace.steps]
    return {
        "C": corpus.vocab_size,
        "B": [Bs[0], Bs[-1]],
        "T": [Ts[0], Ts[-1]],
        "steps": steps,
        "loss": b64(losses, "<f8"),
    }


def batch_data(widget, arguments):
    """get_batch's windows for every T and seed of the sliders: the first B rows are the first B of the largest B."""
    import torch

    from bigram_lib.explorers.base import seeded_batch

    corpus = arguments["corpus"]
    data = corpus.train_data
    Bs = slider_range(widget.controls["batch_size"])
    Ts = slider_range(widget.controls["block_size"])
    seeds = slider_range(widget.controls["seed"])
    most = Bs[-1]
    windows, offsets = [], []
    for T in Ts:
        row_windows, row_offsets = [], []
        for seed in seeds:
            xb, yb = seeded_batch(data, most, T, seed)  # (most, T): what batch_view draws
            # get_batch draws its B offsets with torch.randint(high, (B,)): the page takes the first B rows
            # of the largest batch, so the first B draws must be a prefix of the first `most`
            high = len(data) - T - 1  # the notes' bound, as get_batch computes it
            ix = torch.randint(high, (most,), generator=torch.Generator().manual_seed(seed))
            for B in Bs[:-1]:
                if not torch.equal(
                    torch.randint(high, (B,), generator=torch.Generator().manual_seed(seed)), ix[:B]
                ):
                    raise BuildError(
                        f"batch explorer: torch.randint's first {B} draws are not the first {B} of {most} for "
                        f"T={T}, seed={seed} with torch {torch.__version__}; the page assumes they are"
                    )
            if seed == seeds[0]:  # and get_batch itself, once per T
                for B in Bs[:-1]:
                    if not torch.equal(seeded_batch(data, B, T, seed)[0], xb[:B]):
                        raise BuildError(
                            f"batch explorer: get_batch(B={B}) is not the first rows of B={most} (T={T})"
                        )
            starts = ix.tolist()
            if not all(torch.equal(data[starts[b] : starts[b] + T], xb[b]) for b in range(most)):
                starts = None  # get_batch uses another bound: the offsets are informative only
            # rows of T + 1
            text = corpus.decode(torch.cat((xb, yb[:, -1:]), dim=1).flatten().tolist())
            row_offsets.append(starts)
            row_windows.append(text)
        windows.append(row_windows)
        offsets.append(row_offsets)
    return {
        "chars": list(corpus.tokenizer.chars),
        "B": [Bs[0], Bs[-1]],
        "T": [Ts[0], Ts[-1]],
        "seeds": [seeds[0], seeds[-1]],
        "windows": windows,
        "offsets": offsets,
    }


def sampling_data(widget, arguments):
    """The trained model's (C, C) logits table, and the kernel's own sample at the default settings for every seed."""
    from bigram_lib import logits_table
    from bigram_lib.explorers import sample_view
    from bigram_lib.explorers.sampling import VISIBLE_P

    corpus, model = arguments["corpus"], arguments["model"]
    view = widget.view  # the default settings, as the widget computed them
    seeds = slider_range(widget.controls["seed"])
    samples = [
        sample_view(corpus, model, view.temperature, view.top_k, seed, view.length, view.char).text
        for seed in seeds
    ]
    table = logits_table(model).float()  # (C, C)
    return {
        "chars": list(corpus.tokenizer.chars),
        "logits": b64(table.numpy(), "<f4"),
        "seeds": [seeds[0], seeds[-1]],
        "length": view.length,
        "defaults": {"temperature": view.temperature, "char": view.char},
        "samples": samples,
        "visible_p": VISIBLE_P,
        "visible_p_text": f"{VISIBLE_P:g}",
    }


def log_grid(control):
    """The exponents of a FloatLogSlider, in order, and the values it gives."""
    n = round((control.max - control.min) / control.step)
    exponents = [round(control.min + k * control.step, 10) for k in range(n + 1)]
    return exponents, [control.base**e for e in exponents]


def optimizer_data(widget, arguments):
    """optimizer_run's loss curve for every optimizer and every lr of the log slider."""
    import math

    from bigram_lib.explorers import optimizer_run

    corpus = arguments["corpus"]
    lr = widget.controls["lr"]
    exponents, lrs = log_grid(lr)
    names = list(widget.controls["optimizer"]._options_values)
    # the default run: the notes' AdamW at lr 1e-3, the chart's reference line
    default = widget.view
    curves = []
    for name in names:
        for value in lrs:
            run = optimizer_run(corpus, name, value)
            curves.extend(run.losses)
    index = round((math.log(default.lr, lr.base) - exponents[0]) / lr.step)
    return {
        "optimizers": names,
        "exponents": exponents,
        "step": lr.step,
        "lrs": lrs,
        "steps": default.steps,
        "best_loss": default.best_loss,
        "losses": b64(curves, "<f8"),
        "reference": {
            "optimizer": default.optimizer,
            "index": index,
            "label": f"{default.optimizer} lr {default.lr:.0e} (the notes' choice)",
        },
    }


DATA_BUILDERS = {
    "shape": shape_data,
    "batch": batch_data,
    "sampling": sampling_data,
    "optimizer": optimizer_data,
}


# ----------------------------------------------------------------------------------------------------------
# Explorer markup: the widget's own controls, as HTML controls


def d3_format(value, spec):
    """What ipywidgets' readout beside a slider shows: d3-format, as JavaScript's toFixed / toExponential."""
    fixed = re.fullmatch(r"\.(\d+)f", spec or "")
    exp = re.fullmatch(r"\.(\d+)e", spec or "")
    if exp:
        return re.sub(r"e([+-])0*(\d)", r"e\1\2", f"{value:.{exp.group(1)}e}")
    if fixed:
        return f"{value:.{fixed.group(1)}f}"
    return f"{value:g}"


def control_specs(widget):
    """Every control of the widget: its name, kind, label, range, step and default."""
    import ipywidgets as w

    specs = []
    for name, control in widget.controls.items():
        spec = {"name": name, "label": control.description}
        if isinstance(control, w.Dropdown):
            labels, values = list(control._options_labels), list(control._options_values)
            spec.update(
                type="select",
                options=[
                    {"label": str(lab), "value": val}
                    for lab, val in zip(labels, values, strict=True)
                ],
                index=values.index(control.value),
            )
        elif isinstance(control, w.FloatLogSlider):
            import math

            exponent = round(math.log(control.value, control.base) / control.step) * control.step
            spec.update(
                type="log",
                min=control.min,
                max=control.max,
                step=control.step,
                base=control.base,
                value=round(exponent, 10),
                format=control.readout_format,
                shown=d3_format(control.value, control.readout_format),
            )
        elif isinstance(control, (w.IntSlider, w.FloatSlider)):
            shown = d3_format(control.value, control.readout_format)
            spec.update(
                type="range",
                min=control.min,
                max=control.max,
                step=control.step,
                value=control.value,
                format=control.readout_format,
                shown=shown,
            )
        else:
            raise BuildError(
                f"the site has no HTML control for a {type(control).__name__} ({name})"
            )
        specs.append(spec)
    return specs


def json_for_script(value):
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def data_script(key, value):
    """A data file the page loads with <script src>: file:// pages cannot fetch() JSON."""
    return (
        "(window.BIGRAM_SITE_DATA = window.BIGRAM_SITE_DATA || {})["
        + json.dumps(key)
        + "] = "
        + json_for_script(value)
        + ";\n"
    )


# ----------------------------------------------------------------------------------------------------------
# Pages


def jinja_env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SOURCE)),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


GENERIC_ALT = {
    "",
    "plot",
    "figure",
    "image",
    "chart",
    "graph",
    "picture",
    "img",
    "png",
    "output",
    "no description has been provided for this image",  # what nbconvert writes where there is none
}


def meaningful_alt(alt):
    """Alternative text that says something: not empty, not a generic word, not matplotlib's repr."""
    if alt is None:
        return False
    text = " ".join(alt.split()).strip().lower().rstrip(".")
    if text in GENERIC_ALT or re.fullmatch(
        r"(a |an |the )?(plot|figure|image|chart|graph|picture)( \d+)?", text
    ):
        return False
    return not text.startswith("<figure size")


def images_of(body):
    """(src, alt or None) of every <img> the template wrote."""
    found = []
    for tag in re.findall(r"<img\b[^>]*>", body):
        src = re.search(r'\ssrc="([^"]*)"', tag)
        alt = re.search(r'\salt="([^"]*)"', tag)
        found.append(
            (
                html.unescape(src.group(1)) if src else "",
                html.unescape(alt.group(1)) if alt else None,
            )
        )
    return found


def render_notebook(path, exporter, holder, out, pages):
    """One notebook: its body HTML, headings, images and explorers (their calls)."""
    import nbformat

    stem = path.stem
    nb = nbformat.read(path, as_version=4)
    explorers = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        found = explorer_call(cell.source)
        if found is None:
            continue
        function, call = found
        kind = function.removesuffix("_explorer")
        ex_id = f"ex-{stem.split('_')[0]}-{kind}"
        if any(e["id"] == ex_id for e in explorers):
            ex_id += f"-{index}"
        explorers.append(
            {"id": ex_id, "kind": kind, "function": function, "call": call, "cell": index}
        )
        # the widget view is what the notebook stores; the page shows the live explorer in its place
        cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
        cell.outputs.append(
            nbformat.v4.new_output(
                "display_data",
                data={WIDGET_VIEW: {"model_id": ex_id}, "text/plain": ""},
                metadata={"bigram_site_explorer": ex_id},
            )
        )
    resources = {"unique_key": stem, "output_files_dir": f"images/{stem}"}
    holder.state = PageState(pages)
    body, resources = exporter.from_notebook_node(nb, resources=resources)
    for name, data in resources.get("outputs", {}).items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return body, holder.state.headings, images_of(body), explorers


def fingerprint(value):
    """A stable name for an explorer argument: the text of a corpus, the weights of a model, a literal's repr."""
    import hashlib

    import torch

    if hasattr(value, "text") and hasattr(value, "train_data"):
        return "corpus:" + hashlib.sha256(value.text.encode()).hexdigest()
    if isinstance(value, torch.nn.Module):
        digest = hashlib.sha256()
        for name, tensor in sorted(value.state_dict().items()):
            digest.update(name.encode())
            digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
        return "model:" + digest.hexdigest()
    return "literal:" + repr(value)


def data_cache_key(kind, arguments):
    """Everything the precomputed numbers depend on: the library's code, torch, the arguments, this builder."""
    import hashlib

    import torch

    digest = hashlib.sha256()
    for path in sorted((ROOT / "bigram_lib").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    digest.update(torch.__version__.encode())
    digest.update(inspect.getsource(DATA_BUILDERS[kind]).encode())
    for name, value in sorted(arguments.items()):
        digest.update(f"{name}={fingerprint(value)}".encode())
    return f"{kind}-{digest.hexdigest()[:24]}"


def explorer_data(kind, widget, arguments, use_cache):
    """The explorer's precomputed numbers; from the cache when nothing they depend on has changed."""
    from bigram_lib.course.data import cache_dir

    if not use_cache:
        return DATA_BUILDERS[kind](widget, arguments), "computed"
    path = cache_dir() / "site-data" / f"{data_cache_key(kind, arguments)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8")), "cached"
    except (OSError, ValueError):
        pass
    data = DATA_BUILDERS[kind](widget, arguments)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)  # atomic: a build that stops half-way never leaves half a file
    except OSError as err:
        log(f"  warning: cannot cache the {kind} explorer's numbers in {path.parent} ({err})")
    return data, "computed"


def render_explorer(env, ex, names, out, use_cache=True):
    """The explorer's HTML (controls, the kernel's readout at the defaults, chart) and its data file."""
    where = f"{ex['id']} (notebook cell {ex['cell']})"
    start = time.perf_counter()
    widget, arguments = build_explorer(ex["function"], ex["call"], names, where)
    specs = control_specs(widget)
    data_key, how = None, "no data"
    if ex["kind"] in DATA_BUILDERS:
        data_key = ex["id"]
        data, how = explorer_data(ex["kind"], widget, arguments, use_cache)
        (out / "data").mkdir(exist_ok=True)
        (out / "data" / f"{data_key}.js").write_text(data_script(data_key, data), encoding="utf-8")
    params = {}
    if ex["kind"] == "softmax":
        params["labels"] = [o["label"] for o in specs[-1]["options"]]
    config = {
        "id": ex["id"],
        "kind": ex["kind"],
        "controls": specs,
        "data": data_key,
        "params": params,
    }
    markup = env.get_template("explorer.html.j2").render(
        id=ex["id"],
        kind=ex["kind"],
        title=EXPLORER_TITLES[ex["kind"]],
        controls=specs,
        readout=widget.readout.value,  # the kernel's own readout at the default values
        chart=ex["kind"] in CHARTS,
        config=json_for_script(config),
    )
    log(f"  {where}: {ex['kind']} explorer ({how}), {time.perf_counter() - start:.1f} s")
    return markup, data_key


def pygments_css():
    """Pygments token colours: a light style, and a dark one for the dark theme (both WCAG AA on their background)."""
    from pygments.formatters import HtmlFormatter

    def rules(style, prefix):
        lines = []
        for line in HtmlFormatter(style=style).get_style_defs(prefix).splitlines():
            if not line.startswith(prefix):
                continue  # line-number rules: the site shows none
            if line.startswith(prefix + " {"):
                continue  # the block's own background and colour come from site.css
            lines.append(line)
        return "\n".join(lines)

    dark_auto = rules(DARK_STYLE, ':root:not([data-theme="light"]) .highlight')
    return (
        f"/* Pygments {LIGHT_STYLE} (light) and {DARK_STYLE} (dark), generated by scripts/build_site.py */\n"
        + rules(LIGHT_STYLE, ".highlight")
        + "\n"
        + rules(DARK_STYLE, ':root[data-theme="dark"] .highlight')
        + "\n@media (prefers-color-scheme: dark) {\n"
        + dark_auto
        + "\n}\n"
    )


def readme_sections(readme):
    """The README's intro (from its title to the first section) and its section "The notebooks"."""
    text = readme.read_text(encoding="utf-8")
    lines = text.splitlines()
    title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if title_at is None:
        raise BuildError(f"{readme} has no title line (# ...)")
    sections = [i for i, line in enumerate(lines) if line.startswith("## ")]
    first = next((i for i in sections if i > title_at), len(lines))
    intro = "\n".join(lines[title_at + 1 : first]).strip()
    start = next((i for i in sections if lines[i].strip() == "## The notebooks"), None)
    if start is None:
        raise BuildError(f"{readme} has no section '## The notebooks' (the table of notebooks)")
    end = next((i for i in sections if i > start), len(lines))
    table = "\n".join(lines[start:end]).strip()
    return lines[title_at][2:].strip(), intro, table


def build(out, notebooks_dir, readme, use_cache=True):
    """Build the whole site into `out`; returns a summary dict."""
    started = time.perf_counter()
    paths = sorted(notebooks_dir.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise BuildError(f"no notebooks (NN_name.ipynb) in {notebooks_dir}")
    pages = [p.stem for p in paths]
    env = jinja_env()
    holder = argparse.Namespace(state=PageState(pages))
    exporter = make_exporter(holder)
    names = Namespace()
    out.mkdir(parents=True)
    (out / MARKER).write_text(
        "built by scripts/build_site.py; this folder is replaced by the next build\n"
    )
    assets = out / "assets"
    assets.mkdir()
    for name in ("site.css", "site.js", "pyformat.js", "explorers.js"):
        shutil.copy2(SOURCE / name, assets / name)
    (assets / "pygments.css").write_text(pygments_css(), encoding="utf-8")

    rendered = []
    for path in paths:
        t0 = time.perf_counter()
        body, headings, images, explorers = render_notebook(path, exporter, holder, out, pages)
        data_keys = []
        for ex in explorers:
            markup, key = render_explorer(env, ex, names, out, use_cache)
            placeholder = f"<!--bigram-site-explorer:{ex['id']}-->"
            if placeholder not in body:
                raise BuildError(
                    f"{path.name}: the {ex['kind']} explorer's place was lost in rendering"
                )
            body = body.replace(placeholder, markup)
            if key:
                data_keys.append(key)
        h1 = next((h for h in headings if h[0] == 1), None)
        title_html, title_text = (h1[2], h1[3]) if h1 else (html.escape(path.stem), path.stem)
        rendered.append(
            {
                "stem": path.stem,
                "body": body,
                "title_html": title_html,
                "title_text": title_text,
                "toc": [h for h in headings if h[0] in (2, 3) and h[1]],
                "images": images,
                "data": data_keys,
                "explorers": [ex["kind"] for ex in explorers],
            }
        )
        log(
            f"{path.name}: {len(images)} figures, {len(explorers)} explorers, {time.perf_counter() - t0:.1f} s"
        )

    site_title, intro_md, table_md = readme_sections(readme)
    built = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    page = env.get_template("page.html.j2")
    holder.state = PageState(pages)
    front = {
        "stem": "index",
        "title_text": site_title,
        "intro": markdown_html(exporter, intro_md),
        "table": markdown_html(exporter, table_md),
    }
    sequence = [front, *rendered]
    for k, item in enumerate(sequence):
        prev_item = sequence[k - 1] if k > 0 else None
        next_item = sequence[k + 1] if k + 1 < len(sequence) else None
        markup = page.render(
            site_name=SITE_NAME,
            page=item,
            front=item is front,
            prev=prev_item,
            next=next_item,
            built=built,
        )
        (out / f"{item['stem']}.html").write_text(markup, encoding="utf-8")

    missing = [
        (p["stem"], src) for p in rendered for src, alt in p["images"] if not meaningful_alt(alt)
    ]
    return {
        "pages": len(sequence),
        "figures": sum(len(p["images"]) for p in rendered),
        "figures_without_alt": missing,
        "explorers": [k for p in rendered for k in p["explorers"]],
        "train_seconds": names.train_seconds,
        "seconds": time.perf_counter() - started,
    }


def replace_site(out, build_into):
    """Build into a fresh folder beside `out`, then put it in the place of the old site."""
    out = out.resolve()
    if out.exists() and not (out / MARKER).exists() and any(out.iterdir()):
        raise BuildError(
            f"{out} exists and is not a site this script built; refusing to replace it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        summary = build_into(tmp / "site")
        if out.exists():
            old = tmp / "old"
            out.rename(old)
        (tmp / "site").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "site", help="where to write the site (default: site/)"
    )
    parser.add_argument(
        "--notebooks", type=Path, default=ROOT / "notebooks", help="the notebooks' folder"
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=ROOT / "README.md",
        help="the README to take the front page from",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="compute the explorers' numbers afresh (by default they are kept in the cache folder, "
        "keyed by the library's code, torch and the corpus)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    sys.path.insert(0, str(ROOT))
    try:
        summary = replace_site(
            args.out, lambda into: build(into, args.notebooks, args.readme, not args.no_cache)
        )
    except BuildError as err:
        print(f"build_site: {err}", file=sys.stderr)
        return 1
    trained = (
        f" (of which {summary['train_seconds']:.1f} s to load or train the model)"
        if summary["train_seconds"] is not None
        else ""
    )
    log(
        f"wrote {args.out}: {summary['pages']} pages, {summary['figures']} figures, explorers: "
        f"{', '.join(summary['explorers']) or 'none'}; {summary['seconds']:.1f} s{trained}"
    )
    if summary["figures_without_alt"]:
        log(
            f"warning: {len(summary['figures_without_alt'])} figures have no meaningful alternative text "
            "(output.metadata['image/png']['alt']): "
            + ", ".join(f"{stem}: {src}" for stem, src in summary["figures_without_alt"])
        )
    log(f"open {(args.out.resolve() / 'index.html').as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
