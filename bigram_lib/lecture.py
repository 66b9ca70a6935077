"""run_recipe: a recipe's run from the seed to the last sample, keeping every number it prints."""

from dataclasses import dataclass

import torch

from .batch import get_batch
from .model import BigramLanguageModel
from .recipes import Recipe
from .train import History, train


@dataclass
class Run:
    """What a recipe's run printed, and the model it left."""

    recipe: Recipe
    xb: torch.Tensor | None  # (4, 8) first batch, drawn right after seeding; None for bigram.py, which draws none
    yb: torch.Tensor | None  # (4, 8)
    loss: torch.Tensor | None  # the untrained model's loss on (xb, yb), as printed: tensor(..., grad_fn=...)
    first_sample: str  # generated before training ('' for bigram.py)
    model: BigramLanguageModel
    history: History
    sample: str  # generated after training


def run_recipe(corpus, recipe, progress=False):
    """Seed, (first batch, untrained loss and sample,) train and sample, in the recipe's order of random draws."""
    torch.manual_seed(recipe.seed)
    xb = yb = loss = None
    if recipe.printout == "notes":  # the notes and the video's notebook draw a first batch (B=4, T=8), then seed again
        xb, yb = get_batch(corpus.train_data, 4, 8, bound=recipe.bound)  # (4, 8), (4, 8)
        torch.manual_seed(recipe.seed)
    model = BigramLanguageModel(corpus.vocab_size)
    if xb is not None:
        _, loss = model(xb, yb)
    start = torch.zeros((1, 1), dtype=torch.long)  # (1, 1): id 0 = '\n'
    first = corpus.decode(model.generate(start, recipe.first_sample_length)[0].tolist()) if recipe.first_sample_length else ""
    history = train(model, corpus.train_data, corpus.val_data, progress=progress, **recipe.train_kwargs())
    sample = corpus.decode(model.generate(start, recipe.sample_length)[0].tolist())
    return Run(recipe, xb, yb, loss, first, model, history, sample)


def loss_table(history):
    """bigram.py's lines: 'step 300: train loss 2.8110, val loss 2.8249', one per evaluation."""
    return [f"step {step}: train loss {train_loss:.4f}, val loss {val_loss:.4f}"
            for step, train_loss, val_loss in zip(history.steps, history.train_loss, history.val_loss)]
