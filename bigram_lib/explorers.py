"""Interactive explorers: each is a pure function of numbers, a figure of them, and a thin widget on top."""

# Every explorer comes in three layers:
# - `*_view` / `*_trace` / `*_run`: a pure function that returns the numbers (a frozen dataclass);
# - `*_figure`: a matplotlib Figure of those numbers at given values (a static picture for readers);
# - `*_explorer`: an ipywidgets box whose controls recompute the numbers and redraw one reused figure.
#
# An explorer widget (an `Explorer`) exposes `.view` (the latest pure result), `.controls`
# (name -> control widget), `.readout` (an HTML widget with the numbers), `.image` and `.figure` (the
# PNG it shows and the reused Figure behind it; None for the text-only shape and batch explorers),
# `.error` (the message of a failed update, else None) and `.refresh()`. In a browser it carries the CSS
# classes `bigram-explorer` and `bigram-<kind>-explorer`; each control carries `bigram-control-<name>`.

import functools
import hashlib
import html
import math
import textwrap
import weakref
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import torch
from matplotlib import pyplot as plt
from torch.nn import functional as F

from .batch import get_batch
from .counts import bigram_counts, count_probs, loss_from_counts
from .model import BigramLanguageModel
from .plots import LiveFigure, visible
from .sampling import logits_table, probs_from_logits
from .threads import one_thread

DEFAULT_LOGITS = (0.7, 0.2, 0.1, 0.0)  # the notes' scores for the first token ("cat dog bird")
DEFAULT_LABELS = ("cat", "dog", "bird", "fish")
OPTIMIZERS = ("SGD", "SGD+momentum", "Adam", "AdamW")
DEFAULT_STEPS = 200  # full-batch steps of an optimizer run
LIVE_DPI = 80  # resolution of the figures the explorers redraw
SHAPE_CODE = {  # the line of BigramLanguageModel.forward behind each step of a shape trace
    "idx": "idx = xb",
    "targets": "targets = yb",
    "logits": "logits = self.token_embedding_table(idx)",
    "logits.view": "logits = logits.view(B*T, C)",
    "targets.view": "targets = targets.view(B*T)",
    "loss": "loss = F.cross_entropy(logits, targets)",
}
HIGHLIGHT, PLAIN, REFERENCE = "tab:orange", "tab:blue", "0.6"
WIDE = {"description_width": "initial"}  # show a control's whole description


def _fmt_shape(shape):
    """A shape as the notes write it: (4, 8), (32,), ()."""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _check_int(name, value, low, high=None):
    """Raise a clear error unless value is an int in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {bound}, got {value!r}")


@functools.lru_cache(maxsize=8)
def _seeded_model(vocab_size, seed):
    """The notes' untrained model: BigramLanguageModel built right after torch.manual_seed(seed)."""
    with torch.random.fork_rng(devices=[]):  # the caller's global random state is left untouched
        torch.manual_seed(seed)
        return BigramLanguageModel(vocab_size).eval()


def _batch(data, batch_size, block_size, seed):
    """get_batch with its own generator: the notes' batch for seed 1337, global random state untouched."""
    return get_batch(data, batch_size, block_size, generator=torch.Generator().manual_seed(seed))


# ---------------------------------------------------------------------------------------------
# The explorer widget: controls, a line of numbers and one live figure
# ---------------------------------------------------------------------------------------------


