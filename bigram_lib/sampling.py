"""generate: sampling new tokens, one step per token, in linear time."""

import math

import torch
from torch.nn import functional as F

from .threads import one_thread
from .validation import check_ids, plain_float, plain_int


def logits_table(model):
    """The (C, C) table of next-token logits, row a = logits after token a."""
    C = model.vocab_size
    with torch.no_grad():
        logits, _ = model(torch.arange(C).view(1, C))  # (1, C, C)
    return logits[0]  # (C, C)


def _check_sampling(temperature, top_k, vocab_size):
    """(temperature, top_k) as plain numbers, or a clear error for a bad one."""
    t = plain_float(temperature)
    if t is None or t < 0:
        raise ValueError(f"temperature must be a number >= 0 (0 means greedy), got {temperature!r}")
    if not t < math.inf:  # nan and inf: nan fails every comparison
        raise ValueError(f"temperature must be a finite number (0 means greedy, 1 the model's own odds), got {temperature!r}")
    k = None if top_k is None else plain_int(top_k)
    if top_k is not None and (k is None or not 1 <= k <= vocab_size):
        raise ValueError(f"top_k must be None or an integer from 1 to {vocab_size}, got {top_k!r}")
    return t, k


def probs_from_logits(logits, temperature=1.0, top_k=None):
    """Softmax over the last dim after top-k masking and temperature; temperature 0 is one-hot argmax."""
    temperature, top_k = _check_sampling(temperature, top_k, logits.shape[-1])
    if top_k is not None:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]  # (..., 1)
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    scaled = logits / temperature if temperature != 1.0 else logits
    probs = F.softmax(scaled, dim=-1)
    if temperature < 1.0 and probs.isnan().any() and not logits.isnan().any():  # logits / temperature overflowed
        raise ValueError(f"temperature {temperature!r} is too small: logits / temperature overflow to infinity. "
                         "Use temperature=0 for greedy sampling, or a temperature of at least 1e-6.")
    return probs


def next_token_probs(model, token, temperature=1.0, top_k=None):
    """Distribution (C,) of the token that follows `token`."""
    return probs_from_logits(logits_table(model)[token], temperature, top_k)


@one_thread()
def generate(model, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
    """Same tokens as the notes' loop for the same seed, but each step looks only at the last token."""
    check_ids("idx", idx, model.vocab_size)
    if plain_int(max_new_tokens) is None:
        raise TypeError(f"max_new_tokens must be an int, got {type(max_new_tokens).__name__}")
    max_new_tokens = plain_int(max_new_tokens)
    temperature, top_k = _check_sampling(temperature, top_k, model.vocab_size)
    if max_new_tokens < 0:
        raise ValueError(f"max_new_tokens must be >= 0, got {max_new_tokens}")
    if idx.shape[1] == 0:
        raise ValueError("idx must hold at least one token per row to continue from, got shape "
                         f"{tuple(idx.shape)}")
    B, T = idx.shape
    probs = probs_from_logits(logits_table(model), temperature, top_k)  # (C, C), row = last token
    out = torch.empty((B, T + max_new_tokens), dtype=torch.long)
    out[:, :T] = idx
    last = idx[:, -1]  # (B,)
    for t in range(T, T + max_new_tokens):
        if temperature == 0:
            nxt = probs[last].argmax(dim=-1)  # (B,)
        else:
            nxt = torch.multinomial(probs[last], num_samples=1, generator=generator)[:, 0]  # (B, 1) -> (B,)
        out[:, t] = nxt
        last = nxt
    return out  # (B, T + max_new_tokens)
