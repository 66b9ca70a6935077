"""The corpus: tiny shakespeare from an argument, a variable, a cache or a verified download."""

import hashlib
import http.client
import os
import secrets
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tqdm.auto import tqdm

URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
DATA_ENV = "BIGRAM_DATA"  # names a local copy of the corpus
CACHE_ENV = "BIGRAM_CACHE_DIR"  # overrides the cache directory
FILENAME = "tinyshakespeare.txt"
STALE_PART_SECONDS = 3600  # a .part file this old was left by a process that was killed mid-write
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, TimeoutError, ConnectionError)


class CorpusError(RuntimeError):
    """The corpus could not be found, fetched, verified, read or used."""


def cache_dir() -> Path:
    """The directory that holds the downloaded corpus and cached models."""
    # "~" is a home, not a folder
    return Path(os.path.expanduser(os.environ.get(CACHE_ENV) or "~/.cache/bigram-notebooks"))


def sha256_of(data):
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def unreadable(path, err):
    """What to do about a file that exists but cannot be read."""
    hint = (
        f"it belongs to another user who has not made it readable: ask them to run `chmod a+r {path}`, or set "
        f"{CACHE_ENV} to a folder of your own"
        if isinstance(err, PermissionError)
        else "check the file and its disk"
    )
    return f"{path} cannot be read ({err.strerror or err}): {hint}."


def not_a_file(path):
    """Why `path` is not a regular file."""
    if path.is_dir():
        return "it is a folder"
    return (
        "it is not a regular file (a pipe, a device or a socket)"
        if path.exists()
        else "there is nothing there"
    )


def remove_stale_parts(folder):
    """Delete the .part files of writes that a killed process never finished."""
    now = time.time()
    for part in folder.glob("*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_SECONDS:
                part.unlink()
        except OSError:  # another user's file, or gone already
            pass


@contextmanager
def atomic_file(path):
    """A binary file that becomes `path` only when the block ends without error; nothing partial is ever left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(path.parent)
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.part")
    # mode 0o666 as open() uses, so the umask decides who may read it (mkstemp's 0o600 shuts out a classroom)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _read_verified(path, sha256, origin):
    """Read a file and check its hash (a copy with Windows line endings is the same text); `origin` says whose path."""
    path = Path(os.path.expanduser(path))
    if not path.is_file():
        raise CorpusError(f"{origin} names {path}, which is not a file ({not_a_file(path)}).")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{origin}: {unreadable(path, err)}") from err
    if sha256 is not None and sha256_of(raw) != sha256:
        # saved with CRLF line endings (git's autocrlf, an editor)
        if sha256_of(raw.replace(b"\r\n", b"\n")) == sha256:
            return raw.replace(b"\r\n", b"\n").decode("utf-8")
        raise CorpusError(
            f"{origin} {path} has sha256 {sha256_of(raw)}, expected {sha256}: "
            "it is not the tiny shakespeare corpus (or it is damaged). "
            + (
                "Delete it and it will be downloaded again."
                if origin == "cached file"
                else "Point at a good copy."
            )
        )
    return raw.decode("utf-8")


def download(url, dest, sha256=SHA256, *, timeout=30, progress=True):
    """Download `url` to `dest` atomically, verifying the sha256 before the file appears."""
    dest = Path(dest)
    with atomic_file(dest) as out, urllib.request.urlopen(url, timeout=timeout) as resp:
        total = int(resp.headers.get("Content-Length") or 0) or None
        digest, size = hashlib.sha256(), 0
        with tqdm(
            total=total, unit="B", unit_scale=True, desc="downloading corpus", disable=not progress
        ) as bar:
            while chunk := resp.read(1 << 16):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                bar.update(len(chunk))
        if total is not None and size != total:
            raise CorpusError(
                f"download from {url} stopped after {size:,} of {total:,} bytes; nothing was saved. "
                f"Try again, or set {DATA_ENV}=/path/to/{FILENAME} to use a local copy."
            )
        if sha256 is not None and digest.hexdigest() != sha256:
            raise CorpusError(
                f"download from {url} gave {size:,} bytes with sha256 {digest.hexdigest()}, expected "
                f"{sha256}; nothing was saved. Try again, or set {DATA_ENV}=/path/to/{FILENAME} to use "
                "a local copy."
            )
    return dest


def load_text(
    path: str | os.PathLike | None = None,
    *,
    url: str = URL,
    sha256: str | None = SHA256,
    progress: bool = True,
) -> str:
    """Return the corpus text: from `path`, $BIGRAM_DATA, the cache, or a verified download."""
    if path is not None:
        return _read_verified(path, sha256, "the path argument")
    if os.environ.get(DATA_ENV):
        return _read_verified(os.environ[DATA_ENV], sha256, f"${DATA_ENV}")
    cached = cache_dir() / FILENAME
    if cached.exists():
        return _read_verified(cached, sha256, "cached file")
    try:
        download(url, cached, sha256, progress=progress)
    except NETWORK_ERRORS as err:
        raise CorpusError(
            f"The corpus is not cached at {cached} and downloading it from {url} failed ({err}). "
            f"If you are offline, set {DATA_ENV}=/path/to/{FILENAME} (a local copy of the corpus), "
            f"or call load_text(path=...), or set {CACHE_ENV} to a folder that holds {FILENAME}."
        ) from err
    # the network worked, the disk did not: a full disk, a folder you may not write to
    except OSError as err:
        raise CorpusError(
            f"The corpus cannot be saved in {cached.parent} ({err.strerror or err}); nothing was "
            "saved. "
            f"Free some disk space, or set {CACHE_ENV} to a folder you can write to, or set "
            f"{DATA_ENV}=/path/to/{FILENAME} to use a local copy."
        ) from err
    return _read_verified(cached, sha256, "cached file")
