"""The exercise self-checks of notebooks 01-03: each verdict's status and reason, for every answer's form."""

import math

import numpy as np
import pytest
import torch
import torch.nn as nn
from answer_forms import float_forms, int_forms, judged, shape_forms
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

ALL_CHECKS = {
    "01.1": check_pipeline_logits_shape,
    "01.2": check_generate_shape,
    "01.3": check_parameter_count,
    "02.1": check_linear_parameters,
    "02.2": check_generator_draws,
    "02.3": check_cross_entropy_module,
    "03.1": check_char_id,
    "03.2": check_val_newlines,
    "03.3": check_split_sizes,
}
WRONG_KIND = {
    "01.1": "32, 65",
    "01.2": 1.5,
    "01.3": 4225.0,
    "02.1": "15",
    "02.2": "0.7576",
    "02.3": "1.6",
    "03.1": "a",
    "03.2": 12.5,
    "03.3": "892315, 223079",
}


@pytest.mark.parametrize("number", ALL_CHECKS)
def test_placeholder_is_not_yet(number):
    judged(ALL_CHECKS[number](None), "not yet", "placeholder", number)


@pytest.mark.parametrize("number", ALL_CHECKS)
def test_an_answer_of_the_wrong_kind_is_a_type_mistake(number):
    judged(ALL_CHECKS[number](WRONG_KIND[number]), "not quite", "type", number)


# ---------------------------------------------------------------- 01.1


def test_logits_shape_for_the_notes_batch(corpus):
    torch.manual_seed(1337)
    xb, yb = get_batch(corpus.train_data, 4, 8)  # (B, T)
    logits, _ = BigramLanguageModel(corpus.vocab_size)(xb, yb)  # (B*T, C)
    for form in shape_forms(logits.shape):
        judged(check_pipeline_logits_shape(form), "correct", "correct", "01.1")
    assert "(32, 65)" in check_pipeline_logits_shape(logits.shape).text
    logits_3d, _ = BigramLanguageModel(corpus.vocab_size)(xb)
    judged(check_pipeline_logits_shape(logits_3d.shape), "not quite", "three_d", "01.1")
    judged(check_pipeline_logits_shape((32, 8)), "not quite", "xb_shape", "01.1")
    judged(check_pipeline_logits_shape(xb.shape), "not quite", "xb_shape", "01.1")
    judged(check_pipeline_logits_shape((yb.numel(),)), "not quite", "targets_shape", "01.1")
    judged(check_pipeline_logits_shape((65, 32)), "not quite", "other", "01.1")


def test_logits_shape_for_the_learners_batch(corpus):
    B, T = 3, 5
    logits, _ = BigramLanguageModel(corpus.vocab_size)(*get_batch(corpus.train_data, B, T))
    for form in shape_forms(logits.shape):
        judged(check_pipeline_logits_shape(form, B, T), "correct", "correct", "01.1")
    judged(
        check_pipeline_logits_shape(logits.shape, np.int64(B), torch.tensor(T)),
        "correct",
        "correct",
        "01.1",
    )
    judged(check_pipeline_logits_shape((32, 65), B, T), "not quite", "notes_batch", "01.1")
    judged(check_pipeline_logits_shape((B, T, 65), B, T), "not quite", "three_d", "01.1")
    judged(check_pipeline_logits_shape((B * T,), B, T), "not quite", "targets_shape", "01.1")
    judged(check_pipeline_logits_shape((15, 65), B, "5"), "not quite", "bad_size", "01.1")
    judged(check_pipeline_logits_shape((15, 65), 0, T), "not quite", "bad_size", "01.1")


def test_logits_shape_leaves_the_global_rng_alone():
    torch.manual_seed(7)
    expected = torch.rand(3)
    torch.manual_seed(7)
    check_pipeline_logits_shape((32, 65))
    assert torch.equal(torch.rand(3), expected)


# ---------------------------------------------------------------- 01.2


