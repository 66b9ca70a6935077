"""Self-checks for the exercises of notebook 05, embedding and logits."""

import torch

from ..batch import get_batch
from ..course.recipes import notes_batch, notes_model
from ..model import BigramLanguageModel
from .answers import course_corpus, read_array, read_shape, read_shapes
from .verdict import correct, exercise, not_quite

NOTES_SEED = 1337  # the notes' torch.manual_seed
# exercise 05.1 calls the model on xb[:, :PREFIX_T], the first 3 characters of each window
PREFIX_T = 3


@exercise(
    "05.1",
    reads=read_shape,
    expects="the shape, e.g. (1, 2, 3) or a torch.Size",
    solution="""
```python
answer = m(xb[:, :3])[0].shape   # torch.Size([4, 3, 65])
```
`xb[:, :3]` is `(B, T) = (4, 3)`. The lookup replaces every id by a row of `C = 65` scores, and without
targets forward returns those `(B, T, C)` logits as they are, without flattening them.
""",
)
def check_logits_shape(shape):
    """Exercise 05.1: the shape of the logits that m(xb[:, :3]) returns when no targets are given."""
    corpus = course_corpus()
    xb, _ = notes_batch(corpus, seed=NOTES_SEED)
    with torch.no_grad():
        logits, _ = notes_model(corpus.vocab_size, seed=NOTES_SEED)(xb[:, :PREFIX_T])
    expected = tuple(logits.shape)  # (B, T, C)
    if shape == expected:
        return correct(
            f"xb[:, :{PREFIX_T}] is (B, T) = {expected[:2]}; without targets forward skips the "
            f"view, so the logits stay (B, T, C) = {expected}."
        )
    B, T, C = expected
    if shape == (B * T, C):
        return not_quite(
            "with_targets",
            f"{shape} is the shape WITH targets, after logits.view(B * T, C). "
            "Without targets forward returns the (B, T, C) lookup unchanged.",
        )
    if shape == (B, T):
        return not_quite(
            "ids_shape",
            f"{shape} is the shape of xb[:, :{PREFIX_T}] (the ids). Each id is "
            f"replaced by a row of C = {C} scores.",
        )
    if shape == (*tuple(xb.shape), C):
        return not_quite(
            "whole_xb",
            f"{shape} is the shape for the whole xb. xb[:, :{PREFIX_T}] keeps only "
            f"the first {PREFIX_T} positions of each row.",
        )
    return not_quite(
        "other",
        f"{shape} is not it. Start from the shape of xb[:, :{PREFIX_T}], (B, T), and "
        "add one axis of C scores per id.",
    )


ROW_CHAR = "e"  # exercise 05.2 looks up the row of this character (the notebook shows 'h')


@exercise(
    "05.2",
    reads=read_array,
    expects="a tensor of 65 logits",
    solution="""
```python
e = encode("e")[0]                              # the id of 'e', 43
answer = m.token_embedding_table.weight[e]      # (65,): row e of the table
```
Forward is this lookup, so the logits after `'e'` are row `encode("e")[0]` of the table. A column,
`weight[:, e]`, would be the score every character gives to `'e'` coming next.
""",
)
def check_embedding_row(got):
    """Exercise 05.2: the untrained model's 65 logits for the character after 'e', read from the table."""
    corpus = course_corpus()
    model = notes_model(corpus.vocab_size, seed=NOTES_SEED)
    token = corpus.encode(ROW_CHAR)[0]
    with torch.no_grad():
        logits, _ = model(torch.tensor([[token]]))  # (1, 1, C)
    expected = logits[0, 0].double()  # (C,)
    if got.shape != expected.shape:
        if got.numel() == expected.numel():
            return not_quite(
                "wrong_shape",
                f"right number of values, wrong shape {tuple(got.shape)}: index "
                f"one row to get shape {tuple(expected.shape)}.",
            )
        return not_quite(
            "wrong_size",
            f"expected shape {tuple(expected.shape)} (one score per character), "
            f"got {tuple(got.shape)}.",
        )
    if torch.allclose(got, expected, atol=1e-6):
        return correct(
            f"Row {token} of the table (the id of {ROW_CHAR!r}) IS the model's next-character "
            f"logits after {ROW_CHAR!r}: the forward pass is this lookup."
        )
    weight = model.token_embedding_table.weight.detach().double()
    if torch.allclose(got, weight[:, token], atol=1e-6):
        return not_quite(
            "column",
            f"that is column {token}, the score every character gives to {ROW_CHAR!r} "
            f"coming next. Take the row: weight[{token}].",
        )
    return not_quite(
        "other",
        f"these are not row {ROW_CHAR!r} of the seed-{NOTES_SEED} model's table. Use "
        f"corpus.encode({ROW_CHAR!r})[0] as the row index, on m = BigramLanguageModel(65) built "
        f"right after torch.manual_seed({NOTES_SEED}).",
    )


FLAT_B, FLAT_T = 2, 5  # exercise 05.3: the batch whose flattened shapes are asked for


@exercise(
    "05.3",
    reads=read_shapes,
    expects="a pair (logits_shape, targets_shape) of shapes",
    solution="""
```python
answer = ((2 * 5, 65), (2 * 5,))   # (B * T, C) and (B * T,)
```
Forward flattens `B` rows of `T` positions into `B * T = 10` examples: `logits.view(B * T, C)` gives
`(10, 65)` and `targets.view(B * T)` gives `(10,)`, one target id per row of scores.
""",
)
def check_flat_shapes(shapes):
    """Exercise 05.3: the shapes of the logits and targets F.cross_entropy receives when B = 2 and T = 5."""
    if len(shapes) != 2:
        return not_quite(
            "not_a_pair",
            f"give a pair of shapes (logits_shape, targets_shape); got {len(shapes)} shapes.",
        )
    corpus = course_corpus()
    # (2, 5)
    x, y = get_batch(corpus.train_data, FLAT_B, FLAT_T, generator=torch.Generator().manual_seed(0))
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        logits, _ = BigramLanguageModel(corpus.vocab_size)(x, y)  # (B*T, C)
    expected = (tuple(logits.shape), (FLAT_B * FLAT_T,))
    if shapes == expected:
        return correct(
            f"{FLAT_B} rows of {FLAT_T} positions become {FLAT_B * FLAT_T} independent examples: "
            f"logits {expected[0]} and targets {expected[1]}."
        )
    notes = []
    if shapes[0] != expected[0]:
        notes.append(
            f"the logits shape is off: got {shapes[0]}; cross_entropy gets one row of C scores per "
            "position, (B * T, C)."
        )
    if shapes[1] != expected[1]:
        hint = (
            " That is yb before targets.view(B * T) flattens it into one axis."
            if shapes[1] == (FLAT_B, FLAT_T)
            else ""
        )
        notes.append(
            f"The targets shape is off: got {shapes[1]}; cross_entropy gets one id per position, "
            f"a 1-D tensor.{hint}"
        )
    if len(notes) == 2:
        return not_quite("both_shapes", " ".join(notes))
    if shapes[0] != expected[0]:
        return not_quite("logits_shape", notes[0])
    reason = "targets_unflattened" if shapes[1] == (FLAT_B, FLAT_T) else "targets_shape"
    return not_quite(reason, notes[0][0].lower() + notes[0][1:])
