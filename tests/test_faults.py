"""Every fault a learner can cause: no trained work lost, no silent wrong result, an error that says what to do."""

import errno
import hashlib
import importlib
import io
import math
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from bigram_lib import (
    BigramLanguageModel,
    bigram_counts,
    estimate_loss,
    get_batch,
    load_corpus,
    load_text,
    optimal_loss,
    train,
    trained_model,
)
from bigram_lib.course import cache as cache_module
from bigram_lib.course import cli
from bigram_lib.course.cache import CacheWarning, cache_path, run_key
from bigram_lib.course.data import cache_dir
from bigram_lib.train import History

# the module, not the function bigram_lib.train
train_module = importlib.import_module("bigram_lib.train")

TEXT = (
    "\n".join(
        ["anna", "bob", "carla", "dave", "emma", "frank", "grace", "henry", "iris", "jack"] * 8
    )
    + "\n"
)
# a few steps keep each test fast
STEPS = {
    "steps": 3,  # few steps and so few evaluations: trained_model evaluates every max(1, steps // 100) steps
    "seed": 0,
    "batch_size": 8,
    "progress": False,
}


@pytest.fixture
def small():
    """A small corpus of names (vocabulary of its own letters)."""
    return load_corpus(text=TEXT)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty, writable cache folder, and a process that has trained nothing yet."""
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache_module, "_TRAINED", {})
    return tmp_path / "cache"


def small_path(corpus):
    """The cache file of the small run."""
    return cache_path(run_key(corpus, STEPS["steps"], 0, 8, 1e-3))


def fresh_weights(corpus):
    """The weights trained_model's recipe gives, trained without any cache."""
    torch.manual_seed(STEPS["seed"])
    m = BigramLanguageModel(corpus.vocab_size)
    train(
        m,
        corpus.train_data,
        corpus.val_data,
        steps=STEPS["steps"],
        batch_size=STEPS["batch_size"],
        progress=False,
    )
    return m.token_embedding_table.weight.detach()


def files_under(folder):
    """Every file below a folder, as names relative to it."""
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


# -- no trained work lost ---------------------------------------------------------------------------------------


def test_cache_under_a_file_still_returns_the_model(small, cache, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(blocker / "cache"))
    # the OS's own words differ (Linux: "Not a directory", Windows: another text): match the path and the advice
    with pytest.warns(
        CacheWarning, match=r"could not be cached at .*a_file.*cache.*models.*BIGRAM_CACHE_DIR"
    ):
        model, history = trained_model(small, **STEPS)
    assert history.steps_done == STEPS["steps"] and torch.equal(
        model.token_embedding_table.weight.detach(), fresh_weights(small)
    )
    # kept in this process: no second training, no second warning
    again, _ = trained_model(small, **STEPS)
    assert torch.equal(again.token_embedding_table.weight, model.token_embedding_table.weight)


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        RuntimeError("[enforce fail at inline_container.cc:626] . unexpected pos 64 vs 0"),
    ],
    ids=["full-disk-oserror", "full-disk-torch-runtimeerror"],
)
def test_full_disk_warns_and_leaves_no_part_file(small, cache, monkeypatch, error):
    def full_disk(*args, **kwargs):
        raise error

    monkeypatch.setattr(torch, "save", full_disk)
    with pytest.warns(
        CacheWarning,
        match=r"could not be cached at .*(No space left|enforce fail).*free some disk space",
    ):
        model, history = trained_model(small, **STEPS)
    assert (
        history.steps_done == STEPS["steps"]
        and model.token_embedding_table.num_embeddings == small.vocab_size
    )
    # no .part file, no cache file
    assert [f for f in files_under(cache) if not f.endswith(".lock")] == []


