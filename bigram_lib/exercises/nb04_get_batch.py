"""Self-checks for the exercises of notebook 04, get_batch."""

import torch

from ..batch import get_batch
from .answers import course_corpus, read_char, read_int, read_pair
from .verdict import correct, exercise, not_quite

LARGEST_START_LEN, LARGEST_START_T = 20, 8  # the exercise's data = torch.arange(20), block_size = 8


def _largest_start(length=LARGEST_START_LEN, block_size=LARGEST_START_T, draws=4000):
    """The largest start offset get_batch actually draws for data = torch.arange(length)."""
    data = torch.arange(length)  # token id == position, so x[:, 0] is the start offset
    # (draws, T)
    x, _ = get_batch(data, draws, block_size, generator=torch.Generator().manual_seed(0))
    return int(x[:, 0].max())


@exercise(
    "04.1",
    reads=read_int,
    expects="an int: the largest start index",
    solution="""
```python
data = torch.arange(20)
high = len(data) - 8 - 1     # get_batch's bound, len(data) - block_size - 1 = 11
answer = high - 1            # torch.randint(high) draws 0 .. high - 1
x, _ = get_batch(data, 5000, 8, generator=torch.Generator().manual_seed(0))
answer, x[:, 0].max().item()   # (10, 10): the draws agree
```
`torch.randint(high)` never returns `high` itself, so the largest start is `len(data) - block_size - 2 = 10`.
Its `y` is `data[11:19]`: the last id, 19, is never a target with the notes' bound.
""",
)
def check_largest_start(value):
    """Exercise 04.1: the largest start index get_batch can pick for torch.arange(20) and block_size 8."""
    expected = _largest_start()
    if value == expected:
        return correct(
            f"torch.randint(high) draws 0 .. high-1, so with high = len(data) - block_size - 1 = "
            f"{expected + 1} the largest start is {expected}; its y ends at index "
            f"{expected + LARGEST_START_T} and the last token (id {LARGEST_START_LEN - 1}) is "
            "never a target."
        )
    if value == expected + 1:
        return not_quite(
            "lecture_bound",
            f"{value} is the largest start of the lecture's bound "
            "torch.randint(len(data) - block_size). get_batch keeps the notes' bound "
            "len(data) - block_size - 1, and torch.randint(high) never returns high.",
        )
    if value > expected + 1:
        return not_quite(
            "too_large",
            f"a start of {value} would need y = data[{value + 1}:"
            f"{value + LARGEST_START_T + 1}], which runs past the end of a tensor of length "
            f"{LARGEST_START_LEN}.",
        )
    return not_quite(
        "too_small",
        f"get_batch can start later than {value}. Remember torch.randint(high) "
        "draws from 0 up to high - 1, with high = len(data) - block_size - 1.",
    )


# exercise 04.2: xv, yv = get_batch(val_data, 4, 8, seed-0 gen.)
TARGET_ROW, TARGET_T, TARGET_SEED = 1, 8, 0


def _val_demo_batch():
    """The notebook's validation batch: get_batch(val_data, 4, 8) with a fresh generator seeded 0."""
    corpus = course_corpus()
    return get_batch(
        corpus.val_data, 4, TARGET_T, generator=torch.Generator().manual_seed(TARGET_SEED)
    )


@exercise(
    "04.2",
    reads=read_char,
    expects="a one-character string such as 'e'",
    solution="""
```python
answer = decode([yv[1, 7].item()])   # or decode([yv[1, -1].item()])
```
The target of the context `xv[1, :t+1]` is `yv[1, t]`; for the whole window `t = 7`, the last column of
`yv`. It is the one character of `yv[1]` that is not in `xv[1]`: the character right after the window in
the text.
""",
)
def check_target_char(char):
    """Exercise 04.2: the target of the whole window xv[1] of the notebook's validation batch (seed 0)."""
    corpus = course_corpus()
    xv, yv = _val_demo_batch()
    context = corpus.decode(xv[TARGET_ROW].tolist())
    expected = corpus.decode([int(yv[TARGET_ROW, -1])])
    if char == expected:
        return correct(
            f"When the input is the whole window {context!r}, the target is {expected!r}: "
            f"yv[{TARGET_ROW}, {TARGET_T - 1}], the character right after the window in the text."
        )
    if char == corpus.decode([int(xv[TARGET_ROW, -1])]):
        return not_quite(
            "last_of_context",
            f"{char!r} is the last character OF the context {context!r} (and "
            f"yv[{TARGET_ROW}, {TARGET_T - 2}]). The target is the character that comes after "
            f"it: yv[{TARGET_ROW}, {TARGET_T - 1}].",
        )
    if char == corpus.decode([int(xv[TARGET_ROW, 0])]):
        return not_quite(
            "first_of_context",
            f"{char!r} is the first character of the window. The target of "
            f"the whole window is the character after its last one: yv[{TARGET_ROW}, "
            f"{TARGET_T - 1}].",
        )
    return not_quite(
        "other",
        f"{char!r} is not the character that follows {context!r}. "
        f"Look up yv[{TARGET_ROW}, {TARGET_T - 1}] and decode it.",
    )


