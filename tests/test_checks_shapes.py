"""The exercise checks of notebooks 04-06 accept right answers, reject wrong ones and say why."""

import math

import pytest
import torch
from torch.nn import functional as F

from bigram_lib import BigramLanguageModel, exercises, get_batch
from bigram_lib.exercises import nb04_get_batch


@pytest.fixture
def notes_batch(corpus):
    """The notes' first batch: seed 1337, B = 4, T = 8."""
    torch.manual_seed(1337)
    return get_batch(corpus.train_data, 4, 8)


@pytest.fixture
def notes_model(corpus):
    """The notes' untrained model: seed 1337."""
    torch.manual_seed(1337)
    return BigramLanguageModel(corpus.vocab_size)


def run(check, answer, capsys):
    """Call a check and return (result, printed text)."""
    result = check(answer)
    return result.passed, result.text


ALL_CHECKS = [
    exercises.check_largest_start,
    exercises.check_target_char,
    exercises.check_val_batch,
    exercises.check_logits_shape,
    exercises.check_embedding_row,
    exercises.check_flat_shapes,
    exercises.check_uniform_loss,
    exercises.check_cross_entropy_function,
    exercises.check_rows_with_grad,
]


@pytest.mark.parametrize("check", ALL_CHECKS, ids=lambda c: c.__name__)
def test_placeholder_is_not_yet(check, capsys):
    result, out = run(check, None, capsys)
    assert result is False
    assert out.startswith("Not yet: answer is still None.")


WRONG_BUT_WELL_TYPED = [  # answers that get past the type checks, so each check computes its expected value
    3,
    "z",
    (torch.zeros(3, 5, dtype=torch.long), torch.zeros(3, 5, dtype=torch.long)),
    (1, 2, 3),
    torch.zeros(65),
    ((1, 2), (3,)),
    1.0,
    lambda logits, targets: torch.tensor(0.0),
    3,
]


@pytest.mark.parametrize(("check", "answer"), list(zip(ALL_CHECKS, WRONG_BUT_WELL_TYPED)), ids=[c.__name__ for c in ALL_CHECKS])
def test_checks_leave_the_global_random_state_alone(check, answer, capsys):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    result = check(answer)
    assert result.passed is False
    assert torch.equal(torch.rand(3), expected)
    out = result.text
    assert out and "Correct" not in out


def test_largest_start_matches_the_notes_bound(capsys):
    # torch.randint(len - T - 1) draws 0 .. len - T - 2
    n, t = nb04_get_batch.LARGEST_START_LEN, nb04_get_batch.LARGEST_START_T
    assert run(exercises.check_largest_start, n - t - 2, capsys)[0] is True
    assert run(exercises.check_largest_start, torch.tensor(n - t - 2), capsys)[0] is True
    result, out = run(exercises.check_largest_start, n - t - 1, capsys)
    assert result is False and "lecture's bound" in out
    result, out = run(exercises.check_largest_start, n - t, capsys)
    assert result is False and "past the end" in out
    result, out = run(exercises.check_largest_start, 0, capsys)
    assert result is False and "Too small" in out
    result, out = run(exercises.check_largest_start, "10", capsys)
    assert result is False and "int" in out


def test_target_char(corpus, capsys):
    # the notebook's validation batch: get_batch(val_data, 4, 8) with a fresh generator seeded 0
    xv, yv = get_batch(corpus.val_data, 4, 8, generator=torch.Generator().manual_seed(0))
    result, out = run(exercises.check_target_char, corpus.decode([int(yv[1, -1])]), capsys)
    assert result is True and out.startswith("Correct!")
    assert corpus.decode(yv[1, :-1].tolist()) == corpus.decode(xv[1, 1:].tolist())  # only the last target is new
    result, out = run(exercises.check_target_char, corpus.decode([int(xv[1, -1])]), capsys)
    assert result is False and "last character OF the context" in out
    result, out = run(exercises.check_target_char, corpus.decode([int(xv[1, 0])]), capsys)
    assert result is False and "first character" in out
    result, out = run(exercises.check_target_char, "ab", capsys)
    assert result is False and "one-character" in out


def test_val_batch(corpus, capsys):
    def draw(data):
        return get_batch(data, 3, 5, generator=torch.Generator().manual_seed(42))

    result, out = run(exercises.check_val_batch, draw(corpus.val_data), capsys)
    assert result is True and out.startswith("Correct!")
    result, out = run(exercises.check_val_batch, draw(corpus.train_data), capsys)
    assert result is False and "train_data" in out
    x, y = draw(corpus.val_data)
    result, out = run(exercises.check_val_batch, (y, x), capsys)
    assert result is False and "shifted by one" in out
    result, out = run(exercises.check_val_batch, (x[:2], y[:2]), capsys)
    assert result is False and "Wrong shapes" in out
    torch.manual_seed(0)
    result, out = run(exercises.check_val_batch, get_batch(corpus.val_data, 3, 5), capsys)
    assert result is False and "generator" in out


def test_logits_shape(notes_batch, notes_model, capsys):
    xb, _ = notes_batch
    logits, _ = notes_model(xb[:, :3])  # no targets: (B, T, C) for the first 3 positions
    result, out = run(exercises.check_logits_shape, logits.shape, capsys)
    assert result is True and "(4, 3, 65)" in out
    assert run(exercises.check_logits_shape, [4, 3, 65], capsys)[0] is True
    result, out = run(exercises.check_logits_shape, (12, 65), capsys)
    assert result is False and "WITH targets" in out
    result, out = run(exercises.check_logits_shape, (4, 3), capsys)
    assert result is False and "shape of xb" in out
    result, out = run(exercises.check_logits_shape, (4, 8, 65), capsys)
    assert result is False and "whole xb" in out


