"""Training: the notes' loop exactly, evaluation that never disturbs it, interruption, the floor."""

import pytest
import torch

from bigram_lib import BigramLanguageModel, estimate_loss, model_loss, optimal_loss, train
from bigram_lib.reference import train_reference


def test_losses_bit_identical_to_the_notes_loop(corpus):
    torch.manual_seed(1337)
    ref = train_reference(BigramLanguageModel(65), corpus.train_data, steps=300)
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    history = train(m, corpus.train_data, corpus.val_data, steps=300, eval_interval=50, eval_iters=5, progress=False)
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


def test_interrupt_keeps_model_and_history(corpus, capsys):
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    before = m.token_embedding_table.weight.detach().clone()
    history = train(m, corpus.train_data, corpus.val_data, steps=1000, optimizer=_StopAt(m.parameters(), 120),
                    eval_interval=50, eval_iters=2, progress=False)
    assert history.interrupted
    assert history.steps_done == 119 and len(history.step_losses) == 119
    assert history.steps == [0, 50, 100, 119]  # a last evaluation of what was reached
    assert not torch.equal(before, m.token_embedding_table.weight)  # the 119 steps are kept
    assert "interrupted after 119 steps" in capsys.readouterr().out


def test_estimate_loss_restores_mode_and_needs_no_grad(corpus):
    m = BigramLanguageModel(65)
    for mode in (True, False):
        m.train(mode)
        g = torch.Generator().manual_seed(0)
        out = estimate_loss(m, {"train": corpus.train_data, "val": corpus.val_data}, eval_iters=3, generator=g)
        assert m.training is mode
        assert set(out) == {"train", "val"} and all(isinstance(v, float) for v in out.values())
    assert m.token_embedding_table.weight.grad is None


def test_bad_steps():
    with pytest.raises(ValueError, match="steps must be an integer >= 0, got -5"):
        train(BigramLanguageModel(3), torch.arange(30) % 3, steps=-5, progress=False)


def test_notes_training_reaches_the_count_floor(corpus):
    """The notes' 100,000 steps land within 0.01 nats of the best any bigram model can do."""
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    history = train(m, corpus.train_data, corpus.val_data, steps=100_000, eval_interval=0, progress=False)
    assert history.steps_done == 100_000
    val_floor = optimal_loss(corpus.train_data, 65, corpus.val_data)
    train_floor = optimal_loss(corpus.train_data, 65)
    val, tr = model_loss(m, corpus.val_data), model_loss(m, corpus.train_data)
    assert abs(val - val_floor) < 0.01, (val, val_floor)
    assert train_floor <= tr < train_floor + 0.01, (tr, train_floor)  # nothing beats the floor on train
