"""The exercise checks of notebook 11: right answers pass on any text, wrong ones say what is off."""

import math

import numpy as np
import pytest
import torch

from bigram_lib import bigram_counts, load_corpus
from bigram_lib.checks_owntext import check_pairs_seen, check_uniform_loss
from bigram_lib.owntext import sample_text_path


@pytest.fixture(scope="module", params=["names", "greek"])
def mine(request):
    """The sample names, or a short Greek text: the checks must follow each text's own C."""
    if request.param == "names":
        return load_corpus(sample_text_path())
    return load_corpus(text="Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη\n" * 3)


def test_uniform_loss(mine, capsys):
    C = mine.vocab_size
    assert check_uniform_loss(math.log(C), mine) is True and "Correct!" in capsys.readouterr().out
    assert check_uniform_loss(np.float32(math.log(C)), mine) is True
    assert check_uniform_loss(C, mine) is False and "C itself" in capsys.readouterr().out
    assert check_uniform_loss(math.log2(C), mine) is False and "natural logarithm" in capsys.readouterr().out
    assert check_uniform_loss(None, mine) is False and "still None" in capsys.readouterr().out
    assert check_uniform_loss("ln C", mine) is False


def test_pairs_seen(mine, capsys):
    counts = bigram_counts(mine.train_data, mine.vocab_size)
    used = int((counts > 0).sum())
    assert check_pairs_seen(used, mine) is True and "Correct!" in capsys.readouterr().out
    assert check_pairs_seen(torch.tensor(used), mine) is True
    assert check_pairs_seen(mine.vocab_size ** 2, mine) is False and "every possible pair" in capsys.readouterr().out
    assert check_pairs_seen(int(counts.sum()), mine) is False and "every occurrence" in capsys.readouterr().out
    assert check_pairs_seen(used + 1, mine) is False
    assert check_pairs_seen(None, mine) is False and "still None" in capsys.readouterr().out