def test_generate_shape_default_start():
    m = BigramLanguageModel(65)
    out = m.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)  # (1, 101)
    for form in shape_forms(out.shape):
        judged(check_generate_shape(form), "correct", "correct", "01.2")
    judged(check_generate_shape((1, 100)), "not quite", "forgot_start", "01.2")
    judged(check_generate_shape((101,)), "not quite", "one_d", "01.2")
    judged(check_generate_shape((101, 1)), "not quite", "swapped", "01.2")


def test_generate_shape_for_the_learners_start():
    batch, length, new = 3, 2, 50
    out = BigramLanguageModel(65).generate(
        torch.zeros((batch, length), dtype=torch.long), max_new_tokens=new
    )
    for form in shape_forms(out.shape):
        judged(check_generate_shape(form, batch, length, new), "correct", "correct", "01.2")
    judged(check_generate_shape((3, 50), batch, length, new), "not quite", "forgot_start", "01.2")
    judged(check_generate_shape((1, 52), batch, length, new), "not quite", "one_row", "01.2")
    judged(check_generate_shape((52, 3), batch, length, new), "not quite", "swapped", "01.2")
    judged(check_generate_shape((156,), batch, length, new), "not quite", "one_d", "01.2")
    judged(check_generate_shape((3, 53), batch, length, new), "not quite", "other", "01.2")
    judged(check_generate_shape((2, 7), 2, 7, 0), "correct", "correct", "01.2")  # no new tokens
    judged(check_generate_shape((2, 7), 2, 7, -1), "not quite", "bad_size", "01.2")


# ---------------------------------------------------------------- 01.3


def test_parameter_count():
    n = sum(p.numel() for p in BigramLanguageModel(65).parameters())
    for form in int_forms(n):
        judged(check_parameter_count(form), "correct", "correct", "01.3")
    assert "4,225" in check_parameter_count(n).text
    judged(check_parameter_count(65), "not quite", "vocab_size", "01.3")
    judged(check_parameter_count(130), "not quite", "c_plus_c", "01.3")
    judged(check_parameter_count(4224), "not quite", "other", "01.3")


def test_parameter_count_for_the_learners_vocabulary():
    n = sum(p.numel() for p in BigramLanguageModel(100).parameters())
    judged(check_parameter_count(n), "not quite", "other", "01.3")  # the default vocabulary is 65
    judged(check_parameter_count(n, 100), "correct", "correct", "01.3")
    judged(check_parameter_count(n, np.int64(100)), "correct", "correct", "01.3")
    judged(check_parameter_count(65 * 65, 100), "not quite", "notes_vocab", "01.3")
    judged(check_parameter_count(100, 100), "not quite", "vocab_size", "01.3")
    # counted without allocating
    judged(check_parameter_count(25_670**2, 25_670), "correct", "correct", "01.3")
    judged(check_parameter_count(4, 0), "not quite", "bad_size", "01.3")


# ---------------------------------------------------------------- 02.1


def test_linear_parameters():
    layer = nn.Linear(4, 3)
    n = sum(p.numel() for p in layer.parameters())
    for form in int_forms(n):
        judged(check_linear_parameters(form), "correct", "correct", "02.1")
    judged(check_linear_parameters(layer.weight.numel()), "not quite", "weight_only", "02.1")
    judged(
        check_linear_parameters(layer.in_features + layer.out_features),
        "not quite",
        "in_plus_out",
        "02.1",
    )
    judged(check_linear_parameters(0), "not quite", "zero", "02.1")
    judged(check_linear_parameters(16), "not quite", "other", "02.1")


# ---------------------------------------------------------------- 02.2


