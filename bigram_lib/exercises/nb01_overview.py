"""Self-checks for the exercises of notebook 01, the overview: each takes the learner's own sizes too."""

import torch

from ..batch import get_batch
from ..course.checks import shown
from ..model import BigramLanguageModel
from .answers import course_corpus, read_int, read_shape
from .verdict import correct, exercise, not_quite


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


def _sizes(minimum=1, **sizes):
    """(the sizes as plain ints, None), or (None, a verdict that says which size is not an int >= minimum)."""
    plain = {}
    for name, value in sizes.items():
        number = read_int(value)
        if number is None or number < minimum:
            wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
            return None, not_quite("bad_size", f"{name} must be {wanted}; it is {shown(value)}.")
        plain[name] = number
    return plain, None


@exercise(
    "01.1",
    reads=read_shape,
    expects="a tuple such as (rows, columns)",
    solution="""
```python
batch_size, block_size = 3, 5
answer = (batch_size * block_size, corpus.vocab_size)  # (B*T, C) = (15, 65)
```
With targets, `forward` flattens the `(B, T, C)` logits to `(B*T, C)`: one row of `C` scores for each
of the `B*T` positions, whatever `B` and `T` are. `logits, _ = m(*get_batch(corpus.train_data,
batch_size, block_size))` followed by `logits.shape` confirms it.
""",
)
def check_pipeline_logits_shape(shape, batch_size=4, block_size=8):
    """Exercise 01.1: the shape of `logits` from `m(xb, yb)` for a batch of the learner's size."""
    sizes, bad = _sizes(batch_size=batch_size, block_size=block_size)
    if bad is not None:
        return bad
    B, T = sizes["batch_size"], sizes["block_size"]
    s = _overview_shapes(B, T)
    C = s["vocab_size"]
    if shape == s["logits_2d"]:
        return correct(
            f"With targets, forward flattens (B, T, C) = {s['logits_3d']} to "
            f"(B*T, C) = {s['logits_2d']}: one row of {C} scores for each of the "
            f"{B} * {T} = {B * T} positions."
        )
    if shape == s["logits_3d"]:
        return not_quite(
            "three_d",
            f"{shape} is (B, T, C): the logits straight out of the embedding table. "
            "With targets, forward reshapes them with view(B * T, C) before the loss. "
            "Which shape comes back?",
        )
    if shape == (4 * 8, C) and (B, T) != (4, 8):
        return not_quite(
            "notes_batch",
            f"{shape} is the shape for the notes' batch, B = 4 and T = 8. "
            f"Your batch has B = {B} and T = {T}.",
        )
    if shape == s["xb"] or shape == (B * T, T):
        return not_quite(
            "xb_shape",
            f"{shape} looks like the shape of xb, {s['xb']}. "
            "The logits have one column per character in the vocabulary.",
        )
    if shape == s["targets_1d"]:
        return not_quite(
            "targets_shape",
            f"{shape} is the shape of the flattened targets (B*T,). The logits "
            "keep a second dimension: one score for each of the C characters.",
        )
    return not_quite(
        "other",
        f"{shape} is not it. Hint: B * T rows (one per position of xb), "
        "and one column per character of the vocabulary.",
    )


@exercise(
    "01.2",
    reads=read_shape,
    expects="a tuple (B, T)",
    solution="""
```python
batch, length, new = 3, 2, 50
answer = (batch, length + new)  # (3, 52)
```
`generate` keeps every row of `idx` and appends `max_new_tokens` ids to each: `B` stays the same and `T`
grows by one per new token. `m.generate(torch.zeros((batch, length), dtype=torch.long), new).shape`
confirms it.
""",
)
def check_generate_shape(shape, batch=1, length=1, new=100):
    """Exercise 01.2: the shape of `m.generate(torch.zeros((batch, length), dtype=torch.long), new)`."""
    sizes, bad = _sizes(batch=batch, length=length)
    more, bad_new = _sizes(0, new=new)
    if bad is not None or bad_new is not None:
        return bad if bad is not None else bad_new
    batch, length, new = sizes["batch"], sizes["length"], more["new"]
    corpus = course_corpus()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BigramLanguageModel(corpus.vocab_size)
        # (batch, length + new)
        out = model.generate(torch.zeros((batch, length), dtype=torch.long), new)
    expected = tuple(out.shape)
    if shape == expected:
        return correct(
            f"generate keeps the {length} starting token(s) of each of the {batch} row(s) and "
            f"appends {new} new ones: {expected}."
        )
    if shape == (batch, new):
        return not_quite(
            "forgot_start",
            f"{shape} forgets the starting tokens: idx ({batch}, {length}) is "
            f"kept and {new} tokens are appended after it, so T grows from {length} to {length} "
            f"+ {new}.",
        )
    if shape == (1, length + new) and batch != 1:
        return not_quite(
            "one_row",
            f"{shape} has one row, but idx has {batch}: generate continues every row of idx.",
        )
    if shape in ((expected[1],), (batch * expected[1],)):
        return not_quite(
            "one_d",
            f"{shape} is 1-D. generate returns a 2-D (B, T) tensor; the notes' [0] "
            "picks its first row before decoding.",
        )
    if shape == (expected[1], expected[0]):
        return not_quite(
            "swapped", f"{shape} has the axes swapped: the batch dimension B comes first, then T."
        )
    return not_quite(
        "other",
        f"{shape} is not it. Hint: B stays {batch}; T starts at {length} and grows by "
        "one per new token.",
    )


@exercise(
    "01.3",
    reads=read_int,
    expects="an int",
    solution="""
```python
vocab_size = 100
answer = vocab_size * vocab_size  # 10,000
```
The only parameter is the `(C, C)` embedding table: one row of `C` next-character scores for each of the
`C` characters. `sum(p.numel() for p in BigramLanguageModel(vocab_size).parameters())` confirms it.
""",
)
def check_parameter_count(n, vocab_size=65):
    """Exercise 01.3: how many numbers `BigramLanguageModel(vocab_size)` learns."""
    sizes, bad = _sizes(vocab_size=vocab_size)
    if bad is not None:
        return bad
    C = sizes["vocab_size"]
    with torch.device("meta"):  # shapes only: no memory, even for a large vocabulary
        expected = sum(p.numel() for p in BigramLanguageModel(C).parameters())
    if n == expected:
        return correct(
            f"The only parameter is the ({C}, {C}) embedding table: {C} * {C} = {n:,} numbers, "
            "one row of next-character scores for each character."
        )
    if n == 65 * 65 and C != 65:
        return not_quite(
            "notes_vocab",
            f"{n:,} is the count for the notes' 65 characters. Your vocabulary has {C}.",
        )
    if n == C:
        return not_quite(
            "vocab_size",
            f"{n:,} is the vocabulary size C. The table has a row for each of the "
            "C characters, and each row holds C scores.",
        )
    if n == 2 * C:
        return not_quite(
            "c_plus_c",
            f"{n:,} = C + C adds the two arguments of nn.Embedding(C, C); the table "
            "holds num_embeddings rows of embedding_dim numbers each.",
        )
    return not_quite(
        "other",
        f"{n:,} is not it. Hint: sum(p.numel() for p in BigramLanguageModel({C}).parameters()).",
    )
