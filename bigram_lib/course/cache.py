"""trained_model: train once with the notes' recipe, then reuse the weights from a verified cache file.

A classroom can share one cache folder: files are written with the umask's permissions, a folder the
learner may only read is used as it is, and two kernels that start on an empty cache train once (the
second waits for the first's file). A Ctrl-C never leaves a partial file, and never loses finished work.
"""

import contextlib
import copy
import hashlib
import io
import os
import pickle
import socket
import sys
import threading
import time
import warnings
from dataclasses import asdict

import torch

from ..corpus import Corpus
from ..model import BigramLanguageModel
from ..train import History, train
from .data import CACHE_ENV, atomic_file, cache_dir
from .interrupt import TrainingInterrupted, deferred_interrupt
from .threads import one_thread

FORMAT = "v3"  # v3: the header holds the sha256 of what follows; the payload names the run it holds
MAGIC = b"bigram-notebooks model " + FORMAT.encode() + b" sha256 "  # then 64 hex digits and b"\n"
# a lock whose holder has not touched it for this long belongs to a dead process
LOCK_STALE_SECONDS = 60
_TRAINED = {}  # run key -> (weights, history): runs this process trained but could not write to the cache


class CacheWarning(UserWarning):
    """The trained model could not be cached or read, or a damaged cache file was replaced."""


def _warn(message):
    """Warn at the line that called trained_model, past this package's frames and its decorators'."""
    inside = (os.path.dirname(os.path.dirname(__file__)), os.path.dirname(contextlib.__file__))
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(inside):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, CacheWarning, stacklevel=level)


def run_key(corpus, steps, seed, batch_size, lr):
    """Everything that shapes the weights, the text and the PyTorch release included."""
    text_hash = hashlib.sha256(corpus.text.encode()).hexdigest()
    return f"{text_hash}|{steps}|{seed}|{batch_size}|{lr}|{torch.__version__}|{FORMAT}"


def cache_path(key):
    """The cache file of one run."""
    return cache_dir() / "models" / f"bigram-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pt"


def pack(key, model, history):
    """torch.save's bytes of the run's key, weights and history, behind a header that holds their sha256."""
    buf = io.BytesIO()
    torch.save({"key": key, "state": model.state_dict(), "history": asdict(history)}, buf)
    payload = buf.getvalue()
    return MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unpack(raw, key):
    """The saved dict from pack's bytes; a ValueError says how they are damaged or whose they are."""
    head, _, payload = raw.partition(b"\n")  # the header holds no newline
    if not head.startswith(MAGIC) or len(head) != len(MAGIC) + 64:
        raise ValueError(
            f"it does not start with the cache header ({len(raw):,} bytes: empty, cut short, "
            "from another version or not a cached model)"
        )
    if hashlib.sha256(payload).hexdigest().encode() != head[len(MAGIC) :]:
        raise ValueError(
            "its contents do not match the sha256 in its header (cut short or changed on disk)"
        )
    try:
        saved = torch.load(io.BytesIO(payload), weights_only=True)
    # torch's message would advise weights_only=False: never for a cache file
    except pickle.UnpicklingError:
        raise ValueError(
            "it holds objects other than tensors and numbers, so it was not loaded"
        ) from None
    if saved.get("key") != key:
        raise ValueError(
            "it holds another training run (other steps, seed, batch size, lr, text or PyTorch)"
        )
    return saved