class Explorer(widgets.VBox):
    """Controls above a readout of the numbers and (optionally) a figure; any control change recomputes."""

    def __init__(self, kind, controls, compute, describe, live=None, update=None, adjust=None):
        self.kind = kind
        self.controls = dict(controls)  # name -> control widget, in display order
        self.readout = widgets.HTML()  # the numbers of the latest view
        self.image = widgets.Image(format="png") if live is not None else None  # the redrawn figure
        self.figure = live.fig if live is not None else None
        self.view = None  # the latest pure result
        self.error = None  # the message of the latest failed update, else None
        self._compute, self._describe, self._live, self._update, self._adjust = compute, describe, live, update, adjust
        self._busy = False
        for name, control in self.controls.items():
            control.add_class(f"bigram-control-{name}")
            control.observe(self._on_change, names="value")
        shown = [widgets.VBox(list(self.controls.values())), self.readout]
        super().__init__(shown + ([self.image] if self.image is not None else []))
        self.add_class("bigram-explorer")
        self.add_class(f"bigram-{kind}-explorer")
        self.refresh()

    def __repr__(self):
        values = ", ".join(f"{name}={control.value!r}" for name, control in self.controls.items())
        return f"<{self.kind} explorer: {values}>"

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change):
        """A control moved: recompute, unless this refresh itself caused the move."""
        if not self._busy:
            self.refresh()

    def refresh(self):
        """Recompute the view from the controls, redraw, and return the view."""
        self._busy = True
        try:
            if self._adjust is not None:
                self._adjust(self.controls)  # e.g. the row slider's range follows the batch size
            try:
                with one_thread():
                    view = self._compute(**self.values())
            except (ValueError, TypeError) as err:  # a bad combination of values: say so, keep the last view
                self.error = str(err)
                self.readout.value = f"<span style='color:#b00'>{html.escape(str(err))}</span>"
                return self.view
            self.error = None
            self.view = view
            if self._live is not None:
                layout = self._update(view)  # the artists take the new numbers; the static part may change
                self.image.value = self._live.png(layout)
            self.readout.value = self._describe(view)
            return view
        finally:
            self._busy = False


def _new_figure(figsize, dpi=None):
    """A Figure that a notebook shows once when a cell returns it: made by pyplot, then closed at once."""
    fig = plt.figure(figsize=figsize, dpi=dpi)  # pyplot loads the notebook's backend, which knows how to show it
    plt.close(fig)  # not pyplot's any more: it is not shown a second time at the end of the cell
    return fig


# ---------------------------------------------------------------------------------------------
# 1. Softmax
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoftmaxView:
    """Softmax of some logits at a temperature, and the NLL of one target."""

    logits: tuple
    temperature: float
    target: int
    probs: tuple  # softmax(logits / temperature), one per class
    log_probs: tuple  # log of probs, computed without ever taking log(0) of a rounded number
    total: float  # sum of probs: 1 up to rounding
    nll: float  # -log p[target]: inf only when p[target] is exactly 0 (temperature 0, not the argmax)


def softmax_view(logits=DEFAULT_LOGITS, temperature=1.0, target=0):
    """Probabilities, their sum and -log p[target] of softmax(logits / temperature), never NaN."""
    z = torch.as_tensor(logits, dtype=torch.float64)  # (C,)
    if z.dim() != 1 or len(z) == 0:
        raise ValueError(f"logits must be a non-empty 1-D sequence of numbers, got shape {tuple(z.shape)}")
    if not torch.isfinite(z).all():
        raise ValueError(f"logits must be finite numbers, got {tuple(z.tolist())}")
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature >= 0:
        raise ValueError(f"temperature must be a number >= 0 (0 means argmax), got {temperature!r}")
    _check_int("target", target, 0, len(z) - 1)
    if temperature == 0:  # the limit T -> 0: all mass on the first largest logit (what greedy decoding picks)
        log_probs = torch.full_like(z, float("-inf"))  # (C,)
        log_probs[z.argmax()] = 0.0
    else:
        shifted = z - z.max()  # (C,) every entry <= 0 and the largest is exactly 0: exp never overflows
        log_probs = F.log_softmax(shifted / temperature, dim=-1)  # (C,) very negative, maybe -inf, never NaN
    probs = log_probs.exp()  # (C,)
    nll = -log_probs[target].item() + 0.0  # + 0.0 turns -0.0 into 0.0
    return SoftmaxView(tuple(z.tolist()), float(temperature), target, tuple(probs.tolist()),
                       tuple(log_probs.tolist()), probs.sum().item(), nll)


def _softmax_title(view, labels):
    """Temperature, sum and NLL in one line."""
    return (f"temperature {view.temperature:.2f}   sum of probabilities = {view.total:.4f}   "
            f"NLL of '{labels[view.target]}' = -log p = {view.nll:.4f}")


