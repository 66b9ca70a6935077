"""Self-checks for the exercises of notebook 10, the notes, the video and bigram.py."""

from dataclasses import replace
from functools import lru_cache

import torch

from ..course.recipes import LECTURE, run_recipe
from .answers import course_corpus, read_float, read_int
from .verdict import correct, exercise, not_quite

LECTURE_T = 8  # exercise 10.1: bigram.py's block_size


@exercise(
    "10.1",
    reads=read_int,
    name="last_start",
    expects="an int: the largest i that torch.randint(len(train_data) - block_size, ...) can return",
    solution="""
```python
T = 8
last_start = len(train_data) - T - 1  # randint(high) returns at most high - 1, and high = len(train_data) - T
check_last_lecture_start(last_start)
```
The lecture draws `torch.randint(len(data) - block_size, ...)`; `randint`'s upper bound is exclusive, so the
largest start is `len(data) - block_size - 1`, and its target block still ends exactly at the last token.
""",
)
def check_last_lecture_start(value):
    """Exercise 10.1: the largest start the lecture's get_batch can draw in train_data (block_size 8)."""
    n, T = len(course_corpus().train_data), LECTURE_T
    expected = n - T - 1  # randint's high is exclusive
    if value == expected:
        return correct(
            f"{expected:,}: the block train_data[{expected:,}:{expected + T:,}] and its target "
            "end exactly at the last token; the notes' bound stops one start earlier, at "
            f"{expected - 1:,}."
        )
    if value == expected - 1:
        return not_quite(
            "notes_bound",
            "that is the notes' last start, len(train_data) - block_size - 2. "
            "The lecture's bound is one larger.",
        )
    if value == n - T:
        return not_quite(
            "high_itself", "torch.randint(high, ...) never returns high itself; subtract one."
        )
    return not_quite(
        "other", f"{value:,} is not it. Start from len(train_data) = {n:,} and block_size = {T}."
    )


@lru_cache(maxsize=2)
def _val_loss_at_end(eval_stream):
    """bigram.py's last estimated val loss and its step, with evaluation drawing from `eval_stream`."""
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        run = run_recipe(course_corpus(), replace(LECTURE, eval_stream=eval_stream))
    return run.history.val_loss[-1], run.history.steps[-1]


def _own_stream_val_loss():
    """bigram.py's val loss at step 2700 (and that step) when evaluation draws from its own generator."""
    return _val_loss_at_end("own")


VAL_TOL = 5e-5


@exercise(
    "10.2",
    reads=read_float,
    name="own_stream_val_loss",
    expects="the val loss at step 2700, a float like 2.5",
    solution="""
```python
from dataclasses import replace
run = run_recipe(corpus, replace(LECTURE, eval_stream="own"))
own_stream_val_loss = run.history.val_loss[-1]
check_own_stream_val_loss(own_stream_val_loss)
```
With its own generator, evaluation no longer takes draws from the training stream, so every training batch,
step 0's included, is a different one, and so is every estimate.
""",
)
def check_own_stream_val_loss(value):
    """Exercise 10.2: bigram.py's recipe with eval_stream='own': the val loss it estimates at step 2700."""
    expected, step = _own_stream_val_loss()
    if abs(value - expected) <= VAL_TOL:
        return correct(
            f"{expected:.4f} at step {step}: with its own generator, evaluation no longer moves "
            "the training stream, so every training batch (step 0's included) and every estimate change."
        )
    lecture, _ = _val_loss_at_end("training")
    if abs(value - lecture) <= VAL_TOL:
        return not_quite(
            "training_stream",
            f"{value:.4f} is bigram.py's own val loss at step {step}, with "
            "eval_stream='training' (the lecture's table). Run "
            "run_recipe(corpus, replace(LECTURE, eval_stream='own')) and read "
            "history.val_loss[-1].",
        )
    return not_quite(
        "other",
        f"{value:.4f} is not the val loss at step {step}. Run "
        "run_recipe(corpus, replace(LECTURE, eval_stream='own')) and read history.val_loss[-1]; "
        "with eval_stream='training' (bigram.py's own) you get the lecture's table instead.",
    )
