"""Shape explorer: every tensor shape of a forward pass, step by step."""

import html
from dataclasses import dataclass

import ipywidgets as widgets
import torch

from ..course import checks
from .base import PLAIN, Explorer, fmt_shape, model_for, new_figure, seeded_batch
from .figure import alt_text

SHAPE_CODE = {  # the line of BigramLanguageModel.forward behind each step of a shape trace
    "idx": "idx = xb",
    "targets": "targets = yb",
    "logits": "logits = self.token_embedding_table(idx)",
    "logits.view": "logits = logits.view(B*T, C)",
    "targets.view": "targets = targets.view(B*T)",
    "loss": "loss = F.cross_entropy(logits, targets)",
}


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


@checks.arguments(batch_size=checks.count(), block_size=checks.count())
def shape_trace(corpus, model=None, batch_size=4, block_size=8, seed=1337):
    """Run one seeded training batch through the model (the notes' untrained one by default): every shape, the loss."""
    model = model_for(corpus, model, seed)
    xb, yb = seeded_batch(corpus.train_data, batch_size, block_size, seed)  # (B, T), (B, T)
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
    return ShapeTrace(
        batch_size,
        block_size,
        logits3.shape[-1],
        steps,
        loss.item(),
        tuple(map(tuple, xb.tolist())),
    )


def _shape_title(trace):
    """B, T, C and the loss in one line."""
    return (
        f"B = {trace.batch_size}, T = {trace.block_size}, C = {trace.vocab_size}: "
        f"B*T = {trace.batch_size * trace.block_size} rows, loss = {trace.loss:.4f}"
    )


def shape_figure(corpus, model=None, batch_size=4, block_size=8, seed=1337):
    """The chain of shapes from idx to loss, one box per step."""
    trace = shape_trace(corpus, model, batch_size, block_size, seed)
    fig = new_figure((7, 3.2))
    ax = fig.add_axes((0, 0, 1, 0.9))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.5, len(trace.steps) - 0.5)
    box = {"boxstyle": "round,pad=0.3", "facecolor": "#eef3fb", "edgecolor": PLAIN}
    for k, (name, shape) in enumerate(trace.steps):
        y = len(trace.steps) - 1 - k
        ax.text(0.03, y, SHAPE_CODE[name], family="monospace", fontsize=10, va="center", bbox=box)
        ax.text(
            0.97,
            y,
            fmt_shape(shape),
            family="monospace",
            fontsize=11,
            va="center",
            ha="right",
            fontweight="bold",
        )
        if k:
            ax.annotate(
                "",
                xy=(0.2, y + 0.25),
                xytext=(0.2, y + 0.75),
                arrowprops={"arrowstyle": "->", "color": "0.4"},
            )
    fig.suptitle(_shape_title(trace), fontsize=10)
    chain = "; ".join(f"{SHAPE_CODE[name]} gives {fmt_shape(shape)}" for name, shape in trace.steps)
    return alt_text(fig, f"The shapes of one forward pass, {_shape_title(trace)}: {chain}.")


def shape_explorer(corpus, model=None):
    """B and T sliders over the shape chain and the loss of a real batch."""
    controls = {
        "batch_size": widgets.IntSlider(value=4, min=1, max=32, description="B (batch_size)"),
        "block_size": widgets.IntSlider(value=8, min=1, max=32, description="T (block_size)"),
    }

    def compute(batch_size, block_size):
        return shape_trace(corpus, model, batch_size, block_size)

    def describe(t):
        rows = "".join(
            f"<tr><td><code>{html.escape(SHAPE_CODE[name])}</code></td>"
            f"<td style='padding-left:2em'><b><code>{fmt_shape(shape)}</code></b></td></tr>"
            for name, shape in t.steps
        )
        return f"<table>{rows}</table><p>{_shape_title(t)}</p>"

    # text only: the browser draws it at no cost here
    return Explorer("shape", controls, compute, describe)
