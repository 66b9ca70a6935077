"""Self-checks for the exercises of notebook 01, the overview.

Each check takes the learner's own sizes, so the answer is a small step beyond the cells above it,
never a copy of a printed shape.
"""

import torch

from ..batch import get_batch
from ..model import BigramLanguageModel
from ..sampling import generate
from .answers import as_int, as_shape, course_corpus, not_yet, report
from .verdict import exercise


def _overview_shapes(batch_size=4, block_size=8):
    """Shapes of the training half of the pipeline, measured by running the library (global RNG untouched)."""
    corpus = course_corpus()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BigramLanguageModel(corpus.vocab_size)
        xb, yb = get_batch(corpus.train_data, batch_size, block_size)  # (B, T), (B, T)
        logits_3d, _ = model(xb)  # (B, T, C)
        logits_2d, loss = model(xb, yb)  # (B*T, C), ()
    return {
        "xb": tuple(xb.shape),
        "logits_3d": tuple(logits_3d.shape),
        "logits_2d": tuple(logits_2d.shape),
        "targets_1d": (yb.numel(),),
        "loss": tuple(loss.shape),
        "vocab_size": corpus.vocab_size,
    }


def _sizes(**sizes):
    """None when every size is a positive int, else a message saying which is not."""
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            return f"{name} must be a positive int; got {value!r}."
    return None


@exercise("01.1", solution="""
```python
batch_size, block_size = 3, 5
answer = (batch_size * block_size, corpus.vocab_size)  # (B*T, C) = (15, 65)
```
With targets, `forward` flattens the `(B, T, C)` logits to `(B*T, C)`: one row of `C` scores for each
of the `B*T` positions, whatever `B` and `T` are. `logits, _ = m(*get_batch(corpus.train_data,
batch_size, block_size))` followed by `logits.shape` confirms it.
""")
def check_pipeline_logits_shape(answer, batch_size=4, block_size=8):
    """Exercise 01.1: the shape of `logits` from `m(xb, yb)` for a batch of the learner's size."""
    if not_yet(answer, "a tuple such as (rows, columns)"):
        return False
    bad = _sizes(batch_size=batch_size, block_size=block_size)
    if bad:
        return report(False, bad)
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    s = _overview_shapes(batch_size, block_size)
    B, T, C = batch_size, block_size, s["vocab_size"]
    if shape == s["logits_2d"]:
        return report(True, f"With targets, forward flattens (B, T, C) = {s['logits_3d']} to "
                            f"(B*T, C) = {s['logits_2d']}: one row of {C} scores for each of the "
                            f"{B} * {T} = {B * T} positions.")
    if shape == s["logits_3d"]:
        return report(False, f"{shape} is (B, T, C): the logits straight out of the embedding table. With targets, "
                             "forward reshapes them with view(B * T, C) before the loss. Which shape comes back?")
    if shape == (4 * 8, C) and (B, T) != (4, 8):
        return report(False, f"{shape} is the shape for the notes' batch, B = 4 and T = 8. Your batch has "
                             f"B = {B} and T = {T}.")
    if shape == s["xb"] or shape == (B * T, T):
        return report(False, f"{shape} looks like the shape of xb, {s['xb']}. "
                             "The logits have one column per character in the vocabulary.")
    if shape == s["targets_1d"]:
        return report(False, f"{shape} is the shape of the flattened targets (B*T,). The logits keep a second "
                             "dimension: one score for each of the C characters.")
    return report(False, f"{shape} is not it. Hint: B * T rows (one per position of xb), "
                         "and one column per character of the vocabulary.")


@exercise("01.2", solution="""
```python
batch, length, new = 3, 2, 50
answer = (batch, length + new)  # (3, 52)
```
`generate` keeps every row of `idx` and appends `max_new_tokens` ids to each: `B` stays the same and `T`
grows by one per new token. `m.generate(torch.zeros((batch, length), dtype=torch.long), new).shape`
confirms it.
""")
def check_generate_shape(answer, batch=1, length=1, new=100):
    """Exercise 01.2: the shape of `m.generate(torch.zeros((batch, length), dtype=torch.long), new)`."""
    if not_yet(answer, "a tuple (B, T)"):
        return False
    bad = _sizes(batch=batch, length=length) or (None if isinstance(new, int) and not isinstance(new, bool)
                                                 and new >= 0 else f"new must be an int >= 0; got {new!r}.")
    if bad:
        return report(False, bad)
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    corpus = course_corpus()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BigramLanguageModel(corpus.vocab_size)
        out = generate(model, torch.zeros((batch, length), dtype=torch.long), new)  # (batch, length + new)
    expected = tuple(out.shape)
    if shape == expected:
        return report(True, f"generate keeps the {length} starting token(s) of each of the {batch} row(s) and "
                            f"appends {new} new ones: {expected}.")
    if shape == (batch, new):
        return report(False, f"{shape} forgets the starting tokens: idx ({batch}, {length}) is kept and {new} "
                             f"tokens are appended after it, so T grows from {length} to {length} + {new}.")
    if shape == (1, length + new) and batch != 1:
        return report(False, f"{shape} has one row, but idx has {batch}: generate continues every row of idx.")
    if shape in ((expected[1],), (batch * expected[1],)):
        return report(False, f"{shape} is 1-D. generate returns a 2-D (B, T) tensor; the notes' [0] picks "
                             "its first row before decoding.")
    if shape == (expected[1], expected[0]):
        return report(False, f"{shape} has the axes swapped: the batch dimension B comes first, then T.")
    return report(False, f"{shape} is not it. Hint: B stays {batch}; T starts at {length} and grows by one "
                         "per new token.")


@exercise("01.3", solution="""
```python
vocab_size = 100
answer = vocab_size * vocab_size  # 10,000
```
The only parameter is the `(C, C)` embedding table: one row of `C` next-character scores for each of the
`C` characters. `sum(p.numel() for p in BigramLanguageModel(vocab_size).parameters())` confirms it.
""")
def check_parameter_count(answer, vocab_size=65):
    """Exercise 01.3: how many numbers `BigramLanguageModel(vocab_size)` learns."""
    if not_yet(answer, "an int"):
        return False
    bad = _sizes(vocab_size=vocab_size)
    if bad:
        return report(False, bad)
    n = as_int(answer)
    if n is None:
        return report(False, f"Give a whole number; got {answer!r}.")
    C = vocab_size
    with torch.device("meta"):  # shapes only: no memory, even for a large vocabulary
        expected = sum(p.numel() for p in BigramLanguageModel(C).parameters())
    if n == expected:
        return report(True, f"The only parameter is the ({C}, {C}) embedding table: {C} * {C} = {n:,} numbers, "
                            "one row of next-character scores for each character.")
    if n == 65 * 65 and C != 65:
        return report(False, f"{n:,} is the count for the notes' 65 characters. Your vocabulary has {C}.")
    if n == C:
        return report(False, f"{n:,} is the vocabulary size C. The table has a row for each of the C characters, "
                             "and each row holds C scores.")
    if n == 2 * C:
        return report(False, f"{n:,} = C + C adds the two arguments of nn.Embedding(C, C); the table holds "
                             "num_embeddings rows of embedding_dim numbers each.")
    return report(False, f"{n:,} is not it. Hint: sum(p.numel() for p in BigramLanguageModel({C}).parameters()).")
