"""Corpus loading: tiny shakespeare from an argument, a variable, a cache or the web."""

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tqdm.auto import tqdm

URL = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"
SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"
DATA_ENV = "BIGRAM_DATA"  # names a local copy of the corpus
CACHE_ENV = "BIGRAM_CACHE_DIR"  # overrides the cache directory
FILENAME = "tinyshakespeare.txt"


class CorpusError(RuntimeError):
    """The corpus could not be found, fetched, verified, read or used."""


def cache_dir():
    """The directory that holds the downloaded corpus and cached models."""
    return Path(os.path.expanduser(os.environ.get(CACHE_ENV) or "~/.cache/bigram-notebooks"))  # "~" is a home, not a folder


def sha256_of(data):
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def _read_verified(path, sha256, origin):
    """Read a file and check its hash; `origin` says where the path came from."""
    path = Path(os.path.expanduser(path))
    if not path.is_file():
        raise CorpusError(f"{origin} names {path}, which is not a file.")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CorpusError(f"{origin} {path} cannot be read ({err.strerror or err}): check its permissions.") from err
    if sha256 is not None and sha256_of(raw) != sha256:
        raise CorpusError(
            f"{origin} {path} has sha256 {sha256_of(raw)}, expected {sha256}: "
            "it is not the tiny shakespeare corpus (or it is damaged). "
            + ("Delete it and it will be downloaded again." if origin == "cached file" else "Point at a good copy.")
        )
    return raw.decode("utf-8")


def download(url, dest, sha256=SHA256, *, timeout=30, progress=True):
    """Download `url` to `dest` atomically, verifying the sha256 before the rename."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            total = int(resp.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc="downloading corpus", disable=not progress) as bar:
                while chunk := resp.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        raw = Path(tmp).read_bytes()
        if total is not None and len(raw) != total:
            raise CorpusError(
                f"download from {url} stopped after {len(raw):,} of {total:,} bytes; nothing was saved. "
                f"Try again, or set {DATA_ENV}=/path/to/{FILENAME} to use a local copy."
            )
        if sha256 is not None and sha256_of(raw) != sha256:
            raise CorpusError(
                f"download from {url} gave {len(raw):,} bytes with sha256 {sha256_of(raw)}, expected {sha256}; "
                "nothing was saved. Try again, or set "
                f"{DATA_ENV}=/path/to/{FILENAME} to use a local copy."
            )
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def load_text(path=None, *, url=URL, sha256=SHA256, progress=True):
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
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        raise CorpusError(
            f"The corpus is not cached at {cached} and downloading it from {url} failed ({err}). "
            f"If you are offline, set {DATA_ENV}=/path/to/{FILENAME} (a local copy of the corpus), "
            f"or call load_text(path=...), or set {CACHE_ENV} to a folder that holds {FILENAME}."
        ) from err
    return _read_verified(cached, sha256, "cached file")
