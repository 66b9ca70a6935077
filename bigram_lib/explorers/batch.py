"""Batch explorer: the (context, target) pairs of one row of get_batch."""

import html
from dataclasses import dataclass

import ipywidgets as widgets

from ..course import checks
from .base import SEEDS, Explorer, new_figure, seeded_batch
from .figure import alt_text, visible


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


@checks.arguments(
    batch_size=checks.count(),
    block_size=checks.count(),
    row=checks.count(0, maximum=lambda args: args["batch_size"] - 1),
)
def batch_view(corpus, row=0, batch_size=4, block_size=8, seed=1337):
    """One row of get_batch(train_data): its text, x and y aligned, and its (context, target) pairs."""
    xb, yb = seeded_batch(corpus.train_data, batch_size, block_size, seed)  # (B, T), (B, T)
    x, y = xb[row].tolist(), yb[row].tolist()
    x_text, y_text = corpus.decode(x), corpus.decode(y)
    pairs = tuple((x_text[: t + 1], y_text[t]) for t in range(block_size))
    return BatchView(
        row,
        batch_size,
        block_size,
        seed,
        tuple(x),
        tuple(y),
        x_text,
        y_text,
        x_text + y_text[-1],
        pairs,
    )


def _batch_title(view):
    """Which row of which batch."""
    examples = "1 example" if view.block_size == 1 else f"{view.block_size} examples"
    return (
        f"row {view.row} of get_batch(train_data, {view.batch_size}, {view.block_size}), seed {view.seed}: "
        f"{examples} in one row"
    )


def batch_figure(corpus, row=0, batch_size=4, block_size=8, seed=1337):
    """x above y, character by character, and the row's (context, target) pairs under their caption."""
    view = batch_view(corpus, row, batch_size, block_size, seed)
    T = view.block_size
    fig = new_figure((7, 0.5 + 0.165 * (T + 5)))  # T + 5 lines of text under the title
    ax = fig.add_axes((0, 0, 1, 1 - 0.3 / (0.5 + 0.165 * (T + 5))))
    ax.set_axis_off()
    head = "t  " + "".join(f"{t:>3}" for t in range(T))
    x = "x  " + "".join(f"{visible(ch):>3}" for ch in view.x_text)
    y = "y  " + "".join(f"{visible(ch):>3}" for ch in view.y_text)
    pairs = "\n".join(f"{visible(ctx):>{T}} → {visible(tgt)}" for ctx, tgt in view.pairs)
    caption = (
        f"{'context':>{T}} → target   (y[t] is x[t+1], the next character; ↵ newline, ␣ space)"
    )
    ax.text(
        0.02,
        0.98,
        f"{head}\n{x}\n{y}\n\n{caption}\n{pairs}",
        family="monospace",
        fontsize=10,
        va="top",
        ha="left",
        transform=ax.transAxes,
        linespacing=1.15,
        parse_math=False,
    )
    fig.suptitle(_batch_title(view), fontsize=10)
    last_context, last_target = view.pairs[-1]
    return alt_text(
        fig,
        f"{_batch_title(view)}. x is {view.x_text!r}, y is {view.y_text!r}, the same window moved "
        f"one character on; its {T} (context, target) pairs run from {view.pairs[0][0]!r} → "
        f"{view.pairs[0][1]!r} to {last_context!r} → {last_target!r}.",
    )


def _html_row(name, items):
    """One table row: a header cell, then one cell per item."""
    cells = "".join(f"<td>{html.escape(str(item))}</td>" for item in items)
    return f"<tr><th style='text-align:left'>{name}</th>{cells}</tr>"


def _batch_html(view):
    """x over y (characters and ids) as a table, then the pairs, as HTML."""
    table = (
        "<table style='font-family:monospace;text-align:center;border-spacing:0.6em 0'>"
        + _html_row("t", range(view.block_size))
        + _html_row("x", map(visible, view.x_text))
        + _html_row("y", map(visible, view.y_text))
        + _html_row("x ids", view.x)
        + _html_row("y ids", view.y)
        + "</table>"
    )
    width = view.block_size
    pairs = "\n".join(f"{visible(ctx):>{width}} → {visible(tgt)}" for ctx, tgt in view.pairs)
    return (
        f"<p>{_batch_title(view)}</p>{table}<p>context → target (y[t] is x[t+1]; ↵ newline, ␣ space):</p>"
        f"<pre>{html.escape(pairs)}</pre>"
    )


def batch_explorer(corpus):
    """Row, B, T and seed sliders over one row of a batch and its (context, target) pairs."""
    most_rows = 8
    controls = {
        # the row slider keeps its range: a slider whose max changes keeps the old max for its End key
        "row": widgets.IntSlider(value=0, min=0, max=most_rows - 1, description="row (0 to B-1)"),
        "batch_size": widgets.IntSlider(
            value=4, min=1, max=most_rows, description="B (batch_size)"
        ),
        "block_size": widgets.IntSlider(value=8, min=1, max=16, description="T (block_size)"),
        "seed": widgets.IntSlider(value=SEEDS[0], min=SEEDS[0], max=SEEDS[1], description="seed"),
    }

    def adjust(c):
        c["row"].value = min(
            c["row"].value, c["batch_size"].value - 1
        )  # a batch of B rows has rows 0 to B-1

    def compute(row, batch_size, block_size, seed):
        return batch_view(corpus, row, batch_size, block_size, seed)

    return Explorer(
        "batch", controls, compute, _batch_html, adjust=adjust
    )  # text only: the browser draws it
