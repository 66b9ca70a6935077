"""generate: sampling new tokens, one step per token, in linear time."""

import torch
from torch.nn import functional as F

from .threads import one_thread
from .validation import check_ids


def logits_table(model):
    """The (C, C) table of next-token logits, row a = logits after token a."""
    C = model.vocab_size
    with torch.no_grad():
        logits, _ = model(torch.arange(C).view(1, C))  # (1, C, C)
    return logits[0]  # (C, C)


def _check_sampling(temperature, top_k, vocab_size):
    """Raise a clear error for a bad temperature or top_k."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0 (0 means greedy), got {temperature!r}")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= vocab_size):
        raise ValueError(f"top_k must be None or an integer from 1 to {vocab_size}, got {top_k!r}")


def probs_from_logits(logits, temperature=1.0, top_k=None):
    """Softmax over the last dim after top-k masking and temperature; temperature 0 is one-hot argmax."""
    _check_sampling(temperature, top_k, logits.shape[-1])
    if top_k is not None:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]  # (..., 1)
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    if temperature != 1.0:
        logits = logits / temperature
    return F.softmax(logits, dim=-1)


def next_token_probs(model, token, temperature=1.0, top_k=None):
    """Distribution (C,) of the token that follows `token`."""
    return probs_from_logits(logits_table(model)[token], temperature, top_k)


@one_thread()
def generate(model, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
    """Same tokens as the notes' loop for the same seed, but each step looks only at the last token."""
    check_ids("idx", idx, model.vocab_size)
    if isinstance(max_new_tokens, bool) or not isinstance(max_new_tokens, int):
        raise TypeError(f"max_new_tokens must be an int, got {type(max_new_tokens).__name__}")
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