def _paint_softmax(fig, view, labels, live=False):
    """Draw the softmax bars on fig; return (dynamic artists, update(view) -> layout key)."""
    # a live figure keeps the numbers out of its title (the readout shows them): text is costly to redraw
    ax = fig.add_subplot()
    fig.subplots_adjust(top=0.86, bottom=0.12, left=0.09, right=0.98)
    bars = ax.bar(range(len(view.probs)), view.probs, color=PLAIN, edgecolor="black")
    ax.set_xticks(range(len(labels)), labels, parse_math=False)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("probability")
    texts = [ax.text(k, 0, "", ha="center", va="bottom", fontsize=9) for k in range(len(bars))]
    title = ax.set_title("softmax(logits / temperature); the target in orange" if live else "", fontsize=9,
                         parse_math=False)

    def update(v):
        for k, (bar, text, p) in enumerate(zip(bars, texts, v.probs)):
            bar.set_height(p)
            bar.set_facecolor(HIGHLIGHT if k == v.target else PLAIN)
            text.set_position((k, p + 0.01))
            text.set_text(f"{p:.3f}")
        if not live:
            title.set_text(_softmax_title(v, labels))
        return None  # one layout: limits and ticks never change

    update(view)
    return [*bars, *texts], update


def _labels_for(labels, n):
    """Labels for n classes: the given ones, or class ids."""
    labels = tuple(labels) if labels is not None else tuple(str(k) for k in range(n))
    if len(labels) != n:
        raise ValueError(f"got {len(labels)} labels for {n} logits")
    return labels


def softmax_figure(logits=DEFAULT_LOGITS, temperature=1.0, target=0, labels=DEFAULT_LABELS):
    """Bar chart of the probabilities, the target highlighted, sum and NLL in the title."""
    view = softmax_view(logits, temperature, target)
    fig = _new_figure((7, 3))
    _paint_softmax(fig, view, _labels_for(labels, len(view.probs)))
    return fig


def softmax_explorer(logits=DEFAULT_LOGITS, labels=DEFAULT_LABELS, temperature=1.0, target=0):
    """A slider per logit, a temperature slider and a target dropdown over the softmax bars."""
    first = softmax_view(logits, temperature, target)
    n = len(first.logits)
    labels = _labels_for(labels, n)
    low, high = min(-10.0, math.floor(min(first.logits))), max(10.0, math.ceil(max(first.logits)))
    controls = {f"logit{k}": widgets.FloatSlider(value=x, min=low, max=high, step=0.1, description=f"logit {labels[k]}",
                                                 readout_format=".2f", style=WIDE)
                for k, x in enumerate(first.logits)}
    controls["temperature"] = widgets.FloatSlider(value=first.temperature, min=0.0, max=max(5.0, first.temperature),
                                                  step=0.05, description="temperature", readout_format=".2f",
                                                  style=WIDE)
    controls["target"] = widgets.Dropdown(options=[(label, k) for k, label in enumerate(labels)], value=target,
                                          description="target", style=WIDE)

    def compute(temperature, target, **logit_values):
        return softmax_view(tuple(logit_values[f"logit{k}"] for k in range(n)), temperature, target)

    def describe(v):
        cells = "".join(f"<td style='padding-right:1em'>p[{html.escape(labels[k])}] = {p:.4f}</td>"
                        for k, p in enumerate(v.probs))
        return (f"<table><tr>{cells}</tr></table>sum of probabilities = <b>{v.total:.4f}</b> &nbsp; "
                f"NLL = -log p[{html.escape(labels[v.target])}] = <b>{v.nll:.4f}</b>")

    fig = _new_figure((7, 3), dpi=LIVE_DPI)
    dynamic, update = _paint_softmax(fig, first, labels, live=True)
    return Explorer("softmax", controls, compute, describe, LiveFigure(fig, dynamic), update)


# ---------------------------------------------------------------------------------------------
# 2. Shapes from idx to loss
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShapeTrace:
    """The shape after every step of one real batch through the real model, and its loss."""

    batch_size: int  # B
    block_size: int  # T
    vocab_size: int  # C
    steps: tuple  # ((name, shape), ...) in the order forward runs them; names are SHAPE_CODE's keys
    loss: float
    idx: tuple  # the batch's token ids, B rows of T

    def shape(self, name):
        """The shape recorded for one step name."""
        return dict(self.steps)[name]


def shape_trace(corpus, model=None, batch_size=4, block_size=8, seed=1337):
    """Run one seeded training batch through the model and record every step's shape and the loss."""
    _check_int("batch_size", batch_size, 1)
    _check_int("block_size", block_size, 1)
    model = _seeded_model(corpus.vocab_size, seed) if model is None else model
    xb, yb = _batch(corpus.train_data, batch_size, block_size, seed)  # (B, T), (B, T)
    with torch.no_grad():
        logits3, _ = model(xb)  # (B, T, C): forward without targets keeps three dims
        logits2, loss = model(xb, yb)  # (B*T, C) and a scalar
    steps = (
        ("idx", tuple(xb.shape)),
        ("targets", tuple(yb.shape)),
        ("logits", tuple(logits3.shape)),
        ("logits.view", tuple(logits2.shape)),
        ("targets.view", tuple(yb.view(-1).shape)),  # what forward does to the targets
        ("loss", tuple(loss.shape)),
    )
    return ShapeTrace(batch_size, block_size, logits3.shape[-1], steps, loss.item(), tuple(map(tuple, xb.tolist())))


