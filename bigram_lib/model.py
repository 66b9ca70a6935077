"""BigramLanguageModel: the lecture's model, a lookup table of next-token logits."""

import torch
import torch.nn as nn
from torch import Tensor
from torch.nn import functional as F

from .course import checks
from .sampling import probs_from_logits


class BigramLanguageModel(nn.Module):
    """The lecture's super simple bigram model: row a of the table holds the next token's logits."""

    @checks.arguments(vocab_size=checks.vocab_size)
    def __init__(self, vocab_size: int):
        super().__init__()
        # each token directly reads off the logits for the next token from a lookup table
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    @checks.arguments(idx=checks.batch_ids, targets=checks.batch_targets)
    def forward(self, idx: Tensor, targets: Tensor | None = None) -> tuple[Tensor, Tensor | None]:
        # idx and targets are both (B, T) tensors of integers
        logits = self.token_embedding_table(idx)  # (B, T, C)

        if targets is None:
            loss = None
        else:
            B, T, C = logits.shape
            logits = logits.view(B * T, C)  # (B*T, C)
            targets = targets.view(B * T)  # (B*T,)
            loss = F.cross_entropy(logits, targets)

        return logits, loss

    @torch.no_grad()
    @checks.arguments(
        self=checks.finite_model,
        idx=checks.context_ids,
        max_new_tokens=checks.count(0),
        temperature=checks.temperature,
        top_k=checks.top_k_of("self"),
    )
    def generate(
        self,
        idx: Tensor,
        max_new_tokens: int,
        temperature: float = 1.0,
        top_k: int | None = None,
        generator: torch.Generator | None = None,
    ) -> Tensor:
        # idx is (B, T) array of indices in the current context
        for _ in range(max_new_tokens):
            # get the predictions; a bigram's context is its last token (gpt.py: -block_size:)
            logits, loss = self(idx[:, -1:])  # (B, 1, C)
            # focus only on the last time step
            logits = logits[:, -1, :]  # becomes (B, C)
            # apply softmax to get probabilities (temperature 1, no top_k: F.softmax(logits, -1))
            probs = probs_from_logits(logits, temperature, top_k)  # (B, C)
            # sample from the distribution
            idx_next = torch.multinomial(probs, num_samples=1, generator=generator)  # (B, 1)
            # append sampled index to the running sequence
            idx = torch.cat((idx, idx_next), dim=1)  # (B, T+1)
        return idx
