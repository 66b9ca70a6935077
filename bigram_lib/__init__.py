"""bigram_lib: the small library every notebook of the course imports."""

from .batch import get_batch
from .checkpoint import trained_model
from .corpus import Corpus, load_corpus
from .counts import bigram_counts, count_probs, loss_from_counts, model_loss, optimal_loss
from .data import CorpusError, load_text
from .model import BigramLanguageModel
from .sampling import generate, logits_table, next_token_probs, probs_from_logits
from .source import show_source
from .tokens import CharTokenizer, train_val_split
from .train import History, estimate_loss, train, train_step
from .versions import warn_if_unverified

__all__ = [
    "BigramLanguageModel",
    "CharTokenizer",
    "Corpus",
    "CorpusError",
    "History",
    "bigram_counts",
    "count_probs",
    "estimate_loss",
    "generate",
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

warn_if_unverified()  # early and once: another PyTorch may print other samples than the stored outputs
