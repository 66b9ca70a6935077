"""Counting: the bigram table from counts and the lowest loss any bigram model can reach."""

import torch
from torch.nn import functional as F

from .sampling import logits_table
from .threads import one_thread
from .validation import check_count


@one_thread()
def bigram_counts(data, vocab_size):
    """(C, C) table: entry [a, b] counts how often token b follows token a."""
    vocab_size = check_count("vocab_size", vocab_size)
    if not isinstance(data, torch.Tensor) or data.dim() != 1 or data.is_floating_point() or data.is_complex() \
            or data.dtype == torch.bool:
        kind = f"shape {tuple(data.shape)} and dtype {data.dtype}" if isinstance(data, torch.Tensor) else type(data).__name__
        raise ValueError(f"data must be a 1-D integer tensor of token ids, got {kind}")
    data = data.long()  # a * C + b overflows small dtypes (uint8: 65 * 65 > 255); int64 counts exactly
    if data.numel():
        lo, hi = (int(v) for v in torch.aminmax(data))
        if lo < 0 or hi >= vocab_size:
            raise ValueError(f"data holds ids outside [0, {vocab_size}): smallest {lo}, largest {hi}")
    pairs = data[:-1] * vocab_size + data[1:]  # (N-1,) one number per (a, b) pair
    return torch.bincount(pairs, minlength=vocab_size * vocab_size).view(vocab_size, vocab_size)


def count_probs(counts, smoothing=0.0):
    """Row-normalised probabilities from counts, with add-`smoothing`; an empty row is uniform."""
    c = counts.double() + smoothing
    rows = c.sum(dim=1, keepdim=True)
    uniform = torch.full_like(c, 1.0 / c.shape[1])
    return torch.where(rows > 0, c / rows.clamp(min=1e-300), uniform)  # (C, C)


def loss_from_counts(log_probs, counts):
    """Mean negative log likelihood of every counted pair under a (C, C) table of log-probabilities."""
    counts = counts.double()
    nll = -torch.where(counts > 0, counts * log_probs.double(), torch.zeros_like(counts))
    return (nll.sum() / counts.sum()).item()


@one_thread()
def optimal_loss(train_data, vocab_size, eval_data=None, smoothing=1.0):
    """The floor: the lowest train loss of any bigram table; with eval_data, the add-one baseline on it instead."""
    train_counts = bigram_counts(train_data, vocab_size)
    if eval_data is None:
        return loss_from_counts(count_probs(train_counts).log(), train_counts)
    return loss_from_counts(count_probs(train_counts, smoothing).log(), bigram_counts(eval_data, vocab_size))


@one_thread()
def model_loss(model, data):
    """A bigram model's exact mean loss over every pair of a split (no sampling noise)."""
    log_probs = F.log_softmax(logits_table(model).double(), dim=-1)  # (C, C)
    return loss_from_counts(log_probs, bigram_counts(data, model.vocab_size))
