"""trained_model: train once with the notes' recipe, then reuse the weights from a verified cache file."""

import hashlib
import io
import os
import tempfile
import warnings
from dataclasses import asdict

import torch

from .data import CACHE_ENV, cache_dir
from .model import BigramLanguageModel
from .threads import one_thread
from .train import History, train

FORMAT = "v2"  # v2: a header holding the sha256 of what follows it
MAGIC = b"bigram-notebooks model " + FORMAT.encode() + b" sha256 "  # then 64 hex digits and b"\n"


class CacheWarning(UserWarning):
    """The trained model could not be cached, or a damaged cache file was replaced."""


def _cache_path(corpus, steps, seed, batch_size, lr):
    """A file name that changes whenever anything that shapes the weights changes, the text included."""
    text_hash = hashlib.sha256(corpus.text.encode()).hexdigest()
    key = f"{text_hash}|{steps}|{seed}|{batch_size}|{lr}|{torch.__version__}|{FORMAT}"
    return cache_dir() / "models" / f"bigram-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pt"


def pack(model, history):
    """torch.save's bytes of the weights and history, behind a header that holds their sha256."""
    buf = io.BytesIO()
    torch.save({"state": model.state_dict(), "history": asdict(history)}, buf)
    payload = buf.getvalue()
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unpack(raw):
    """The saved dict from pack's bytes; a ValueError says how they are damaged."""
    head, _, payload = raw.partition(b"\n")  # the header holds no newline
    if not head.startswith(MAGIC) or len(head) != len(MAGIC) + 64:
        raise ValueError(f"it does not start with the cache header ({len(raw):,} bytes: empty, cut short or not a cached model)")
    if hashlib.sha256(payload).hexdigest().encode() != head[len(MAGIC):]:
        raise ValueError("its contents do not match the sha256 in its header (cut short or changed on disk)")
    return torch.load(io.BytesIO(payload), weights_only=True)


def _move_aside(path):
    """Rename a damaged cache file to *.damaged (or delete it); say what was done."""
    aside = path.with_name(path.name + ".damaged")
    try:
        os.replace(path, aside)
        return f"moved it to {aside}"
    except OSError:
        try:
            path.unlink()
            return "deleted it"
        except OSError as err:
            return f"could not move or delete it ({err.strerror or err})"


def load_cached(path, vocab_size):
    """(model, history) from a cache file; None, after a warning, when the file is damaged."""
    try:
        saved = unpack(path.read_bytes())
        model = BigramLanguageModel(vocab_size)
        model.load_state_dict(saved["state"])
        history = History(**saved["history"])
    except Exception as err:  # any damage (header, hash, pickle, keys, shapes) means: train again
        done, reason = _move_aside(path), " ".join(str(err).split()).rstrip(".")  # one line
        warnings.warn(f"the cached model {path} is damaged: {reason}. The file was set aside ({done}); "
                      "training the model again.", CacheWarning, stacklevel=4)  # the caller of trained_model
        return None
    return model, history


def save_cached(path, model, history):
    """Write the cache file atomically; on failure warn where and why, return False and leave no partial file."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(pack(model, history))
        os.replace(tmp, path)
        return True
    except (OSError, RuntimeError) as err:  # no folder, no permission, a full disk (torch raises RuntimeError)
        warnings.warn(f"the trained model could not be cached at {path} ({err}). It is returned and works, but the "
                      f"next call trains it again: set {CACHE_ENV} to a folder you can write to, or free some disk "
                      "space.", CacheWarning, stacklevel=4)  # the caller of trained_model
        return False
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


@one_thread()
def trained_model(corpus, steps=100_000, seed=1337, batch_size=32, lr=1e-3, progress=True):
    """(model, history) after the notes' training run; trained on first use, loaded from the cache after."""
    path = _cache_path(corpus, steps, seed, batch_size, lr)
    if path.exists():
        cached = load_cached(path, corpus.vocab_size)
        if cached is not None:
            model, history = cached
            return model.eval(), history
    torch.manual_seed(seed)
    model = BigramLanguageModel(corpus.vocab_size)
    history = train(model, corpus.train_data, corpus.val_data, steps=steps, batch_size=batch_size, lr=lr,
                    progress=progress)
    if not history.interrupted:  # never cache a half-trained model
        save_cached(path, model, history)
    return model.eval(), history
