"""Clear errors for bad token-id tensors."""

import torch


def check_ids(name, ids, vocab_size, shape=None):
    """Raise a clear error unless `ids` is a 2-D long tensor of ids in [0, vocab_size)."""
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of token ids, got {type(ids).__name__}")
    if ids.dtype != torch.long:
        raise TypeError(f"{name} must have dtype torch.long (int64 token ids), got {ids.dtype}")
    if ids.dim() != 2:
        raise ValueError(f"{name} must be 2-D with shape (B, T), got shape {tuple(ids.shape)}")
    if shape is not None and ids.shape != shape:
        raise ValueError(f"{name} must have the same shape as idx {tuple(shape)}, got {tuple(ids.shape)}")
    if ids.numel():
        lo, hi = (int(v) for v in torch.aminmax(ids))  # plain ints: compared without more tensor ops
        if lo < 0 or hi >= vocab_size:
            raise ValueError(f"{name} holds ids outside [0, {vocab_size}): smallest {lo}, largest {hi}")
