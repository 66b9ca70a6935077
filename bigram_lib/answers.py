"""Reading a learner's exercise answer: the placeholder, numbers, shapes and the printed verdict."""

from functools import lru_cache

import torch

from .corpus import load_corpus


@lru_cache(maxsize=1)
def course_corpus():
    """The course corpus, loaded once for every self-check."""
    return load_corpus(progress=False)


def report(ok, message):
    """Print 'Correct! ...' or what is wrong; return ok."""
    print(f"Correct! {message}" if ok else message)
    return ok


def not_yet(answer, what):
    """True (after saying so) when the exercise has not been answered yet."""
    if answer is None:
        print(f"Not yet: `answer` is still None. Replace it with {what}.")
        return True
    return False


def as_shape(answer):
    """A tuple of ints from a tuple, list or torch.Size, else None."""
    if isinstance(answer, (tuple, list, torch.Size)) and all(
        isinstance(n, int) and not isinstance(n, bool) for n in answer
    ):
        return tuple(answer)
    return None


def as_int(answer):
    """An int from an int or a one-element integer tensor, else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1 and not answer.is_floating_point():
        return int(answer.item())
    if isinstance(answer, int) and not isinstance(answer, bool):
        return answer
    return None


def as_float(answer):
    """A float from a number or a one-element tensor, else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        return float(answer.item())
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return float(answer)
    return None
