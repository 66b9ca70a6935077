"""Self-checks for the exercises of notebook 11, your own text: each takes the learner's corpus too."""

import math

import torch

from ..counts import bigram_counts, optimal_loss
from ..validation import plain_float, plain_int  # numpy and 0-d tensor answers count too
from .answers import not_yet, report
from .verdict import exercise


@exercise("11.1", solution="""
```python
counts = torch.bincount(mine.train_data, minlength=mine.vocab_size).double()  # (C,) how often each character occurs
p = counts / counts.sum()                                                       # (C,) their frequencies
answer = -(p[p > 0] * p[p > 0].log()).sum().item()                              # the mean of -ln p(next)
```
A guess that always predicts the characters' frequencies gives the true next character probability p(c)
whenever c comes next, which happens with frequency p(c): its mean loss is the sum of -p(c) ln p(c), the
entropy of the characters. It lies between the floor (which also knows the current character) and ln C.
""")
def check_own_unigram_loss(answer, corpus):
    """The loss on train_data of a guess that knows each character's frequency but not the current character."""
    if not_yet(answer, "a float: the loss of always predicting the characters' frequencies"):
        return False
    value, C = plain_float(answer), corpus.vocab_size
    if value is None:
        return report(False, f"Expected a number (a float), got {answer!r}.")
    counts = torch.bincount(corpus.train_data, minlength=C).double()  # (C,)
    p = counts[counts > 0] / counts.sum()
    expected = -(p * p.log()).sum().item()
    if abs(value - expected) <= 1e-3:
        return report(True, f"{expected:.4f}: below ln {C} = {math.log(C):.4f}, because knowing which characters "
                            "are common already helps, and above the count floor, which also knows the current one.")
    if abs(value - math.log(C)) <= 1e-3:
        return report(False, f"{value:.4f} is ln {C}, the blind guess that gives every character 1/{C}. Weight "
                             "each character by how often it occurs in train_data.")
    if abs(value - optimal_loss(corpus.train_data, C)) <= 1e-3:
        return report(False, f"{value:.4f} is the count floor, which also knows the current character. This guess "
                             "knows only how often each character occurs overall.")
    if abs(value - expected / math.log(2)) <= 1e-3 or abs(value - expected / math.log(10)) <= 1e-3:
        return report(False, "Not quite: the course's losses are in nats: use the natural logarithm.")
    return report(False, f"Not quite: {value!r} is not the mean of -ln p(c) over the characters c of train_data, "
                         "with p(c) each character's frequency there.")


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
    whole = plain_float(answer)
    if value is None and whole is not None and whole.is_integer():  # e.g. (counts > 0).float().sum().item()
        value = int(whole)
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
