"""Counting: the bigram table and the best loss a bigram model can reach."""

import math

import pytest
import torch
from torch.nn import functional as F

from bigram_lib import (
    BigramLanguageModel,
    bigram_counts,
    count_probs,
    loss_from_counts,
    model_loss,
    optimal_loss,
)


def test_counts_on_a_tiny_sequence():
    counts = bigram_counts(torch.tensor([0, 1, 1, 0, 1]), 2)
    assert counts.tolist() == [[0, 2], [1, 1]]
    assert count_probs(counts).tolist() == [[0.0, 1.0], [0.5, 0.5]]
    assert count_probs(counts, smoothing=1).tolist() == [[0.25, 0.75], [0.5, 0.5]]
    # entropy of the pairs under their own frequencies: row 0 is certain, row 1 a coin flip
    assert optimal_loss(torch.tensor([0, 1, 1, 0, 1]), 2) == pytest.approx(2 / 4 * math.log(2))


def test_empty_row_is_uniform():
    probs = count_probs(torch.tensor([[0, 0, 0], [1, 0, 1], [0, 3, 0]]))
    assert torch.allclose(probs[0], torch.full((3,), 1 / 3, dtype=torch.float64))


def test_corpus_floors(corpus):
    counts = bigram_counts(corpus.train_data, 65)
    assert int(counts.sum()) == len(corpus.train_data) - 1
    train_floor = optimal_loss(corpus.train_data, 65)
    val_floor = optimal_loss(corpus.train_data, 65, corpus.val_data)
    assert train_floor == pytest.approx(2.452, abs=5e-4)  # the "about 2.452"
    assert val_floor == pytest.approx(2.482, abs=5e-4)  # "about 2.482" with add-one smoothing
    # unsmoothed counts give val pairs never seen in train probability 0: infinite loss
    assert optimal_loss(corpus.train_data, 65, corpus.val_data, smoothing=0.0) == math.inf


def test_count_table_as_a_model_reaches_the_floor(corpus):
    m = BigramLanguageModel(65)
    with torch.no_grad():
        m.token_embedding_table.weight.copy_(
            count_probs(bigram_counts(corpus.train_data, 65), 1.0).log()
        )
    assert model_loss(m, corpus.val_data) == pytest.approx(
        optimal_loss(corpus.train_data, 65, corpus.val_data), abs=1e-6
    )
    assert model_loss(m, corpus.train_data) >= optimal_loss(corpus.train_data, 65)


def test_model_loss_is_the_mean_over_every_pair(corpus):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    data = corpus.val_data[:5000]
    _, loss = m(data[:-1].view(1, -1), data[1:].view(1, -1))
    assert model_loss(m, data) == pytest.approx(loss.item(), abs=1e-5)


def test_loss_from_counts_of_uniform_is_ln_c():
    counts = torch.randint(0, 10, (5, 5))
    assert loss_from_counts(F.log_softmax(torch.zeros(5, 5), -1), counts) == pytest.approx(
        math.log(5)
    )
