"""Counting: the bigram table from counts and the lowest loss any bigram model can reach."""

import torch
import torch.nn as nn
from torch import Tensor
from torch.nn import functional as F

from .course import checks
from .course.threads import one_thread
from .sampling import logits_table


@one_thread()
@checks.arguments(vocab_size=checks.vocab_size, data=checks.token_data_of("vocab_size"))
def bigram_counts(data: Tensor, vocab_size: int) -> Tensor:
    """(C, C) table: entry [a, b] counts how often token b follows token a."""
    pairs = data[:-1] * vocab_size + data[1:]  # (N-1,) one number per (a, b) pair
    # (C, C)
    return torch.bincount(pairs, minlength=vocab_size * vocab_size).view(vocab_size, vocab_size)


@checks.arguments(smoothing=checks.smoothing)
def count_probs(counts: Tensor, smoothing: float = 0.0) -> Tensor:
    """Row-normalised probabilities from counts, with add-`smoothing`; an empty row is uniform."""
    probs = counts.double() + smoothing  # (C, C)
    rows = probs.sum(dim=1, keepdim=True)  # (C, 1)
    probs /= rows
    # a character never followed by anything: no information
    probs[rows[:, 0] == 0] = 1.0 / probs.shape[1]
    return probs


def loss_from_counts(log_probs: Tensor, counts: Tensor) -> float:
    """Mean negative log likelihood of every counted pair under a (C, C) table of log-probs."""
    # (C, C) a pair that never occurs costs nothing, even where its log-probability is -inf
    seen = counts > 0
    return -(counts[seen].double() * log_probs[seen].double()).sum().item() / counts.sum().item()


@one_thread()
@checks.arguments(
    vocab_size=checks.vocab_size,
    train_data=checks.pairs_of("vocab_size"),
    eval_data=checks.optional(checks.pairs_of("vocab_size")),
    smoothing=checks.smoothing,
)
def optimal_loss(
    train_data: Tensor, vocab_size: int, eval_data: Tensor | None = None, smoothing: float = 1.0
) -> float:
    """The floor: the lowest train loss any bigram table reaches; with eval_data, add-one's loss."""
    train_counts = bigram_counts(train_data, vocab_size)  # (C, C)
    if eval_data is None:
        return loss_from_counts(count_probs(train_counts).log_(), train_counts)
    return loss_from_counts(
        count_probs(train_counts, smoothing).log_(), bigram_counts(eval_data, vocab_size)
    )


@one_thread()
@checks.arguments(model=checks.finite_model, data=checks.token_data)
def model_loss(model: nn.Module, data: Tensor) -> float:
    """A bigram model's exact mean loss over every pair of a split (no sampling noise)."""
    log_probs = F.log_softmax(logits_table(model).double(), dim=-1)  # (C, C)
    return loss_from_counts(log_probs, bigram_counts(data, checks.vocab_of(model)))
