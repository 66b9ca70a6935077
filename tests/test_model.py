"""BigramLanguageModel and generate: the notes' numbers, the notes' tokens, the model's own forward, clear errors."""

import pytest
import torch
from torch.nn import functional as F

from bigram_lib import (
    BigramLanguageModel,
    get_batch,
    logits_table,
    next_token_probs,
    probs_from_logits,
)

NOTES_SAMPLE = "\nSKIcLT;AcELMoTbvZv C?nq-QE33:CJqkOKH-q;:la!oiywkHjgChzbQ?u!3bLIgwevmyFJGUGp\nwnYWmnxKWWev-tDqXErVKLgJ"


def notes_loop(model, idx, max_new_tokens):
    """The notes' generate, as written: the whole sequence through the model at every step, no crop."""
    for _ in range(max_new_tokens):
        logits, _ = model(idx)  # logits, discarding loss = None
        logits = logits[:, -1, :]  # becomes (B, C)
        probs = F.softmax(logits, dim=1)  # (B, C)
        idx_next = torch.multinomial(probs, num_samples=1)  # (B, 1)
        idx = torch.cat((idx, idx_next), dim=1)  # (B, T+1)
    return idx


def notes_model(corpus):
    """The notes' sequence: seed, first batch, seed, a new model."""
    torch.manual_seed(1337)
    xb, yb = get_batch(corpus.train_data, 4, 8)
    torch.manual_seed(1337)
    return BigramLanguageModel(corpus.vocab_size), xb, yb


def test_notes_logits_loss_and_untrained_sample(corpus):
    m, xb, yb = notes_model(corpus)
    logits, loss = m(xb, yb)
    assert str(logits.shape) == "torch.Size([32, 65])"
    assert str(loss) == "tensor(4.8948, grad_fn=<NllLossBackward0>)"
    sample = m.generate(torch.zeros((1, 1), dtype=torch.long), max_new_tokens=100)
    assert corpus.decode(sample[0].tolist()) == NOTES_SAMPLE


def test_forward_without_targets_keeps_three_dims():
    m = BigramLanguageModel(65)
    logits, loss = m(torch.zeros((2, 3), dtype=torch.long))
    assert logits.shape == (2, 3, 65) and loss is None
    assert torch.equal(logits[0, 0], m.token_embedding_table.weight[0])  # a lookup, nothing more


@pytest.mark.parametrize(
    "seed,B,T,n", [(1337, 1, 1, 100), (0, 3, 5, 60), (42, 2, 1, 1), (9, 4, 2, 0)]
)
def test_generate_gives_the_notes_tokens(seed, B, T, n):
    torch.manual_seed(seed)
    m = BigramLanguageModel(65)
    idx = torch.randint(65, (B, T))
    state = torch.get_rng_state()
    ref = notes_loop(m, idx, n)
    ref_next = torch.rand(2)
    torch.set_rng_state(state)
    ours = m.generate(idx, n)
    assert torch.equal(ours, ref)
    assert torch.equal(torch.rand(2), ref_next)  # the same random numbers were consumed


def test_generate_runs_the_models_own_forward_on_the_last_token_every_step():
    m = BigramLanguageModel(65)
    seen = []
    m.register_forward_hook(lambda mod, args, out: seen.append(tuple(args[0].shape)))
    out = m.generate(torch.zeros((2, 1), dtype=torch.long), 50)
    assert out.shape == (2, 51)
    # one forward per new token, on the last token of every row: linear time
    assert seen == [(2, 1)] * 50
    assert not out.requires_grad and out.grad_fn is None  # under torch.no_grad(): no graph is kept
    assert m.token_embedding_table.weight.grad is None


def test_generate_follows_a_changed_forward():
    class Fixated(BigramLanguageModel):
        """A learner's change to forward: every next token's logits favour id 7 overwhelmingly."""

        def forward(self, idx, targets=None):
            logits, loss = super().forward(idx, targets)
            return logits + 100.0 * F.one_hot(torch.tensor(7), logits.shape[-1]), loss

    torch.manual_seed(0)
    out = Fixated(65).generate(torch.zeros((3, 1), dtype=torch.long), 20)
    assert (out[:, 1:] == 7).all()
    # and a forward changed on the class itself is followed too
    original = BigramLanguageModel.forward
    try:
        BigramLanguageModel.forward = lambda self, idx, targets=None: (
            original(self, idx, targets)[0]
            - 100.0 * F.one_hot(torch.tensor(7), 65)
            + 100.0 * F.one_hot(torch.tensor(3), 65),
            None,
        )
        assert (
            BigramLanguageModel(65).generate(torch.zeros((1, 1), dtype=torch.long), 10)[:, 1:] == 3
        ).all()
    finally:
        BigramLanguageModel.forward = original


