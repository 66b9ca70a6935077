"""A learner's own text: any UTF-8 file or string, checked to be something a bigram model can learn from."""

import os
import warnings
from importlib import resources
from pathlib import Path

from .data import CorpusError, not_a_file, unreadable

SAMPLE_TEXT = "names.txt"  # ships with bigram_lib: 932 common English given names, one per line
# from here on a training step takes over 15 ms and the tables grow past 16 MB
LARGE_VOCABULARY = 1000
NS_PER_WEIGHT = 16  # a training step's time per weight of the C x C table, measured on one core (C = 1,000 to 5,000)


class LargeVocabularyWarning(UserWarning):
    """The text has so many distinct characters that the C x C table makes training slow and large."""


def sample_text_path():
    """The small text that ships with bigram_lib, for when no file of your own is named."""
    return Path(str(resources.files("bigram_lib") / "texts" / SAMPLE_TEXT))


def read_text_file(path):
    """The text of a UTF-8 file (a leading byte-order mark dropped), or a CorpusError saying what to do."""
    path = Path(os.path.expanduser(path))
    if not path.is_file():
        raise CorpusError(
            f"the path argument names {path}, which is not a file ({not_a_file(path)}): "
            "name a text file saved as UTF-8."
        )
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CorpusError(unreadable(path, err)) from err
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(
            f"{path} is not UTF-8 text: byte 0x{raw[err.start]:02x} at byte {err.start:,} cannot be decoded. "
            "Save it again as UTF-8 (most editors offer it under 'Save as' / 'Encoding'), or, in Python, "
            "read it with the right encoding and pass the string: load_corpus(text=...)."
        ) from err


def min_length(block_size=8, train_fraction=0.9):
    """The fewest characters whose train/val split leaves both parts long enough for one (x, y) block."""
    need = block_size + 2  # get_batch's bound len(data) - block_size - 1 must stay above 0
    n = need
    while int(train_fraction * n) < need or n - int(train_fraction * n) < need:
        n += 1
    return n


def check_text(text, origin="the text", block_size=8):
    """Raise a CorpusError unless a bigram model can be trained, evaluated and sampled on `text`."""
    if not isinstance(text, str):
        raise TypeError(f"{origin} must be a str, got {type(text).__name__}")
    shortest = min_length(block_size)
    if not text:
        raise CorpusError(
            f"{origin} is empty: a bigram model needs at least {shortest} characters to learn from."
        )
    if "\x00" in text:
        raise CorpusError(
            f"{origin} holds NUL characters ('\\x00'): it is probably UTF-16 or a binary file, not UTF-8 text. "
            "Save it again as UTF-8, or read it with the right encoding and pass the string: load_corpus(text=...)."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise CorpusError(
            f"{origin} holds a lone surrogate {text[err.start]!r} at position {err.start:,}: half of a character, "
            "not text (it comes from decoding bytes with errors='surrogateescape'). Decode the file with its "
            "real encoding, or drop those characters."
        ) from None
    chars = sorted(set(text))
    if len(chars) == 1:
        raise CorpusError(
            f"{origin} uses a single character, {chars[0]!r}: after it always comes {chars[0]!r}, so there is "
            "nothing to learn. Use a text with at least two different characters."
        )
    if len(text) < shortest:
        raise CorpusError(
            f"{origin} has {len(text):,} characters, too few: its last 10% (the validation part) must hold a "
            f"block of {block_size} characters, its next one and one more (get_batch draws start offsets below "
            f"len(data) - block_size - 1). Use at least {shortest} characters "
            "(a few thousand give a model worth sampling)."
        )


def vocabulary_notice(C, steps=20_000):
    """None for a vocabulary of ordinary size, else what its C x C table costs in memory and time."""
    if C < LARGE_VOCABULARY:
        return None
    weights = C * C
    seconds = NS_PER_WEIGHT * 1e-9 * weights
    total = seconds * steps
    span = f"{total / 3600:.1f} hours" if total >= 5400 else f"{total / 60:.0f} minutes"
    return (
        f"this text has C = {C:,} distinct characters, so the bigram table has C x C = {weights:,} weights. "
        f"Training needs about {16 * weights / 2**30:.2f} GiB (the weights, their gradients and AdamW's two "
        f"averages, 4 bytes each) and about {seconds:.2f} s a step on one core ({steps:,} steps: about {span}); "
        f"the count tables of notebook 9 need about {16 * weights / 2**30:.2f} GiB more, and the explorers "
        "redraw slowly. For a quicker course, use a text with fewer distinct characters."
    )


def warn_if_large(C):
    """One warning, before any C x C work starts, when the vocabulary makes it slow or large."""
    notice = vocabulary_notice(C)
    if notice is not None:
        warnings.warn(notice, LargeVocabularyWarning, stacklevel=3)
    return notice