def _shape_title(trace):
    """B, T, C and the loss in one line."""
    return (f"B = {trace.batch_size}, T = {trace.block_size}, C = {trace.vocab_size}: "
            f"B*T = {trace.batch_size * trace.block_size} rows, loss = {trace.loss:.4f}")


def shape_figure(corpus, model=None, batch_size=4, block_size=8, seed=1337):
    """The chain of shapes from idx to loss, one box per step."""
    trace = shape_trace(corpus, model, batch_size, block_size, seed)
    fig = _new_figure((7, 3.2))
    ax = fig.add_axes((0, 0, 1, 0.9))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, len(trace.steps) - 0.5)
    box = {"boxstyle": "round,pad=0.3", "facecolor": "#eef3fb", "edgecolor": PLAIN}
    for k, (name, shape) in enumerate(trace.steps):
        y = len(trace.steps) - 1 - k
        ax.text(0.03, y, SHAPE_CODE[name], family="monospace", fontsize=10, va="center", bbox=box)
        ax.text(0.97, y, _fmt_shape(shape), family="monospace", fontsize=11, va="center", ha="right",
                fontweight="bold")
        if k:
            ax.annotate("", xy=(0.2, y + 0.25), xytext=(0.2, y + 0.75), arrowprops={"arrowstyle": "->", "color": "0.4"})
    fig.suptitle(_shape_title(trace), fontsize=10)
    return fig


def shape_explorer(corpus, model=None):
    """B and T sliders over the shape chain and the loss of a real batch."""
    controls = {
        "batch_size": widgets.IntSlider(value=4, min=1, max=32, description="B (batch_size)", style=WIDE),
        "block_size": widgets.IntSlider(value=8, min=1, max=32, description="T (block_size)", style=WIDE),
    }

    def compute(batch_size, block_size):
        return shape_trace(corpus, model, batch_size, block_size)

    def describe(t):
        rows = "".join(f"<tr><td><code>{html.escape(SHAPE_CODE[name])}</code></td>"
                       f"<td style='padding-left:2em'><b><code>{_fmt_shape(shape)}</code></b></td></tr>"
                       for name, shape in t.steps)
        return f"<table>{rows}</table><p>{_shape_title(t)}</p>"

    return Explorer("shape", controls, compute, describe)  # text only: the browser draws it at no cost here


# ---------------------------------------------------------------------------------------------
# 3. One row of a batch: x, y and the (context, target) pairs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchView:
    """One row of a batch: x and y aligned, and every (context, target) pair it teaches."""

    row: int
    batch_size: int
    block_size: int
    seed: int
    x: tuple  # (T,) token ids of the row
    y: tuple  # (T,) the same window shifted one to the right: y[t] == x[t + 1]
    x_text: str
    y_text: str
    text: str  # the T + 1 characters the row was cut from: x_text + y_text[-1]
    pairs: tuple  # T pairs (context string, target character): context x[:t+1], target y[t]


def batch_view(corpus, row=0, batch_size=4, block_size=8, seed=1337):
    """One row of get_batch(train_data): its text, x and y aligned, and its (context, target) pairs."""
    _check_int("batch_size", batch_size, 1)
    _check_int("block_size", block_size, 1)
    _check_int("row", row, 0, batch_size - 1)
    xb, yb = _batch(corpus.train_data, batch_size, block_size, seed)  # (B, T), (B, T)
    x, y = xb[row].tolist(), yb[row].tolist()
    x_text, y_text = corpus.decode(x), corpus.decode(y)
    pairs = tuple((x_text[:t + 1], y_text[t]) for t in range(block_size))
    return BatchView(row, batch_size, block_size, seed, tuple(x), tuple(y), x_text, y_text, x_text + y_text[-1], pairs)


def _batch_title(view):
    """Which row of which batch."""
    return (f"row {view.row} of get_batch(train_data, {view.batch_size}, {view.block_size}), seed {view.seed}: "
            f"{view.block_size} examples in one row")


