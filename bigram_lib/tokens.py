"""Character tokens: the vocabulary, encode/decode and the 90/10 split."""

from torch import Tensor

from .course import checks


class CharTokenizer:
    """The lecture's tokens: each distinct character of a text gets an id, in sorted order."""

    @checks.arguments(text=checks.nonempty_text)
    def __init__(self, text: str):
        # here are all the unique characters that occur in this text
        self.chars = sorted(set(text))
        # create a mapping from characters to integers
        self.stoi = {ch: i for i, ch in enumerate(self.chars)}
        self.itos = dict(enumerate(self.chars))

    @property
    def vocab_size(self) -> int:
        """Number of distinct characters (C in the notes)."""
        return len(self.chars)

    @checks.arguments(s=checks.known_text)
    def encode(self, s: str) -> list[int]:
        """Encoder: take a string, output a list of integers."""
        return [self.stoi[c] for c in s]

    @checks.arguments(ids=checks.known_ids)
    def decode(self, ids) -> str:
        """Decoder: take a list of integers (or a 1-D tensor), output a string."""
        return "".join([self.itos[i] for i in ids])


@checks.arguments(train_fraction=checks.fraction)
def train_val_split(data: Tensor, train_fraction: float = 0.9) -> tuple[Tensor, Tensor]:
    """First 90% for training, the rest for validation, as in the lecture."""
    n = int(train_fraction * len(data))  # first 90% will be train, rest val
    return data[:n], data[n:]
