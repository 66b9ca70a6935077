"""trained_model: train once with the notes' recipe, then reuse the weights from the cache."""

import hashlib
import os
import tempfile
from dataclasses import asdict

import torch

from .data import cache_dir
from .model import BigramLanguageModel
from .threads import one_thread
from .train import History, train


def _cache_path(corpus, steps, seed, batch_size, lr):
    """A file name that changes whenever anything that shapes the weights changes."""
    key = f"{hashlib.sha256(corpus.text.encode()).hexdigest()}|{steps}|{seed}|{batch_size}|{lr}|{torch.__version__}"
    return cache_dir() / "models" / f"bigram-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pt"


@one_thread()
def trained_model(corpus, steps=100_000, seed=1337, batch_size=32, lr=1e-3, progress=True):
    """(model, history) after the notes' training run; trained on first use, loaded from the cache after."""
    path = _cache_path(corpus, steps, seed, batch_size, lr)
    model = BigramLanguageModel(corpus.vocab_size)
    if path.exists():
        saved = torch.load(path, weights_only=True)
        model.load_state_dict(saved["state"])
        return model.eval(), History(**saved["history"])
    torch.manual_seed(seed)
    model = BigramLanguageModel(corpus.vocab_size)
    history = train(model, corpus.train_data, corpus.val_data, steps=steps, batch_size=batch_size, lr=lr,
                    progress=progress)
    if not history.interrupted:  # never cache a half-trained model
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        os.close(fd)
        torch.save({"state": model.state_dict(), "history": asdict(history)}, tmp)
        os.replace(tmp, path)
    return model.eval(), history
