"""BigramLanguageModel: a lookup table of next-token logits."""

import torch.nn as nn
from torch.nn import functional as F

from .sampling import generate as _generate
from .validation import check_ids, plain_int


class BigramLanguageModel(nn.Module):
    """Each token's row of the embedding table holds the logits of the next token."""

    def __init__(self, vocab_size):
        super().__init__()
        number = plain_int(vocab_size)
        if number is None or number <= 0:
            raise ValueError(f"vocab_size must be a positive integer (the number of distinct characters, "
                             f"e.g. corpus.vocab_size), got {vocab_size!r}")
        vocab_size = self.vocab_size = number
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        """Return (logits, loss): (B, T, C) and None, or (B*T, C) and a scalar."""
        check_ids("idx", idx, self.vocab_size)
        logits = self.token_embedding_table(idx)  # (B, T, C)
        if targets is None:
            return logits, None
        check_ids("targets", targets, self.vocab_size, shape=idx.shape)
        if idx.numel() == 0:  # the mean loss over no tokens would be NaN
            raise ValueError(f"idx and targets are empty (shape {tuple(idx.shape)}): a loss needs at least one token")
        B, T, C = logits.shape
        logits = logits.view(B * T, C)  # (B*T, C)
        targets = targets.view(B * T)  # (B*T,)
        loss = F.cross_entropy(logits, targets)
        return logits, loss

    def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, generator=None):
        """Extend idx (B, T) by max_new_tokens sampled tokens: (B, T + max_new_tokens)."""
        return _generate(self, idx, max_new_tokens, temperature=temperature, top_k=top_k, generator=generator)
