"""The corpus in one object: text, tokenizer, encoded data and its split."""

import os
from dataclasses import dataclass

import torch

from .course.data import load_text
from .course.owntext import check_text, read_text_file, warn_if_large
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
    def vocab_size(self) -> int:
        """Number of distinct characters."""
        return self.tokenizer.vocab_size

    def encode(self, s: str) -> list[int]:
        """String to list of ids."""
        return self.tokenizer.encode(s)

    def decode(self, ids) -> str:
        """Ids to string."""
        return self.tokenizer.decode(ids)


def load_corpus(
    path: str | os.PathLike | None = None, *, text: str | None = None, progress: bool = True
) -> Corpus:
    """Load a text (tiny shakespeare, or your own file or string), tokenize it, split it 90/10."""
    if path is not None and text is not None:
        raise ValueError("give load_corpus a path or a text, not both")
    if text is not None:
        check_text(text, "the text argument")
    elif path is not None:  # your own file: any UTF-8 text, no sha256 check
        text = read_text_file(path)
        check_text(text, str(path))
    else:  # the course's corpus, verified by its sha256
        text = load_text(progress=progress)
    tokenizer = CharTokenizer(text)
    warn_if_large(tokenizer.vocab_size)  # before any C x C work starts
    data = torch.tensor(tokenizer.encode(text), dtype=torch.long)  # (N,)
    train_data, val_data = train_val_split(data)
    return Corpus(text, tokenizer, data, train_data, val_data)
