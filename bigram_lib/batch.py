"""get_batch: random (context, target) blocks of a split, vectorized."""

import torch
from torch import Tensor

from .course import checks

# how far from the end of data a block may start: the notes leave out one more token than bigram.py
BOUNDS = {"notes": 1, "lecture": 0}  # high = len(data) - block_size - BOUNDS[bound]


@checks.arguments(
    batch_size=checks.count(),
    block_size=checks.count(),
    bound=checks.one_of(BOUNDS),
    data=checks.data_for_blocks(BOUNDS),
)
def get_batch(
    data: Tensor,
    batch_size: int,
    block_size: int,
    generator: torch.Generator | None = None,
    *,
    bound: str = "notes",
) -> tuple[Tensor, Tensor]:
    """Return x, y of shape (B, T); y is x shifted one token to the right."""
    # notes: len(data) - block_size - 1; lecture: len(data) - block_size
    high = len(data) - block_size - BOUNDS[bound]
    ix = torch.randint(high, (batch_size,), generator=generator)  # (B,) start offsets
    # (B, T) positions: the lecture's torch.stack, without a loop
    pos = ix[:, None] + torch.arange(block_size)
    x = data[pos]  # (B, T)
    y = data[pos + 1]  # (B, T)
    return x, y