def batch_figure(corpus, row=0, batch_size=4, block_size=8, seed=1337):
    """x above y, character by character, and the row's (context, target) pairs."""
    view = batch_view(corpus, row, batch_size, block_size, seed)
    T = view.block_size
    fig = _new_figure((7, 1.3 + 0.19 * T))
    ax = fig.add_axes((0, 0, 1, 0.92))
    ax.set_axis_off()
    head = "t  " + "".join(f"{t:>3}" for t in range(T))
    x = "x  " + "".join(f"{visible(ch):>3}" for ch in view.x_text)
    y = "y  " + "".join(f"{visible(ch):>3}" for ch in view.y_text)
    ax.text(0.02, 0.98, f"{head}\n{x}\n{y}", family="monospace", fontsize=11, va="top", ha="left",
            transform=ax.transAxes, parse_math=False)
    pairs = "\n".join(f"{visible(ctx):>{T}} → {visible(tgt)}" for ctx, tgt in view.pairs)
    below = 0.98 - 4 / (T + 5)
    ax.text(0.02, below, pairs, family="monospace", fontsize=10, va="top", ha="left", transform=ax.transAxes,
            linespacing=1.15, parse_math=False)
    ax.text(0.98, below, "context → target\n(y[t] is x[t+1]:\nthe next character)", fontsize=9, va="top",
            ha="right", transform=ax.transAxes, color="0.3")
    fig.suptitle(_batch_title(view), fontsize=10)
    return fig


def _html_row(name, items):
    """One table row: a header cell, then one cell per item."""
    cells = "".join(f"<td>{html.escape(str(item))}</td>" for item in items)
    return f"<tr><th style='text-align:left'>{name}</th>{cells}</tr>"


def _batch_html(view):
    """x over y (characters and ids) as a table, then the pairs, as HTML."""
    table = ("<table style='font-family:monospace;text-align:center;border-spacing:0.6em 0'>"
             + _html_row("t", range(view.block_size)) + _html_row("x", map(visible, view.x_text))
             + _html_row("y", map(visible, view.y_text)) + _html_row("x ids", view.x) + _html_row("y ids", view.y)
             + "</table>")
    width = view.block_size
    pairs = "\n".join(f"{visible(ctx):>{width}} → {visible(tgt)}" for ctx, tgt in view.pairs)
    return (f"<p>{_batch_title(view)}</p>{table}<p>context → target (y[t] is x[t+1]):</p>"
            f"<pre>{html.escape(pairs)}</pre>")


def batch_explorer(corpus):
    """Row, B, T and seed sliders over one row of a batch and its (context, target) pairs."""
    controls = {
        "row": widgets.IntSlider(value=0, min=0, max=3, description="row", style=WIDE),
        "batch_size": widgets.IntSlider(value=4, min=1, max=8, description="B (batch_size)", style=WIDE),
        "block_size": widgets.IntSlider(value=8, min=1, max=16, description="T (block_size)", style=WIDE),
        "seed": widgets.IntSlider(value=1337, min=0, max=2000, description="seed", style=WIDE),
    }

    def adjust(c):
        c["row"].max = c["batch_size"].value - 1  # clamps the row when B shrinks

    def compute(row, batch_size, block_size, seed):
        return batch_view(corpus, row, batch_size, block_size, seed)

    return Explorer("batch", controls, compute, _batch_html, adjust=adjust)  # text only, drawn by the browser


# ---------------------------------------------------------------------------------------------
# 4. Sampling: temperature, top-k, seed and the next-character distribution
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleView:
    """A sampled text and the next-character distribution after one character."""

    temperature: float
    top_k: object  # None (every character) or an int
    seed: int
    length: int
    char: str
    text: str  # char followed by `length` sampled characters (what the notes print with decode)
    probs: tuple  # (C,) probability of each vocabulary character right after `char`
    chars: tuple  # (C,) the vocabulary, in id order


def sample_view(corpus, model, temperature=1.0, top_k=None, seed=1337, length=200, char="\n"):
    """Text generated from `char` with a seeded generator, and the distribution of the next character."""
    _check_int("length", length, 0)
    if not isinstance(char, str) or len(char) != 1:
        raise ValueError(f"char must be a single character, got {char!r}")
    start = corpus.encode(char)[0]
    probs = probs_from_logits(logits_table(model)[start].double(), temperature, top_k)  # (C,)
    idx = torch.tensor([[start]], dtype=torch.long)  # (1, 1)
    generator = torch.Generator().manual_seed(seed)
    out = model.generate(idx, length, temperature=temperature, top_k=top_k, generator=generator)  # (1, 1 + length)
    return SampleView(float(temperature), top_k, seed, length, char, corpus.decode(out[0].tolist()),
                      tuple(probs.tolist()), tuple(corpus.tokenizer.chars))


