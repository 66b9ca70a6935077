"""The exercise self-checks of notebooks 01-03: right answers pass, typical wrong answers are explained."""

import pytest
import torch
import torch.nn as nn
from torch.nn import functional as F

from bigram_lib import BigramLanguageModel, get_batch, train_val_split
from bigram_lib.exercises import (
    check_char_id,
    check_cross_entropy_module,
    check_generate_shape,
    check_generator_draws,
    check_linear_parameters,
    check_pipeline_logits_shape,
    check_parameter_count,
    check_split_sizes,
    check_val_newlines,
    cross_entropy_exercise,
)


def verdict(capsys, check, answer):
    """Run a check; return (its result, what it printed)."""
    result = check(answer)
    return result.passed, result.text


ALL_CHECKS = [
    check_pipeline_logits_shape, check_generate_shape, check_parameter_count,
    check_linear_parameters, check_generator_draws, check_cross_entropy_module,
    check_char_id, check_val_newlines, check_split_sizes,
]


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_placeholder_answer_says_not_yet(capsys, check):
    ok, out = verdict(capsys, check, None)
    assert ok is False
    assert out.startswith("Not yet: answer is still None.")


@pytest.mark.parametrize("check", ALL_CHECKS)
def test_nonsense_answer_is_rejected_without_crashing(capsys, check):
    ok, out = verdict(capsys, check, "banana")
    assert ok is False
    assert "Correct" not in out and out.strip()


# ---------------------------------------------------------------- 01


def test_logits_shape(capsys, corpus):
    torch.manual_seed(1337)
    xb, yb = get_batch(corpus.train_data, 4, 8)  # (B, T)
    logits, _ = BigramLanguageModel(corpus.vocab_size)(xb, yb)  # (B*T, C)
    ok, out = verdict(capsys, check_pipeline_logits_shape, tuple(logits.shape))
    assert ok and out.startswith("Correct!") and "(32, 65)" in out
    assert verdict(capsys, check_pipeline_logits_shape, logits.shape)[0]  # a torch.Size is fine too
    ok, out = verdict(capsys, check_pipeline_logits_shape, (4, 8, 65))
    assert not ok and "(B, T, C)" in out and "view(B * T, C)" in out
    ok, out = verdict(capsys, check_pipeline_logits_shape, (32, 8))
    assert not ok and "shape of xb" in out and "(4, 8)" in out
    ok, out = verdict(capsys, check_pipeline_logits_shape, (32,))
    assert not ok and "flattened targets" in out


def test_logits_shape_leaves_the_global_rng_alone(capsys):
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    check_pipeline_logits_shape((32, 65))
    assert torch.equal(torch.rand(3), expected)
    capsys.readouterr()


def test_generate_shape(capsys):
    m = BigramLanguageModel(65)
    out_ids = m.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)  # (1, 101)
    ok, out = verdict(capsys, check_generate_shape, list(out_ids.shape))
    assert ok and "(1, 101)" in out
    ok, out = verdict(capsys, check_generate_shape, (1, 100))
    assert not ok and "starting token" in out
    ok, out = verdict(capsys, check_generate_shape, (101,))
    assert not ok and "1-D" in out
    ok, out = verdict(capsys, check_generate_shape, (101, 1))
    assert not ok and "swapped" in out


def test_parameter_count(capsys):
    ok, out = verdict(capsys, check_parameter_count, 65 * 65)
    assert ok and "4225" in out
    ok, out = verdict(capsys, check_parameter_count, torch.tensor(4225))
    assert ok
    ok, out = verdict(capsys, check_parameter_count, 65)
    assert not ok and "vocabulary size" in out
    ok, out = verdict(capsys, check_parameter_count, 130)
    assert not ok and "num_embeddings rows of embedding_dim" in out
    ok, out = verdict(capsys, check_parameter_count, 4225.0)
    assert not ok and "whole number" in out


# ---------------------------------------------------------------- 02


def test_linear_parameters(capsys):
    ok, out = verdict(capsys, check_linear_parameters, 4 * 3 + 3)
    assert ok and "weight (3, 4)" in out and "bias (3,)" in out
    ok, out = verdict(capsys, check_linear_parameters, 12)
    assert not ok and "only the weight" in out
    ok, out = verdict(capsys, check_linear_parameters, 7)
    assert not ok and "in_features and out_features" in out
    ok, out = verdict(capsys, check_linear_parameters, 0)
    assert not ok and "Module" in out


