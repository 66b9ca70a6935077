"""The exercise checks of notebook 11: right answers pass on any text, wrong ones say what is off."""

import math

import numpy as np
import pytest
import torch

from bigram_lib import bigram_counts, load_corpus, optimal_loss
from bigram_lib.exercises import check_own_pairs_seen as check_pairs_seen
from bigram_lib.exercises import check_own_unigram_loss as check_unigram_loss
from bigram_lib.owntext import sample_text_path


@pytest.fixture(scope="module", params=["names", "greek"])
def mine(request):
    """The sample names, or a short Greek text: the checks must follow each text's own C."""
    if request.param == "names":
        return load_corpus(sample_text_path())
    return load_corpus(text="Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη\n" * 3)


def verdict(check, answer, corpus):
    """(passed, plain text) of a check's verdict."""
    v = check(answer, corpus)
    return v.passed, v.text


def test_unigram_loss(mine):
    C = mine.vocab_size
    counts = torch.bincount(mine.train_data, minlength=C).double()
    p = counts[counts > 0] / counts.sum()
    entropy = -(p * p.log()).sum().item()
    ok, text = verdict(check_unigram_loss, entropy, mine)
    assert ok is True and text.startswith("Correct!")
    assert verdict(check_unigram_loss, np.float32(entropy), mine)[0] is True
    assert verdict(check_unigram_loss, torch.tensor(entropy), mine)[0] is True
    ok, text = verdict(check_unigram_loss, math.log(C), mine)
    assert ok is False and "blind guess" in text  # the number printed above is not this answer
    ok, text = verdict(check_unigram_loss, optimal_loss(mine.train_data, C), mine)
    assert ok is False and "count floor" in text
    ok, text = verdict(check_unigram_loss, entropy / math.log(2), mine)
    assert ok is False and "nats" in text
    ok, text = verdict(check_unigram_loss, None, mine)
    assert ok is False and "still None" in text
    assert verdict(check_unigram_loss, "ln C", mine)[0] is False


def test_pairs_seen(mine):
    counts = bigram_counts(mine.train_data, mine.vocab_size)
    used = int((counts > 0).sum())
    ok, text = verdict(check_pairs_seen, used, mine)
    assert ok is True and text.startswith("Correct!")
    assert verdict(check_pairs_seen, torch.tensor(used), mine)[0] is True
    assert verdict(check_pairs_seen, float(used), mine)[0] is True  # what .float().sum().item() gives
    ok, text = verdict(check_pairs_seen, mine.vocab_size ** 2, mine)
    assert ok is False and "every possible pair" in text
    ok, text = verdict(check_pairs_seen, int(counts.sum()), mine)
    assert ok is False and "every occurrence" in text
    assert verdict(check_pairs_seen, used + 1, mine)[0] is False
    ok, text = verdict(check_pairs_seen, None, mine)
    assert ok is False and "still None" in text
