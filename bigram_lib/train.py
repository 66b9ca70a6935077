"""Training: the notes' loop with evaluation, a progress bar and safe interruption."""

import time
from dataclasses import dataclass, field

import torch
from tqdm.auto import tqdm

from .batch import BOUNDS, get_batch
from .threads import one_thread

# where evaluation draws its batches: its own seeded generator (the notes' course), or the training stream (bigram.py)
EVAL_STREAMS = ("own", "training")


@dataclass
class History:
    """What a training run measured."""

    steps: list = field(default_factory=list)  # the steps at which losses were estimated
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    step_losses: list = field(default_factory=list)  # every step's batch loss
    steps_done: int = 0
    interrupted: bool = False
    seconds: float = 0.0


@torch.no_grad()
@one_thread()
def estimate_loss(model, splits, eval_iters=200, batch_size=32, block_size=8, generator=None, *, bound="notes"):
    """Mean loss over eval_iters random batches of each split, in eval mode, without gradients."""
    was_training = model.training
    model.eval()
    try:
        out = {}
        for name, data in splits.items():
            losses = torch.empty(eval_iters)
            for k in range(eval_iters):
                xb, yb = get_batch(data, batch_size, block_size, generator, bound=bound)
                _, loss = model(xb, yb)
                losses[k] = loss
            out[name] = losses.mean().item()
        return out
    finally:
        model.train(was_training)


def train_step(model, optimizer, xb, yb):
    """One step of the notes' loop: forward, zero_grad, backward, step; returns the loss."""
    _, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


@one_thread()
def train(
    model,
    train_data,
    val_data=None,
    *,
    steps=100_000,
    batch_size=32,
    block_size=8,
    lr=1e-3,
    optimizer=None,
    eval_interval=None,
    eval_iters=200,
    eval_seed=None,
    eval_stream="own",
    eval_at_end=True,
    bound="notes",
    generator=None,
    progress=True,
):
    """Train in place and return a History; Ctrl-C stops early and keeps both."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {sorted(BOUNDS)}, got {bound!r}")
    if eval_stream not in EVAL_STREAMS:
        raise ValueError(f"eval_stream must be one of {list(EVAL_STREAMS)}, got {eval_stream!r}")
    if eval_stream == "training" and eval_seed is not None:
        raise ValueError(f"eval_seed={eval_seed!r} has no effect with eval_stream='training' (evaluation then "
                         "draws from the training generator); leave eval_seed as None or use eval_stream='own'")
    if optimizer is None:
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    if eval_interval is None:
        eval_interval = max(1, steps // 100)
    if eval_stream == "own":  # watching never changes the training batches: evaluation has its own generator
        eval_gen = torch.Generator().manual_seed(0 if eval_seed is None else eval_seed)
    else:  # as bigram.py: evaluation and training take turns on one stream
        eval_gen = generator
    splits = {"train": train_data} if val_data is None else {"train": train_data, "val": val_data}
    history = History()

    def evaluate(step):
        losses = estimate_loss(model, splits, eval_iters, batch_size, block_size, eval_gen, bound=bound)
        history.steps.append(step)
        history.train_loss.append(losses["train"])
        history.val_loss.append(losses.get("val", float("nan")))
        return losses

    model.train()
    start = time.perf_counter()
    bar = tqdm(total=steps, desc="training", unit="step", disable=not progress, mininterval=0.5)
    try:
        for step in range(steps):
            if eval_interval and step % eval_interval == 0:
                bar.set_postfix({k: f"{v:.4f}" for k, v in evaluate(step).items()})
            xb, yb = get_batch(train_data, batch_size, block_size, generator, bound=bound)  # (B, T), (B, T)
            loss = train_step(model, optimizer, xb, yb)
            history.step_losses.append(loss.item())
            history.steps_done = step + 1
            bar.update(1)
    except KeyboardInterrupt:
        history.interrupted = True
        bar.write(f"interrupted after {history.steps_done} steps: the model and the history so far are kept")
    finally:
        bar.close()
    if eval_at_end and eval_interval and (not history.steps or history.steps[-1] != history.steps_done):
        evaluate(history.steps_done)
    history.seconds = time.perf_counter() - start
    return history
