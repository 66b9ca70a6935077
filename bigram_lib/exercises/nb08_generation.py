"""Self-checks for the exercises of notebook 08, generation: 08.2 and 08.3 judge the learner's own model."""

import torch
import torch.nn as nn

from ..counts import bigram_counts, count_probs
from ..course.checks import finite_model, shown, vocab_of
from ..model import BigramLanguageModel
from ..sampling import next_token_probs
from .answers import course_corpus, read_float, read_shape, read_str
from .verdict import correct, exercise, not_quite

GEN_B, GEN_T, GEN_NEW = 3, 4, 6  # exercise 08.1: idx of shape (3, 4), max_new_tokens=6


@exercise(
    "08.1",
    reads=read_shape,
    expects="a shape tuple such as (1, 2)",
    solution="""
```python
answer = (3, 10)  # B stays 3; T = 4 given tokens + 6 new ones
```
`generate` appends one token to every row per step and never drops any: B is unchanged and T grows by
`max_new_tokens`. Check it with `tuple(model.generate(torch.zeros((3, 4), dtype=torch.long), 6).shape)`.
""",
)
def check_generated_shape(shape):
    """Exercise 08.1: the shape of model.generate(idx of shape (3, 4), max_new_tokens=6)."""
    corpus = course_corpus()
    idx = torch.zeros((GEN_B, GEN_T), dtype=torch.long)
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        torch.manual_seed(0)
        expected = tuple(BigramLanguageModel(corpus.vocab_size).generate(idx, GEN_NEW).shape)
    if shape == expected:
        return correct(
            f"{expected}: B stays {expected[0]}, T grows from {GEN_T} by one per new token."
        )
    if len(shape) != len(expected):
        return not_quite(
            "not_two_d", f"idx stays 2-D (B, T); your answer has {len(shape)} dimension(s)."
        )
    if shape[0] != expected[0]:
        return not_quite(
            "rows", f"B is the number of rows, and generate never changes it ({shape[0]} is wrong)."
        )
    return not_quite(
        "length",
        f"T is wrong ({shape[1]}): generate keeps the {GEN_T} given tokens and "
        "appends the new ones.",
    )


# exercise 08.2 starts here; not "W", whose greedy text section 7 prints
GREEDY_START, GREEDY_NEW = "Q", 20
SHOWN_START = "W"


def _own_model(model, call):
    """None for a bigram model of the course's characters, else the verdict that says what is off."""
    corpus = course_corpus()
    if not isinstance(model, nn.Module) or not isinstance(
        getattr(model, "token_embedding_table", None), nn.Embedding
    ):
        return not_quite(
            "no_model",
            f"pass your trained model as well: {call}. The second argument is {shown(model)}.",
        )
    try:
        finite_model("model", model, {})
    except ValueError as err:
        return not_quite("model_unusable", f"{err}.")
    if vocab_of(model) != corpus.vocab_size:
        return not_quite(
            "no_model",
            f"this model knows {vocab_of(model)} characters; pass the model trained "
            f"on the course corpus, BigramLanguageModel({corpus.vocab_size}) after training: "
            f"{call}.",
        )
    return None


def _greedy(model, start):
    """The GREEDY_NEW characters `model` writes after `start` at temperature 0 (global RNG untouched)."""
    corpus = course_corpus()
    idx = torch.tensor([corpus.encode(start)])  # (1, 1)
    # temperature 0 draws nothing that matters, but never globally
    private = torch.Generator().manual_seed(0)
    out = model.generate(idx, GREEDY_NEW, temperature=0, generator=private)  # (1, 21)
    return corpus.decode(out[0, 1:].tolist())


@exercise(
    "08.2",
    reads=read_str,
    expects="a string of 20 characters",
    solution="""
```python
out = model.generate(torch.tensor([corpus.encode("Q")]), 20, temperature=0)  # (1, 21)
answer = decode(out[0, 1:].tolist())  # drop the starting "Q"
check_greedy_text(answer, model)
```
At temperature 0 every step takes the single most likely next character, so the text is fixed, with no
randomness; with one character of memory it soon repeats itself.
""",
)
def check_greedy_text(text, model=None):
    """Exercise 08.2: the 20 characters the learner's trained `model` writes after 'Q' at temperature 0."""
    bad = _own_model(model, "check_greedy_text(answer, model)")
    if bad is not None:
        return bad
    expected = _greedy(model, GREEDY_START)
    if text == expected:
        return correct(
            f"{expected!r}: greedy decoding always takes the most likely next character, so it "
            "soon loops."
        )
    if text in (GREEDY_START + expected, GREEDY_START + expected[:-1]):
        return not_quite(
            "includes_start",
            f"your text starts with the starting {GREEDY_START!r}: drop it "
            "(the first column of the result) and keep the 20 new characters.",
        )
    if text == _greedy(model, SHOWN_START):
        return not_quite(
            "other_start",
            f"that is the greedy text after {SHOWN_START!r}, the one printed "
            f"above. Start from torch.tensor([corpus.encode({GREEDY_START!r})]).",
        )
    if len(text) != GREEDY_NEW:
        return not_quite(
            "length",
            f"expected the {GREEDY_NEW} new characters (without the starting "
            f"{GREEDY_START!r}), got {len(text)}.",
        )
    first = next(i for i, (a, b) in enumerate(zip(text, expected, strict=False)) if a != b)
    return not_quite(
        "other",
        f"the characters agree up to position {first}; use temperature=0 "
        f"and drop the starting {GREEDY_START!r} (the first column of the result).",
    )


PROB_TOL = 5e-4  # exercise 08.3: the model's own value, to about 3 decimals


@exercise(
    "08.3",
    reads=read_float,
    expects="a probability between 0 and 1",
    solution="""
```python
answer = next_token_probs(model, stoi["e"])[stoi[" "]].item()
# or: F.softmax(logits_table(model)[stoi["e"]], dim=0)[stoi[" "]].item()
check_prob_space_after_e(answer, model)
```
Row `e` of the trained table holds the logits of the character after `e`; softmax turns them into
probabilities, and column `' '` is the space.
""",
)
def check_prob_space_after_e(value, model=None):
    """Exercise 08.3: the learner's trained `model`'s probability of a space right after 'e'."""
    bad = _own_model(model, "check_prob_space_after_e(answer, model)")
    if bad is not None:
        return bad
    corpus = course_corpus()
    e, space = corpus.tokenizer.stoi["e"], corpus.tokenizer.stoi[" "]
    expected = next_token_probs(model, e)[space].item()
    counted = count_probs(bigram_counts(corpus.train_data, corpus.vocab_size))[e, space].item()
    if not 0 <= value <= 1:
        return not_quite(
            "not_probability", f"{value:g} is not a probability; apply softmax to the logits first."
        )
    if abs(value - expected) <= PROB_TOL:
        return correct(f"p(' ' | 'e') = {expected:.4f}: many English words end in 'e'.")
    if abs(value - counted) <= PROB_TOL:
        return not_quite(
            "counted_table",
            f"{value:.4f} is the counted table's p(' ' | 'e'), "
            "count_probs(bigram_counts(train_data, C))['e', ' ']. The question asks for your "
            "trained model's own probability, which training brings close to the counted one "
            "but not onto it: take row 'e' of logits_table(model), apply softmax and read "
            "column ' '.",
        )
    return not_quite(
        "other",
        f"{value:.4f} is not within {PROB_TOL:g} of your model's value. Take row 'e' "
        "of the trained model's table, apply softmax and read column ' '.",
    )
