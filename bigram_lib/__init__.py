"""bigram_lib: the small library every notebook of the course imports.

The model's modules come first, named as the notes name them: tokens, batch, model, sampling,
train, counts (and corpus, which ties the text to them). Everything around them (the checks of what
a learner passes in, the corpus download, the cache of the trained model, the sources' recipes, the
command line) lives in `course/`; the explorers and the exercises have sub-packages of their own.
"""

from .batch import get_batch
from .corpus import Corpus, load_corpus
from .counts import bigram_counts, count_probs, loss_from_counts, model_loss, optimal_loss
from .course.cache import trained_model
from .course.data import CorpusError, load_text
from .course.interrupt import TrainingInterrupted
from .course.source import show_source
from .course.versions import warn_if_unverified
from .model import BigramLanguageModel
from .sampling import logits_table, next_token_probs, probs_from_logits
from .tokens import CharTokenizer, train_val_split
from .train import History, TrainingDiverged, estimate_loss, train, train_step

__all__ = [
    "BigramLanguageModel",
    "CharTokenizer",
    "Corpus",
    "CorpusError",
    "History",
    "TrainingDiverged",
    "TrainingInterrupted",
    "bigram_counts",
    "count_probs",
    "estimate_loss",
    "get_batch",
    "load_corpus",
    "load_text",
    "logits_table",
    "loss_from_counts",
    "model_loss",
    "next_token_probs",
    "optimal_loss",
    "probs_from_logits",
    "show_source",
    "train",
    "train_step",
    "train_val_split",
    "trained_model",
]

warn_if_unverified()  # early and once: another PyTorch may print other samples than the outputs
