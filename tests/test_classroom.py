"""A classroom's shared cache: a second user loads the first user's model, a teacher's read-only cache is used as
it is, two kernels on an empty cache train once, and every message says what was done.

The second user is a real one: these tests run a Python process as user 'nobody' with setpriv, which needs
root (CI runs as root); elsewhere they are skipped and say why.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from bigram_lib import load_corpus, trained_model
from bigram_lib.course import cache as cache_module
from bigram_lib.course.cache import cache_path, run_key

pytestmark = pytest.mark.slow  # runs a second user and a second process, each training

TEXT = (
    "\n".join(
        ["anna", "bob", "carla", "dave", "emma", "frank", "grace", "henry", "iris", "jack"] * 8
    )
    + "\n"
)
RUN = {"steps": 40, "seed": 0, "batch_size": 8}
NOBODY = 65534
SETPRIV = shutil.which("setpriv")
as_root = pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and SETPRIV),
    reason="a second user needs root and setpriv (util-linux): run as root on Linux, as CI does",
)

# what the second user runs: trained_model on the same text, reporting what happened as one line of text
SECOND_USER = textwrap.dedent("""
    import sys, time, warnings
    from bigram_lib import load_corpus, trained_model
    from bigram_lib.course import cache
    trained = []
    real_train = cache.train
    cache.train = lambda *a, **k: trained.append(1) or real_train(*a, **k)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        start = time.perf_counter()
        model, history = trained_model(load_corpus(text=sys.argv[1]), steps=40, seed=0, batch_size=8, progress=False)
    print("trained" if trained else "loaded", history.steps_done, f"{time.perf_counter() - start:.1f}")
    for w in seen:
        print("WARNING", w.message)
    print("WEIGHTS", float(model.token_embedding_table.weight.detach().sum()))
""")


def run_as(uid, folder, *extra, wait=True):
    """Run SECOND_USER as user `uid` with the cache in `folder`; its output (or the process, when wait is False)."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder.parent / f"home-{uid}"),
        "BIGRAM_CACHE_DIR": str(folder),
        "OMP_NUM_THREADS": "1",
    }
    command = [sys.executable, "-c", SECOND_USER, TEXT, *extra]
    if uid != os.geteuid():
        command = [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=folder.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait:
        return process
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out + err


def weights_line(out):
    """The WEIGHTS line of a run's output."""
    return next(line for line in out.splitlines() if line.startswith("WEIGHTS"))


@pytest.fixture
def shared(monkeypatch):
    """A classroom folder like /tmp: everyone may write, only a file's owner may delete it (sticky).

    It lies outside pytest's own temporary folder, which only its owner may enter.
    """
    top = Path(tempfile.mkdtemp(prefix="bigram-classroom-"))
    top.chmod(0o755)
    folder = top / "shared-cache"
    folder.mkdir()
    folder.chmod(0o1777)
    home = top / f"home-{NOBODY}"
    home.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(home, NOBODY, NOBODY)
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache_module, "_TRAINED", {})
    yield folder
    shutil.rmtree(top, ignore_errors=True)


@as_root
def test_a_second_user_loads_the_first_users_model(shared):
    old = os.umask(0o022)  # a usual umask: files readable by everyone
    try:
        model, _ = trained_model(load_corpus(text=TEXT), progress=False, **RUN)
    finally:
        os.umask(old)
    path = cache_path(run_key(load_corpus(text=TEXT), **RUN, lr=1e-3))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's 0o600
    (shared / "models").chmod(0o1777)  # the teacher's models folder is shared too
    out = run_as(NOBODY, shared)
    assert out.startswith("loaded 40") and "WARNING" not in out, out
    assert (
        weights_line(out) == f"WEIGHTS {float(model.token_embedding_table.weight.detach().sum())}"
    )


@as_root
def test_a_read_only_cache_prepared_by_a_teacher_is_used_as_it_is(shared):
    old = os.umask(0o022)
    try:
        trained_model(load_corpus(text=TEXT), progress=False, **RUN)
    finally:
        os.umask(old)
    shared.chmod(0o755)  # the learner may read, never write
    (shared / "models").chmod(0o755)
    before = sorted(p.name for p in (shared / "models").iterdir())
    out = run_as(NOBODY, shared)
    assert out.startswith("loaded 40") and "WARNING" not in out, out
    # nothing written, no lock, no .part
    assert sorted(p.name for p in (shared / "models").iterdir()) == before


@as_root
def test_a_file_the_second_user_may_not_read_is_not_called_damaged(shared):
    old = os.umask(0o077)  # the first user shuts everyone else out
    try:
        trained_model(load_corpus(text=TEXT), progress=False, **RUN)
    finally:
        os.umask(old)
    (shared / "models").chmod(0o1777)
    path = cache_path(run_key(load_corpus(text=TEXT), **RUN, lr=1e-3))
    raw = path.read_bytes()
    out = run_as(NOBODY, shared)
    assert out.startswith("trained 40"), out
    assert (
        "cannot be read (Permission denied): it belongs to another user" in out
        and "damaged" not in out
    )
    # the first user's file is left as it was
    assert path.read_bytes() == raw and path.stat().st_uid == 0


@as_root
def test_two_kernels_on_an_empty_cache_train_once(shared):
    first = run_as(os.geteuid(), shared, wait=False)
    time.sleep(0.3)
    second = run_as(os.geteuid(), shared, wait=False)
    outs = []
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        outs.append(out + err)
    kinds = sorted(out.split()[0] for out in outs)
    assert kinds == ["loaded", "trained"], outs
    waited = next(out for out in outs if out.startswith("loaded"))
    assert "is training this model into" in waited and "waiting for it" in waited
    assert weights_line(outs[0]) == weights_line(outs[1])
    assert not [p for p in (shared / "models").iterdir() if p.suffix in (".lock", ".part")]


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path, monkeypatch):
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache_module, "_TRAINED", {})
    corpus = load_corpus(text=TEXT)
    lock = Path(str(cache_path(run_key(corpus, **RUN, lr=1e-3))) + ".lock")
    lock.parent.mkdir(parents=True)
    lock.write_text("pid 999999 on a machine that is gone\n")
    stale = time.time() - 2 * cache_module.LOCK_STALE_SECONDS
    os.utime(lock, (stale, stale))
    start = time.perf_counter()
    _, history = trained_model(corpus, progress=False, **RUN)
    assert (
        history.steps_done == 40 and time.perf_counter() - start < cache_module.LOCK_STALE_SECONDS
    )
    assert not lock.exists()


def test_stale_part_files_of_killed_writes_are_cleaned(tmp_path, monkeypatch):
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache_module, "_TRAINED", {})
    models = tmp_path / "models"
    models.mkdir()
    old_part, new_part = models / "bigram-x.pt.123-ab.part", models / "bigram-y.pt.456-cd.part"
    old_part.write_bytes(b"\0" * 1024)  # a SIGKILL in the middle of a save, long ago
    new_part.write_bytes(b"\0" * 16)  # another kernel writing right now
    stale = time.time() - 2 * 3600
    os.utime(old_part, (stale, stale))
    trained_model(load_corpus(text=TEXT), progress=False, **RUN)
    assert not old_part.exists() and new_part.exists()
