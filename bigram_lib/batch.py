"""get_batch: random (context, target) blocks, vectorized."""

import torch

# how far from the end of data a block may start: the notes leave one more token out than the lecture
BOUNDS = {"notes": 1, "lecture": 0}  # high = len(data) - block_size - BOUNDS[bound]


def get_batch(data, batch_size, block_size, generator=None, *, bound="notes"):
    """Return x, y of shape (B, T); y is x shifted one token to the right."""
    if not isinstance(data, torch.Tensor) or data.dim() != 1 or data.is_floating_point() or data.is_complex():
        kind = f"a tensor of shape {tuple(data.shape)} and dtype {data.dtype}" if isinstance(data, torch.Tensor) else type(data).__name__
        raise ValueError(f"data must be a 1-D integer tensor of token ids, got {kind}")
    for name, value in (("batch_size", batch_size), ("block_size", block_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {sorted(BOUNDS)}, got {bound!r}")
    high = len(data) - block_size - BOUNDS[bound]  # notes: len(data) - block_size - 1; lecture: len(data) - block_size
    if high <= 0:
        raise ValueError(
            f"data of length {len(data)} is too short for block_size {block_size}: "
            f"it needs at least {block_size + 1 + BOUNDS[bound]} tokens"
        )
    ix = torch.randint(high, (batch_size,), generator=generator)  # (B,) start offsets
    pos = ix[:, None] + torch.arange(block_size)  # (B, T) positions, no Python loop
    return data[pos], data[pos + 1]  # (B, T), (B, T)
