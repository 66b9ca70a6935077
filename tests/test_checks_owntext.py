"""The exercise checks of notebook 11: right answers pass on any text, wrong ones say what is off."""

import math

import numpy as np
import pytest
import torch

from bigram_lib import bigram_counts, load_corpus
from bigram_lib.exercises import check_own_pairs_seen as check_pairs_seen
from bigram_lib.exercises import check_own_uniform_loss as check_uniform_loss
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


def test_uniform_loss(mine):
    C = mine.vocab_size
    ok, text = verdict(check_uniform_loss, math.log(C), mine)
    assert ok is True and text.startswith("Correct!")
    assert verdict(check_uniform_loss, np.float32(math.log(C)), mine)[0] is True
    ok, text = verdict(check_uniform_loss, C, mine)
    assert ok is False and "C itself" in text
    ok, text = verdict(check_uniform_loss, math.log2(C), mine)
    assert ok is False and "natural logarithm" in text
    ok, text = verdict(check_uniform_loss, None, mine)
    assert ok is False and "still None" in text
    assert verdict(check_uniform_loss, "ln C", mine)[0] is False


def test_pairs_seen(mine):
    counts = bigram_counts(mine.train_data, mine.vocab_size)
    used = int((counts > 0).sum())
    ok, text = verdict(check_pairs_seen, used, mine)
    assert ok is True and text.startswith("Correct!")
    assert verdict(check_pairs_seen, torch.tensor(used), mine)[0] is True
    ok, text = verdict(check_pairs_seen, mine.vocab_size ** 2, mine)
    assert ok is False and "every possible pair" in text
    ok, text = verdict(check_pairs_seen, int(counts.sum()), mine)
    assert ok is False and "every occurrence" in text
    assert verdict(check_pairs_seen, used + 1, mine)[0] is False
    ok, text = verdict(check_pairs_seen, None, mine)
    assert ok is False and "still None" in text
