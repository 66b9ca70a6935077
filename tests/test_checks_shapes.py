"""The exercise checks of notebooks 04-06: each verdict's status and reason, for every form of an answer."""

import math

import numpy as np
import pytest
import torch
from answer_forms import float_forms, int_forms, judged, shape_forms
from torch import nn
from torch.nn import functional as F

from bigram_lib import BigramLanguageModel, exercises, get_batch
from bigram_lib.exercises import nb04_get_batch


@pytest.fixture
def notes_batch(corpus):
    """The notes' first batch, drawn the learner's way: seed 1337, B = 4, T = 8."""
    torch.manual_seed(1337)
    return get_batch(corpus.train_data, 4, 8)


@pytest.fixture
def notes_model(corpus):
    """The notes' untrained model, built the learner's way: seed 1337."""
    torch.manual_seed(1337)
    return BigramLanguageModel(corpus.vocab_size)


def _g42():
    """A fresh generator seeded 42, as exercise 04.3 asks."""
    return torch.Generator().manual_seed(42)


# number -> (check, an answer of the wrong kind, a wrong answer of the right kind)
CHECKS = {
    "04.1": (exercises.check_largest_start, "10", 3),
    "04.2": (exercises.check_target_char, "ab", "z"),
    "04.3": (
        exercises.check_val_batch,
        torch.zeros(3, 5, dtype=torch.long),
        (torch.zeros(3, 5, dtype=torch.long), torch.zeros(3, 5, dtype=torch.long)),
    ),
    "05.1": (exercises.check_logits_shape, "4, 3, 65", (1, 2, 3)),
    "05.2": (exercises.check_embedding_row, "row", torch.zeros(65)),
    "05.3": (exercises.check_flat_shapes, (10, 10), ((1, 2), (3,))),
    "06.1": (exercises.check_uniform_loss, "3.2958", 1.0),
    "06.2": (
        exercises.check_cross_entropy_function,
        4.2,
        lambda logits, targets: torch.tensor(0.0),
    ),
    "06.3": (exercises.check_rows_with_grad, 12.5, 3),
}


@pytest.mark.parametrize("number", CHECKS)
def test_placeholder_is_not_yet(number):
    judged(CHECKS[number][0](None), "not yet", "placeholder", number)


@pytest.mark.parametrize("number", CHECKS)
def test_an_answer_of_the_wrong_kind_is_a_type_mistake(number):
    check, wrong_kind, _ = CHECKS[number]
    judged(check(wrong_kind), "not quite", "type", number)


@pytest.mark.parametrize("number", CHECKS)
def test_checks_leave_the_global_random_state_alone(number):
    check, _, wrong = CHECKS[number]
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    verdict = check(wrong, _g42()) if number == "04.3" else check(wrong)
    assert verdict.status == "not quite" and verdict.exercise == number
    assert torch.equal(torch.rand(3), expected)


# ---------------------------------------------------------------- 04


def test_largest_start(corpus):
    data = torch.arange(nb04_get_batch.LARGEST_START_LEN)
    x, _ = get_batch(
        data, 5000, nb04_get_batch.LARGEST_START_T, generator=torch.Generator().manual_seed(0)
    )
    largest = x[:, 0].max()  # a 0-d tensor: the draws' own answer
    for form in [*int_forms(int(largest)), largest]:
        judged(exercises.check_largest_start(form), "correct", "correct", "04.1")
    judged(exercises.check_largest_start(int(largest) + 1), "not quite", "lecture_bound", "04.1")
    judged(exercises.check_largest_start(int(largest) + 2), "not quite", "too_large", "04.1")
    judged(exercises.check_largest_start(0), "not quite", "too_small", "04.1")


def test_target_char(corpus):
    xv, yv = get_batch(corpus.val_data, 4, 8, generator=torch.Generator().manual_seed(0))
    judged(
        exercises.check_target_char(corpus.decode([yv[1, 7].item()])), "correct", "correct", "04.2"
    )
    judged(
        exercises.check_target_char(corpus.decode([yv[1, -1].item()])), "correct", "correct", "04.2"
    )
    # only the last one is new
    assert corpus.decode(yv[1, :-1].tolist()) == corpus.decode(xv[1, 1:].tolist())
    judged(
        exercises.check_target_char(corpus.decode([xv[1, -1].item()])),
        "not quite",
        "last_of_context",
        "04.2",
    )
    judged(
        exercises.check_target_char(corpus.decode([xv[1, 0].item()])),
        "not quite",
        "first_of_context",
        "04.2",
    )
    judged(exercises.check_target_char("@"), "not quite", "other", "04.2")


