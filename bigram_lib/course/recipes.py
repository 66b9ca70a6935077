"""The sources' runs: the notes' MAIN section, the video notebook's first training cell and the lecture's bigram.py.

Each is a Recipe (every choice that shapes its numbers, as data); `start_run` and `finish_run` replay it in
its own order of random draws, keeping every number it prints. The notes' get_batch and training loop, as
the notes write them, are here too: the library's vectorized get_batch and its train are checked and timed
against them.
"""

from dataclasses import dataclass, replace

import torch

from ..batch import get_batch
from ..model import BigramLanguageModel
from ..train import History, train


@dataclass(frozen=True)
class Recipe:
    """Every choice that shapes a run's numbers: hyperparameters, and how its random draws are taken."""

    name: str
    source: str  # where the recipe comes from
    steps: int
    batch_size: int  # B of the training batches
    block_size: int  # T
    lr: float  # AdamW learning rate
    eval_interval: int | None  # evaluate every this many steps; 0: never; None: every steps // 100
    eval_iters: int  # batches per split in each evaluation
    seed: int
    first_sample_length: (
        int  # characters generated before training: their draws come before the first batch
    )
    sample_length: int  # characters generated after training
    bound: str  # get_batch's bound: "notes" (len(data) - block_size - 1) or "lecture" (len(data) - block_size)
    eval_stream: str  # "own": evaluation has its own generator; "training": it draws from the training stream
    eval_at_end: bool  # one more evaluation after the last step
    printout: str  # what the run prints: "notes" (the notes' MAIN section) or "bigram.py" (its loss table)

    def train_kwargs(self):
        """The keyword arguments of bigram_lib.train that this recipe fixes."""
        return {
            "steps": self.steps,
            "batch_size": self.batch_size,
            "block_size": self.block_size,
            "lr": self.lr,
            "eval_interval": self.eval_interval,
            "eval_iters": self.eval_iters,
            "eval_stream": self.eval_stream,
            "eval_at_end": self.eval_at_end,
            "bound": self.bound,
        }


NOTES = Recipe(
    "notes",
    "the notes' MAIN section",
    steps=100_000,
    batch_size=32,
    block_size=8,
    lr=1e-3,
    eval_interval=None,
    eval_iters=200,
    seed=1337,
    first_sample_length=100,
    sample_length=100,
    bound="notes",
    eval_stream="own",
    eval_at_end=True,
    printout="notes",
)
VIDEO = Recipe(
    "video",
    "the video's notebook gpt-dev.ipynb, its cell `for steps in range(100)`",
    steps=100,
    batch_size=32,
    block_size=8,
    lr=1e-3,
    eval_interval=0,
    eval_iters=200,
    seed=1337,
    first_sample_length=100,
    sample_length=500,
    bound="lecture",
    eval_stream="own",
    eval_at_end=False,
    printout="notes",
)
LECTURE = Recipe(
    "lecture",
    "the lecture's bigram.py",
    steps=3000,
    batch_size=32,
    block_size=8,
    lr=1e-2,
    eval_interval=300,
    eval_iters=200,
    seed=1337,
    first_sample_length=0,
    sample_length=500,
    bound="lecture",
    eval_stream="training",
    eval_at_end=False,
    printout="bigram.py",
)

RECIPES = {r.name: r for r in (NOTES, VIDEO, LECTURE)}


def get_recipe(name, **changes):
    """The recipe called `name`, with any fields changed; a clear error for any other name."""
    if name not in RECIPES:
        raise ValueError(f"recipe must be one of {list(RECIPES)}, got {name!r}")
    return replace(RECIPES[name], **changes)


@dataclass
class Run:
    """What a recipe's run printed, and the model it left."""

    recipe: Recipe
    corpus: object
    # (4, 8) first batch, drawn right after seeding; None for bigram.py, which draws none
    xb: torch.Tensor | None
    yb: torch.Tensor | None  # (4, 8)
    logits: torch.Tensor | None  # (32, 65): the untrained model's logits on (xb, yb)
    # the untrained model's loss on (xb, yb), as printed: tensor(..., grad_fn=...)
    loss: torch.Tensor | None
    first_sample: str  # generated before training ('' for bigram.py)
    model: BigramLanguageModel
    history: History | None = None  # after finish_run
    sample: str = ""  # generated after training


def start_run(corpus, recipe):
    """Seed, draw a first batch, seed again (not bigram.py); build the model; sample it."""
    torch.manual_seed(recipe.seed)
    xb = yb = logits = loss = None
    # the notes and the video's notebook draw a first batch (B=4, T=8), then seed again
    if recipe.printout == "notes":
        xb, yb = get_batch(corpus.train_data, 4, 8, bound=recipe.bound)  # (4, 8), (4, 8)
        torch.manual_seed(recipe.seed)
    model = BigramLanguageModel(corpus.vocab_size)
    if xb is not None:
        logits, loss = model(xb, yb)  # (32, 65), ()
    first = _sample(corpus, model, recipe.first_sample_length) if recipe.first_sample_length else ""
    return Run(recipe, corpus, xb, yb, logits, loss, first, model)


def finish_run(run, progress=False):
    """Train the run's model by its recipe, then sample it; returns the run."""
    run.history = train(
        run.model,
        run.corpus.train_data,
        run.corpus.val_data,
        progress=progress,
        **run.recipe.train_kwargs(),
    )
    run.sample = _sample(run.corpus, run.model, run.recipe.sample_length)
    return run


def run_recipe(corpus, recipe, progress=False):
    """A recipe's whole run, from the seed to the last sample, in its order of random draws."""
    return finish_run(start_run(corpus, recipe), progress)


def _sample(corpus, model, length):
    """`length` characters from the model, starting from id 0 ('\\n'), as the sources print them."""
    start = torch.zeros((1, 1), dtype=torch.long)  # (1, 1): id 0, the sources' first character
    return corpus.decode(model.generate(start, max_new_tokens=length)[0].tolist())


def loss_table(history):
    """bigram.py's lines: 'step 300: train loss 2.8110, val loss 2.8249', one per evaluation."""
    return [
        f"step {step}: train loss {train_loss:.4f}, val loss {val_loss:.4f}"
        for step, train_loss, val_loss in zip(
            history.steps, history.train_loss, history.val_loss, strict=False
        )
    ]


def notes_get_batch(data, batch_size, block_size):
    """The notes' get_batch, as written: a Python loop over the batch and torch.stack."""
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i : i + block_size] for i in ix])
    y = torch.stack([data[i + 1 : i + block_size + 1] for i in ix])
    return x, y


def notes_training_loop(model, data, steps, batch_size=32, block_size=8, lr=1e-3):
    """The notes' training loop, as written (with their get_batch); returns every step's loss."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    losses = []
    for _ in range(steps):
        xb, yb = notes_get_batch(data, batch_size, block_size)
        logits, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def notes_model(vocab_size, seed=1337):
    """The notes' untrained model: BigramLanguageModel built right after torch.manual_seed(seed).

    The caller's global random state is left as it was, so an explorer or a check never shifts a learner's draws.
    """
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return BigramLanguageModel(vocab_size)


def notes_batch(corpus, batch_size=4, block_size=8, seed=1337):
    """The notes' first batch (xb, yb): get_batch right after torch.manual_seed(seed), global state untouched."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return get_batch(corpus.train_data, batch_size, block_size)  # (B, T), (B, T)