VAL_B, VAL_T, VAL_SEED = 3, 5, 42  # exercise 04.3: batch_size, block_size, generator seed


@exercise(
    "04.3",
    reads=read_pair,
    expects="the pair (x, y) that get_batch returns",
    solution="""
```python
g = torch.Generator().manual_seed(42)
answer = get_batch(val_data, 3, 5, generator=g)
check_val_batch(answer, g)
```
The split is the tensor you pass (`val_data`), the sizes are `batch_size = 3`, `block_size = 5`, and a fresh
generator makes the draw reproducible without touching the global seed.
""",
)
def check_val_batch(pair, g=None):
    """Exercise 04.3: (x, y) = get_batch(val_data, 3, 5) drawn with the learner's Generator g (seed 42)."""
    x, y = pair
    corpus = course_corpus()
    want_x, want_y = get_batch(
        corpus.val_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED)
    )
    if x.shape != want_x.shape or y.shape != want_y.shape:
        return not_quite(
            "shape",
            f"x has shape {tuple(x.shape)} and y {tuple(y.shape)}; a batch of "
            f"batch_size {VAL_B} and block_size {VAL_T} has shape (B, T) = "
            f"{tuple(want_x.shape)} for both.",
        )
    if x.dtype != torch.long or y.dtype != torch.long:
        return not_quite(
            "dtype", f"x and y should hold token ids (torch.long), got {x.dtype} and {y.dtype}."
        )
    if not torch.equal(x[:, 1:], y[:, :-1]):
        return not_quite(
            "not_shifted",
            "y should be x shifted by one: y[:, :-1] must equal x[:, 1:]. "
            "Did you swap or edit x and y?",
        )
    if not (torch.equal(x, want_x) and torch.equal(y, want_y)):
        train_x, _ = get_batch(
            corpus.train_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED)
        )
        if torch.equal(x, train_x):
            return not_quite(
                "train_split", "these windows come from train_data; the exercise asks for val_data."
            )
        return not_quite(
            "other_windows",
            f"right shapes, other windows: pass generator=g, with g = "
            f"torch.Generator().manual_seed({VAL_SEED}) used for nothing else first.",
        )
    # the right windows: did they come from a generator of the learner's own, as the exercise asks?
    if not isinstance(g, torch.Generator) or g is torch.default_generator:
        return not_quite(
            "no_generator",
            "these are the right windows, but pass the generator you drew them "
            "with as well, check_val_batch(answer, g), with g = "
            f"torch.Generator().manual_seed({VAL_SEED}) (not the global stream "
            "torch.manual_seed returns).",
        )
    drawn = torch.Generator().manual_seed(VAL_SEED)
    # where g stands after exactly this one draw
    get_batch(corpus.val_data, VAL_B, VAL_T, generator=drawn)
    if g.initial_seed() != VAL_SEED or not torch.equal(g.get_state(), drawn.get_state()):
        return not_quite(
            "not_from_g",
            f"these are the right windows, but g did not draw them: g should be a "
            f"fresh torch.Generator().manual_seed({VAL_SEED}) that drew exactly this batch, "
            f"get_batch(val_data, {VAL_B}, {VAL_T}, generator=g). The global stream seeded with "
            f"{VAL_SEED} gives the same windows only while nothing else draws in between.",
        )
    return correct(
        f"three random windows of {VAL_T} characters from val_data, drawn with a generator of "
        f"your own: {[corpus.decode(row.tolist()) for row in x]}."
    )