def test_val_batch(corpus):
    g = _g42()
    x, y = get_batch(corpus.val_data, 3, 5, generator=g)
    judged(exercises.check_val_batch((x, y), g), "correct", "correct", "04.3")
    g = _g42()
    judged(
        exercises.check_val_batch(list(get_batch(corpus.val_data, 3, 5, generator=g)), g),
        "correct",
        "correct",
        "04.3",
    )
    g = _g42()
    judged(
        exercises.check_val_batch(get_batch(corpus.train_data, 3, 5, generator=g), g),
        "not quite",
        "train_split",
        "04.3",
    )
    judged(exercises.check_val_batch((y, x), _g42()), "not quite", "not_shifted", "04.3")
    judged(exercises.check_val_batch((x[:2], y[:2]), _g42()), "not quite", "shape", "04.3")
    judged(exercises.check_val_batch((x.int(), y.int()), _g42()), "not quite", "dtype", "04.3")
    other = get_batch(corpus.val_data, 3, 5, generator=torch.Generator().manual_seed(1))
    judged(exercises.check_val_batch(other), "not quite", "other_windows", "04.3")


def test_val_batch_must_come_from_the_learners_generator(corpus):
    drawn = get_batch(corpus.val_data, 3, 5, generator=_g42())
    judged(exercises.check_val_batch(drawn), "not quite", "no_generator", "04.3")
    g = torch.manual_seed(42)  # the global stream, under the name g
    judged(
        exercises.check_val_batch(get_batch(corpus.val_data, 3, 5), g),
        "not quite",
        "no_generator",
        "04.3",
    )
    # g never drew
    judged(exercises.check_val_batch(drawn, _g42()), "not quite", "not_from_g", "04.3")


# ---------------------------------------------------------------- 05


def test_logits_shape(notes_batch, notes_model):
    xb, yb = notes_batch
    logits, _ = notes_model(xb[:, :3])  # no targets: (B, T, C) for the first 3 positions
    for form in shape_forms(logits.shape):
        judged(exercises.check_logits_shape(form), "correct", "correct", "05.1")
    assert "(4, 3, 65)" in exercises.check_logits_shape(logits.shape).text
    flat, _ = notes_model(xb[:, :3], yb[:, :3].contiguous())  # view() needs contiguous targets
    judged(exercises.check_logits_shape(flat.shape), "not quite", "with_targets", "05.1")
    judged(exercises.check_logits_shape(xb[:, :3].shape), "not quite", "ids_shape", "05.1")
    judged(exercises.check_logits_shape(notes_model(xb)[0].shape), "not quite", "whole_xb", "05.1")
    judged(exercises.check_logits_shape((3, 4, 65)), "not quite", "other", "05.1")


def test_embedding_row(corpus, notes_model):
    e = corpus.encode("e")[0]
    weight = notes_model.token_embedding_table.weight
    row = weight[e]
    for form in (
        row,
        row.detach(),
        row.tolist(),
        row.detach().numpy(),
        row.double(),
        tuple(row.tolist()),
    ):
        judged(exercises.check_embedding_row(form), "correct", "correct", "05.2")
    judged(exercises.check_embedding_row(weight[:, e]), "not quite", "column", "05.2")
    judged(exercises.check_embedding_row(weight[e : e + 1]), "not quite", "wrong_shape", "05.2")
    judged(
        exercises.check_embedding_row(weight[e : e + 1].tolist()),
        "not quite",
        "wrong_shape",
        "05.2",
    )
    judged(exercises.check_embedding_row(weight[e, :10]), "not quite", "wrong_size", "05.2")
    judged(exercises.check_embedding_row(weight[e + 1]), "not quite", "other", "05.2")


def test_flat_shapes(corpus):
    x, y = get_batch(corpus.train_data, 2, 5)
    logits, _ = BigramLanguageModel(corpus.vocab_size)(x, y)
    targets = y.view(-1)
    for form in (
        (logits.shape, targets.shape),
        [logits.shape, targets.shape],
        (tuple(logits.shape), (10,)),
        [[10, 65], [10]],
        ((np.int64(10), torch.tensor(65)), [torch.tensor(10)]),
    ):
        judged(exercises.check_flat_shapes(form), "correct", "correct", "05.3")
    judged(
        exercises.check_flat_shapes((logits.shape, y.shape)),
        "not quite",
        "targets_unflattened",
        "05.3",
    )
    judged(exercises.check_flat_shapes(((10, 65), (5,))), "not quite", "targets_shape", "05.3")
    judged(exercises.check_flat_shapes(((2, 5, 65), (10,))), "not quite", "logits_shape", "05.3")
    judged(exercises.check_flat_shapes(((2, 5, 65), (2, 5))), "not quite", "both_shapes", "05.3")
    judged(exercises.check_flat_shapes(((10, 65), (10,), (10,))), "not quite", "not_a_pair", "05.3")


