"""Self-checks for the exercises of notebook 09, counting against learning."""

from ..counts import bigram_counts, count_probs
from .answers import course_corpus, read_count, read_float
from .verdict import correct, exercise, not_quite


@exercise(
    "09.1",
    reads=read_count,
    name="n_once",
    expects="an int",
    solution="""
```python
counts = bigram_counts(train_data, C)  # (C, C) pair counts of the training split
n_once = int((counts == 1).sum())
check_pairs_seen_once(n_once)
```
`counts == 1` is a (C, C) table of True/False; summing it counts the True entries. These pairs are the ones
whose counted probability rests on a single occurrence.
""",
)
def check_pairs_seen_once(n):
    """Exercise 09.1: how many of the C*C ordered character pairs occur exactly once in the training split."""
    corpus = course_corpus()
    counts = bigram_counts(corpus.train_data, corpus.vocab_size)  # (C, C)
    expected = int((counts == 1).sum())
    if n == expected:
        return correct(
            f"{expected:,} pairs occur exactly once: for them the counts are least reliable."
        )
    if n == int((counts == 0).sum()):
        return not_quite(
            "never_seen",
            "that is the number of pairs that never occur; count the entries equal to 1.",
        )
    if n == int(counts.sum()):
        return not_quite(
            "all_pairs", "that is the total number of pairs; count the entries equal to 1."
        )
    return not_quite(
        "other", f"{n:,} is not the number of entries of bigram_counts(train_data, C) equal to 1."
    )


@exercise(
    "09.2",
    reads=read_float,
    name="p_h_after_t",
    expects="a probability between 0 and 1",
    solution="""
```python
counts = bigram_counts(train_data, C)
t, h = stoi["t"], stoi["h"]
p_h_after_t = (counts[t, h] / counts[t].sum()).item()
check_count_prob(p_h_after_t)
```
Row `t` holds everything that follows `t`; dividing its `h` entry by the row's sum gives P(next = h | current
= t). `count_probs(counts)[t, h]` is the same number.
""",
)
def check_count_prob(value):
    """Exercise 09.2: the counted probability (no smoothing) of 'h' right after 't' in the training split."""
    corpus = course_corpus()
    stoi = corpus.tokenizer.stoi
    probs = count_probs(bigram_counts(corpus.train_data, corpus.vocab_size))  # (C, C)
    expected = probs[stoi["t"], stoi["h"]].item()
    wrong_way = probs[stoi["h"], stoi["t"]].item()
    if abs(value - expected) <= 1e-4:
        return correct(
            f"P('h' | 't') = {expected:.4f}: count('th') / count('t' followed by anything)."
        )
    if abs(value - wrong_way) <= 1e-4:
        return not_quite(
            "wrong_way", "that is P('t' | 'h'); rows are the current character, columns the next."
        )
    return not_quite(
        "other", f"{value:.6g} is not within 1e-4. Divide count('th') by the sum of row 't'."
    )
