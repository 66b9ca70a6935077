"""Character tokens: the vocabulary, encode/decode and the 90/10 split."""

import torch

from .validation import plain_int


class CharTokenizer:
    """Maps each distinct character of a text to an id, in sorted order."""

    def __init__(self, text):
        if not text:
            raise ValueError("CharTokenizer needs a non-empty text to build its vocabulary from.")
        self.chars = sorted(set(text))
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}
        self.itos = dict(enumerate(self.chars))

    @property
    def vocab_size(self):
        """Number of distinct characters (C in the notes)."""
        return len(self.chars)

    def encode(self, s):
        """String to list of ids; an unknown character is a ValueError naming it."""
        try:
            return [self.stoi[ch] for ch in s]
        except KeyError:
            pos = next(i for i, ch in enumerate(s) if ch not in self.stoi)
            raise ValueError(
                f"character {s[pos]!r} at position {pos} is not in the vocabulary "
                f"of {self.vocab_size} characters"
            ) from None

    def decode(self, ids):
        """List (or 1-D tensor) of ids to string."""
        if isinstance(ids, torch.Tensor):
            if ids.dim() != 1:
                raise ValueError(f"decode takes a 1-D sequence of ids, got a tensor of shape {tuple(ids.shape)}")
            if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
                raise TypeError(f"decode takes integer ids, got a tensor of dtype {ids.dtype}")
            ids = ids.tolist()
        elif isinstance(ids, str):
            raise TypeError("decode takes a sequence of ids, got a str: to turn text into ids use encode")
        elif not all(type(i) is int for i in ids):  # a list of tensors, numpy ints, bools or floats
            ids = [self._id(p, i) for p, i in enumerate(ids)]
        try:
            return "".join(self.itos[i] for i in ids)
        except KeyError:
            pos, bad = next((p, i) for p, i in enumerate(ids) if i not in self.itos)
            raise ValueError(
                f"id {bad!r} at position {pos} is not in the vocabulary (ids run from 0 to {self.vocab_size - 1})"
            ) from None


    @staticmethod
    def _id(pos, value):
        """One id as a plain int; True, 2.0 or a list is a TypeError naming it (True would decode as id 1)."""
        number = plain_int(value)
        if number is None:
            raise TypeError(f"decode takes integer ids; position {pos} holds {value!r} ({type(value).__name__})")
        return number


def train_val_split(data, train_fraction=0.9):
    """First 90% for training, the rest for validation, as in the lecture."""
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction}")
    n = int(train_fraction * len(data))
    return data[:n], data[n:]
