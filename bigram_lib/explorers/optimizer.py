"""Optimizer explorer: SGD, momentum, Adam and AdamW on the exact full-batch bigram loss."""

import functools
import hashlib
import html
import math
import weakref
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..counts import bigram_counts, count_probs, loss_from_counts
from ..threads import one_thread
from .base import HIGHLIGHT, LIVE_DPI, REFERENCE, Explorer, check_int, new_figure, seeded_model
from .figure import LiveFigure

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
    W = seeded_model(len(counts), seed).token_embedding_table.weight.detach().numpy().copy()  # (C, C) float32
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
    check_int("steps", steps, 1)
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
    ax.legend(loc="lower left", fontsize=9)
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
    fig = new_figure((7, 3.5))
    _paint_optimizer(fig, optimizer_run(corpus, optimizer, lr, steps, seed),
                     optimizer_run(corpus, "AdamW", 1e-3, steps, seed))
    return fig


def optimizer_explorer(corpus):
    """An optimizer dropdown and a log-scale learning-rate slider over the loss curve."""
    controls = {
        "optimizer": widgets.Dropdown(options=OPTIMIZERS, value="AdamW", description="optimizer"),
        "lr": widgets.FloatLogSlider(value=1e-3, base=10, min=-5, max=2, step=0.25, description="lr",
                                     readout_format=".1e"),
    }

    def compute(optimizer, lr):
        return optimizer_run(corpus, optimizer, lr)

    def describe(r):
        off = " (above the chart)" if r.final_loss > r.initial_loss + 0.6 else ""
        return (f"{html.escape(_optimizer_title(r))}{off}; best possible {r.best_loss:.4f}")

    first = compute("AdamW", 1e-3)
    fig = new_figure((7, 3.5), dpi=LIVE_DPI)
    dynamic, update = _paint_optimizer(fig, first, first, live=True)
    return Explorer("optimizer", controls, compute, describe, LiveFigure(fig, dynamic), update)

