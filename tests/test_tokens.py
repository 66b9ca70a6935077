"""Character tokens and the 90/10 split."""

import pytest
import torch

from bigram_lib import CharTokenizer, train_val_split


def test_vocabulary_of_the_corpus(corpus):
    tok = corpus.tokenizer
    assert tok.vocab_size == 65
    assert tok.chars == sorted(set(corpus.text))
    assert tok.chars[:2] == ["\n", " "]
    assert tok.encode("hii there") == [46, 47, 47, 1, 58, 46, 43, 56, 43]
    assert tok.decode(tok.encode("hii there")) == "hii there"


def test_round_trip_whole_corpus(corpus):
    assert corpus.decode(corpus.data) == corpus.text


def test_split_sizes(corpus):
    assert len(corpus.train_data) == 1_003_854
    assert len(corpus.val_data) == 111_540
    assert torch.equal(torch.cat([corpus.train_data, corpus.val_data]), corpus.data)


def test_unknown_character_names_it_and_its_position():
    tok = CharTokenizer("abc ")
    with pytest.raises(
        ValueError, match=r"character 'é' at position 4 is not in the vocabulary of 4 characters"
    ):
        tok.encode("abc é")


def test_unknown_id_is_named():
    tok = CharTokenizer("abc")
    with pytest.raises(
        ValueError, match=r"id 7 at position 1 is not in the vocabulary \(ids run from 0 to 2\)"
    ):
        tok.decode([0, 7])
    with pytest.raises(
        ValueError, match=r"decode takes a 1-D sequence of ids, got a tensor of shape \(1, 2\)"
    ):
        tok.decode(torch.tensor([[0, 1]]))


def test_empty_text_and_bad_fraction():
    with pytest.raises(ValueError, match="non-empty text"):
        CharTokenizer("")
    with pytest.raises(ValueError, match=r"train_fraction must be between 0 and 1, got 1\.5"):
        train_val_split(torch.arange(10), 1.5)
