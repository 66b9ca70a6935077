"""Self-checks for the exercises of notebook 01, the overview."""

import torch

from ..batch import get_batch
from ..model import BigramLanguageModel
from ..sampling import generate
from .answers import as_int, as_shape, course_corpus, not_yet, report
from .verdict import exercise


def _overview_shapes(batch_size=4, block_size=8, max_new_tokens=100):
    """Shapes of the pipeline's tensors, measured by running the library (global RNG untouched)."""
    corpus = course_corpus()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BigramLanguageModel(corpus.vocab_size)
        xb, yb = get_batch(corpus.train_data, batch_size, block_size)  # (B, T), (B, T)
        logits_3d, _ = model(xb)  # (B, T, C)
        logits_2d, loss = model(xb, yb)  # (B*T, C), ()
        out = generate(model, torch.zeros((1, 1), dtype=torch.long), max_new_tokens)  # (1, 1 + max_new_tokens)
    return {
        "xb": tuple(xb.shape),
        "logits_3d": tuple(logits_3d.shape),
        "logits_2d": tuple(logits_2d.shape),
        "targets_1d": (yb.numel(),),
        "loss": tuple(loss.shape),
        "generated": tuple(out.shape),
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": corpus.vocab_size,
    }


@exercise("01.1")
def check_pipeline_logits_shape(answer):
    """Exercise 01.1: the shape of `logits` from `m(xb, yb)` with batch_size 4 and block_size 8."""
    if not_yet(answer, "a tuple such as (rows, columns)"):
        return False
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    s = _overview_shapes()
    if shape == s["logits_2d"]:
        return report(True, f"With targets, forward flattens (B, T, C) = {s['logits_3d']} to "
                            f"(B*T, C) = {s['logits_2d']}: one row of {s['vocab_size']} scores per position.")
    if shape == s["logits_3d"]:
        return report(False, f"{shape} is (B, T, C): the logits straight out of the embedding table. With targets, "
                             "forward reshapes them with view(B * T, C) before the loss. Which shape comes back?")
    if shape == s["xb"] or shape == (s["logits_2d"][0], s["xb"][1]):
        return report(False, f"{shape} looks like the shape of xb (the notes write [32, 8]); xb is {s['xb']}. "
                             "The logits have one column per character in the vocabulary.")
    if shape == s["targets_1d"]:
        return report(False, f"{shape} is the shape of the flattened targets (B*T,). The logits keep a second "
                             "dimension: one score for each of the C characters.")
    return report(False, f"{shape} is not it. Hint: B * T rows (one per position of xb), "
                         "and one column per character of the vocabulary.")


@exercise("01.2")
def check_generate_shape(answer):
    """Exercise 01.2: the shape of `m.generate(torch.zeros((1, 1), dtype=torch.long), 100)`."""
    if not_yet(answer, "a tuple (B, T)"):
        return False
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    expected = _overview_shapes()["generated"]
    if shape == expected:
        return report(True, f"generate keeps the starting token and appends 100 new ones: {expected}.")
    if shape == (expected[0], expected[1] - 1):
        return report(False, f"{shape} forgets the starting token: idx (1, 1) is kept and 100 tokens are "
                             "appended after it, so T grows from 1 to 1 + 100.")
    if shape in ((expected[1],), (expected[1] - 1,)):
        return report(False, f"{shape} is 1-D. generate returns a 2-D (B, T) tensor; the notes' [0] picks "
                             "its only row before decoding.")
    if shape == (expected[1], expected[0]):
        return report(False, f"{shape} has the axes swapped: the batch dimension B comes first, then T.")
    return report(False, f"{shape} is not it. Hint: B stays 1; T starts at 1 and grows by one per new token.")


@exercise("01.3")
def check_parameter_count(answer):
    """Exercise 01.3: how many numbers `BigramLanguageModel(65)` learns."""
    if not_yet(answer, "an int"):
        return False
    n = as_int(answer)
    if n is None:
        return report(False, f"Give a whole number; got {answer!r}.")
    s = _overview_shapes()
    C = s["vocab_size"]
    if n == s["parameters"]:
        return report(True, f"The only parameter is the ({C}, {C}) embedding table: {C} * {C} = {n} numbers, "
                            "one row of next-character scores for each character.")
    if n == C:
        return report(False, f"{n} is the vocabulary size C. The table has a row for each of the C characters, "
                             "and each row holds C scores.")
    if n == 2 * C:
        return report(False, f"{n} = C + C adds the two arguments of nn.Embedding(C, C); the table holds "
                             "num_embeddings rows of embedding_dim numbers each.")
    return report(False, f"{n} is not it. Hint: sum(p.numel() for p in m.parameters()).")
