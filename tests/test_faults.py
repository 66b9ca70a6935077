"""Every fault a learner can cause: no trained work lost, no silent wrong result, an error that says what to do."""

import errno
import importlib
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from bigram_lib import (
    BigramLanguageModel,
    bigram_counts,
    cli,
    estimate_loss,
    generate,
    get_batch,
    load_corpus,
    load_text,
    optimal_loss,
    train,
    trained_model,
)
from bigram_lib.checkpoint import CacheWarning, _cache_path
from bigram_lib.data import cache_dir

train_module = importlib.import_module("bigram_lib.train")  # the module, not the function bigram_lib.train

TEXT = "\n".join(["anna", "bob", "carla", "dave", "emma", "frank", "grace", "henry", "iris", "jack"] * 8) + "\n"
STEPS = dict(steps=40, seed=0, batch_size=8, progress=False)  # a few steps keep each test fast


@pytest.fixture
def small():
    """A small corpus of names (vocabulary of its own letters)."""
    return load_corpus(text=TEXT)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty, writable cache folder."""
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def fresh_weights(corpus):
    """The weights trained_model's recipe gives, trained without any cache."""
    torch.manual_seed(STEPS["seed"])
    m = BigramLanguageModel(corpus.vocab_size)
    train(m, corpus.train_data, corpus.val_data, steps=STEPS["steps"], batch_size=STEPS["batch_size"], progress=False)
    return m.token_embedding_table.weight.detach()


