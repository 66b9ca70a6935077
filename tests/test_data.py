"""Corpus loading: lookup order, verified atomic downloads from a real local server, clear errors."""

import hashlib
import http.server
import os
import threading
from pathlib import Path

import pytest

from bigram_lib.course import data
from bigram_lib.course.data import CorpusError, load_text

REAL = Path(os.environ["BIGRAM_DATA"]) if os.environ.get("BIGRAM_DATA") else None


@pytest.fixture(scope="module")
def corpus_bytes():
    """The real corpus bytes (the tests serve them from a local server)."""
    if REAL is None:
        pytest.fail("set BIGRAM_DATA to a local copy of tiny shakespeare to run the corpus tests")
    return REAL.read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves /good, /truncated, /wrong and /cut (a connection that drops mid-file)."""

    payload = b""

    def do_GET(self):
        body = {
            "/good": self.payload,
            "/truncated": self.payload[: len(self.payload) // 2],
            "/wrong": self.payload.replace(b"First Citizen", b"Second Citizen"),
            "/cut": self.payload,
        }.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path == "/cut":
            # promise the whole file, send a third, hang up
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(corpus_bytes):
    """A real HTTP server on 127.0.0.1, stopped after the module."""
    _Handler.payload = corpus_bytes
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory and no $BIGRAM_DATA."""
    monkeypatch.setenv(data.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    return tmp_path / "cache"


def test_expected_hash_is_the_corpus(corpus_bytes):
    assert hashlib.sha256(corpus_bytes).hexdigest() == data.SHA256
    assert len(corpus_bytes.decode("utf-8")) == 1_115_394


def test_download_verifies_and_caches(server, cache, corpus_bytes):
    text = load_text(url=server + "/good", progress=False)
    assert text == corpus_bytes.decode("utf-8")
    assert (cache / data.FILENAME).read_bytes() == corpus_bytes
    assert sorted(p.name for p in cache.iterdir()) == [data.FILENAME]  # no partial file left behind
    # the second call is served from the cache: an unreachable URL does not matter any more
    assert load_text(url="http://127.0.0.1:9/never", progress=False) == text


@pytest.mark.parametrize("path", ["/truncated", "/wrong"])
def test_bad_download_is_never_cached(server, cache, path):
    with pytest.raises(CorpusError, match=r"expected 86c4e6aa.*nothing was saved") as err:
        load_text(url=server + path, progress=False)
    assert "sha256" in str(err.value)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_interrupted_download_leaves_nothing(server, cache):
    with pytest.raises(
        CorpusError, match=r"/cut stopped after 371,798 of 1,115,394 bytes; nothing was saved"
    ) as err:
        load_text(url=server + "/cut", progress=False)
    assert "BIGRAM_DATA" in str(err.value)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_offline_error_says_what_to_set(cache):
    with pytest.raises(CorpusError) as err:
        load_text(url="http://127.0.0.1:9/input.txt", progress=False)  # port 9: nothing listens
    message = str(err.value)
    assert "BIGRAM_DATA=/path/to/tinyshakespeare.txt" in message
    assert "load_text(path=...)" in message
    assert "BIGRAM_CACHE_DIR" in message


def test_cached_file_with_wrong_hash_is_reported(cache):
    cache.mkdir(parents=True)
    (cache / data.FILENAME).write_text("not shakespeare")
    with pytest.raises(CorpusError, match=r"cached file .* has sha256 .* Delete it"):
        load_text(url="http://127.0.0.1:9/never", progress=False)


def test_lookup_order(tmp_path, cache, monkeypatch, corpus_bytes):
    good = tmp_path / "good.txt"
    good.write_bytes(corpus_bytes)
    bad = tmp_path / "bad.txt"
    bad.write_text("hello")
    # the explicit argument wins over the variable
    monkeypatch.setenv(data.DATA_ENV, str(bad))
    assert len(load_text(good)) == 1_115_394
    # the variable wins over the cache (and is verified too)
    with pytest.raises(CorpusError, match=r"\$BIGRAM_DATA .*bad.txt has sha256"):
        load_text()
    monkeypatch.setenv(data.DATA_ENV, str(good))
    assert len(load_text()) == 1_115_394
    # a path that is not a file names where it came from
    with pytest.raises(
        CorpusError, match=r"the path argument names .*missing\.txt, which is not a file"
    ):
        load_text(tmp_path / "missing.txt")


def test_own_text_loads_without_hash(tmp_path):
    own = tmp_path / "own.txt"
    own.write_text("to be or not to be")
    assert load_text(own, sha256=None) == "to be or not to be"


def test_a_full_disk_during_the_download_is_not_called_offline(server, cache, monkeypatch):
    import errno

    class FullDisk:
        def __init__(self, out):
            self.out = out

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.out.close()

        def write(self, chunk):
            raise OSError(errno.ENOSPC, "No space left on device")

    real_fdopen = os.fdopen
    monkeypatch.setattr(data.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(
        CorpusError,
        match=r"cannot be saved in .*cache \(No space left on device\); nothing was saved"
        r"\. Free some disk space",
    ) as err:
        load_text(url=server + "/good", progress=False)
    assert "offline" not in str(err.value)
    assert not cache.exists() or list(cache.iterdir()) == []  # no .part file


def test_a_copy_with_windows_line_endings_is_the_same_corpus(tmp_path, corpus_bytes):
    crlf = tmp_path / "input.txt"
    # what git's autocrlf or a Windows editor makes of it
    crlf.write_bytes(corpus_bytes.replace(b"\n", b"\r\n"))
    assert load_text(crlf) == corpus_bytes.decode("utf-8")


def test_the_downloaded_corpus_is_readable_by_the_group_and_others(server, cache):
    old = os.umask(0o022)
    try:
        load_text(url=server + "/good", progress=False)
    finally:
        os.umask(old)
    # mkstemp's 0o600 shut a classroom out
    assert (cache / data.FILENAME).stat().st_mode & 0o777 == 0o644