def _first_five(seed=1337):
    """Five draws from a fresh generator of `seed`, and that generator."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(5, generator=g), g


def test_generator_draws_in_every_form():
    torch.manual_seed(1337)
    torch.rand(3)  # the extra call of the exercise
    draws, g = _first_five()
    for form in (draws, draws.tolist(), draws.numpy(), tuple(draws.tolist()), draws.double()):
        judged(check_generator_draws(form, g), "correct", "correct", "02.2")
    g = torch.Generator().manual_seed(1337)
    # sliced
    judged(check_generator_draws(torch.rand(8, generator=g)[:5], g), "correct", "correct", "02.2")


def test_generator_draws_mistakes():
    torch.manual_seed(1337)
    torch.rand(3)
    judged(check_generator_draws(torch.rand(5), _first_five()[1]), "not quite", "shifted", "02.2")
    judged(check_generator_draws(_first_five(0)[0], _first_five()[1]), "not quite", "other", "02.2")
    judged(
        check_generator_draws(_first_five()[0][:4], _first_five()[1]), "not quite", "count", "02.2"
    )


def test_generator_draws_rejects_the_global_stream_seeded_again():
    torch.manual_seed(1337)
    torch.rand(3)  # somebody else's call
    g = torch.Generator().manual_seed(1337)  # made, but never drawn from
    torch.manual_seed(1337)
    judged(check_generator_draws(torch.rand(5), g), "not quite", "not_from_g", "02.2")
    g = torch.manual_seed(1337)  # the global stream itself, under the name g
    judged(
        check_generator_draws(torch.rand(5, generator=g), g),
        "not quite",
        "global_generator",
        "02.2",
    )
    # g not passed
    judged(check_generator_draws(_first_five()[0]), "not quite", "no_generator", "02.2")
    g = torch.Generator().manual_seed(0)  # a private stream, but of another seed
    torch.manual_seed(1337)
    judged(check_generator_draws(torch.rand(5), g), "not quite", "other_seed", "02.2")


# ---------------------------------------------------------------- 02.3


def test_cross_entropy_module_in_every_form():
    logits3, targets3 = cross_entropy_exercise()
    assert logits3.shape == (3, 5) and targets3.shape == (3,)
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(logits3, targets3)
    for form in [*float_forms(loss.item()), loss]:
        judged(check_cross_entropy_module(form, loss_fn), "correct", "correct", "02.3")
    assert f"{loss.item():.4f}" in check_cross_entropy_module(loss, loss_fn).text


def test_cross_entropy_module_enforces_the_module_form():
    logits3, targets3 = cross_entropy_exercise()
    by_function = F.cross_entropy(logits3, targets3)
    by_hand = -F.log_softmax(logits3, dim=1)[torch.arange(3), targets3].mean()
    for answer in (by_function, by_hand):
        judged(check_cross_entropy_module(answer), "not quite", "not_the_module", "02.3")
        judged(
            check_cross_entropy_module(answer, F.cross_entropy),
            "not quite",
            "not_the_module",
            "02.3",
        )
        judged(
            check_cross_entropy_module(answer, nn.NLLLoss()), "not quite", "not_the_module", "02.3"
        )
    summing = nn.CrossEntropyLoss(reduction="sum")
    judged(check_cross_entropy_module(by_function, summing), "not quite", "not_from_module", "02.3")
    # made with options that this input happens not to show: still not the default loss
    for made in (nn.CrossEntropyLoss(ignore_index=4), nn.CrossEntropyLoss(weight=torch.ones(5))):
        assert math.isclose(made(logits3, targets3).item(), by_function.item(), abs_tol=1e-6)
        verdict = check_cross_entropy_module(made(logits3, targets3), made)
        judged(verdict, "not quite", "not_default_options", "02.3")


def test_cross_entropy_module_mistakes():
    logits3, targets3 = cross_entropy_exercise()
    loss_fn = nn.CrossEntropyLoss()
    judged(check_cross_entropy_module(loss_fn, loss_fn), "not quite", "module_not_called", "02.3")
    judged(
        check_cross_entropy_module(loss_fn(F.softmax(logits3, dim=1), targets3), loss_fn),
        "not quite",
        "probabilities_fed",
        "02.3",
    )
    summing = nn.CrossEntropyLoss(reduction="sum")
    judged(
        check_cross_entropy_module(summing(logits3, targets3), summing),
        "not quite",
        "sum_not_mean",
        "02.3",
    )
    judged(
        check_cross_entropy_module(F.nll_loss(logits3, targets3), loss_fn),
        "not quite",
        "nll_on_logits",
        "02.3",
    )
    smoothed = nn.CrossEntropyLoss(label_smoothing=0.1)
    judged(
        check_cross_entropy_module(smoothed(logits3, targets3), smoothed),
        "not quite",
        "module_options",
        "02.3",
    )
    judged(check_cross_entropy_module(0.5, loss_fn), "not quite", "other", "02.3")


# ---------------------------------------------------------------- 03.1


def test_char_id(corpus):
    n = corpus.encode("a")[0]
    assert n == corpus.tokenizer.stoi["a"]
    for form in int_forms(n):
        judged(check_char_id(form), "correct", "correct", "03.1")
    assert "39" in check_char_id(n).text
    judged(check_char_id(ord("a")), "not quite", "code_point", "03.1")
    judged(check_char_id(0), "not quite", "zero", "03.1")
    judged(check_char_id(n + 1), "not quite", "off_by_one", "03.1")
    judged(check_char_id(n - 1), "not quite", "off_by_one", "03.1")
    judged(check_char_id(corpus.encode("a")), "not quite", "encode_list", "03.1")
    judged(check_char_id(corpus.encode("ab")), "not quite", "type", "03.1")
    judged(check_char_id(50), "not quite", "other", "03.1")


# ---------------------------------------------------------------- 03.2


def test_val_newlines(corpus):
    newline = corpus.tokenizer.stoi["\n"]
    n = (corpus.val_data == newline).sum()  # a 0-d tensor, as a learner gets it
    for form in [*int_forms(int(n)), n]:
        judged(check_val_newlines(form), "correct", "correct", "03.2")
    assert str(int(n)) in check_val_newlines(n).text
    judged(check_val_newlines(corpus.text.count("\n")), "not quite", "whole_corpus", "03.2")
    judged(
        check_val_newlines(corpus.decode(corpus.train_data).count("\n")),
        "not quite",
        "train_split",
        "03.2",
    )
    judged(check_val_newlines(newline), "not quite", "newline_id", "03.2")
    judged(check_val_newlines(len(corpus.val_data)), "not quite", "val_length", "03.2")
    judged(check_val_newlines(int(n) + 1), "not quite", "other", "03.2")


# ---------------------------------------------------------------- 03.3


def test_split_sizes_in_every_form(corpus):
    train80, val80 = train_val_split(corpus.data, 0.8)
    sizes = (len(train80), len(val80))
    for form in shape_forms(sizes):  # tuple, list, torch.Size, numpy ints, 0-d tensors
        judged(check_split_sizes(form), "correct", "correct", "03.3")
    judged(
        check_split_sizes((torch.tensor(sizes[0]), np.int64(sizes[1]))),
        "correct",
        "correct",
        "03.3",
    )
    assert f"{sizes[0]:,}" in check_split_sizes(sizes).text


def test_split_sizes_mistakes(corpus):
    train80, val80 = train_val_split(corpus.data, 0.8)
    n_train, n_val = len(train80), len(val80)
    judged(check_split_sizes((n_val, n_train)), "not quite", "swapped", "03.3")
    judged(check_split_sizes((n_train + 1, n_val - 1)), "not quite", "rounds_up", "03.3")
    judged(
        check_split_sizes((len(corpus.train_data), len(corpus.val_data))),
        "not quite",
        "ninety_ten",
        "03.3",
    )
    judged(check_split_sizes((n_train, n_train)), "not quite", "not_covering", "03.3")
    judged(check_split_sizes((n_train - 5, n_val + 5)), "not quite", "other", "03.3")
    judged(check_split_sizes((n_train, n_val, 0)), "not quite", "not_a_pair", "03.3")
    judged(check_split_sizes((float(n_train), float(n_val))), "not quite", "type", "03.3")
