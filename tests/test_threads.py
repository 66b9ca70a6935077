"""one_thread: library work runs on one thread and gives the caller's setting back."""

import pytest
import torch

from bigram_lib import BigramLanguageModel, bigram_counts, estimate_loss, train
from bigram_lib.course.threads import one_thread


@pytest.fixture
def two_threads():
    """The caller runs torch on two threads (restored after the test)."""
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_one_thread_inside_and_restored_after(two_threads):
    with one_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2


def test_restored_after_an_error(two_threads):
    with pytest.raises(RuntimeError), one_thread():
        raise RuntimeError("boom")
    assert torch.get_num_threads() == 2


def test_nested_calls_restore_the_outer_setting(two_threads):
    with one_thread():
        with one_thread():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2


def test_library_work_runs_on_one_thread(two_threads, monkeypatch):
    seen = []
    real_forward = BigramLanguageModel.forward

    def spy(self, idx, targets=None):
        seen.append(torch.get_num_threads())
        return real_forward(self, idx, targets)

    monkeypatch.setattr(BigramLanguageModel, "forward", spy)
    torch.manual_seed(0)
    data = torch.randint(0, 5, (500,))
    m = BigramLanguageModel(5)
    train(m, data, data, steps=3, eval_iters=2, progress=False)
    estimate_loss(m, {"train": data}, eval_iters=2)
    bigram_counts(data, 5)
    assert seen and set(seen) == {1}, seen
    assert torch.get_num_threads() == 2