def test_no_permission_warns(small, cache, monkeypatch):
    # tests run as root, where chmod does not stop writes: refuse the temporary file instead
    real_open = os.open

    def refuse(path, flags, mode=0o777, **kwargs):
        if str(path).endswith(".part"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr("os.open", refuse)
    with pytest.warns(CacheWarning, match="could not be cached at .*Permission denied"):
        _, history = trained_model(small, **STEPS)
    assert history.steps_done == STEPS["steps"]


def test_cache_file_is_written_once_and_reused(small, cache):
    model, _ = trained_model(small, **STEPS)
    path = small_path(small)
    # no lock and no .part file left behind
    assert files_under(cache) == [str(path.relative_to(cache))]
    assert path.read_bytes().startswith(b"bigram-notebooks model v3 sha256 ")
    again, history = trained_model(small, **STEPS)
    assert torch.equal(again.token_embedding_table.weight, model.token_embedding_table.weight)
    assert history.steps_done == STEPS["steps"]


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "truncated",
        "garbage",
        "bit-flip",
        "plain-torch-save",
        "other-vocab",
        "other-run",
        "pickled-object",
    ],
)
def test_damaged_cache_file_is_named_set_aside_and_retrained(small, cache, damage):
    trained_model(small, **STEPS)
    path = small_path(small)
    raw = path.read_bytes()
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x80\x02garbage" * 50)
    elif damage == "bit-flip":
        flipped = bytearray(raw)
        flipped[-200] ^= 0x01
        path.write_bytes(bytes(flipped))
    elif damage == "plain-torch-save":  # a file torch.load would read, but not one this cache wrote
        torch.save({"state": {}}, path)
    elif damage == "other-vocab":  # a verified file whose weights do not fit this text's vocabulary
        path.write_bytes(
            cache_module.pack(
                run_key(small, STEPS["steps"], 0, 8, 1e-3),
                BigramLanguageModel(small.vocab_size + 1),
                History(),
            )
        )
    elif damage == "other-run":  # a good file of another run (80 steps) under this run's name
        path.write_bytes(
            cache_module.pack(
                run_key(small, 2 * STEPS["steps"], 0, 8, 1e-3),
                BigramLanguageModel(small.vocab_size),
                History(steps_done=2 * STEPS["steps"]),
            )
        )
    else:  # verified bytes that torch.load(weights_only=True) refuses: never loaded, never torch's advice repeated
        buf = io.BytesIO()
        # a pickled object
        torch.save({"key": run_key(small, STEPS["steps"], 0, 8, 1e-3), "state": History()}, buf)
        payload = buf.getvalue()
        path.write_bytes(
            cache_module.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        )
    with pytest.warns(
        CacheWarning,
        match=f"the cached model {path} is damaged.*I moved it to {path}.damaged.*training",
    ) as seen:
        model, history = trained_model(small, **STEPS)
    assert torch.equal(model.token_embedding_table.weight.detach(), fresh_weights(small))
    assert history.steps_done == STEPS["steps"]
    assert sorted(files_under(cache)) == sorted(
        [str(path.relative_to(cache)), str(path.relative_to(cache)) + ".damaged"]
    )
    assert not any("weights_only=False" in str(w.message) for w in seen)
    if damage == "other-run":
        assert any("holds another training run" in str(w.message) for w in seen)
    # the retrained file is good again: no warning (pytest turns none into an error)
    trained_model(small, **STEPS)


def test_cache_is_loaded_with_weights_only(small, cache, monkeypatch):
    trained_model(small, **STEPS)
    seen = []
    real_load = torch.load

    def spy(*args, **kwargs):
        seen.append(kwargs.get("weights_only"))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(torch, "load", spy)
    trained_model(small, **STEPS)
    assert seen == [True]


# -- no silent wrong results ------------------------------------------------------------------------------------


def test_optimizer_of_another_model_is_refused(small):
    torch.manual_seed(0)
    old = BigramLanguageModel(small.vocab_size)
    optimizer = torch.optim.AdamW(old.parameters(), lr=1e-3)
    m = BigramLanguageModel(small.vocab_size)  # the model cell re-run, the optimizer cell not
    before = m.token_embedding_table.weight.detach().clone()
    with pytest.raises(
        ValueError,
        match=r"does not hold this model's parameters \(1 of 1 missing\).*AdamW\(model.parameters",
    ):
        train(m, small.train_data, steps=10, optimizer=optimizer, progress=False)
    assert torch.equal(before, m.token_embedding_table.weight)
    train(
        m,
        small.train_data,
        steps=10,
        optimizer=torch.optim.AdamW(m.parameters(), lr=1e-3),
        progress=False,
    )
    assert not torch.equal(before, m.token_embedding_table.weight)


def test_counts_refuse_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"data holds ids outside \[0, 5\): smallest 0, largest 7"):
        bigram_counts(torch.tensor([0, 1, 7]), 5)
    with pytest.raises(
        TypeError, match=r"train_data must have dtype torch\.long .* got torch\.float32"
    ):
        optimal_loss(torch.rand(10), 5)


def test_eval_iters_zero_is_refused(small):
    m = BigramLanguageModel(small.vocab_size)
    with pytest.raises(ValueError, match="eval_iters must be a positive integer, got 0"):
        train(m, small.train_data, small.val_data, steps=5, eval_iters=0, progress=False)
    with pytest.raises(ValueError, match="eval_iters must be a positive integer, got 0"):
        estimate_loss(m, {"train": small.train_data}, eval_iters=0)


