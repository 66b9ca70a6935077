"""Training: the notes' loop exactly, evaluation that never disturbs it, interruption, the floor."""

import math

import pytest
import torch

from bigram_lib import (
    BigramLanguageModel,
    TrainingDiverged,
    TrainingInterrupted,
    estimate_loss,
    model_loss,
    optimal_loss,
    train,
)
from bigram_lib.course.recipes import notes_training_loop


def test_losses_bit_identical_to_the_notes_loop(corpus):
    torch.manual_seed(1337)
    ref = notes_training_loop(BigramLanguageModel(65), corpus.train_data, steps=300)
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    history = train(
        m,
        corpus.train_data,
        corpus.val_data,
        steps=300,
        eval_interval=50,
        eval_iters=5,
        progress=False,
    )
    assert history.step_losses == ref  # bit for bit, even with evaluation switched on
    assert history.steps == [0, 50, 100, 150, 200, 250, 300]
    assert len(history.train_loss) == len(history.val_loss) == 7
    assert history.steps_done == 300 and not history.interrupted
    assert history.train_loss[-1] < history.train_loss[0] - 0.1


class _StopAt(torch.optim.AdamW):
    """An optimizer that raises KeyboardInterrupt at a given step, like Ctrl-C would."""

    def __init__(self, params, stop_at):
        super().__init__(params, lr=1e-3)
        self.stop_at, self.calls = stop_at, 0

    def step(self, closure=None):
        self.calls += 1
        if self.calls == self.stop_at:
            raise KeyboardInterrupt
        return super().step(closure)


def test_interrupt_keeps_model_and_history_then_stops(corpus):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    before = m.token_embedding_table.weight.detach().clone()
    with pytest.raises(
        TrainingInterrupted,
        match=r"Training stopped \(Ctrl-C\) after 119 of 1,000 steps: the model you passed in keeps",
    ) as stop:
        train(
            m,
            corpus.train_data,
            corpus.val_data,
            steps=1000,
            optimizer=_StopAt(m.parameters(), 120),
            eval_interval=50,
            eval_iters=2,
            progress=False,
        )
    assert isinstance(stop.value, KeyboardInterrupt)  # so a notebook's Run All stops at this cell
    history = stop.value.history
    assert history.interrupted
    assert history.steps_done == 119 and len(history.step_losses) == 119
    assert history.steps == [0, 50, 100]  # no last evaluation: the learner asked to stop
    assert not torch.equal(before, m.token_embedding_table.weight)  # the 119 steps are kept


def test_a_ctrl_c_in_the_last_evaluation_waits_for_it(corpus, monkeypatch):
    import importlib
    import signal

    train_module = importlib.import_module("bigram_lib.train")
    original, calls = train_module.estimate_loss, []

    def interrupted_last(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the last evaluation: Ctrl-C arrives in the middle of it
            signal.raise_signal(signal.SIGINT)
        return original(*args, **kwargs)

    monkeypatch.setattr(train_module, "estimate_loss", interrupted_last)
    m = BigramLanguageModel(65)
    with pytest.raises(TrainingInterrupted) as stop:
        train(
            m,
            corpus.train_data,
            corpus.val_data,
            steps=20,
            eval_interval=10,
            eval_iters=2,
            progress=False,
        )
    history = stop.value.history
    # complete: the evaluation ran to its end
    assert history.steps == [0, 10, 20] and not history.interrupted


def test_a_divergent_learning_rate_stops_with_a_clear_error(corpus):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    with pytest.raises(
        TrainingDiverged,
        match=r"the loss became (nan|inf) at step [\d,]+ with lr 1e\+06.*smaller lr",
    ):
        train(m, corpus.train_data, steps=2000, lr=1e6, progress=False)


def test_lr_and_an_optimizer_together_are_refused():
    m = BigramLanguageModel(3)
    with pytest.raises(
        ValueError, match="give lr or optimizer, not both: an optimizer has its own lr"
    ):
        train(
            m,
            torch.arange(30) % 3,
            steps=3,
            lr=5,
            optimizer=torch.optim.SGD(m.parameters(), lr=0.1),
            progress=False,
        )


def test_half_precision_is_refused_before_it_trains_to_nan():
    m = BigramLanguageModel(3).half()
    with pytest.raises(
        ValueError, match=r"model has torch.float16 weights, which overflow to NaN.*model.float\(\)"
    ):
        train(m, torch.arange(30) % 3, steps=3, progress=False)


@pytest.mark.parametrize(
    "model,error,message",
    [
        ("m", TypeError, "model must be a bigram model such as BigramLanguageModel"),
        (None, TypeError, "got None"),
    ],
)
def test_train_needs_a_model(model, error, message):
    with pytest.raises(error, match=message):
        train(model, torch.arange(30) % 3, steps=3, progress=False)


def test_a_model_holding_nan_refuses_to_evaluate_and_sample(corpus):
    m = BigramLanguageModel(65)
    with torch.no_grad():
        m.token_embedding_table.weight[3, 4] = math.nan
    with pytest.raises(ValueError, match="model's table holds 1 NaN or infinite weights"):
        estimate_loss(m, {"val": corpus.val_data}, eval_iters=2)
    with pytest.raises(ValueError, match="model's table holds 1 NaN or infinite weights"):
        model_loss(m, corpus.val_data)
    with pytest.raises(ValueError, match="self's table holds 1 NaN or infinite weights"):
        m.generate(torch.zeros((1, 1), dtype=torch.long), 5, temperature=0)


def test_estimate_loss_wants_a_dict_of_splits(corpus):
    with pytest.raises(
        TypeError, match=r"splits must be a dict of split name -> data, such as \{'train'"
    ):
        estimate_loss(BigramLanguageModel(65), [corpus.train_data, corpus.val_data])


def test_a_model_on_the_meta_device_gets_a_clear_error(corpus):
    with torch.device("meta"):
        m = BigramLanguageModel(65)
    with pytest.raises(ValueError, match="model lives on the meta device"):
        train(m, corpus.train_data, steps=3, progress=False)


def test_estimate_loss_restores_mode_and_needs_no_grad(corpus):
    m = BigramLanguageModel(65)
    for mode in (True, False):
        m.train(mode)
        g = torch.Generator().manual_seed(0)
        out = estimate_loss(
            m, {"train": corpus.train_data, "val": corpus.val_data}, eval_iters=3, generator=g
        )
        assert m.training is mode
        assert set(out) == {"train", "val"} and all(isinstance(v, float) for v in out.values())
    assert m.token_embedding_table.weight.grad is None


def test_bad_steps():
    with pytest.raises(ValueError, match="steps must be an integer >= 0, got -5"):
        train(BigramLanguageModel(3), torch.arange(30) % 3, steps=-5, progress=False)


@pytest.mark.slow  # the notes' 100,000 steps
def test_notes_training_reaches_the_count_floor(corpus):
    """The notes' 100,000 steps land within 0.01 nats of the best any bigram model can do."""
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    history = train(
        m, corpus.train_data, corpus.val_data, steps=100_000, eval_interval=0, progress=False
    )
    assert history.steps_done == 100_000
    val_floor = optimal_loss(corpus.train_data, 65, corpus.val_data)
    train_floor = optimal_loss(corpus.train_data, 65)
    val, tr = model_loss(m, corpus.val_data), model_loss(m, corpus.train_data)
    assert abs(val - val_floor) < 0.01, (val, val_floor)
    # nothing beats the floor on train
    assert train_floor <= tr < train_floor + 0.01, (tr, train_floor)