def _load(path, key, vocab_size):
    """(model, history) from the cache file, or None (after a warning that says what was done) if it cannot serve."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    # another user's file that they have not made readable: not damage, leave it be
    except PermissionError as err:
        _warn(
            f"the cached model {path} cannot be read ({err.strerror or err}): it belongs to another user who has "
            f"not made it readable (`chmod a+r {path}`). Training a copy of your own; set {CACHE_ENV} to a "
            "folder of your own to keep it."
        )
        return None
    try:
        saved = unpack(raw, key)
        model = BigramLanguageModel(vocab_size)
        model.load_state_dict(saved["state"])
        return model, History(**saved["history"])
    except Exception as err:  # any damage (header, hash, pickle, keys, shapes): train again
        reason = " ".join(str(err).split()).rstrip(".")
        aside = path.with_name(path.name + ".damaged")
        try:
            os.replace(path, aside)
            done = f"moved it to {aside}"
        except OSError as move_err:
            done = f"left it in place: the folder does not let you move it ({move_err.strerror})"
        _warn(f"the cached model {path} is damaged: {reason}. I {done}; training the model again.")
        return None


def _save(path, key, model, history):
    """Write the cache file atomically (a Ctrl-C waits for it); on failure warn where and why, and go on."""
    try:
        with deferred_interrupt(), atomic_file(path) as out:
            out.write(pack(key, model, history))
        return True
    except (
        OSError,
        RuntimeError,
    ) as err:  # no folder, no permission, a full disk (torch: RuntimeError)
        _warn(
            f"the trained model could not be cached at {path} ({err}). It is returned and works, and this kernel "
            f"keeps it for its next calls; to keep it on disk, set {CACHE_ENV} to a folder you can write to, or "
            "free some disk space."
        )
        return False


class _Lock:
    """path.lock held while one process trains; a heartbeat thread keeps it fresh until released."""

    def __init__(self, path):
        self.path = path.with_name(path.name + ".lock")
        self._stop = threading.Event()

    def acquire(self):
        """True when this process now holds the lock; False while a live process holds it; None: no lock possible."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            try:
                if time.time() - self.path.stat().st_mtime > LOCK_STALE_SECONDS:
                    self.path.unlink()  # its holder died without letting go
                    return self.acquire()
            except OSError:
                pass
            return False
        # a folder we may only read: nobody can write the file, so nobody waits for it
        except OSError:
            return None
        with os.fdopen(fd, "w") as out:
            out.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        threading.Thread(target=self._beat, daemon=True).start()
        return True

    def _beat(self):
        while not self._stop.wait(LOCK_STALE_SECONDS / 4):
            try:
                os.utime(self.path)
            except OSError:
                return

    def holder(self):
        """Who holds the lock, as its file says."""
        try:
            return self.path.read_text().strip()
        except OSError:
            return "another process"

    def release(self):
        self._stop.set()
        self.path.unlink(missing_ok=True)


@one_thread()
def trained_model(
    corpus: Corpus,
    steps: int = 100_000,
    seed: int = 1337,
    batch_size: int = 32,
    lr: float = 1e-3,
    progress: bool = True,
) -> tuple[BigramLanguageModel, History]:
    """(model, history) of the notes' run: trained on first use, then loaded from the cache."""
    key = run_key(corpus, steps, seed, batch_size, lr)
    path = cache_path(key)
    lock, said = _Lock(path), False
    while True:
        if key in _TRAINED:
            state, history = _TRAINED[key]
            model = BigramLanguageModel(corpus.vocab_size)
            model.load_state_dict(state)
            return model.eval(), copy.deepcopy(history)
        existed = path.exists()
        cached = _load(path, key, corpus.vocab_size)
        if cached is not None:
            return cached[0].eval(), cached[1]
        held = lock.acquire()
        if held is not False:
            break
        # another kernel trains this very run: wait for its file rather than train it twice
        if not said:
            print(
                f"{lock.holder()} is training this model into {path}; waiting for it "
                "(Ctrl-C stops waiting).",
                file=sys.stderr,
            )
            said = True
        time.sleep(1)
    try:
        # it may have appeared as the lock came free
        if existed or _load(path, key, corpus.vocab_size) is None:
            _train_and_keep(corpus, key, path, steps, seed, batch_size, lr, progress)
    finally:
        if held:
            lock.release()
    return trained_model(corpus, steps, seed, batch_size, lr, progress)


def _train_and_keep(corpus, key, path, steps, seed, batch_size, lr, progress):
    """Train the notes' run, write it to the cache (or keep it in this process); an unfinished run is never kept."""
    torch.manual_seed(seed)
    model = BigramLanguageModel(corpus.vocab_size)
    stopped = None
    try:
        history = train(
            model,
            corpus.train_data,
            corpus.val_data,
            steps=steps,
            batch_size=batch_size,
            lr=lr,
            progress=progress,
        )
    except TrainingInterrupted as stop:
        if stop.history.interrupted:  # half-trained: never cached, but not lost either
            raise TrainingInterrupted(
                stop.history, model.eval(), " Run the cell again to train it in full."
            ) from None
        # Ctrl-C in the last evaluation, which ran to its end: complete
        history, stopped = stop.history, stop
    try:
        _keep(key, path, model, history)  # a Ctrl-C here waits for the file, then stops the cell
    except KeyboardInterrupt:
        stopped = True
    if stopped is not None:
        raise TrainingInterrupted(
            history, model.eval(), " Every step had run: the model is cached."
        ) from None


def _keep(key, path, model, history):
    """Write the run's cache file; when that fails, remember the run in this process instead."""
    if not _save(path, key, model, history):
        _TRAINED[key] = (
            {k: v.clone() for k, v in model.state_dict().items()},
            copy.deepcopy(history),
        )