def _sample_lines(text, width=78, max_lines=9):
    """The sample as display lines: newlines kept (and marked), long lines wrapped, the rest cut."""
    lines = []
    for part in text.split("\n"):
        lines.extend(textwrap.wrap(part, width, drop_whitespace=False) or [""])
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + ["…"]
    return "\n".join(lines)


def _sample_title(view):
    """What the bars show."""
    k = "all" if view.top_k is None else view.top_k
    return (f"next character after {view.char!r}: temperature {view.temperature:.2f}, top-k {k}, "
            f"largest p = {max(view.probs):.3f}")


def _ylim_for(probs):
    """A y-limit from a few fixed steps, so the axis changes only when the bars outgrow it."""
    top = max(probs)
    return next(lim for lim in (0.25, 0.5, 1.05) if top <= lim)


def _paint_sampling(ax, view, live=False):
    """Draw the next-character bars on ax; return (dynamic artists, update)."""
    C = len(view.chars)
    stairs = ax.stairs(view.probs, [k - 0.45 for k in range(C)] + [C - 0.55], fill=True, color=PLAIN)
    ax.set_xticks(range(C), [visible(ch) for ch in view.chars], fontsize=6, family="monospace", parse_math=False)
    ax.set_xlim(-1, C)
    ax.set_ylabel("probability", fontsize=8)
    ax.tick_params(axis="y", labelsize=7)
    title = ax.set_title("probability of each next character" if live else "", fontsize=9, parse_math=False)

    def update(v):
        stairs.set_data(v.probs)  # every bar as one filled step line: cheap to redraw
        if not live:
            title.set_text(_sample_title(v))
        ylim = _ylim_for(v.probs)
        ax.set_ylim(0, ylim)
        return ylim  # the layout: one static background per y-limit

    update(view)
    return [stairs], update


def sampling_figure(corpus, model, temperature=1.0, top_k=None, seed=1337, length=200, char="\n"):
    """Bars of the next-character distribution above the sampled text."""
    view = sample_view(corpus, model, temperature, top_k, seed, length, char)
    fig = _new_figure((8, 4.5))
    _paint_sampling(fig.add_axes((0.07, 0.5, 0.91, 0.42)), view)
    text_ax = fig.add_axes((0.02, 0.0, 0.96, 0.40))
    text_ax.set_axis_off()
    text_ax.text(0.0, 0.98, "sample:\n" + _sample_lines(view.text), family="monospace", fontsize=8, va="top",
                 ha="left", transform=text_ax.transAxes, parse_math=False)  # a "$" in the text is just a "$"
    return fig


def sampling_explorer(corpus, model):
    """Temperature, top-k and seed sliders and a character picker over sampling."""
    C = corpus.vocab_size
    controls = {
        "temperature": widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.05, description="temperature",
                                           readout_format=".2f", style=WIDE),
        "top_k": widgets.IntSlider(value=C, min=1, max=C, description=f"top-k ({C} = all)", style=WIDE),
        "seed": widgets.IntSlider(value=1337, min=0, max=2000, description="seed", style=WIDE),
        "char": widgets.Dropdown(options=[(repr(ch), ch) for ch in corpus.tokenizer.chars], value="\n",
                                 description="after", style=WIDE),
    }

    def compute(temperature, top_k, seed, char):
        return sample_view(corpus, model, temperature, None if top_k == C else top_k, seed, 200, char)

    def describe(v):
        nonzero = sum(p > 0 for p in v.probs)
        return (f"<p>{html.escape(_sample_title(v))}; {nonzero} of {len(v.probs)} characters can come next; "
                f"sum = {sum(v.probs):.4f}</p><pre style='white-space:pre-wrap'>{html.escape(v.text)}</pre>")

    first = compute(1.0, C, 1337, "\n")
    fig = _new_figure((8, 2.4), dpi=LIVE_DPI)
    ax = fig.add_axes((0.07, 0.12, 0.91, 0.78))
    dynamic, update = _paint_sampling(ax, first, live=True)
    return Explorer("sampling", controls, compute, describe, LiveFigure(fig, dynamic), update)


