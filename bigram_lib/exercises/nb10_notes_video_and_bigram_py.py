"""Self-checks for the exercises of notebook 10, the notes, the video and bigram.py."""

from dataclasses import replace
from functools import lru_cache

import torch

from ..lecture import run_recipe
from ..recipes import LECTURE
from .answers import as_float, as_int, course_corpus, not_yet, report
from .verdict import exercise


@exercise("10.1", solution="""
```python
T = 8
answer = len(train_data) - T - 1  # randint(high) returns at most high - 1, and high = len(train_data) - T
```
The lecture draws `torch.randint(len(data) - block_size, ...)`; `randint`'s upper bound is exclusive, so the
largest start is `len(data) - block_size - 1`, and its target block still ends exactly at the last token.
""")
def check_last_lecture_start(answer):
    """The largest start offset the lecture's get_batch can draw in train_data (block_size 8)."""
    if not_yet(answer, "an int: the largest i that torch.randint(len(train_data) - block_size, ...) can return"):
        return False
    n, T = len(course_corpus().train_data), 8
    expected = n - T - 1  # randint's high is exclusive
    value = as_int(answer)
    if value is None:
        return report(False, f"Expected an int, got {answer!r}.")
    if value == expected:
        return report(True, f"{expected:,}: the block train_data[{expected:,}:{expected + T:,}] and its target end "
                            f"exactly at the last token; the notes' bound stops one start earlier, at {expected - 1:,}.")
    if value == expected - 1:
        return report(False, "Not quite: that is the notes' last start, len(train_data) - block_size - 2. "
                             "The lecture's bound is one larger.")
    if value == n - T:
        return report(False, "Not quite: torch.randint(high, ...) never returns high itself; subtract one.")
    return report(False, f"Not quite: {value:,} is not it. Start from len(train_data) = {n:,} and block_size = {T}.")


@lru_cache(maxsize=1)
def _own_stream_val_loss():
    """bigram.py's val loss at step 2700 when evaluation draws from its own generator."""
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        run = run_recipe(course_corpus(), replace(LECTURE, eval_stream="own"))
    return run.history.val_loss[-1], run.history.steps[-1]


@exercise("10.2", solution="""
```python
from dataclasses import replace
run = run_recipe(corpus, replace(LECTURE, eval_stream="own"))
answer = run.history.val_loss[-1]
```
With its own generator, evaluation no longer takes draws from the training stream, so every training batch
after step 0 is a different one, and so is every estimate.
""")
def check_own_stream_val_loss(answer):
    """bigram.py's recipe with eval_stream='own': the val loss it estimates at step 2700."""
    if not_yet(answer, "the val loss at step 2700, a float like 2.5"):
        return False
    value = as_float(answer)
    if value is None:
        return report(False, f"Expected a number, got {answer!r}.")
    expected, step = _own_stream_val_loss()
    if abs(value - expected) <= 5e-5:
        return report(True, f"{expected:.4f} at step {step}: with its own generator, evaluation no longer moves the "
                            "training stream, so every batch after step 0 and every estimate change.")
    return report(False, f"Not quite: {value:.4f} is not the val loss at step {step}. Run "
                         "run_recipe(corpus, replace(LECTURE, eval_stream='own')) and read history.val_loss[-1]; "
                         "with eval_stream='training' (bigram.py's own) you get the lecture's table instead.")
