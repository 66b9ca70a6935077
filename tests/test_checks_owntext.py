"""The exercise checks of notebook 11: right answers pass on any text; every mistake has its reason."""

import math

import pytest
import torch
from answer_forms import float_forms, int_forms, judged

from bigram_lib import bigram_counts, load_corpus, optimal_loss
from bigram_lib.course.owntext import sample_text_path
from bigram_lib.exercises import check_own_pairs_seen as check_pairs_seen
from bigram_lib.exercises import check_own_unigram_loss as check_unigram_loss


@pytest.fixture(scope="module", params=["names", "greek"])
def mine(request):
    """The sample names, or a short Greek text: the checks must follow each text's own C."""
    if request.param == "names":
        return load_corpus(sample_text_path())
    return load_corpus(text="Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη\n" * 3)


def _entropy(corpus, only_seen=True):
    """The exercise done by a learner: the characters' frequencies in train_data, then -sum p ln p."""
    counts = torch.bincount(corpus.train_data, minlength=corpus.vocab_size).double()  # (C,)
    p = counts / counts.sum()
    if only_seen:
        p = p[p > 0]
    return -(p * p.log()).sum()  # a 0-d tensor


# ---------------------------------------------------------------- 11.1


def test_unigram_loss_in_every_form(mine):
    entropy = _entropy(mine)
    for form in [*float_forms(entropy.item()), entropy]:
        judged(check_unigram_loss(form, mine), "correct", "correct", "11.1")


def test_unigram_loss_mistakes(mine):
    C, entropy = mine.vocab_size, _entropy(mine).item()
    floor = optimal_loss(mine.train_data, C)
    judged(check_unigram_loss(math.log(C), mine), "not quite", "blind_guess", "11.1")
    judged(check_unigram_loss(floor, mine), "not quite", "count_floor", "11.1")
    judged(check_unigram_loss(entropy / math.log(2), mine), "not quite", "log_base", "11.1")
    # the minus sign forgotten
    judged(check_unigram_loss(-entropy, mine), "not quite", "below_floor", "11.1")
    judged(check_unigram_loss(floor - 0.2, mine), "not quite", "below_floor", "11.1")
    # the floor to compare with
    assert f"{floor:.4f}" in check_unigram_loss(floor - 0.2, mine).message
    judged(check_unigram_loss((entropy + math.log(C)) / 2, mine), "not quite", "other", "11.1")
    judged(check_unigram_loss(None, mine), "not yet", "placeholder", "11.1")
    judged(check_unigram_loss("ln C", mine), "not quite", "type", "11.1")


def test_unigram_loss_below_the_names_floor():
    names = load_corpus(sample_text_path())
    # 2.0 is below the floor the question names
    assert optimal_loss(names.train_data, names.vocab_size) > 2.0
    judged(check_unigram_loss(2.0, names), "not quite", "below_floor", "11.1")


def test_unigram_loss_nan_from_zero_counts():
    text = "the cat sat on the mat\n" * 20 + "xyz\n"  # x, y and z occur only in the validation part
    corpus = load_corpus(text=text)
    nan = _entropy(corpus, only_seen=False)  # 0 x log 0 for the characters train_data never holds
    assert torch.isnan(nan)
    judged(check_unigram_loss(nan, corpus), "not quite", "nan", "11.1")
    judged(check_unigram_loss(float("nan"), corpus), "not quite", "nan", "11.1")
    judged(check_unigram_loss(_entropy(corpus), corpus), "correct", "correct", "11.1")


# ---------------------------------------------------------------- 11.2


def test_pairs_seen(mine):
    counts = bigram_counts(mine.train_data, mine.vocab_size)
    used = (counts > 0).sum()  # a 0-d tensor
    for form in [*int_forms(int(used)), used, (counts > 0).float().sum().item(), float(used)]:
        judged(check_pairs_seen(form, mine), "correct", "correct", "11.2")
    judged(check_pairs_seen(mine.vocab_size**2, mine), "not quite", "every_pair", "11.2")
    judged(check_pairs_seen(int(counts.sum()), mine), "not quite", "every_occurrence", "11.2")
    judged(check_pairs_seen(int(used) + 1, mine), "not quite", "other", "11.2")
    judged(check_pairs_seen(None, mine), "not yet", "placeholder", "11.2")
    judged(check_pairs_seen(int(used) + 0.5, mine), "not quite", "type", "11.2")