# ---------------------------------------------------------------------------------------------
# 5. Optimizers: a short full-batch run on the exact loss, from bigram counts
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptimizerRun:
    """The loss curve of a short full-batch run of one optimizer at one learning rate."""

    optimizer: str
    lr: float
    steps: int
    seed: int
    losses: tuple  # steps + 1 values: the loss before the first step, then after each step
    best_loss: float  # the lowest loss any bigram model can reach on the training split

    @property
    def initial_loss(self):
        """The loss of the untrained model."""
        return self.losses[0]

    @property
    def final_loss(self):
        """The loss after the last step."""
        return self.losses[-1]


_COUNTS = {}  # id(train_data) -> (weak reference to it, key in _COUNTS_BY_KEY)
_COUNTS_BY_KEY = {}  # key -> (C, C) float64 counts of the training split


def _counts_key(corpus):
    """A hashable name for the training split's bigram counts (computed once per split)."""
    data = corpus.train_data
    ref, key = _COUNTS.get(id(data), (None, None))
    if ref is None or ref() is not data:
        counts = bigram_counts(data, corpus.vocab_size)  # (C, C)
        key = hashlib.sha256(counts.numpy().tobytes()).hexdigest()[:16]
        _COUNTS_BY_KEY[key] = counts.double()
        _COUNTS[id(data)] = (weakref.ref(data), key)
    return key


@functools.lru_cache(maxsize=16)
def _best_loss(key):
    """The counting model's loss on the same pairs: the lowest loss any bigram model can reach."""
    counts = _COUNTS_BY_KEY[key]
    with one_thread():
        return loss_from_counts(count_probs(counts).log(), counts)


@functools.lru_cache(maxsize=512)
def _run(key, optimizer, lr, steps, seed):
    """The losses of one run (memoized: a slider that returns to a value answers at once)."""
    counts = _COUNTS_BY_KEY[key].numpy()  # (C, C) float64
    cn = (counts / counts.sum()).astype(np.float32)  # (C, C) each pair's share of all training pairs
    rn = cn.sum(axis=1, keepdims=True)  # (C, 1) each first character's share
    W = _seeded_model(len(counts), seed).token_embedding_table.weight.detach().numpy().copy()  # (C, C) float32
    m, v = np.zeros_like(W), np.zeros_like(W)  # momentum buffer / Adam's first moment; Adam's second moment
    z, e, g, tmp = (np.empty_like(W) for _ in range(4))  # (C, C) work arrays, reused every step
    top, total = np.empty_like(rn), np.empty_like(rn)  # (C, 1)
    beta1, beta2, eps, momentum = 0.9, 0.999, 1e-8, 0.9  # torch.optim's defaults (momentum 0.9 by choice)
    weight_decay = 0.01 if optimizer == "AdamW" else 0.0  # AdamW's default decoupled weight decay
    losses = np.empty(steps + 1)  # float64, though each loss is computed in float32 like the model's

    def loss_and_grad():
        """Mean NLL over every training pair, and its exact gradient into g: rn * softmax(W) - cn."""
        np.maximum.reduce(W, axis=1, keepdims=True, out=top)  # ufunc methods skip numpy's wrappers
        np.subtract(W, top, out=z)  # (C, C) <= 0: exp never overflows
        np.exp(z, out=e)
        np.add.reduce(e, axis=1, keepdims=True, out=total)
        np.multiply(e, rn / total, out=g)
        np.subtract(g, cn, out=g)
        return rn.ravel().dot(np.log(total).ravel()) - cn.ravel().dot(z.ravel())  # -sum cn * log_softmax(W)

    for t in range(1, steps + 1):
        losses[t - 1] = loss_and_grad()
        if optimizer == "SGD":
            np.multiply(g, lr, out=tmp)
        elif optimizer == "SGD+momentum":
            if t == 1:
                m[...] = g
            else:
                m *= momentum
                m += g
            np.multiply(m, lr, out=tmp)
        else:  # Adam and AdamW, in the order torch.optim computes them
            W *= 1 - lr * weight_decay
            m *= beta1
            np.multiply(g, 1 - beta1, out=tmp)
            m += tmp
            v *= beta2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - beta2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= math.sqrt(1 - beta2 ** t)
            tmp += eps
            np.divide(m, tmp, out=tmp)
            tmp *= lr / (1 - beta1 ** t)
        W -= tmp
    losses[steps] = loss_and_grad()
    return tuple(losses.tolist()), _best_loss(key)


