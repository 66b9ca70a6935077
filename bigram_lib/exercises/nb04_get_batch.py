"""Self-checks for the exercises of notebook 04, get_batch."""

import torch

from ..batch import get_batch
from .answers import as_int, course_corpus, not_yet, notes_batch
from .verdict import exercise

LARGEST_START_LEN, LARGEST_START_T = 20, 8  # the exercise's data = torch.arange(20), block_size = 8


def _largest_start(length=LARGEST_START_LEN, block_size=LARGEST_START_T, draws=4000):
    """The largest start offset get_batch actually draws for data = torch.arange(length)."""
    data = torch.arange(length)  # token id == position, so x[:, 0] is the start offset
    x, _ = get_batch(data, draws, block_size, generator=torch.Generator().manual_seed(0))  # (draws, T)
    return int(x[:, 0].max())


@exercise("04.1")
def check_largest_start(answer):
    """Exercise 04.1: the largest start index get_batch can pick for torch.arange(20) and block_size 8."""
    if not_yet(answer, "an int: the largest start index"):
        return False
    value = as_int(answer)
    if value is None:
        print(f"Expected a whole number (an int), got {type(answer).__name__} {answer!r}.")
        return False
    expected = _largest_start()
    if value == expected:
        print(f"Correct! torch.randint(high) draws 0 .. high-1, so with high = len(data) - block_size - 1 = "
              f"{expected + 1} the largest start is {expected}; its y ends at index {expected + LARGEST_START_T} "
              f"and the last token (id {LARGEST_START_LEN - 1}) is never a target.")
        return True
    if value == expected + 1:
        print(f"Not quite: {value} is the largest start of the lecture's bound torch.randint(len(data) - block_size). "
              "get_batch keeps the notes' bound len(data) - block_size - 1, and torch.randint(high) never returns high.")
    elif value > expected + 1:
        print(f"Too large: a start of {value} would need y = data[{value + 1}:{value + LARGEST_START_T + 1}], "
              f"which runs past the end of a tensor of length {LARGEST_START_LEN}.")
    else:
        print(f"Too small: get_batch can start later than {value}. Remember torch.randint(high) "
              "draws from 0 up to high - 1, with high = len(data) - block_size - 1.")
    return False


@exercise("04.2")
def check_target_char(answer):
    """Exercise 04.2: the target character after the context xb[2, :5] of the notes' first batch."""
    if not_yet(answer, "a one-character string"):
        return False
    if not isinstance(answer, str) or len(answer) != 1:
        print(f"Expected a one-character string such as 'e', got {answer!r}.")
        return False
    corpus = course_corpus()
    xb, yb = notes_batch()
    context = corpus.decode(xb[2, :5].tolist())
    expected = corpus.decode([int(yb[2, 4])])
    if answer == expected:
        print(f"Correct! When the input is {context!r} the target is {expected!r}: yb[2, 4] == xb[2, 5].")
        return True
    if answer == corpus.decode([int(xb[2, 4])]):
        print(f"Not quite: {answer!r} is the last character OF the context {context!r}. "
              "The target is the character that comes after it: yb[2, 4].")
    elif answer == corpus.decode([int(yb[2, 5])]):
        print(f"Not quite: {answer!r} is yb[2, 5], one step too far. The context xb[2, :5] ends at position 4, "
              "so its target is yb[2, 4].")
    else:
        print(f"Not quite: {answer!r} is not the character that follows {context!r} in the batch. "
              "Look up yb[2, 4] and decode it.")
    return False


VAL_B, VAL_T, VAL_SEED = 3, 5, 42  # exercise 04.3: batch_size, block_size, generator seed


@exercise("04.3")
def check_val_batch(answer):
    """Exercise 04.3: (x, y) = get_batch(val_data, 3, 5) drawn with a torch.Generator seeded 42."""
    if not_yet(answer, "the pair (x, y) returned by get_batch"):
        return False
    if not isinstance(answer, tuple) or len(answer) != 2 or not all(isinstance(t, torch.Tensor) for t in answer):
        print("Expected a tuple (x, y) of two tensors, exactly what get_batch returns.")
        return False
    x, y = answer
    corpus = course_corpus()
    want_x, want_y = get_batch(corpus.val_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED))
    if x.shape != want_x.shape or y.shape != want_y.shape:
        print(f"Wrong shapes: x {tuple(x.shape)}, y {tuple(y.shape)}; a batch of batch_size {VAL_B} and "
              f"block_size {VAL_T} has shape (B, T) = {tuple(want_x.shape)} for both.")
        return False
    if x.dtype != torch.long or y.dtype != torch.long:
        print(f"x and y should hold token ids (torch.long), got {x.dtype} and {y.dtype}.")
        return False
    if not torch.equal(x[:, 1:], y[:, :-1]):
        print("y should be x shifted by one: y[:, :-1] must equal x[:, 1:]. Did you swap or edit x and y?")
        return False
    if torch.equal(x, want_x) and torch.equal(y, want_y):
        print(f"Correct! Three random windows of 5 characters from val_data: "
              f"{[corpus.decode(row.tolist()) for row in x]}.")
        return True
    train_x, _ = get_batch(corpus.train_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED))
    if torch.equal(x, train_x):
        print("These windows come from train_data; the exercise asks for val_data.")
    else:
        print(f"Right shapes, different windows: pass generator=torch.Generator().manual_seed({VAL_SEED}) "
              "to get_batch (a fresh generator, used for nothing else first).")
    return False
