"""Softmax explorer: scores to probabilities, with temperature and the loss of one target."""

import html
import math
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from torch.nn import functional as F

from ..course import checks
from .base import HIGHLIGHT, LIVE_DPI, LIVE_SCALE, PLAIN, Explorer, new_figure
from .figure import LiveFigure, alt_text

DEFAULT_LOGITS = (0.7, 0.2, 0.1, 0.0)  # the notes' scores for the first token ("cat dog bird")
DEFAULT_LABELS = ("cat", "dog", "bird", "fish")


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


@checks.arguments(
    logits=checks.finite_numbers,
    temperature=checks.at_least(0, finite=False, hint="0 means argmax"),
    target=checks.count(0, maximum=lambda args: len(args["logits"]) - 1),
)
def softmax_view(logits=DEFAULT_LOGITS, temperature=1.0, target=0):
    """Probabilities, their sum and -log p[target] of softmax(logits / temperature), never NaN."""
    z = torch.tensor(logits, dtype=torch.float64)  # (C,)
    # the limit T -> 0: all mass on the first largest logit (what greedy decoding picks)
    if temperature == 0:
        log_probs = torch.full_like(z, float("-inf"))  # (C,)
        log_probs[z.argmax()] = 0.0
    else:
        # (C,) every entry <= 0 and the largest is exactly 0: exp never overflows
        shifted = z - z.max()
        # (C,) very negative, maybe -inf, never NaN
        log_probs = F.log_softmax(shifted / temperature, dim=-1)
    probs = log_probs.exp()  # (C,)
    nll = -log_probs[target].item() + 0.0  # + 0.0 turns -0.0 into 0.0
    return SoftmaxView(
        logits,
        temperature,
        target,
        tuple(probs.tolist()),
        tuple(log_probs.tolist()),
        probs.sum().item(),
        nll,
    )


def _softmax_title(view, labels):
    """Temperature, sum and NLL in one line."""
    return (
        f"temperature {view.temperature:.2f}   sum of probabilities = {view.total:.4f}   "
        f"NLL of '{labels[view.target]}' = -log p = {view.nll:.4f}"
    )


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
    title = ax.set_title(
        "softmax(logits / temperature); the target in orange" if live else "",
        fontsize=9,
        parse_math=False,
    )

    def update(v):
        for k, (bar, text, p) in enumerate(zip(bars, texts, v.probs, strict=False)):
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
    fig = new_figure((7, 3))
    labels = _labels_for(labels, len(view.probs))
    _paint_softmax(fig, view, labels)
    bars = ", ".join(f"{label} {p:.3f}" for label, p in zip(labels, view.probs, strict=False))
    return alt_text(
        fig,
        f"Bar chart of softmax(logits / temperature) for logits "
        f"{', '.join(f'{z:g}' for z in view.logits)} at temperature {view.temperature:.2f}: "
        f"probabilities {bars}, summing to {view.total:.4f}; the target {labels[view.target]} is "
        f"highlighted, with NLL -log p = {view.nll:.4f}.",
    )


def softmax_explorer(logits=DEFAULT_LOGITS, labels=DEFAULT_LABELS, temperature=1.0, target=0):
    """A slider per logit, a temperature slider and a target dropdown over the softmax bars."""
    first = softmax_view(logits, temperature, target)
    n = len(first.logits)
    labels = _labels_for(labels, n)
    low, high = min(-10.0, math.floor(min(first.logits))), max(10.0, math.ceil(max(first.logits)))
    controls = {
        f"logit{k}": widgets.FloatSlider(
            value=x,
            min=low,
            max=high,
            step=0.1,
            description=f"logit {labels[k]}",
            readout_format=".2f",
        )
        for k, x in enumerate(first.logits)
    }
    controls["temperature"] = widgets.FloatSlider(
        value=first.temperature,
        min=0.0,
        max=max(5.0, first.temperature),
        step=0.05,
        description="temperature",
        readout_format=".2f",
    )
    controls["target"] = widgets.Dropdown(
        options=[(label, k) for k, label in enumerate(labels)], value=target, description="target"
    )

    def compute(temperature, target, **logit_values):
        return softmax_view(tuple(logit_values[f"logit{k}"] for k in range(n)), temperature, target)

    def describe(v):
        cells = "".join(
            f"<td style='padding-right:1em'>p[{html.escape(labels[k])}] = {p:.4f}</td>"
            for k, p in enumerate(v.probs)
        )
        return (
            f"<table><tr>{cells}</tr></table>sum of probabilities = <b>{v.total:.4f}</b> &nbsp; "
            f"NLL = -log p[{html.escape(labels[v.target])}] = <b>{v.nll:.4f}</b>"
        )

    fig = new_figure((7, 3), dpi=LIVE_DPI * LIVE_SCALE)
    dynamic, update = _paint_softmax(fig, first, labels, live=True)
    return Explorer("softmax", controls, compute, describe, LiveFigure(fig, dynamic), update)
