"""Self-checks for the exercises of notebook 04, get_batch."""

import torch

from ..batch import get_batch
from .answers import as_int, course_corpus, not_yet
from .verdict import exercise

LARGEST_START_LEN, LARGEST_START_T = 20, 8  # the exercise's data = torch.arange(20), block_size = 8


def _largest_start(length=LARGEST_START_LEN, block_size=LARGEST_START_T, draws=4000):
    """The largest start offset get_batch actually draws for data = torch.arange(length)."""
    data = torch.arange(length)  # token id == position, so x[:, 0] is the start offset
    x, _ = get_batch(data, draws, block_size, generator=torch.Generator().manual_seed(0))  # (draws, T)
    return int(x[:, 0].max())


@exercise("04.1", solution="""
```python
data = torch.arange(20)
high = len(data) - 8 - 1     # get_batch's bound, len(data) - block_size - 1 = 11
answer = high - 1            # torch.randint(high) draws 0 .. high - 1
x, _ = get_batch(data, 5000, 8, generator=torch.Generator().manual_seed(0))
print(answer, x[:, 0].max().item())   # 10 10: the draws agree
```
`torch.randint(high)` never returns `high` itself, so the largest start is `len(data) - block_size - 2 = 10`.
Its `y` is `data[11:19]`: the last id, 19, is never a target with the notes' bound.
""")
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


TARGET_ROW, TARGET_T, TARGET_SEED = 1, 8, 0  # exercise 04.2: xv, yv = get_batch(val_data, 4, 8, seed-0 generator)


def _val_demo_batch():
    """The notebook's validation batch: get_batch(val_data, 4, 8) with a fresh generator seeded 0."""
    corpus = course_corpus()
    return get_batch(corpus.val_data, 4, TARGET_T, generator=torch.Generator().manual_seed(TARGET_SEED))


@exercise("04.2", solution="""
```python
answer = decode([yv[1, 7].item()])   # or decode([yv[1, -1].item()])
```
The target of the context `xv[1, :t+1]` is `yv[1, t]`; for the whole window `t = 7`, the last column of
`yv`. It is the one character of `yv[1]` that is not in `xv[1]`: the character right after the window in
the text.
""")
def check_target_char(answer):
    """Exercise 04.2: the target of the whole window xv[1] of the notebook's validation batch (generator seed 0)."""
    if not_yet(answer, "a one-character string"):
        return False
    if not isinstance(answer, str) or len(answer) != 1:
        print(f"Expected a one-character string such as 'e', got {answer!r}.")
        return False
    corpus = course_corpus()
    xv, yv = _val_demo_batch()
    context = corpus.decode(xv[TARGET_ROW].tolist())
    expected = corpus.decode([int(yv[TARGET_ROW, -1])])
    if answer == expected:
        print(f"Correct! When the input is the whole window {context!r}, the target is {expected!r}: "
              f"yv[{TARGET_ROW}, {TARGET_T - 1}], the character right after the window in the text.")
        return True
    if answer == corpus.decode([int(xv[TARGET_ROW, -1])]):
        print(f"Not quite: {answer!r} is the last character OF the context {context!r} (and yv[{TARGET_ROW}, "
              f"{TARGET_T - 2}]). The target is the character that comes after it: yv[{TARGET_ROW}, {TARGET_T - 1}].")
    elif answer == corpus.decode([int(xv[TARGET_ROW, 0])]):
        print(f"Not quite: {answer!r} is the first character of the window. The target of the whole window is "
              f"the character after its last one: yv[{TARGET_ROW}, {TARGET_T - 1}].")
    else:
        print(f"Not quite: {answer!r} is not the character that follows {context!r}. "
              f"Look up yv[{TARGET_ROW}, {TARGET_T - 1}] and decode it.")
    return False


VAL_B, VAL_T, VAL_SEED = 3, 5, 42  # exercise 04.3: batch_size, block_size, generator seed


@exercise("04.3", solution="""
```python
answer = get_batch(val_data, 3, 5, generator=torch.Generator().manual_seed(42))
```
The split is the tensor you pass (`val_data`), the sizes are `batch_size = 3`, `block_size = 5`, and a fresh
generator makes the draw reproducible without touching the global seed.
""")
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
