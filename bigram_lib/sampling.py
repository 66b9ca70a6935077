"""From logits to the next token's probabilities: temperature, top-k, the model's whole table."""

import torch
import torch.nn as nn
from torch import Tensor
from torch.nn import functional as F

from .course import checks


@checks.arguments(temperature=checks.temperature, top_k=checks.top_k_of("logits"))
def probs_from_logits(logits: Tensor, temperature: float = 1.0, top_k: int | None = None) -> Tensor:
    """Softmax over the last dim after top-k and temperature; temperature 0 is a one-hot argmax."""
    if top_k is not None:
        kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]  # (..., 1) the k-th largest logit
        logits = logits.masked_fill(logits < kth, float("-inf"))
    # the limit of ever smaller temperatures: all mass on the (first) largest logit
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    # shifted so the largest is 0: a tiny temperature makes the rest -inf, never NaN
    if temperature != 1:
        logits = (logits - logits.amax(dim=-1, keepdim=True)) / temperature
    return F.softmax(logits, dim=-1)


@torch.no_grad()
@checks.arguments(model=checks.model)
def logits_table(model: nn.Module) -> Tensor:
    """The (C, C) table of next-token logits, row a = logits after token a."""
    C = checks.vocab_of(model)
    logits, _ = model(torch.arange(C).view(1, C))  # (1, C, C)
    return logits[0]  # (C, C)


@checks.arguments(model=checks.finite_model, token=checks.token_of_model)
def next_token_probs(
    model: nn.Module, token: int, temperature: float = 1.0, top_k: int | None = None
) -> Tensor:
    """Distribution (C,) of the token that follows `token`."""
    return probs_from_logits(logits_table(model)[token], temperature, top_k)
