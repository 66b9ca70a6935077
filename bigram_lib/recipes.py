"""The recipes: the notes' run, the video notebook's first training cell and the lecture's bigram.py, as data."""

from dataclasses import dataclass


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
    first_sample_length: int  # characters generated before training: their draws come before the first batch
    sample_length: int  # characters generated after training
    bound: str  # get_batch's bound: "notes" (len(data) - block_size - 1) or "lecture" (len(data) - block_size)
    eval_stream: str  # "own": evaluation has its own generator; "training": it draws from the training stream
    eval_at_end: bool  # one more evaluation after the last step
    printout: str  # what the command line prints: "notes" (the notes' MAIN section) or "bigram.py" (its loss table)

    def train_kwargs(self):
        """The keyword arguments of bigram_lib.train that this recipe fixes."""
        return {"steps": self.steps, "batch_size": self.batch_size, "block_size": self.block_size, "lr": self.lr,
                "eval_interval": self.eval_interval, "eval_iters": self.eval_iters, "eval_stream": self.eval_stream,
                "eval_at_end": self.eval_at_end, "bound": self.bound}


NOTES = Recipe("notes", "the notes' MAIN section", steps=100_000, batch_size=32, block_size=8, lr=1e-3,
               eval_interval=None, eval_iters=200, seed=1337, first_sample_length=100, sample_length=100,
               bound="notes", eval_stream="own", eval_at_end=True, printout="notes")
VIDEO = Recipe("video", "the video's notebook gpt-dev.ipynb, its cell `for steps in range(100)`", steps=100,
               batch_size=32, block_size=8, lr=1e-3, eval_interval=0, eval_iters=200, seed=1337,
               first_sample_length=100, sample_length=500, bound="lecture", eval_stream="own", eval_at_end=False,
               printout="notes")
LECTURE = Recipe("lecture", "the lecture's bigram.py", steps=3000, batch_size=32, block_size=8, lr=1e-2,
                 eval_interval=300, eval_iters=200, seed=1337, first_sample_length=0, sample_length=500,
                 bound="lecture", eval_stream="training", eval_at_end=False, printout="bigram.py")

RECIPES = {r.name: r for r in (NOTES, VIDEO, LECTURE)}


def get_recipe(name):
    """The recipe called `name`; a clear error for any other name."""
    if name not in RECIPES:
        raise ValueError(f"recipe must be one of {list(RECIPES)}, got {name!r}")
    return RECIPES[name]
