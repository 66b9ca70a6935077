"""Self-checks for the exercises of notebook 09, counting against learning."""

from ..counts import bigram_counts, count_probs
from .answers import as_float, as_int, course_corpus, not_yet, verdict
from .verdict import exercise


@exercise("09.1", solution="""
```python
counts = bigram_counts(train_data, C)  # (C, C) pair counts of the training split
n_once = int((counts == 1).sum())
check_pairs_seen_once(n_once)
```
`counts == 1` is a (C, C) table of True/False; summing it counts the True entries. These pairs are the ones
whose counted probability rests on a single occurrence.
""")
def check_pairs_seen_once(answer):
    """How many of the C*C ordered character pairs occur exactly once in the training split."""
    if not_yet(answer, "an int"):
        return False
    corpus = course_corpus()
    counts = bigram_counts(corpus.train_data, corpus.vocab_size)  # (C, C)
    expected = int((counts == 1).sum())
    if as_int(answer) is None:
        return verdict(False, "", f"Expected an int, got {answer!r}. (A count that came out as a float, "
                                  "like 73.0, becomes an int with int(...).)")
    answer = as_int(answer)  # numpy and one-element tensors too
    if answer == expected:
        return verdict(True, f"{expected:,} pairs occur exactly once: for them the counts are least reliable.", "")
    if answer == int((counts == 0).sum()):
        return verdict(False, "", "Not quite: that is the number of pairs that never occur; count the entries equal to 1.")
    if answer == int(counts.sum()):
        return verdict(False, "", "Not quite: that is the total number of pairs; count the entries equal to 1.")
    return verdict(False, "", f"Not quite: {answer:,} is not the number of entries of bigram_counts(train_data, C) equal to 1.")


@exercise("09.2", solution="""
```python
counts = bigram_counts(train_data, C)
t, h = stoi["t"], stoi["h"]
p_h_after_t = (counts[t, h] / counts[t].sum()).item()
check_count_prob(p_h_after_t)
```
Row `t` holds everything that follows `t`; dividing its `h` entry by the row's sum gives P(next = h | current
= t). `count_probs(counts)[t, h]` is the same number.
""")
def check_count_prob(answer):
    """The count-based probability (no smoothing) of 'h' right after 't' in the training split."""
    if not_yet(answer, "a probability between 0 and 1"):
        return False
    corpus = course_corpus()
    stoi = corpus.tokenizer.stoi
    probs = count_probs(bigram_counts(corpus.train_data, corpus.vocab_size))  # (C, C)
    expected = probs[stoi["t"], stoi["h"]].item()
    if as_float(answer) is None:
        return verdict(False, "", f"Expected a probability (a float between 0 and 1), got {answer!r}.")
    answer = as_float(answer)  # numpy and one-element tensors too
    wrong_way = probs.T[stoi["t"], stoi["h"]].item()
    if abs(answer - expected) <= 1e-4:
        return verdict(True, f"P('h' | 't') = {expected:.4f}: count('th') / count('t' followed by anything).", "")
    if abs(answer - wrong_way) <= 1e-4:
        return verdict(False, "", "Not quite: that is P('t' | 'h'); rows are the current character, columns the next.")
    return verdict(False, "", f"Not quite: {answer!r} is not within 1e-4. Divide count('th') by the sum of row 't'.")