# ---------------------------------------------------------------- 06


def test_uniform_loss():
    by_torch = F.cross_entropy(torch.zeros(1, 27), torch.tensor([0]))  # a 0-d tensor
    for form in [*float_forms(math.log(27)), by_torch, by_torch.item()]:
        judged(exercises.check_uniform_loss(form), "correct", "correct", "06.1")
    assert "3.2958" in exercises.check_uniform_loss(math.log(27)).text
    judged(exercises.check_uniform_loss(round(math.log(27), 3)), "not quite", "rounded", "06.1")
    judged(exercises.check_uniform_loss(math.log(65)), "not quite", "corpus_vocab", "06.1")
    judged(exercises.check_uniform_loss(1 / 27), "not quite", "probability", "06.1")
    judged(exercises.check_uniform_loss(-math.log(27)), "not quite", "log_likelihood", "06.1")
    judged(exercises.check_uniform_loss(math.log10(27)), "not quite", "log10", "06.1")
    judged(exercises.check_uniform_loss(27.0), "not quite", "other", "06.1")


def _by_hand(logits, targets):
    """Cross-entropy from softmax, indexing, log and mean: the exercise's answer."""
    probs = F.softmax(logits, dim=1)  # (N, C)
    return -probs[torch.arange(len(targets)), targets].log().mean()


def test_cross_entropy_function():
    judged(exercises.check_cross_entropy_function(_by_hand), "correct", "correct", "06.2")

    def as_float(z, t):
        return _by_hand(z, t).item()  # a float is one number too

    judged(exercises.check_cross_entropy_function(as_float), "correct", "correct", "06.2")

    def log_softmax(z, t):
        return -F.log_softmax(z, dim=1)[torch.arange(len(t)), t].mean()

    judged(exercises.check_cross_entropy_function(log_softmax), "correct", "correct", "06.2")


@pytest.mark.parametrize(
    "reason,fn",
    [
        ("sum_not_mean", lambda z, t: -F.log_softmax(z, dim=1)[torch.arange(len(t)), t].sum()),
        ("sign", lambda z, t: F.log_softmax(z, dim=1)[torch.arange(len(t)), t].mean()),
        (
            "softmax_twice",
            lambda z, t: -F.log_softmax(F.softmax(z, dim=1), dim=1)[torch.arange(len(t)), t].mean(),
        ),
        ("wrong_axis", lambda z, t: -F.log_softmax(z, dim=0)[torch.arange(len(t)), t].mean()),
        ("raised", lambda z, t: z[t, t, t]),
        ("not_one_number", lambda z, t: -F.log_softmax(z, dim=1)[torch.arange(len(t)), t]),
        ("not_one_number", lambda z, t: "a loss"),
        ("other", lambda z, t: torch.tensor(0.0)),
    ],
)
def test_cross_entropy_function_mistakes(reason, fn):
    judged(exercises.check_cross_entropy_function(fn), "not quite", reason, "06.2")


def test_cross_entropy_function_rejects_the_ready_made_loss():
    # another name for the same function: still caught
    from torch.nn.functional import cross_entropy

    for fn in (
        F.cross_entropy,
        lambda z, t: F.cross_entropy(z, t),
        lambda z, t: cross_entropy(z, t),
        nn.CrossEntropyLoss(),
        lambda z, t: F.nll_loss(F.log_softmax(z, dim=1), t),
    ):
        judged(exercises.check_cross_entropy_function(fn), "not quite", "ready_made", "06.2")


def test_rows_with_grad(notes_batch, notes_model):
    xb, yb = notes_batch
    _, loss = notes_model(xb, yb)
    loss.backward()
    rows = (notes_model.token_embedding_table.weight.grad != 0).any(dim=1).sum()  # a 0-d tensor
    distinct = len(set(xb.flatten().tolist()))
    # the notes' batch repeats characters: the answers differ
    assert int(rows) == distinct < xb.numel()
    for form in [*int_forms(distinct), rows]:
        judged(exercises.check_rows_with_grad(form), "correct", "correct", "06.3")
    judged(exercises.check_rows_with_grad(xb.numel()), "not quite", "positions", "06.3")
    judged(exercises.check_rows_with_grad(65), "not quite", "all_rows", "06.3")
    judged(exercises.check_rows_with_grad(distinct + 1), "not quite", "other", "06.3")


def test_nb04_to_nb06_exercises_have_worked_solutions():
    for number in CHECKS:
        assert repr(exercises.show_solution(number)).startswith(
            f"Worked solution, exercise {number}"
        )
