"""The corpus in one object: text, tokenizer, encoded data and its split."""

from dataclasses import dataclass

import torch

from .data import load_text
from .tokens import CharTokenizer, train_val_split


@dataclass
class Corpus:
    """Everything the notebooks need from the text."""

    text: str
    tokenizer: CharTokenizer
    data: torch.Tensor  # (N,) int64 token ids
    train_data: torch.Tensor  # (0.9 N,)
    val_data: torch.Tensor  # (0.1 N,)

    @property
    def vocab_size(self):
        """Number of distinct characters."""
        return self.tokenizer.vocab_size

    def encode(self, s):
        """String to list of ids."""
        return self.tokenizer.encode(s)

    def decode(self, ids):
        """Ids to string."""
        return self.tokenizer.decode(ids)


def load_corpus(path=None, *, progress=True):
    """Load tiny shakespeare, tokenize it and split it 90/10."""
    text = load_text(path, progress=progress)
    tokenizer = CharTokenizer(text)
    data = torch.tensor(tokenizer.encode(text), dtype=torch.long)
    train_data, val_data = train_val_split(data)
    return Corpus(text, tokenizer, data, train_data, val_data)