def test_embedding_row(corpus, notes_model, capsys):
    h = corpus.encode("e")[0]  # the exercise asks for the row of 'e'
    weight = notes_model.token_embedding_table.weight
    result, out = run(exercises.check_embedding_row, weight[h], capsys)
    assert result is True and out.startswith("Correct!")
    result, out = run(exercises.check_embedding_row, weight[:, h], capsys)
    assert result is False and "column" in out
    result, out = run(exercises.check_embedding_row, weight[h : h + 1], capsys)
    assert result is False and "wrong shape" in out
    result, out = run(exercises.check_embedding_row, weight[h + 1], capsys)
    assert result is False and "Not quite" in out


def test_flat_shapes(capsys):
    result, out = run(exercises.check_flat_shapes, (torch.Size([10, 65]), torch.Size([10])), capsys)
    assert result is True and out.startswith("Correct!")
    result, out = run(exercises.check_flat_shapes, ((10, 65), (2, 5)), capsys)
    assert result is False and "targets shape is off" in out and "logits shape" not in out
    result, out = run(exercises.check_flat_shapes, ((2, 5, 65), (10,)), capsys)
    assert result is False and "logits shape is off" in out
    result, out = run(exercises.check_flat_shapes, (10, 10), capsys)
    assert result is False and "tuple of ints" in out


def test_uniform_loss(capsys):
    result, out = run(exercises.check_uniform_loss, math.log(27), capsys)
    assert result is True and "3.2958" in out
    result, out = run(exercises.check_uniform_loss, 3.296, capsys)
    assert result is False and "rounded" in out  # right reasoning, too few decimals: said so
    result, out = run(exercises.check_uniform_loss, math.log(65), capsys)
    assert result is False and "ln 65" in out  # the number printed above is not this exercise's answer
    result, out = run(exercises.check_uniform_loss, 1 / 27, capsys)
    assert result is False and "probability" in out
    result, out = run(exercises.check_uniform_loss, -math.log(27), capsys)
    assert result is False and "NEGATIVE" in out
    result, out = run(exercises.check_uniform_loss, math.log10(27), capsys)
    assert result is False and "base 10" in out and "Almost" not in out


def test_cross_entropy_function(capsys):
    def by_hand(logits, targets):
        probs = F.softmax(logits, dim=1)  # (N, C)
        return -probs[torch.arange(len(targets)), targets].log().mean()

    result, out = run(exercises.check_cross_entropy_function, by_hand, capsys)
    assert result is True and out.startswith("Correct!")
    wrong = {
        "sum over rows": lambda l, t: -F.log_softmax(l, dim=1)[torch.arange(len(t)), t].sum(),
        "sign": lambda l, t: F.log_softmax(l, dim=1)[torch.arange(len(t)), t].mean(),
        "softmax twice": lambda l, t: -F.log_softmax(F.softmax(l, dim=1), dim=1)[torch.arange(len(t)), t].mean(),
        "wrong axis": lambda l, t: -F.log_softmax(l, dim=0)[torch.arange(len(t)), t].mean(),
        "raised": lambda l, t: l[t, t, t],
        "one number": lambda l, t: -F.log_softmax(l, dim=1)[torch.arange(len(t)), t],
    }
    for needle, fn in wrong.items():
        result, out = run(exercises.check_cross_entropy_function, fn, capsys)
        assert result is False and needle in out, (needle, out)
    result, out = run(exercises.check_cross_entropy_function, 4.2, capsys)
    assert result is False and "function" in out


def test_rows_with_grad(notes_batch, capsys):
    xb, _ = notes_batch
    distinct = len(set(xb.flatten().tolist()))
    assert distinct < xb.numel()  # the notes' batch repeats characters, so the two answers differ
    result, out = run(exercises.check_rows_with_grad, distinct, capsys)
    assert result is True and out.startswith("Correct!")
    result, out = run(exercises.check_rows_with_grad, xb.numel(), capsys)
    assert result is False and "same row" in out
    result, out = run(exercises.check_rows_with_grad, 65, capsys)
    assert result is False and "never looks up" in out


def test_cross_entropy_function_rejects_the_ready_made_loss(capsys):
    from torch import nn
    from torch.nn.functional import cross_entropy  # another name for the same function: still caught

    ready_made = {
        "F.cross_entropy": F.cross_entropy,
        "a lambda around F.cross_entropy": lambda l, t: F.cross_entropy(l, t),
        "cross_entropy imported by name": lambda l, t: cross_entropy(l, t),
        "nn.CrossEntropyLoss": nn.CrossEntropyLoss(),
    }
    for name, fn in ready_made.items():
        result, out = run(exercises.check_cross_entropy_function, fn, capsys)
        assert result is False and "F.cross_entropy" in out and "Correct" not in out, (name, out)
    result, out = run(exercises.check_cross_entropy_function,
                      lambda l, t: F.nll_loss(F.log_softmax(l, dim=1), t), capsys)
    assert result is False and "F.nll_loss" in out
    # log_softmax is a fine building block: only the ready-made losses are refused
    result, out = run(exercises.check_cross_entropy_function,
                      lambda l, t: -F.log_softmax(l, dim=1)[torch.arange(len(t)), t].mean(), capsys)
    assert result is True


def test_nb06_exercises_have_worked_solutions():
    for number in ("06.1", "06.2", "06.3"):
        text = repr(exercises.show_solution(number))
        assert text.startswith(f"Worked solution, exercise {number}")


def test_rows_with_grad_does_not_claim_a_step_changes_only_those_rows(notes_batch, capsys):
    xb, _ = notes_batch
    result, out = run(exercises.check_rows_with_grad, len(set(xb.flatten().tolist())), capsys)
    assert result is True and "nonzero gradient" in out and "weight decay" in out
