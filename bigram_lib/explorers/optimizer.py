"""Optimizer explorer: torch.optim's SGD, momentum, Adam and AdamW on the exact full-batch bigram loss."""

import functools
import hashlib
import html
import weakref
from dataclasses import dataclass

import ipywidgets as widgets
import torch
from torch.nn import functional as F

from ..counts import bigram_counts, optimal_loss
from ..course import checks
from ..course.recipes import notes_model
from ..course.threads import one_thread
from .base import HIGHLIGHT, LIVE_DPI, LIVE_SCALE, REFERENCE, Explorer, new_figure
from .figure import LiveFigure, alt_text

OPTIMIZERS = ("SGD", "SGD+momentum", "Adam", "AdamW")
DEFAULT_STEPS = 200  # full-batch steps of an optimizer run


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


_SPLITS = {}  # id(train_data) -> (weak reference to it, key in _SHARES)
_SHARES = {}  # key -> ((C, C) float32 share of each (current, next) pair among all training pairs, the floor)


def _shares_key(corpus):
    """A hashable name for the training split's pair shares and floor (computed once per split)."""
    data = corpus.train_data
    ref, key = _SPLITS.get(id(data), (None, None))
    if ref is None or ref() is not data:
        counts = bigram_counts(data, corpus.vocab_size)  # (C, C)
        key = hashlib.sha256(counts.numpy().tobytes()).hexdigest()[:16]
        _SHARES[key] = ((counts / counts.sum()).float(), optimal_loss(data, corpus.vocab_size))
        _SPLITS[id(data)] = (weakref.ref(data), key)
    return key


def _make_optimizer(name, params, lr):
    """torch.optim's own SGD, SGD with momentum 0.9, Adam and AdamW, each at its defaults otherwise."""
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr)
    if name == "SGD+momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    return (torch.optim.Adam if name == "Adam" else torch.optim.AdamW)(params, lr=lr)


def full_batch_loss(W, shares):
    """The mean loss over EVERY training pair of the table W, and its exact gradient: rows' share x softmax - shares."""
    log_probs = F.log_softmax(W, dim=1)  # (C, C)
    # (C, C) what loss.backward() would give
    gradient = shares.sum(dim=1, keepdim=True) * log_probs.exp() - shares
    return -(shares * log_probs).sum(), gradient


@functools.lru_cache(maxsize=512)
@torch.no_grad()
@one_thread()
def _losses(key, optimizer, lr, steps, seed):
    """The loss before each step and after the last (memoized: a slider that returns to a value answers at once)."""
    shares = _SHARES[key][0]  # (C, C)
    # (C, C) the notes' untrained table
    W = notes_model(len(shares), seed).token_embedding_table.weight
    opt = _make_optimizer(optimizer, [W], lr)
    losses = []
    for step in range(steps + 1):
        # the gradient by formula: half the time of loss.backward()
        loss, W.grad = full_batch_loss(W, shares)
        losses.append(loss.item())
        if step < steps:
            opt.step()
    return tuple(losses)


@checks.arguments(
    optimizer=checks.one_of(OPTIMIZERS), lr=checks.positive_number, steps=checks.count()
)
def optimizer_run(corpus, optimizer="AdamW", lr=1e-3, steps=DEFAULT_STEPS, seed=1337):
    """Loss curve of `steps` full-batch steps from the seed's untrained model on the exact training loss (memoized)."""
    # The run starts from the notes' untrained model (BigramLanguageModel right after torch.manual_seed(seed)).
    # Each step takes the exact gradient of the mean loss over EVERY pair of the training split, from each
    # pair's share of the (C, C) counts instead of from random batches, so the curve has no sampling noise;
    # the update is torch.optim's own. Without minibatch noise a large lr looks better here than it does in
    # the notes' training loop.
    key = _shares_key(corpus)
    return OptimizerRun(
        optimizer, lr, steps, seed, _losses(key, optimizer, lr, steps, seed), _SHARES[key][1]
    )


def _optimizer_title(run):
    """The run in one line."""
    return (
        f"{run.optimizer}, lr {run.lr:.1e}: loss {run.initial_loss:.3f} → {run.final_loss:.3f} "
        f"after {run.steps} full-batch steps"
    )


def _paint_optimizer(fig, run, reference, live=False):
    """Draw the run next to the reference run on fig; return (dynamic artists, update)."""
    ax = fig.add_subplot()
    fig.subplots_adjust(top=0.88, bottom=0.15, left=0.09, right=0.98)
    ax.plot(
        range(reference.steps + 1),
        reference.losses,
        color=REFERENCE,
        lw=2,
        ls="--",
        label=f"{reference.optimizer} lr {reference.lr:.0e} (the notes' choice)",
    )
    ax.axhline(
        run.best_loss,
        color="tab:green",
        lw=1,
        ls=":",
        label=f"best possible {run.best_loss:.4f} (counting)",
    )
    (line,) = ax.plot(range(run.steps + 1), run.losses, color=HIGHLIGHT, lw=2, label="this run")
    ax.set_xlim(0, run.steps)
    ax.set_ylim(run.best_loss - 0.3, run.initial_loss + 0.6)  # every run starts from the same loss
    ax.set_xlabel("full-batch step")
    ax.set_ylabel("training loss")
    # slow runs stay above it, fast ones drop to the floor below it
    ax.legend(loc="center right", fontsize=9)
    title = ax.set_title(
        "training loss of the whole training split, step by step" if live else "", fontsize=10
    )

    def update(r):
        line.set_data(range(r.steps + 1), r.losses)
        if not live:
            title.set_text(_optimizer_title(r))
        return None  # one layout

    update(run)
    return [line], update


def optimizer_figure(corpus, optimizer="AdamW", lr=1e-3, steps=DEFAULT_STEPS, seed=1337):
    """The run's loss curve next to the default AdamW lr=1e-3 run and the best possible loss."""
    fig = new_figure((7, 3.5))
    run, reference = (
        optimizer_run(corpus, optimizer, lr, steps, seed),
        optimizer_run(corpus, "AdamW", 1e-3, steps, seed),
    )
    _paint_optimizer(fig, run, reference)
    return alt_text(
        fig,
        f"Training loss over {run.steps} full-batch steps: {_optimizer_title(run)}, beside the notes' "
        f"AdamW at lr 1e-3 (dashed, {reference.initial_loss:.3f} → {reference.final_loss:.3f}) and "
        f"the best possible loss {run.best_loss:.4f} from counting (dotted).",
    )


def optimizer_explorer(corpus):
    """An optimizer dropdown and a log-scale learning-rate slider over the loss curve."""
    controls = {
        "optimizer": widgets.Dropdown(options=OPTIMIZERS, value="AdamW", description="optimizer"),
        "lr": widgets.FloatLogSlider(
            value=1e-3, base=10, min=-5, max=2, step=0.25, description="lr", readout_format=".1e"
        ),
    }

    def compute(optimizer, lr):
        return optimizer_run(corpus, optimizer, lr)

    def describe(r):
        off = " (above the chart)" if r.final_loss > r.initial_loss + 0.6 else ""
        return f"{html.escape(_optimizer_title(r))}{off}; best possible {r.best_loss:.4f}"

    first = compute("AdamW", 1e-3)
    fig = new_figure((7, 3.5), dpi=LIVE_DPI * LIVE_SCALE)
    dynamic, update = _paint_optimizer(fig, first, first, live=True)
    return Explorer("optimizer", controls, compute, describe, LiveFigure(fig, dynamic), update)
