"""Self-checks for the exercises of notebook 11, your own text: each takes the learner's corpus too."""

import math

import torch

from ..counts import bigram_counts, optimal_loss
from .answers import read_count, read_float
from .verdict import correct, exercise, not_quite

LOSS_TOL = 1e-3


@exercise(
    "11.1",
    reads=read_float,
    expects="a float: the loss of always predicting the characters' frequencies",
    solution="""
```python
counts = torch.bincount(mine.train_data, minlength=mine.vocab_size).double()  # (C,) each character's count
p = counts / counts.sum()                                                     # (C,) their frequencies
answer = -(p[p > 0] * p[p > 0].log()).sum().item()                            # the mean of -ln p(next)
```
A guess that always predicts the characters' frequencies gives the true next character probability p(c)
whenever c comes next, which happens with frequency p(c): its mean loss is the sum of -p(c) ln p(c), the
entropy of the characters. It lies between the floor (which also knows the current character) and ln C.
""",
)
def check_own_unigram_loss(value, corpus):
    """Exercise 11.1: the train_data loss of a guess that knows the characters' frequencies only."""
    C = corpus.vocab_size
    if math.isnan(value):
        return not_quite(
            "nan",
            "NaN comes from 0 x log 0: a character with a zero count in train_data gives "
            "p = 0, and 0 * log(0) is 0 * -inf = NaN in floating point. Sum only over p > 0: "
            "p[p > 0].",
        )
    counts = torch.bincount(corpus.train_data, minlength=C).double()  # (C,)
    p = counts[counts > 0] / counts.sum()
    expected = -(p * p.log()).sum().item()
    floor = optimal_loss(corpus.train_data, C)
    if abs(value - expected) <= LOSS_TOL:
        return correct(
            f"{expected:.4f}: below ln {C} = {math.log(C):.4f}, because knowing which characters "
            "are common already helps, and above the count floor, which also knows the current "
            "one."
        )
    if abs(value - math.log(C)) <= LOSS_TOL:
        return not_quite(
            "blind_guess",
            f"{value:.4f} is ln {C}, the blind guess that gives every character "
            f"1/{C}. Weight each character by how often it occurs in train_data.",
        )
    if abs(value - floor) <= LOSS_TOL:
        return not_quite(
            "count_floor",
            f"{value:.4f} is the count floor, which also knows the current "
            "character. This guess knows only how often each character occurs overall.",
        )
    if (
        abs(value - expected / math.log(2)) <= LOSS_TOL
        or abs(value - expected / math.log(10)) <= LOSS_TOL
    ):
        return not_quite("log_base", "the course's losses are in nats: use the natural logarithm.")
    if value < floor - LOSS_TOL:
        return not_quite(
            "below_floor",
            f"{value:.4f} is below the floor. No guess that ignores the current "
            "character can beat a guess that knows it, and no bigram table beats the counted "
            f"one on train_data: the floor is {floor:.4f}. A loss below it means the sum is "
            "off: a missing minus sign, a mean over the C characters instead of the "
            "frequency-weighted sum, or frequencies that do not add up to 1.",
        )
    return not_quite(
        "other",
        f"{value:.4f} is not the mean of -ln p(c) over the characters c of train_data, "
        "with p(c) each character's frequency there.",
    )


@exercise(
    "11.2",
    reads=read_count,
    expects="an int: the number of different (current, next) pairs in train_data",
    solution="""
```python
counts = bigram_counts(mine.train_data, mine.vocab_size)  # (C, C)
answer = int((counts > 0).sum())  # each different (current, next) pair once
```
`bigram_counts` holds how often each pair occurs; a cell above 0 is a pair the text contains at least once.
""",
)
def check_own_pairs_seen(n, corpus):
    """Exercise 11.2: how many of the C x C ordered character pairs occur at least once in train_data."""
    C = corpus.vocab_size
    counts = bigram_counts(corpus.train_data, C)  # (C, C)
    expected = int((counts > 0).sum())
    if n == expected:
        return correct(
            f"{expected:,} of the {C * C:,} cells of the table are ever used "
            f"({expected / (C * C):.0%}); the rest stay near zero probability after training."
        )
    if n == C * C:
        return not_quite(
            "every_pair",
            "that is every possible pair, C * C; count only the cells of "
            "bigram_counts(train_data, C) that are above 0.",
        )
    if n == int(counts.sum()):
        return not_quite(
            "every_occurrence",
            "that counts every occurrence; count each different pair once (cells > 0).",
        )
    return not_quite(
        "other", f"{n:,} is not the number of cells of bigram_counts(train_data, C) above 0."
    )
