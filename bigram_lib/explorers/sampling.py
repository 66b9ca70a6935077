"""Sampling explorer: the next-character distribution with temperature and top-k, and a sample."""

import html
import textwrap
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from ..course import checks
from ..sampling import logits_table, probs_from_logits
from .base import LIVE_DPI, LIVE_SCALE, PLAIN, SEEDS, Explorer, model_for, new_figure
from .figure import LiveFigure, alt_text, visible


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


def first_char(corpus):
    """Where sampling starts unless told: a newline, as the notes do, or the text's first character if it has none."""
    return "\n" if "\n" in corpus.tokenizer.stoi else corpus.tokenizer.chars[0]


@checks.arguments(length=checks.count(0), char=checks.optional(checks.one_character))
def sample_view(corpus, model, temperature=1.0, top_k=None, seed=1337, length=200, char=None):
    """Text generated from `char` (a newline by default) with a seeded generator, and the next character's odds."""
    model = model_for(corpus, model)
    char = first_char(corpus) if char is None else char
    start = corpus.encode(char)[0]
    probs = probs_from_logits(logits_table(model)[start].double(), temperature, top_k)  # (C,)
    idx = torch.tensor([[start]], dtype=torch.long)  # (1, 1)
    generator = torch.Generator().manual_seed(seed)
    # (1, 1 + length)
    out = model.generate(idx, length, temperature=temperature, top_k=top_k, generator=generator)
    return SampleView(
        float(temperature),
        top_k,
        seed,
        length,
        char,
        corpus.decode(out[0].tolist()),
        tuple(probs.tolist()),
        tuple(corpus.tokenizer.chars),
    )


def _sample_lines(text, width=78, max_lines=9):
    """The sample as display lines: newlines kept (and marked), long lines wrapped, the rest cut."""
    lines = []
    for part in text.split("\n"):
        lines.extend(textwrap.wrap(part, width, drop_whitespace=False) or [""])
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], "…"]
    return "\n".join(lines)


# a bar below this is under two pixels tall even on the smallest y-axis: too thin to see
VISIBLE_P = 0.01


def _sample_title(view):
    """What the bars show."""
    k = "all" if view.top_k is None else view.top_k
    p, ch = max(zip(view.probs, view.chars, strict=False))
    return (
        f"next character after {view.char!r}: temperature {view.temperature:.2f}, top-k {k}, "
        f"most likely {ch!r} with p = {p:.3f}"
    )


def _sample_counts(view):
    """How many characters can come next, and how many of them get a bar one can see."""
    possible = sum(p > 0 for p in view.probs)
    seen = sum(p >= VISIBLE_P for p in view.probs)
    return (
        f"{possible} of {len(view.probs)} characters have p > 0, {seen} of them p ≥ {VISIBLE_P:g} "
        "(the others' bars are too thin to see)"
    )


def _ylim_for(probs):
    """A y-limit from a few fixed steps, so the axis changes only when the bars outgrow it."""
    top = max(probs)
    return next(lim for lim in (0.25, 0.5, 1.05) if top <= lim)


def _paint_sampling(ax, view, live=False):
    """Draw the next-character bars on ax; return (dynamic artists, update)."""
    C = len(view.chars)
    stairs = ax.stairs(
        view.probs, [k - 0.45 for k in range(C)] + [C - 0.55], fill=True, color=PLAIN
    )
    ax.set_xticks(
        range(C),
        [visible(ch) for ch in view.chars],
        fontsize=8,
        family="monospace",
        parse_math=False,
    )
    ax.set_xlim(-1, C)
    ax.set_ylabel("probability", fontsize=9)
    title = ax.set_title(
        "probability of each next character" if live else "", fontsize=9, parse_math=False
    )

    def update(v):
        stairs.set_data(v.probs)  # every bar as one filled step line: cheap to redraw
        if not live:
            title.set_text(_sample_title(v))
        ylim = _ylim_for(v.probs)
        ax.set_ylim(0, ylim)
        return ylim  # the layout: one static background per y-limit

    update(view)
    return [stairs], update


def sampling_figure(corpus, model, temperature=1.0, top_k=None, seed=1337, length=200, char=None):
    """Bars of the next-character distribution above the sampled text."""
    view = sample_view(corpus, model, temperature, top_k, seed, length, char)
    fig = new_figure((8, 4.5))
    _paint_sampling(fig.add_axes((0.07, 0.5, 0.91, 0.42)), view)
    text_ax = fig.add_axes((0.02, 0.0, 0.96, 0.40))
    text_ax.set_axis_off()
    # a "$" in the text is just a "$"
    text_ax.text(
        0.0,
        0.98,
        "sample:\n" + _sample_lines(view.text),
        family="monospace",
        fontsize=9,
        va="top",
        ha="left",
        transform=text_ax.transAxes,
        parse_math=False,
    )
    ranked = sorted(zip(view.probs, view.chars, strict=False), reverse=True)[:3]
    likely = ", ".join(f"{ch!r} {p:.3f}" for p, ch in ranked)
    return alt_text(
        fig,
        f"Bar chart of the probability of each of the {len(view.chars)} characters right after "
        f"{view.char!r} at temperature {view.temperature:.2f}, top-k "
        f"{'all' if view.top_k is None else view.top_k}; the most likely are {likely}. Below it, the "
        f"{view.length} characters sampled from there with seed {view.seed}, beginning "
        f"{view.text[:60]!r}.",
    )


def sampling_explorer(corpus, model):
    """Temperature, top-k and seed sliders and a character picker over sampling."""
    C = corpus.vocab_size
    controls = {
        "temperature": widgets.FloatSlider(
            value=1.0, min=0.0, max=2.0, step=0.05, description="temperature", readout_format=".2f"
        ),
        "top_k": widgets.IntSlider(value=C, min=1, max=C, description=f"top-k ({C} = all)"),
        "seed": widgets.IntSlider(value=SEEDS[0], min=SEEDS[0], max=SEEDS[1], description="seed"),
        "char": widgets.Dropdown(
            options=[(repr(ch), ch) for ch in corpus.tokenizer.chars],
            value=first_char(corpus),
            description="after",
        ),
    }

    def compute(temperature, top_k, seed, char):
        return sample_view(
            corpus, model, temperature, None if top_k == C else top_k, seed, 200, char
        )

    def describe(v):
        return (
            f"<p>{html.escape(_sample_title(v))}; {_sample_counts(v)}; sum = {sum(v.probs):.4f}</p>"
            f"<pre style='white-space:pre-wrap'>{html.escape(v.text)}</pre>"
        )

    first = compute(1.0, C, SEEDS[0], first_char(corpus))
    fig = new_figure((8, 2.4), dpi=LIVE_DPI * LIVE_SCALE)
    ax = fig.add_axes((0.07, 0.12, 0.91, 0.78))
    dynamic, update = _paint_sampling(ax, first, live=True)
    return Explorer("sampling", controls, compute, describe, LiveFigure(fig, dynamic), update)
