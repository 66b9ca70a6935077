"""Ctrl-C and the stop button: they stop the cell (so Run All stops too) and never lose finished work or leave a
partial file, whatever moment of trained_model they hit."""

import importlib
import signal
import textwrap
import threading

import pytest
import torch

from bigram_lib import TrainingInterrupted, load_corpus, trained_model
from bigram_lib.course import cache as cache_module
from bigram_lib.course.cache import cache_path, run_key

pytestmark = pytest.mark.slow  # trains, and starts a kernel to interrupt

TEXT = (
    "\n".join(
        ["anna", "bob", "carla", "dave", "emma", "frank", "grace", "henry", "iris", "jack"] * 8
    )
    + "\n"
)
RUN = {"steps": 40, "seed": 0, "batch_size": 8, "progress": False}
train_module = importlib.import_module("bigram_lib.train")


@pytest.fixture
def small(tmp_path, monkeypatch):
    """A small corpus, an empty cache and a process that has trained nothing yet."""
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache_module, "_TRAINED", {})
    return load_corpus(text=TEXT)


def files(folder):
    """Every file below a folder, by name."""
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def ctrl_c_on(monkeypatch, module, name, call=1):
    """Make the `call`-th call of module.name receive a real SIGINT in its middle, as Ctrl-C would."""
    real, calls = getattr(module, name), []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == call:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, interrupted)


def test_ctrl_c_while_training_keeps_the_partial_model_and_writes_nothing(
    small, tmp_path, monkeypatch
):
    ctrl_c_on(monkeypatch, train_module, "train_step", call=10)
    with pytest.raises(
        TrainingInterrupted, match=r"after 9 of 40 steps: this error's `.model` keeps"
    ) as stop:
        trained_model(small, **RUN)
    assert stop.value.history.steps_done == 9 and stop.value.history.interrupted
    assert stop.value.model is not None and not stop.value.model.training
    assert files(tmp_path) == []  # a half-trained model is never cached; no lock, no .part file
    _, history = trained_model(small, **RUN)  # the next call trains the whole run
    assert history.steps_done == 40


def test_ctrl_c_in_the_last_evaluation_caches_the_complete_run(small, tmp_path, monkeypatch):
    # steps 0..39 evaluate, then the last one
    ctrl_c_on(monkeypatch, train_module, "estimate_loss", call=41)
    with pytest.raises(
        TrainingInterrupted, match=r"after all 40 steps had run.*the model is cached"
    ) as stop:
        trained_model(small, **RUN)
    assert not stop.value.history.interrupted and stop.value.history.steps[-1] == 40
    assert files(tmp_path) == [cache_path(run_key(small, 40, 0, 8, 1e-3)).name]
    monkeypatch.undo()
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path))
    model, history = trained_model(small, **RUN)  # loaded, not trained again
    assert history.steps == stop.value.history.steps
    assert torch.equal(
        model.token_embedding_table.weight, stop.value.model.token_embedding_table.weight
    )


def test_ctrl_c_while_saving_waits_for_the_file_then_stops(small, tmp_path, monkeypatch):
    ctrl_c_on(monkeypatch, cache_module, "pack")
    with pytest.raises(TrainingInterrupted, match="the model is cached") as stop:
        trained_model(small, **RUN)
    path = cache_path(run_key(small, 40, 0, 8, 1e-3))
    assert files(tmp_path) == [path.name]  # the whole file, and no .part beside it
    assert (
        cache_module.unpack(path.read_bytes(), run_key(small, 40, 0, 8, 1e-3))["history"][
            "steps_done"
        ]
        == 40
    )
    assert stop.value.model is not None


def test_the_stop_button_stops_run_all_and_keeps_the_partial_model(tmp_path):
    """A real kernel, interrupted as JupyterLab's stop button does it: the cell replies with an error (which is
    what makes Run All stop), and the next cell still has the model and the history of the steps that ran."""
    jupyter_client = pytest.importorskip("jupyter_client")
    manager = jupyter_client.KernelManager(kernel_name="python3")
    manager.start_kernel(
        cwd=str(tmp_path), env={**__import__("os").environ, "OMP_NUM_THREADS": "1"}
    )
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        setup = textwrap.dedent(f"""
            import sys, torch
            from bigram_lib import BigramLanguageModel, load_corpus, train
            corpus = load_corpus(text={TEXT!r})
            m = BigramLanguageModel(corpus.vocab_size)
            train(BigramLanguageModel(corpus.vocab_size), corpus.train_data, steps=2, progress=False)  # imports done
            before = m.token_embedding_table.weight.detach().clone()
        """)
        assert client.execute_interactive(setup, timeout=60)["content"]["status"] == "ok"
        started = []

        # press stop a second after the cell started: training is under way by then
        def watch(message):
            if (
                message["msg_type"] == "stream"
                and "running" in message["content"]["text"]
                and not started
            ):
                started.append(threading.Timer(1.0, manager.interrupt_kernel))
                started[0].start()

        cell = "print('running', flush=True)\nhistory = train(m, corpus.train_data, steps=10_000_000, progress=False)"
        reply = client.execute_interactive(cell, timeout=120, output_hook=watch)
        # Run All stops at a cell that errs
        assert started and reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "TrainingInterrupted"
        check = (
            "print(sys.last_value.history.steps_done > 0, not torch.equal(before, m.token_embedding_table.weight),"
            " 'history' in dir())"
        )
        seen = []
        client.execute_interactive(
            check, timeout=60, output_hook=lambda msg: seen.append(msg["content"].get("text", ""))
        )
        # steps ran and are kept; `history = ...` never happened
        assert "True True False" in "".join(seen)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
