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
    check_parameter_count,
    check_pipeline_logits_shape,
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
    assert ok and "4,225" in out
    ok, out = verdict(capsys, check_parameter_count, torch.tensor(4225))
    assert ok
    ok, out = verdict(capsys, check_parameter_count, 65)
    assert not ok and "vocabulary size" in out
    ok, out = verdict(capsys, check_parameter_count, 130)
    assert not ok and "num_embeddings rows of embedding_dim" in out
    ok, out = verdict(capsys, check_parameter_count, 4225.0)
    assert not ok and "whole number" in out


def test_parameter_count_for_the_learners_vocabulary(capsys):
    ok, out = verdict(capsys, check_parameter_count, 100 * 100)
    assert not ok  # the default vocabulary is 65
    result = check_parameter_count(100 * 100, 100)
    assert result.passed and "10,000" in result.text
    result = check_parameter_count(65 * 65, 100)
    assert not result.passed and "notes' 65 characters" in result.text
    result = check_parameter_count(100, 100)
    assert not result.passed and "vocabulary size" in result.text
    assert check_parameter_count(25_670 ** 2, 25_670).passed  # a word-level table, counted without allocating it
    result = check_parameter_count(4, 0)
    assert not result.passed and "positive int" in result.text


def test_logits_shape_for_the_learners_batch(capsys):
    result = check_pipeline_logits_shape((15, 65), 3, 5)
    assert result.passed and "3 * 5 = 15 positions" in result.text
    result = check_pipeline_logits_shape((32, 65), 3, 5)
    assert not result.passed and "B = 4 and T = 8" in result.text
    result = check_pipeline_logits_shape((3, 5, 65), 3, 5)
    assert not result.passed and "(B, T, C)" in result.text
    result = check_pipeline_logits_shape((15,), 3, 5)
    assert not result.passed and "flattened targets" in result.text
    result = check_pipeline_logits_shape((15, 65), 3, "5")
    assert not result.passed and "block_size must be a positive int" in result.text


def test_generate_shape_for_the_learners_start(capsys):
    result = check_generate_shape((3, 52), 3, 2, 50)
    assert result.passed and "(3, 52)" in result.text
    result = check_generate_shape((3, 50), 3, 2, 50)
    assert not result.passed and "starting tokens" in result.text
    result = check_generate_shape((1, 52), 3, 2, 50)
    assert not result.passed and "one row" in result.text
    result = check_generate_shape((52, 3), 3, 2, 50)
    assert not result.passed and "swapped" in result.text
    assert check_generate_shape((2, 7), 2, 7, 0).passed  # no new tokens: the start comes back


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
    result = check_generator_draws(torch.rand(5, generator=g), g)
    assert result.passed and result.text.startswith("Correct!")
    g = torch.Generator().manual_seed(1337)
    assert check_generator_draws(torch.rand(5, generator=g).tolist(), g).passed
    torch.manual_seed(1337)
    torch.rand(3)
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5))  # the global stream, shifted by 3
    assert not ok and "draws 4 to 8 of seed 1337" in out and "generator=g" in out
    ok, out = verdict(capsys, check_generator_draws, torch.rand(5, generator=torch.Generator().manual_seed(0)))
    assert not ok and "not the first 5 draws" in out
    ok, out = verdict(capsys, check_generator_draws, torch.rand(4, generator=torch.Generator().manual_seed(1337)))
    assert not ok and "Expected 5 numbers, got 4" in out


def test_generator_draws_rejects_the_global_stream_seeded_again(capsys):
    # the answer the exercise asks to replace: the same five numbers, but from the shared global stream
    torch.manual_seed(1337)
    torch.rand(3)  # somebody else's call
    g = torch.Generator().manual_seed(1337)  # made, but never drawn from
    torch.manual_seed(1337)
    result = check_generator_draws(torch.rand(5), g)
    assert not result.passed and "not from g" in result.text and "global stream" in result.text
    g = torch.manual_seed(1337)  # the global stream itself, under the name g
    result = check_generator_draws(torch.rand(5, generator=g), g)
    assert not result.passed and "global stream itself" in result.text
    result = check_generator_draws(torch.rand(5, generator=torch.Generator().manual_seed(1337)))  # g not passed
    assert not result.passed and "check_generator_draws(answer, g)" in result.text
    g = torch.Generator().manual_seed(0)  # a private stream, but of another seed
    torch.manual_seed(1337)
    result = check_generator_draws(torch.rand(5), g)
    assert not result.passed and "seeded with 0" in result.text


def test_generator_draws_accepts_more_draws_from_g_sliced():
    # the first five of eight draws from the learner's own g are the first five draws of seed 1337
    g = torch.Generator().manual_seed(1337)
    assert check_generator_draws(torch.rand(8, generator=g)[:5], g).passed


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
