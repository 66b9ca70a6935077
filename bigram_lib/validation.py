"""Clear errors for bad token-id tensors, and numbers read the same way from Python, numpy and torch."""

import numpy as np
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


def plain_int(value):
    """`value` as a Python int if it is an integer (int, numpy integer, 0-d integer tensor), else None; bools are not."""
    if isinstance(value, torch.Tensor):
        ok = value.dim() == 0 and not (value.is_floating_point() or value.is_complex() or value.dtype == torch.bool)
        return int(value.item()) if ok else None
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    return None


def plain_float(value):
    """`value` as a Python float if it is a real number (int, float, numpy number, 0-d tensor), else None."""
    if isinstance(value, torch.Tensor):
        ok = value.dim() == 0 and not (value.is_complex() or value.dtype == torch.bool)
        return float(value.item()) if ok else None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    return None


def check_count(name, value, minimum=1):
    """`value` as a plain int >= minimum (numpy and 0-d tensor ints too), or a ValueError naming it."""
    number = plain_int(value)
    if number is None or number < minimum:
        wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return number


def check_optimizer(model, optimizer):
    """Raise a ValueError unless `optimizer` updates every trainable parameter of `model`."""
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    params = [p for p in model.parameters() if p.requires_grad]
    missing = sum(id(p) not in held for p in params)
    if missing:
        raise ValueError(
            f"the optimizer does not hold this model's parameters ({missing} of {len(params)} missing): it was made "
            "for another model, so training would change nothing. This happens when the cell that builds the model "
            "is re-run but not the one that builds the optimizer: make it again with "
            "torch.optim.AdamW(model.parameters(), lr=...)."
        )
