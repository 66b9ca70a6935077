"""Reading a learner's exercise answer: the placeholder, numbers, shapes and the printed verdict."""

from functools import lru_cache

import torch

from ..batch import get_batch
from ..corpus import load_corpus
from ..model import BigramLanguageModel
from ..validation import plain_float, plain_int


@lru_cache(maxsize=1)
def course_corpus():
    """The course corpus, loaded once for every self-check."""
    return load_corpus(progress=False)


def report(ok, message):
    """Print 'Correct! ...' or what is wrong; return ok."""
    print(f"Correct! {message}" if ok else message)
    return ok


def not_yet(answer, what):
    """True (after saying so) when the exercise has not been answered yet."""
    if answer is None:
        print(f"Not yet: `answer` is still None. Replace it with {what}.")
        return True
    return False


def as_shape(answer):
    """A tuple of ints from a tuple, list or torch.Size, else None."""
    if isinstance(answer, (tuple, list, torch.Size)) and all(
        isinstance(n, int) and not isinstance(n, bool) for n in answer
    ):
        return tuple(answer)
    return None


def as_int(answer):
    """An int from an int, a numpy integer or a one-element integer tensor, else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        answer = answer.reshape(())
    return plain_int(answer)


def as_float(answer):
    """A float from a number, a numpy number or a one-element tensor, else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        answer = answer.reshape(())
    return plain_float(answer)


NOTES_SEED = 1337  # the notes' torch.manual_seed
NOTES_B, NOTES_T = 4, 8  # the notes' first batch: batch_size, block_size


def notes_batch():
    """The notes' first batch (xb, yb), drawn without touching the caller's random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(NOTES_SEED)
        return get_batch(course_corpus().train_data, NOTES_B, NOTES_T)  # (4, 8), (4, 8)


def notes_model():
    """The notes' untrained model (seed 1337), built without touching the caller's random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(NOTES_SEED)
        return BigramLanguageModel(course_corpus().vocab_size)


STEP_NAMES = ("get_batch", "forward", "zero_grad", "backward", "step")


def verdict(ok, good, bad):
    """Print `good` or `bad` by the verdict and return it."""
    return report(ok, good if ok else bad)


def seeded_setup(seed=1337, batch_size=32, block_size=8):
    """A seeded model, its AdamW optimizer and a fixed batch of the training split."""
    corpus = course_corpus()
    g = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        torch.manual_seed(seed)
        model = BigramLanguageModel(corpus.vocab_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batches = [get_batch(corpus.train_data, batch_size, block_size, g) for _ in range(2)]
    return model, optimizer, batches
