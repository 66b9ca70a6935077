"""Self-checks for the exercises of notebook 05, embedding and logits."""

import torch

from ..batch import get_batch
from ..model import BigramLanguageModel
from .answers import NOTES_SEED, as_shape, course_corpus, not_yet, notes_batch, notes_model
from .verdict import exercise

PREFIX_T = 3  # exercise 05.1 calls the model on xb[:, :PREFIX_T], the first 3 characters of each window


@exercise("05.1", solution="""
```python
answer = m(xb[:, :3])[0].shape   # torch.Size([4, 3, 65])
```
`xb[:, :3]` is `(B, T) = (4, 3)`. The lookup replaces every id by a row of `C = 65` scores, and without
targets forward returns those `(B, T, C)` logits as they are, without flattening them.
""")
def check_logits_shape(answer):
    """Exercise 05.1: the shape of the logits that m(xb[:, :3]) returns when no targets are given."""
    if not_yet(answer, "the shape, e.g. (1, 2, 3) or a torch.Size"):
        return False
    shape = as_shape(answer)
    if shape is None:
        print(f"Expected a shape: a tuple of ints or a torch.Size, got {answer!r}.")
        return False
    xb, _ = notes_batch()
    with torch.no_grad():
        logits, loss = notes_model()(xb[:, :PREFIX_T])
    expected = tuple(logits.shape)  # (B, T, C)
    if shape == expected:
        print(f"Correct! xb[:, :{PREFIX_T}] is (B, T) = {expected[:2]}; without targets forward skips the view, "
              f"so the logits stay (B, T, C) = {expected}.")
        return True
    B, T, C = expected
    if shape == (B * T, C):
        print(f"Not quite: {shape} is the shape WITH targets, after logits.view(B * T, C). "
              "Without targets forward returns the (B, T, C) lookup unchanged.")
    elif shape == (B, T):
        print(f"Not quite: {shape} is the shape of xb[:, :{PREFIX_T}] (the ids). Each id is replaced by a row "
              f"of C = {C} scores.")
    elif shape == tuple(xb.shape) + (C,):
        print(f"Not quite: {shape} is the shape for the whole xb. xb[:, :{PREFIX_T}] keeps only the first "
              f"{PREFIX_T} positions of each row.")
    else:
        print(f"Not quite: {shape}. Start from the shape of xb[:, :{PREFIX_T}], (B, T), and add one axis of "
              "C scores per id.")
    return False


ROW_CHAR = "e"  # exercise 05.2 looks up the row of this character (the notebook shows 'h')


@exercise("05.2", solution="""
```python
e = encode("e")[0]                              # the id of 'e', 43
answer = m.token_embedding_table.weight[e]      # (65,): row e of the table
```
Forward is this lookup, so the logits after `'e'` are row `encode("e")[0]` of the table. A column,
`weight[:, e]`, would be the score every character gives to `'e'` coming next.
""")
def check_embedding_row(answer):
    """Exercise 05.2: the untrained model's 65 logits for the character after 'e', read from the table."""
    if not_yet(answer, "a tensor of 65 logits"):
        return False
    if not isinstance(answer, torch.Tensor):
        print(f"Expected a tensor, got {type(answer).__name__}.")
        return False
    corpus = course_corpus()
    model = notes_model()
    token = corpus.encode(ROW_CHAR)[0]
    with torch.no_grad():
        logits, _ = model(torch.tensor([[token]]))  # (1, 1, C)
    expected = logits[0, 0]  # (C,)
    got = answer.detach()
    if got.shape != expected.shape:
        if got.numel() == expected.numel():
            print(f"Right numbers, wrong shape {tuple(got.shape)}: index one row to get shape {tuple(expected.shape)}.")
        else:
            print(f"Expected shape {tuple(expected.shape)} (one score per character), got {tuple(got.shape)}.")
        return False
    if torch.allclose(got.float(), expected):
        print(f"Correct! Row {token} of the table (the id of {ROW_CHAR!r}) IS the model's next-character logits "
              f"after {ROW_CHAR!r}: the forward pass is this lookup.")
        return True
    weight = model.token_embedding_table.weight.detach()
    if torch.allclose(got.float(), weight[:, token]):
        print(f"Not quite: that is column {token}, the score every character gives to {ROW_CHAR!r} coming next. "
              f"Take the row: weight[{token}].")
    else:
        print(f"Not quite: these are not row {ROW_CHAR!r} of the seed-{NOTES_SEED} model's table. Use "
              f"corpus.encode({ROW_CHAR!r})[0] as the row index, on m = BigramLanguageModel(65) built right "
              f"after torch.manual_seed({NOTES_SEED}).")
    return False


FLAT_B, FLAT_T = 2, 5  # exercise 05.3: the batch whose flattened shapes are asked for


@exercise("05.3", solution="""
```python
answer = ((2 * 5, 65), (2 * 5,))   # (B * T, C) and (B * T,)
```
Forward flattens `B` rows of `T` positions into `B * T = 10` examples: `logits.view(B * T, C)` gives
`(10, 65)` and `targets.view(B * T)` gives `(10,)`, one target id per row of scores.
""")
def check_flat_shapes(answer):
    """Exercise 05.3: the shapes of the logits and targets F.cross_entropy receives when B = 2 and T = 5."""
    if not_yet(answer, "a pair (logits_shape, targets_shape)"):
        return False
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        print(f"Expected a pair (logits_shape, targets_shape), got {answer!r}.")
        return False
    shapes = [as_shape(a) for a in answer]
    if None in shapes:
        print("Each shape should be a tuple of ints or a torch.Size, e.g. ((6, 4), (6,)).")
        return False
    corpus = course_corpus()
    x, y = get_batch(corpus.train_data, FLAT_B, FLAT_T, generator=torch.Generator().manual_seed(0))  # (2, 5)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        logits, _ = BigramLanguageModel(corpus.vocab_size)(x, y)  # (B*T, C)
    expected = (tuple(logits.shape), (FLAT_B * FLAT_T,))
    if tuple(shapes) == expected:
        print(f"Correct! {FLAT_B} rows of {FLAT_T} positions become {FLAT_B * FLAT_T} independent examples: "
              f"logits {expected[0]} and targets {expected[1]}.")
        return True
    if shapes[0] != expected[0]:
        print(f"The logits shape is off: got {shapes[0]}, cross_entropy gets one row of C scores per position, "
              f"(B * T, C).")
    if shapes[1] != expected[1]:
        hint = " That is yb before targets.view(B * T) flattens it into one axis." if shapes[1] == (
            FLAT_B, FLAT_T) else ""
        print(f"The targets shape is off: got {shapes[1]}; cross_entropy gets one id per position, "
              f"a 1-D tensor.{hint}")
    return False