def optimizer_run(corpus, optimizer="AdamW", lr=1e-3, steps=DEFAULT_STEPS, seed=1337):
    """Loss curve of `steps` full-batch steps from the seed's untrained model on the exact training loss (memoized)."""
    # The run starts from the notes' untrained model (BigramLanguageModel right after torch.manual_seed(seed)).
    # Each step uses the exact gradient of the mean loss over EVERY pair of the training split, computed
    # from the (C, C) bigram counts instead of from random batches, so one step is a 65x65 computation and
    # the curve has no sampling noise. The updates are torch.optim's SGD, SGD(momentum=0.9), Adam and
    # AdamW (weight_decay=0.01) with their default settings, written out in numpy on that one float32
    # (C, C) table (the tests check them against torch.optim); 200 steps take a few milliseconds.
    # Without minibatch noise a large lr looks better here than it does in the notes' training loop.
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    _check_int("steps", steps, 1)
    losses, best = _run(_counts_key(corpus), optimizer, float(lr), steps, seed)
    return OptimizerRun(optimizer, float(lr), steps, seed, losses, best)


def _optimizer_title(run):
    """The run in one line."""
    return (f"{run.optimizer}, lr {run.lr:.1e}: loss {run.initial_loss:.3f} → {run.final_loss:.3f} "
            f"after {run.steps} full-batch steps")


def _paint_optimizer(fig, run, reference, live=False):
    """Draw the run next to the reference run on fig; return (dynamic artists, update)."""
    ax = fig.add_subplot()
    fig.subplots_adjust(top=0.88, bottom=0.15, left=0.09, right=0.98)
    ax.plot(range(reference.steps + 1), reference.losses, color=REFERENCE, lw=2, ls="--",
            label=f"{reference.optimizer} lr {reference.lr:.0e} (the notes' choice)")
    ax.axhline(run.best_loss, color="tab:green", lw=1, ls=":", label=f"best possible {run.best_loss:.4f} (counting)")
    (line,) = ax.plot(range(run.steps + 1), run.losses, color=HIGHLIGHT, lw=2, label="this run")
    ax.set_xlim(0, run.steps)
    ax.set_ylim(run.best_loss - 0.3, run.initial_loss + 0.6)  # every run starts from the same loss
    ax.set_xlabel("full-batch step")
    ax.set_ylabel("training loss")
    ax.legend(loc="lower left", fontsize=8)
    title = ax.set_title("training loss of the whole training split, step by step" if live else "", fontsize=10)

    def update(r):
        line.set_data(range(r.steps + 1), r.losses)
        if not live:
            title.set_text(_optimizer_title(r))
        return None  # one layout

    update(run)
    return [line], update


def optimizer_figure(corpus, optimizer="AdamW", lr=1e-3, steps=DEFAULT_STEPS, seed=1337):
    """The run's loss curve next to the default AdamW lr=1e-3 run and the best possible loss."""
    fig = _new_figure((7, 3.5))
    _paint_optimizer(fig, optimizer_run(corpus, optimizer, lr, steps, seed),
                     optimizer_run(corpus, "AdamW", 1e-3, steps, seed))
    return fig


def optimizer_explorer(corpus):
    """An optimizer dropdown and a log-scale learning-rate slider over the loss curve."""
    controls = {
        "optimizer": widgets.Dropdown(options=OPTIMIZERS, value="AdamW", description="optimizer", style=WIDE),
        "lr": widgets.FloatLogSlider(value=1e-3, base=10, min=-5, max=2, step=0.25, description="lr",
                                     readout_format=".1e", style=WIDE),
    }

    def compute(optimizer, lr):
        return optimizer_run(corpus, optimizer, lr)

    def describe(r):
        off = " (above the chart)" if r.final_loss > r.initial_loss + 0.6 else ""
        return (f"{html.escape(_optimizer_title(r))}{off}; best possible {r.best_loss:.4f}")

    first = compute("AdamW", 1e-3)
    fig = _new_figure((7, 3.5), dpi=LIVE_DPI)
    dynamic, update = _paint_optimizer(fig, first, first, live=True)
    return Explorer("optimizer", controls, compute, describe, LiveFigure(fig, dynamic), update)
