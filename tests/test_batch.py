"""get_batch: the notes' exact batch, the reference's semantics, clear errors."""

import pytest
import torch

from bigram_lib import bigram_counts, get_batch
from bigram_lib.course.recipes import notes_get_batch

NOTES_XB = [
    [53, 59, 6, 1, 58, 56, 47, 40],
    [49, 43, 43, 54, 1, 47, 58, 1],
    [13, 52, 45, 43, 50, 53, 8, 0],
    [1, 39, 1, 46, 53, 59, 57, 43],
]


def test_notes_first_batch(corpus):
    torch.manual_seed(1337)
    xb, yb = get_batch(corpus.train_data, 4, 8)
    assert xb.tolist() == NOTES_XB
    assert xb.shape == yb.shape == (4, 8)
    assert xb.dtype == yb.dtype == torch.long
    assert torch.equal(yb[:, :-1], xb[:, 1:])  # y is x shifted by one


@pytest.mark.parametrize("seed,B,T", [(0, 1, 1), (1337, 4, 8), (7, 32, 8), (3, 5, 33)])
def test_same_as_the_notes_loop(corpus, seed, B, T):
    torch.manual_seed(seed)
    ref = notes_get_batch(corpus.train_data, B, T)
    ref_next = torch.rand(3)  # what the global generator gives after the batch
    torch.manual_seed(seed)
    ours = get_batch(corpus.train_data, B, T)
    assert torch.equal(ref[0], ours[0]) and torch.equal(ref[1], ours[1])
    assert torch.equal(torch.rand(3), ref_next)  # both consumed the same random numbers


def test_generator_and_every_window_comes_from_the_data():
    data = torch.arange(100)
    g = torch.Generator().manual_seed(5)
    x, y = get_batch(data, 64, 8, generator=g)
    # contiguous windows
    assert torch.equal(x[:, 1:] - x[:, :-1], torch.ones(64, 7, dtype=torch.long))
    assert torch.equal(y, x + 1)
    assert int(x[:, 0].max()) <= 100 - 8 - 2  # the notes' bound excludes the last window
    again = get_batch(data, 64, 8, generator=torch.Generator().manual_seed(5))
    assert torch.equal(again[0], x)


def test_smallest_data_that_fits():
    x, y = get_batch(torch.arange(4), 3, 2)
    assert x.tolist() == [[0, 1]] * 3 and y.tolist() == [[1, 2]] * 3


@pytest.mark.parametrize(
    "data,B,T,error,message",
    [
        (torch.arange(100), 0, 8, ValueError, "batch_size must be a positive integer, got 0"),
        (torch.arange(100), 4, -1, ValueError, "block_size must be a positive integer, got -1"),
        (torch.arange(100), 4.0, 8, TypeError, "batch_size must be a positive integer, got 4.0"),
        (torch.arange(100), True, 8, TypeError, "batch_size must be a positive integer, got True"),
        (
            torch.arange(9),
            4,
            8,
            ValueError,
            "data of length 9 is too short for block_size 8: it needs at least 10 tokens",
        ),
        (
            torch.zeros(2, 50, dtype=torch.long),
            4,
            8,
            ValueError,
            r"data must be 1-D, one id per character, got shape \(2, 50\)",
        ),
        (
            torch.rand(100),
            4,
            8,
            TypeError,
            r"data must have dtype torch.long .* got torch.float32: convert it with \.long\(\)",
        ),
        ([1, 2, 3], 1, 1, TypeError, "data must be a torch.Tensor of token ids, got list"),
    ],
)
def test_bad_input(data, B, T, error, message):
    with pytest.raises(error, match=message):
        get_batch(data, B, T)


def test_numpy_and_tensor_sizes_are_read_as_ints():
    import numpy as np

    x, _ = get_batch(
        torch.arange(100), np.int64(3), torch.tensor(4), torch.Generator().manual_seed(0)
    )
    assert x.shape == (3, 4)


@pytest.mark.parametrize("dtype", [torch.int32, torch.int16, torch.uint8])
def test_batching_and_counting_refuse_other_dtypes_alike(dtype):
    # one rule for token ids everywhere: torch.long, as the model takes them; never a silent conversion
    data = (torch.arange(60) % 5).to(dtype)
    with pytest.raises(
        TypeError,
        match=rf"data must have dtype torch.long .* got {dtype}: convert it with \.long\(\)",
    ):
        get_batch(data, 2, 4)
    with pytest.raises(
        TypeError,
        match=rf"data must have dtype torch.long .* got {dtype}: convert it with \.long\(\)",
    ):
        bigram_counts(data, 5)
