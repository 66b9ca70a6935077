"""How the exercise-check tests judge a verdict, and the forms a learner may give an answer in."""

import numpy as np
import torch


def judged(verdict, status, reason, number):
    """Assert a verdict's status, reason and exercise number (never its wording)."""
    assert (verdict.status, verdict.reason, verdict.exercise) == (status, reason, number), (
        verdict.text
    )


def int_forms(n):
    """An int as a learner may hold it: int, numpy integer, 0-d tensor, one-element tensor."""
    return [n, np.int64(n), torch.tensor(n), torch.tensor([n])]


def float_forms(x):
    """A float as a learner may hold it: float, numpy floats, 0-d tensors, one-element tensor."""
    return [
        x,
        np.float64(x),
        np.float32(x),
        torch.tensor(x),
        torch.tensor([x]),
        torch.tensor(x, dtype=torch.float64),
    ]


def shape_forms(shape):
    """A shape as tuple, list and torch.Size, and with numpy-int or 0-d tensor entries."""
    shape = tuple(int(n) for n in shape)
    return [
        shape,
        list(shape),
        torch.Size(shape),
        tuple(np.int64(n) for n in shape),
        [torch.tensor(n) for n in shape],
    ]