def test_temperature_zero_is_greedy_and_top_k_restricts():
    torch.manual_seed(0)
    m = BigramLanguageModel(65)
    table = logits_table(m)
    before = torch.get_rng_state()
    out = m.generate(torch.tensor([[5]]), 20, temperature=0)
    for a, b in zip(out[0, :-1].tolist(), out[0, 1:].tolist(), strict=True):
        assert b == int(table[a].argmax())
    torch.set_rng_state(before)
    # far below any float's resolution: greedy too
    tiny = m.generate(torch.tensor([[5]]), 20, temperature=1e-45)
    assert torch.equal(tiny, out)
    g = torch.Generator().manual_seed(1)
    out = m.generate(torch.zeros((8, 1), dtype=torch.long), 50, top_k=3, generator=g)
    for a, b in zip(out[:, :-1].flatten().tolist(), out[:, 1:].flatten().tolist(), strict=True):
        assert b in torch.topk(table[a], 3).indices.tolist()
    p = next_token_probs(m, 5, top_k=1)
    assert int((p > 0).sum()) == 1 and float(p.sum()) == pytest.approx(1.0)


def test_temperature_scales_and_generator_is_independent():
    logits = torch.tensor([2.0, 1.0, 0.0])
    hot, cold = probs_from_logits(logits, 10.0), probs_from_logits(logits, 0.1)
    assert hot.max() < torch.softmax(logits, 0).max() < cold.max()
    assert torch.allclose(probs_from_logits(logits, 2.0), torch.softmax(logits / 2, 0))
    m = BigramLanguageModel(65)
    a = m.generate(
        torch.zeros((1, 1), dtype=torch.long), 30, generator=torch.Generator().manual_seed(3)
    )
    torch.manual_seed(123)  # the global state does not matter when a generator is given
    b = m.generate(
        torch.zeros((1, 1), dtype=torch.long), 30, generator=torch.Generator().manual_seed(3)
    )
    assert torch.equal(a, b)


@pytest.mark.parametrize(
    "idx,targets,error,message",
    [
        (
            torch.zeros((2, 3)),
            None,
            TypeError,
            "idx must have dtype torch.long .* got torch.float32",
        ),
        (
            torch.zeros((2, 3), dtype=torch.int32),
            None,
            TypeError,
            r"got torch.int32: convert it with \.long\(\)",
        ),
        (
            torch.zeros(3, dtype=torch.long),
            None,
            ValueError,
            r"idx must be 2-D with shape \(B, T\), got shape \(3,\)",
        ),
        (
            torch.tensor([[0, 65]]),
            None,
            ValueError,
            r"idx holds ids outside \[0, 65\): smallest 0, largest 65",
        ),
        (torch.tensor([[-1, 3]]), None, ValueError, r"smallest -1, largest 3"),
        ([[0, 1]], None, TypeError, "idx must be a torch.Tensor of token ids, got list"),
        (
            torch.zeros((4, 8), dtype=torch.long),
            torch.zeros((4, 7), dtype=torch.long),
            ValueError,
            r"targets must have the same shape as idx \(4, 8\), got \(4, 7\)",
        ),
        (
            torch.zeros((4, 8), dtype=torch.long),
            torch.zeros(32, dtype=torch.long),
            ValueError,
            r"targets must be 2-D with shape \(B, T\), got shape \(32,\)",
        ),
        (
            torch.zeros((1, 2), dtype=torch.long),
            torch.tensor([[0, 99]]),
            ValueError,
            r"targets holds ids outside \[0, 65\)",
        ),
    ],
)
def test_forward_bad_input(idx, targets, error, message):
    with pytest.raises(error, match=message):
        BigramLanguageModel(65)(idx, targets)
    # m.forward(...) skips nn.Module's hooks, not the checks
    with pytest.raises(error, match=message):
        BigramLanguageModel(65).forward(idx, targets)


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"max_new_tokens": -1}, ValueError, "max_new_tokens must be an integer >= 0, got -1"),
        ({"max_new_tokens": 2.5}, TypeError, "max_new_tokens must be an integer >= 0, got 2.5"),
        (
            {"max_new_tokens": 5, "temperature": -0.5},
            ValueError,
            r"temperature must be a finite number >= 0 \(0 means greedy, 1 the model's own odds\), got -0.5",
        ),
        (
            {"max_new_tokens": 5, "top_k": 0},
            ValueError,
            "top_k must be None or an integer from 1 to 65, got 0",
        ),
        ({"max_new_tokens": 5, "top_k": 66}, ValueError, "got 66"),
    ],
)
def test_generate_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        BigramLanguageModel(65).generate(torch.zeros((1, 1), dtype=torch.long), **kwargs)


def test_generate_needs_a_token_to_start_from():
    with pytest.raises(ValueError, match=r"at least one token per row .* got shape \(1, 0\)"):
        BigramLanguageModel(65).generate(torch.zeros((1, 0), dtype=torch.long), 3)