def test_empty_batch_loss_is_refused():
    m = BigramLanguageModel(5)
    empty = torch.zeros((0, 8), dtype=torch.long)
    with pytest.raises(
        ValueError,
        match=r"idx and targets are empty \(shape \(0, 8\)\): a loss needs at least one token",
    ):
        m(empty, empty)
    logits, loss = m(empty)  # logits alone are fine: (0, 8, C)
    assert logits.shape == (0, 8, 5) and loss is None


# -- the command line --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,message",
    [
        (["--lr", "-1"], "--lr: must be a finite number > 0, got -1"),
        (["--lr", "nan"], "--lr: must be a finite number > 0, got nan"),
        (["--lr", "inf"], "--lr: must be a finite number > 0, got inf"),
        (
            ["--seed", "99999999999999999999"],
            "--seed: must be an integer from 0 to 18446744073709551615",
        ),
        (["--seed", "-3"], "--seed: must be an integer from 0 to"),
    ],
)
def test_cli_bad_numbers_are_usage_errors(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(args)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_cli_unreadable_corpus(tmp_path, monkeypatch, capsys):
    path = tmp_path / "locked.txt"
    path.write_text(TEXT)
    real = Path.read_bytes

    def locked(self):
        if self.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", locked)  # root ignores chmod, so refuse the read itself
    assert cli.main(["--data", str(path), "--no-progress"]) == 2
    assert (
        "locked.txt cannot be read (Permission denied): it belongs to another user"
        in capsys.readouterr().err
    )


def test_cli_ctrl_c_exits_130_and_says_what_it_kept(tmp_path, monkeypatch, capsys):
    path = tmp_path / "names.txt"
    path.write_text(TEXT)
    recipes = importlib.import_module("bigram_lib.course.recipes")

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(recipes, "train", ctrl_c)  # Ctrl-C anywhere outside train's own loop
    assert cli.main(["--data", str(path), "--no-progress", "--steps", "5"]) == 130
    assert "interrupted (Ctrl-C)" in capsys.readouterr().err

    class Stop(torch.optim.AdamW):
        def step(self, closure=None):
            raise KeyboardInterrupt

    def train_stopped(m, *args, **kwargs):  # Ctrl-C inside the loop
        kwargs.pop("lr")
        return train_module.train(m, *args, optimizer=Stop(m.parameters()), **kwargs)

    monkeypatch.setattr(recipes, "train", train_stopped)
    assert cli.main(["--data", str(path), "--no-progress", "--steps", "5"]) == 130
    err = capsys.readouterr().err
    assert (
        "interrupted (Ctrl-C) after 0 of 5 steps; nothing was kept" in err and "are kept" not in err
    )


def test_cli_divergent_lr_is_one_clear_line(tmp_path, capsys):
    path = tmp_path / "names.txt"
    path.write_text(TEXT)
    assert cli.main(["--data", str(path), "--no-progress", "--steps", "300", "--lr", "1e6"]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith("error: the loss became") and "smaller lr" in err and "Traceback" not in err
    )


# -- clear errors, numbers from numpy and torch accepted ---------------------------------------------------------


@pytest.mark.parametrize(
    "temperature,message",
    [
        (float("nan"), "temperature must be a finite number >= 0 .* got nan"),
        (float("inf"), "temperature must be a finite number >= 0 .* got inf"),
    ],
)
def test_bad_temperature(temperature, message):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    with pytest.raises(ValueError, match=message):
        m.generate(torch.zeros((1, 1), dtype=torch.long), 5, temperature=temperature)


def test_numpy_and_0d_tensor_numbers_are_accepted(small):
    C = small.vocab_size
    torch.manual_seed(0)
    m = BigramLanguageModel(np.int64(C))
    assert m.token_embedding_table.num_embeddings == C
    xb, _ = get_batch(
        small.train_data, np.int64(2), torch.tensor(4), torch.Generator().manual_seed(0)
    )
    assert xb.shape == (2, 4)
    history = train(
        m,
        small.train_data,
        steps=np.int64(3),
        eval_iters=np.int32(1),
        lr=np.float32(1e-2),
        progress=False,
    )
    assert history.steps_done == 3
    out = m.generate(
        torch.zeros((1, 1), dtype=torch.long),
        np.int64(4),
        temperature=np.float64(0.5),
        top_k=torch.tensor(3),
        generator=torch.Generator().manual_seed(0),
    )
    assert out.shape == (1, 5)


@pytest.mark.parametrize(
    "vocab_size,error",
    [
        (0, ValueError),
        (-1, ValueError),
        (2.5, TypeError),
        ("65", TypeError),
        (True, TypeError),
        (None, TypeError),
    ],
)
def test_bad_vocab_size(vocab_size, error):
    with pytest.raises(
        error,
        match=f"vocab_size must be a positive integer .*corpus.vocab_size\\), got {vocab_size!r}",
    ):
        BigramLanguageModel(vocab_size)


def test_decode_takes_ids_only(corpus):
    assert corpus.decode([torch.tensor(46), np.int64(47), 47]) == "hii"
    with pytest.raises(TypeError, match=r"position 1 holds True \(bool\)"):
        corpus.decode([46, True])  # True would have decoded silently as id 1, a space
    with pytest.raises(TypeError, match=r"position 0 holds 46.0 \(float\)"):
        corpus.decode([46.0])
    with pytest.raises(TypeError, match=r"got a tensor of dtype torch\.bool"):
        corpus.decode(torch.tensor([True, False]))
    with pytest.raises(TypeError, match="got a str: to turn text into ids use encode"):
        corpus.decode("hii")


def test_home_is_expanded_in_the_environment(tmp_path, monkeypatch, corpus):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BIGRAM_CACHE_DIR", "~/bigram-cache")
    assert cache_dir() == tmp_path / "bigram-cache"
    copy = tmp_path / "tiny.txt"
    copy.write_text(corpus.text)
    monkeypatch.setenv("BIGRAM_DATA", "~/tiny.txt")
    assert load_text() == corpus.text
    assert not Path("~").exists()  # no literal ./~ folder
    assert math.isfinite(optimal_loss(corpus.train_data, 65))


# -- what used to give a silent odd result, or an error that named no cause --------------------------------------


def test_next_token_probs_wants_a_token_id_of_the_model():
    from bigram_lib import next_token_probs

    m = BigramLanguageModel(65)
    with pytest.raises(ValueError, match="token must be a token id from 0 to 64, got -1"):
        next_token_probs(m, -1)  # used to return the last row silently
    with pytest.raises(
        TypeError,
        match=r"token must be a token id, an integer from 0 to 64, got 'e' \(for a character, "
        r"pass its id: corpus.encode\(ch\)\[0\]\)",
    ):
        next_token_probs(m, "e")
    assert next_token_probs(m, np.int64(5)).shape == (65,)


@pytest.mark.parametrize("smoothing", [-1, math.nan, math.inf])
def test_count_probs_refuses_a_smoothing_that_is_no_count(smoothing):
    from bigram_lib import count_probs

    with pytest.raises(ValueError, match="smoothing must be a finite number >= 0"):
        count_probs(torch.ones(3, 3, dtype=torch.long), smoothing=smoothing)


def test_optimal_loss_needs_at_least_one_pair():
    with pytest.raises(
        ValueError,
        match=r"train_data holds 1 token\(s\): a loss over \(current, next\) pairs needs at "
        "least 2",
    ):
        optimal_loss(torch.tensor([3]), 5)  # used to be nan


def test_a_large_vocabulary_is_warned_about_once_with_its_cost():
    from bigram_lib.course.owntext import LargeVocabularyWarning

    text = "".join(chr(0x4E00 + i) for i in range(1200)) * 3  # 1,200 distinct CJK characters
    with pytest.warns(
        LargeVocabularyWarning,
        match=r"C = 1,200 distinct characters, so the bigram table has C x C = "
        r"1,440,000 weights.* GiB .* s a step .*20,000 steps: about",
    ):
        load_corpus(text=text)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_corpus(text=TEXT)  # an ordinary vocabulary: no warning


def test_a_text_with_a_lone_surrogate_is_refused_at_once():
    from bigram_lib import CorpusError

    with pytest.raises(
        CorpusError, match=r"holds a lone surrogate '\\udc80' at position 3: half of a character"
    ):
        # used to be accepted, then fail in trained_model's cache key
        load_corpus(text="abc\udc80" + TEXT)


def test_a_pipe_is_named_for_what_it_is(tmp_path):
    from bigram_lib import CorpusError

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system (Windows)")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(
        CorpusError,
        match=r"not a file \(it is not a regular file \(a pipe, a device or a socket\)\)",
    ):
        load_corpus(fifo)