def test_generator_draws(capsys):
    torch.manual_seed(1337)
    torch.rand(3)  # the extra call of the exercise
    g = torch.Generator().manual_seed(1337)
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5, generator=g))
    assert ok and out.startswith("Correct!")
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5, generator=torch.Generator().manual_seed(1337)).tolist())
    assert ok
    torch.manual_seed(1337)
    torch.rand(3)
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5))  # the global stream, shifted by 3
    assert not ok and "draws 4 to 8 of seed 1337" in out and "generator=g" in out
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5, generator=torch.Generator().manual_seed(0)))
    assert not ok and "not the first 5 draws" in out
    ok, out = verdict(capsys, check_generator_draws, torch.rand(4, generator=torch.Generator().manual_seed(1337)))
    assert not ok and "Expected 5 numbers, got 4" in out


def test_cross_entropy_module(capsys):
    logits, targets = cross_entropy_exercise()
    assert logits.shape == (3, 5) and targets.shape == (3,)
    loss_fn = nn.CrossEntropyLoss()
    ok, out = verdict(capsys, check_cross_entropy_module, loss_fn(logits, targets))
    assert ok and f"{F.cross_entropy(logits, targets).item():.4f}" in out
    ok, out = verdict(capsys, check_cross_entropy_module, loss_fn(logits, targets).item())
    assert ok
    ok, out = verdict(capsys, check_cross_entropy_module, loss_fn)
    assert not ok and "Call it" in out
    ok, out = verdict(capsys, check_cross_entropy_module, loss_fn(F.softmax(logits, dim=1), targets))
    assert not ok and "probabilities" in out
    ok, out = verdict(capsys, check_cross_entropy_module, nn.CrossEntropyLoss(reduction="sum")(logits, targets))
    assert not ok and "sum over the 3 rows" in out
    ok, out = verdict(capsys, check_cross_entropy_module, F.nll_loss(logits, targets))
    assert not ok and "log-probabilities" in out


# ---------------------------------------------------------------- 03


def test_char_id(capsys, corpus):
    ok, out = verdict(capsys, check_char_id, corpus.encode("a")[0])
    assert ok and "position 39" in out and "26 capitals" in out
    ok, out = verdict(capsys, check_char_id, 97)
    assert not ok and "ord('a')" in out
    ok, out = verdict(capsys, check_char_id, 0)
    assert not ok and "'\\n'" in out
    ok, out = verdict(capsys, check_char_id, 40)
    assert not ok and "off by one" in out
    ok, out = verdict(capsys, check_char_id, [39])
    assert not ok and "encode returns a list" in out


def test_val_newlines(capsys, corpus):
    expected = corpus.decode(corpus.val_data).count("\n")
    ok, out = verdict(capsys, check_val_newlines, expected)
    assert ok and f"{expected} newlines" in out
    ok, out = verdict(capsys, check_val_newlines, corpus.text.count("\n"))
    assert not ok and "whole corpus" in out
    ok, out = verdict(capsys, check_val_newlines, corpus.decode(corpus.train_data).count("\n"))
    assert not ok and "train_data" in out
    ok, out = verdict(capsys, check_val_newlines, len(corpus.val_data))
    assert not ok and "length of val_data" in out


def test_split_sizes(capsys, corpus):
    train, val = train_val_split(corpus.data, 0.8)
    ok, out = verdict(capsys, check_split_sizes, (len(train), len(val)))
    assert ok and "892,315" in out
    ok, out = verdict(capsys, check_split_sizes, (len(val), len(train)))
    assert not ok and "swapped" in out
    ok, out = verdict(capsys, check_split_sizes, (len(train) + 1, len(val) - 1))
    assert not ok and "rounds up" in out
    ok, out = verdict(capsys, check_split_sizes, (1_003_854, 111_540))
    assert not ok and "90/10" in out
    ok, out = verdict(capsys, check_split_sizes, (len(train), len(train)))
    assert not ok and "must cover all" in out
