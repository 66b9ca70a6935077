"""Training: the lecture's loop, with evaluation, a progress bar and a stop that keeps the work."""

import math
import time
from dataclasses import dataclass, field

import torch
import torch.nn as nn
from torch import Tensor
from tqdm.auto import tqdm

from .batch import BOUNDS, get_batch
from .course import checks
from .course.interrupt import TrainingInterrupted, deferred_interrupt
from .course.threads import one_thread

# where evaluation draws batches: its own generator (the course) or the training stream (bigram.py)
EVAL_STREAMS = ("own", "training")


@dataclass
class History:
    """What a training run measured."""

    steps: list = field(default_factory=list)  # the steps at which losses were estimated
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    step_losses: list = field(default_factory=list)  # every step's batch loss
    steps_done: int = 0
    steps_planned: int = 0
    interrupted: bool = False
    seconds: float = 0.0


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the weights are lost, every later step would be NaN too."""


@torch.no_grad()
@one_thread()
@checks.arguments(
    model=checks.finite_model,
    splits=checks.splits,
    eval_iters=checks.count(),
    batch_size=checks.count(),
    block_size=checks.count(),
    bound=checks.one_of(BOUNDS),
)
def estimate_loss(
    model: nn.Module,
    splits: dict[str, Tensor],
    eval_iters: int = 200,
    batch_size: int = 32,
    block_size: int = 8,
    generator: torch.Generator | None = None,
    *,
    bound: str = "notes",
) -> dict[str, float]:
    """Mean loss over eval_iters random batches of each split, in eval mode, without gradients."""
    out = {}
    was_training = model.training
    model.eval()
    try:
        for split, data in splits.items():
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(data, batch_size, block_size, generator, bound=bound)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean().item()
    finally:
        model.train(was_training)
    return out


def train_step(
    model: nn.Module, optimizer: torch.optim.Optimizer, xb: Tensor, yb: Tensor
) -> Tensor:
    """One step of the notes' loop: forward, zero_grad, backward, step; returns the loss."""
    logits, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss


@one_thread()
@checks.arguments(
    model=checks.trainable_model,
    train_data=checks.token_data,
    val_data=checks.optional(checks.token_data),
    steps=checks.count(0),
    batch_size=checks.count(),
    block_size=checks.count(),
    lr=checks.optional(checks.positive_number),
    optimizer=checks.optimizer_of("model"),
    eval_interval=checks.optional(checks.count(0)),
    eval_iters=checks.count(),
    eval_stream=checks.one_of(EVAL_STREAMS),
    eval_seed=checks.eval_seed,
    bound=checks.one_of(BOUNDS),
)
def train(
    model: nn.Module,
    train_data: Tensor,
    val_data: Tensor | None = None,
    *,
    steps: int = 100_000,
    batch_size: int = 32,
    block_size: int = 8,
    lr: float | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    eval_interval: int | None = None,
    eval_iters: int = 200,
    eval_stream: str = "own",
    eval_seed: int | None = None,
    eval_at_end: bool = True,
    bound: str = "notes",
    generator: torch.Generator | None = None,
    progress: bool = True,
) -> History:
    """Train in place (AdamW, lr 1e-3 unless given), return a History; Ctrl-C keeps, then stops."""
    if optimizer is None:
        # create a PyTorch optimizer
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3 if lr is None else lr)
    eval_interval = max(1, steps // 100) if eval_interval is None else eval_interval  # 0: never
    # watching must not change the training batches, so evaluation has a generator of its own
    eval_generator = (
        torch.Generator().manual_seed(eval_seed or 0) if eval_stream == "own" else generator
    )
    splits = {"train": train_data} if val_data is None else {"train": train_data, "val": val_data}
    history = History(steps_planned=steps)

    def evaluate(step):
        losses = estimate_loss(
            model, splits, eval_iters, batch_size, block_size, eval_generator, bound=bound
        )
        history.steps.append(step)
        history.train_loss.append(losses["train"])
        history.val_loss.append(losses.get("val", math.nan))
        bar.set_postfix({split: f"{loss:.4f}" for split, loss in losses.items()})

    model.train()
    start = time.perf_counter()
    bar = tqdm(total=steps, desc="training", unit="step", disable=not progress, mininterval=0.5)
    try:
        for step in range(steps):
            # every once in a while evaluate the loss on train and val sets
            if eval_interval and step % eval_interval == 0:
                evaluate(step)
            # sample a batch of data: (B, T) and (B, T)
            xb, yb = get_batch(train_data, batch_size, block_size, generator, bound=bound)
            # evaluate the loss, get the gradients, update the weights
            loss = train_step(model, optimizer, xb, yb).item()
            if not math.isfinite(loss):  # diverged: the weights are NaN now, and would stay NaN
                lr_used = optimizer.param_groups[0]["lr"]
                raise TrainingDiverged(
                    f"the loss became {loss} at step {step:,} with lr {lr_used:g}: the steps were "
                    "too large and the weights overflowed. Build a new model and train it with a "
                    "smaller lr."
                )
            history.step_losses.append(loss)
            history.steps_done = step + 1
            bar.update(1)
        if eval_at_end and eval_interval and history.steps[-1:] != [steps]:
            # every step is done: a Ctrl-C now waits for this last evaluation
            with deferred_interrupt():
                evaluate(steps)
    except KeyboardInterrupt:
        history.interrupted = history.steps_done < steps or (
            eval_at_end and bool(eval_interval) and history.steps[-1:] != [steps]
        )
        raise TrainingInterrupted(history) from None
    finally:
        bar.close()
        history.seconds = time.perf_counter() - start
    return history
