"""Reading a learner's answer: every check reads ints, floats, shapes, text and tensors the same way.

Each reader returns a plain Python value (or a plain tensor), or None for an answer of the wrong kind; a
plain value never compares equal by a trick of its own, as an object whose `__eq__` always says True would.
"""

from functools import lru_cache

import numpy as np
import torch

from ..corpus import load_corpus
from ..course import checks


@lru_cache(maxsize=1)
def course_corpus():
    """The course corpus, loaded once for every self-check."""
    return load_corpus(progress=False)


def read_int(answer):
    """An int from an int, a numpy integer or a one-element integer tensor (the library's one rule)."""
    return checks.as_int(answer)


def read_count(answer):
    """An int from what read_int takes, or from a whole float such as 73.0 (a count summed in floats)."""
    number = checks.as_int(answer)
    if number is None:
        value = checks.as_float(answer)
        number = int(value) if value is not None and value.is_integer() else None
    return number


def read_float(answer):
    """A float from any real number, numpy number or one-element tensor."""
    return checks.as_float(answer)


def read_shape(answer):
    """A tuple of ints from a tuple, list or torch.Size whose entries read_int takes."""
    if not isinstance(answer, (tuple, list, torch.Size)):
        return None
    dims = tuple(checks.as_int(n) for n in answer)
    return None if None in dims else dims


def read_str(answer):
    """A plain str from a str (a subclass is read as its plain characters)."""
    return str.__str__(answer) if isinstance(answer, str) else None


def read_char(answer):
    """A one-character str."""
    text = read_str(answer)
    return text if text is not None and len(text) == 1 else None


def read_tensor(answer):
    """A plain, detached torch.Tensor from a tensor (or tensor subclass) or a numpy array."""
    if isinstance(answer, np.ndarray):
        return torch.from_numpy(answer)
    return answer.detach().as_subclass(torch.Tensor) if isinstance(answer, torch.Tensor) else None


def read_floats(answer):
    """A 1-D float64 tensor from a tensor, an array or a list of numbers."""
    tensor = read_tensor(answer)
    if tensor is None and isinstance(answer, (list, tuple)):
        values = [checks.as_float(v) for v in answer]
        tensor = None if None in values else torch.tensor(values, dtype=torch.float64)
    return None if tensor is None or tensor.is_complex() else tensor.double().flatten()


def read_array(answer):
    """A float64 tensor of the answer's own shape from a tensor, an array or a (nested) list of numbers."""
    tensor = read_tensor(answer)
    if tensor is None and isinstance(answer, (list, tuple)):
        tensor = _nested_floats(answer)
    return None if tensor is None or tensor.is_complex() else tensor.double()


def _nested_floats(answer):
    """A float64 tensor from a (nested) list or tuple of numbers read by read_float, else None."""
    rows = [_nested_floats(a) if isinstance(a, (list, tuple)) else read_float(a) for a in answer]
    if None in rows:
        return None
    if all(isinstance(r, float) for r in rows):
        return torch.tensor(rows, dtype=torch.float64)
    if (
        not all(isinstance(r, torch.Tensor) for r in rows)
        or len({tuple(r.shape) for r in rows}) > 1
    ):
        return None
    return torch.stack(rows) if rows else None


def read_pair(answer):
    """Two plain tensors from a tuple or list of two (what get_batch returns, or [x, y])."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return None
    x, y = read_tensor(answer[0]), read_tensor(answer[1])
    return None if x is None or y is None else (x, y)


def read_names(answer):
    """A tuple of plain strs from a list or tuple of strs."""
    if not isinstance(answer, (list, tuple)):
        return None
    names = tuple(read_str(a) for a in answer)
    return None if None in names else names


def read_shapes(answer):
    """A tuple of shapes (tuples of ints) from a tuple or list of them: (logits.shape, targets.shape)."""
    if not isinstance(answer, (list, tuple)) or isinstance(answer, torch.Size):
        return None
    shapes = tuple(read_shape(a) for a in answer)
    return None if None in shapes else shapes


def read_function(answer):
    """The answer itself when it can be called, such as a function or a lambda (logits, targets) -> loss."""
    return answer if callable(answer) else None
