"""Self-checks for the exercises of notebook 11, your own text: each takes the learner's corpus too."""

import math

from ..counts import bigram_counts
from ..validation import plain_float, plain_int  # numpy and 0-d tensor answers count too
from .answers import not_yet, report
from .verdict import exercise


@exercise("11.1", solution="""
```python
import math
answer = math.log(mine.vocab_size)  # -ln(1/C): every one of the C characters equally likely
```
A uniform guess gives each character probability 1/C, and the loss is the negative natural log of the
probability of the right one: ln C, whatever the text.
""")
def check_own_uniform_loss(answer, corpus):
    """The loss of a model that gives every one of the text's C characters the same probability: ln C."""
    if not_yet(answer, "a float: the loss of a uniform guess over your text's characters"):
        return False
    value, C = plain_float(answer), corpus.vocab_size
    if value is None:
        return report(False, f"Expected a number (a float), got {answer!r}.")
    expected = math.log(C)
    if abs(value - expected) <= 1e-3:
        return report(True, f"ln {C} = {expected:.4f}: each character gets probability 1/{C}, and the loss is "
                            f"-ln(1/{C}) = ln {C}. An untrained model starts near it, whatever the text.")
    if abs(value - C) <= 1e-9:
        return report(False, f"Not quite: {C} is C itself. The loss is -ln p for p = 1/C: take the logarithm.")
    if abs(value - math.log2(C)) <= 1e-3 or abs(value - math.log10(C)) <= 1e-3:
        return report(False, "Not quite: the course's losses are in nats: use the natural logarithm, math.log.")
    return report(False, f"Not quite: {value!r} is not -ln(1/C) for C = corpus.vocab_size of your text.")


@exercise("11.2", solution="""
```python
counts = bigram_counts(mine.train_data, mine.vocab_size)  # (C, C)
answer = int((counts > 0).sum())  # each different (current, next) pair once
```
`bigram_counts` holds how often each pair occurs; a cell above 0 is a pair the text contains at least once.
""")
def check_own_pairs_seen(answer, corpus):
    """How many of the C x C ordered character pairs occur at least once in the training split."""
    if not_yet(answer, "an int: the number of different (current, next) pairs in train_data"):
        return False
    value, C = plain_int(answer), corpus.vocab_size
    if value is None:
        return report(False, f"Expected an int, got {answer!r}.")
    counts = bigram_counts(corpus.train_data, C)  # (C, C)
    expected = int((counts > 0).sum())
    if value == expected:
        return report(True, f"{expected:,} of the {C * C:,} cells of the table are ever used ({expected / (C * C):.0%}); "
                            "the rest stay near zero probability after training.")
    if value == C * C:
        return report(False, "Not quite: that is every possible pair, C * C; count only the cells of "
                             "bigram_counts(train_data, C) that are above 0.")
    if value == int(counts.sum()):
        return report(False, "Not quite: that counts every occurrence; count each different pair once (cells > 0).")
    return report(False, f"Not quite: {value:,} is not the number of cells of bigram_counts(train_data, C) above 0.")