def files_under(folder):
    """Every file below a folder, as names relative to it."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# -- no trained work lost ---------------------------------------------------------------------------------------

def test_cache_under_a_file_still_returns_the_model(small, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(CacheWarning, match=r"could not cache the trained model|could not be cached at .*a_file/cache/models.*"
                                          r"Not a directory.*BIGRAM_CACHE_DIR"):
        model, history = trained_model(small, **STEPS)
    assert history.steps_done == 40 and torch.equal(model.token_embedding_table.weight.detach(), fresh_weights(small))


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left on device"),
                                   RuntimeError("[enforce fail at inline_container.cc:626] . unexpected pos 64 vs 0")],
                         ids=["full-disk-oserror", "full-disk-torch-runtimeerror"])
def test_full_disk_warns_and_leaves_no_part_file(small, cache, monkeypatch, error):
    def full_disk(*args, **kwargs):
        raise error
    monkeypatch.setattr(torch, "save", full_disk)
    with pytest.warns(CacheWarning, match=r"could not be cached at .*(No space left|enforce fail).*free some disk space"):
        model, history = trained_model(small, **STEPS)
    assert history.steps_done == 40 and model.vocab_size == small.vocab_size
    assert files_under(cache) == []  # no .part file, no cache file


def test_no_permission_warns(small, cache, monkeypatch):
    # tests run as root, where chmod does not stop writes: refuse the temporary file instead
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(cache / "models"))
    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.warns(CacheWarning, match="could not be cached at .*Permission denied"):
        _, history = trained_model(small, **STEPS)
    assert history.steps_done == 40


def test_cache_file_is_written_once_and_reused(small, cache):
    model, _ = trained_model(small, **STEPS)
    path = _cache_path(small, 40, 0, 8, 1e-3)
    assert files_under(cache) == [str(path.relative_to(cache))]
    assert path.read_bytes().startswith(b"bigram-notebooks model v2 sha256 ")
    again, history = trained_model(small, **STEPS)
    assert torch.equal(again.token_embedding_table.weight, model.token_embedding_table.weight)
    assert history.steps_done == 40


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "bit-flip", "plain-torch-save", "other-vocab"])
def test_damaged_cache_file_is_named_set_aside_and_retrained(small, cache, damage):
    trained_model(small, **STEPS)
    path = _cache_path(small, 40, 0, 8, 1e-3)
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
    else:  # a verified file whose weights do not fit this text's vocabulary
        from bigram_lib.checkpoint import pack
        from bigram_lib.train import History
        path.write_bytes(pack(BigramLanguageModel(small.vocab_size + 1), History()))
    with pytest.warns(CacheWarning, match=f"the cached model {path} is damaged.*moved it to {path}.damaged.*training"):
        model, history = trained_model(small, **STEPS)
    assert torch.equal(model.token_embedding_table.weight.detach(), fresh_weights(small))
    assert history.steps_done == 40
    assert sorted(files_under(cache)) == sorted([str(path.relative_to(cache)), str(path.relative_to(cache)) + ".damaged"])
    trained_model(small, **STEPS)  # the retrained file is good again: no warning (pytest turns none into an error)


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
    with pytest.raises(ValueError, match=r"does not hold this model's parameters \(1 of 1 missing\).*AdamW\(model.parameters"):
        train(m, small.train_data, steps=10, optimizer=optimizer, progress=False)
    assert torch.equal(before, m.token_embedding_table.weight)
    train(m, small.train_data, steps=10, optimizer=torch.optim.AdamW(m.parameters(), lr=1e-3), progress=False)
    assert not torch.equal(before, m.token_embedding_table.weight)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_counts_are_exact_for_small_integer_dtypes(corpus, dtype):
    expected = bigram_counts(corpus.train_data, 65)
    small = corpus.train_data.to(dtype)
    assert torch.equal(bigram_counts(small, 65), expected)
    assert optimal_loss(small, 65) == pytest.approx(2.4519, abs=5e-5)  # uint8 used to give 3.548
    assert optimal_loss(small, 65, corpus.val_data.to(dtype)) == optimal_loss(corpus.train_data, 65, corpus.val_data)


def test_counts_refuse_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"data holds ids outside \[0, 5\): smallest 0, largest 7"):
        bigram_counts(torch.tensor([0, 1, 7]), 5)
    with pytest.raises(ValueError, match="1-D integer tensor of token ids, got shape .* dtype torch.float32"):
        optimal_loss(torch.rand(10), 5)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int32, torch.bool])
def test_get_batch_refuses_data_that_is_not_long(dtype):
    with pytest.raises(ValueError, match=f"data must hold torch.long .*got dtype {dtype}: convert it with data.long()"):
        get_batch(torch.zeros(100, dtype=dtype), 4, 8)


def test_eval_iters_zero_is_refused(small):
    m = BigramLanguageModel(small.vocab_size)
    with pytest.raises(ValueError, match="eval_iters must be a positive integer, got 0"):
        train(m, small.train_data, small.val_data, steps=5, eval_iters=0, progress=False)
    with pytest.raises(ValueError, match="eval_iters must be a positive integer, got 0"):
        estimate_loss(m, {"train": small.train_data}, eval_iters=0)


def test_empty_batch_loss_is_refused():
    m = BigramLanguageModel(5)
    empty = torch.zeros((0, 8), dtype=torch.long)
    with pytest.raises(ValueError, match=r"idx and targets are empty \(shape \(0, 8\)\): a loss needs at least one token"):
        m(empty, empty)
    logits, loss = m(empty)  # logits alone are fine: (0, 8, C)
    assert logits.shape == (0, 8, 5) and loss is None


def test_second_ctrl_c_in_the_last_evaluation_keeps_the_history(small, monkeypatch, capsys):
    calls = []
    real = train_module.estimate_loss

    def interrupt_last(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # step 0 evaluates, then the last evaluation gets Ctrl-C
            raise KeyboardInterrupt
        return real(*args, **kwargs)
    monkeypatch.setattr(train_module, "estimate_loss", interrupt_last)
    history = train(BigramLanguageModel(small.vocab_size), small.train_data, small.val_data, steps=10,
                    eval_interval=100, eval_iters=2, progress=False)
    assert history.interrupted and history.steps_done == 10 and len(history.step_losses) == 10
    assert history.steps == [0] and len(history.train_loss) == 1
    assert "interrupted during the last evaluation" in capsys.readouterr().out


# -- the command line --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    (["--lr", "-1"], "--lr: must be a finite number > 0, got -1"),
    (["--lr", "nan"], "--lr: must be a finite number > 0, got nan"),
    (["--lr", "inf"], "--lr: must be a finite number > 0, got inf"),
    (["--seed", "99999999999999999999"], "--seed: must be an integer from 0 to 18446744073709551615"),
    (["--seed", "-3"], "--seed: must be an integer from 0 to"),
])
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
    assert "locked.txt cannot be read (Permission denied): check its permissions" in capsys.readouterr().err


def test_cli_ctrl_c_exits_130(tmp_path, monkeypatch, capsys):
    path = tmp_path / "names.txt"
    path.write_text(TEXT)

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "train", ctrl_c)  # Ctrl-C anywhere outside train's own loop
    assert cli.main(["--data", str(path), "--no-progress", "--steps", "5"]) == 130
    assert "interrupted (Ctrl-C)" in capsys.readouterr().err

    class Stop(torch.optim.AdamW):
        def step(self, closure=None):
            raise KeyboardInterrupt

    def train_stopped(m, *args, **kwargs):  # Ctrl-C inside the loop: train keeps the model and says so
        kwargs.pop("lr")
        return train_module.train(m, *args, optimizer=Stop(m.parameters()), **kwargs)
    monkeypatch.setattr(cli, "train", train_stopped)
    assert cli.main(["--data", str(path), "--no-progress", "--steps", "5"]) == 130
    assert "interrupted (Ctrl-C) after 0 of 5 steps" in capsys.readouterr().err


# -- clear errors, numbers from numpy and torch accepted ---------------------------------------------------------

@pytest.mark.parametrize("temperature,message", [
    (float("nan"), "temperature must be a finite number .* got nan"),
    (float("inf"), "temperature must be a finite number .* got inf"),
    (1e-45, "temperature 1e-45 is too small: .* Use temperature=0 for greedy"),
])
def test_bad_temperature(temperature, message):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    with pytest.raises(ValueError, match=message):
        generate(m, torch.zeros((1, 1), dtype=torch.long), 5, temperature=temperature)


def test_numpy_and_0d_tensor_numbers_are_accepted(small):
    C = small.vocab_size
    torch.manual_seed(0)
    m = BigramLanguageModel(np.int64(C))
    assert m.vocab_size == C and type(m.vocab_size) is int
    xb, _ = get_batch(small.train_data, np.int64(2), torch.tensor(4), torch.Generator().manual_seed(0))
    assert xb.shape == (2, 4)
    history = train(m, small.train_data, steps=np.int64(3), eval_iters=np.int32(1), lr=np.float32(1e-2), progress=False)
    assert history.steps_done == 3
    out = generate(m, torch.zeros((1, 1), dtype=torch.long), np.int64(4), temperature=np.float64(0.5),
                   top_k=torch.tensor(3), generator=torch.Generator().manual_seed(0))
    assert out.shape == (1, 5)


@pytest.mark.parametrize("vocab_size", [0, -1, 2.5, "65", True, None])
def test_bad_vocab_size(vocab_size):
    with pytest.raises(ValueError, match=f"vocab_size must be a positive integer .*corpus.vocab_size\\), got {vocab_size!r}"):
        BigramLanguageModel(vocab_size)


def test_decode_takes_ids_only(corpus):
    assert corpus.decode([torch.tensor(46), np.int64(47), 47]) == "hii"
    with pytest.raises(TypeError, match=r"position 1 holds True \(bool\)"):
        corpus.decode([46, True])  # True would have decoded silently as id 1, a space
    with pytest.raises(TypeError, match=r"position 0 holds 46.0 \(float\)"):
        corpus.decode([46.0])
    with pytest.raises(TypeError, match="got a tensor of dtype torch.bool"):
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
