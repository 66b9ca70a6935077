"""The notes' own code, kept as written, to check bigram_lib against and to time it."""

import torch
from torch.nn import functional as F


def get_batch_reference(data, batch_size, block_size):
    """The notes' get_batch: a Python loop over the batch and torch.stack."""
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i : i + block_size] for i in ix])
    y = torch.stack([data[i + 1 : i + block_size + 1] for i in ix])
    return x, y


def generate_reference(model, idx, max_new_tokens):
    """The notes' generate: runs the model on the whole sequence at every step."""
    for _ in range(max_new_tokens):
        logits, _ = model(idx)  # logits, discarding loss = None
        logits = logits[:, -1, :]  # becomes (B, C)
        probs = F.softmax(logits, dim=1)  # (B, C)
        idx_next = torch.multinomial(probs, num_samples=1)  # (B, 1)
        idx = torch.cat((idx, idx_next), dim=1)  # (B, T+1)
    return idx


def train_reference(model, data, steps, batch_size=32, block_size=8, lr=1e-3):
    """The notes' training loop; returns every step's loss."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        xb, yb = get_batch_reference(data, batch_size, block_size)
        logits, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
