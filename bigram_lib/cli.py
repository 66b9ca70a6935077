"""The notes' MAIN section end to end, from the command line."""

import argparse
import math
import sys
from dataclasses import replace

import torch

from .batch import get_batch
from .corpus import load_corpus
from .counts import model_loss, optimal_loss
from .data import CorpusError
from .lecture import loss_table, run_recipe
from .model import BigramLanguageModel
from .recipes import RECIPES, get_recipe
from .train import train

DESCRIPTION = """\
Run the bigram language model of the notes from start to finish: load tiny
shakespeare, draw the notes' first batch (B=4, T=8), build the model, print
its untrained loss and sample, train it (AdamW, lr 1e-3, batch 32) and print
the trained sample and the final loss beside the floor from counts.
With --recipe lecture it runs the lecture's bigram.py instead and prints what
bigram.py prints: a train and val loss every 300 steps, then 500 characters.
"""

EPILOG = """\
The corpus is downloaded on first use and cached. Offline, point at a copy:
  BIGRAM_DATA=/path/to/tinyshakespeare.txt python -m bigram_lib
Examples:
  python -m bigram_lib                      the notes' 100,000 steps
  python -m bigram_lib --steps 2000 --sample-length 300
  python -m bigram_lib --recipe lecture     bigram.py's 3,000 steps at lr 1e-2
  python -m bigram_lib --recipe video       the video notebook's first 100 steps
  python -m bigram_lib --data my.txt        your own text (any UTF-8 file)
Ctrl-C stops the run (exit status 130).
"""


def positive_int(text):
    """argparse type: an integer > 0."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {value}")
    return value


def non_negative_int(text):
    """argparse type: an integer >= 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def positive_float(text):
    """argparse type: a finite number > 0."""
    value = float(text)
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def seed_int(text):
    """argparse type: a seed torch.manual_seed accepts, 0 to 2**64 - 1."""
    value = int(text)
    if not 0 <= value < 2**64:
        raise argparse.ArgumentTypeError(f"must be an integer from 0 to {2**64 - 1}, got {text}")
    return value


def build_parser():
    """The command line's options."""
    p = argparse.ArgumentParser(prog="bigram", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipe", choices=list(RECIPES), default="notes",
                   help="whose run: the notes' (default), the video notebook's 100 steps, or the lecture's bigram.py")
    p.add_argument("--steps", type=non_negative_int, help="training steps (default: 100000, as in the notes; the recipe's)")
    p.add_argument("--seed", type=seed_int, help="random seed (default: 1337, as in the notes and the lecture)")
    p.add_argument("--sample-length", type=non_negative_int, metavar="N",
                   help="characters to generate before and after training (default: 100; the recipe's)")
    p.add_argument("--batch-size", type=positive_int, help="training batch size (default: 32)")
    p.add_argument("--lr", type=positive_float, help="AdamW learning rate (default: 1e-3; 1e-2 with --recipe lecture)")
    p.add_argument("--data", metavar="PATH", help="a text file to train on: a copy of the corpus or any UTF-8 text of "
                                                  "your own (default: $BIGRAM_DATA, the cache, or a download)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    return p


def chosen_recipe(args):
    """The recipe named by --recipe, with the options given on the command line put in."""
    recipe = get_recipe(args.recipe)
    changes = {name: value for name, value in (("steps", args.steps), ("seed", args.seed), ("batch_size", args.batch_size),
                                                ("lr", args.lr)) if value is not None}
    if args.sample_length is not None:
        changes["sample_length"] = args.sample_length
        changes["first_sample_length"] = args.sample_length if recipe.first_sample_length else 0
    return replace(recipe, **changes)


def main(argv=None):
    """Entry point of `python -m bigram_lib` and the `bigram` command; Ctrl-C exits with status 130."""
    args = build_parser().parse_args(argv)
    recipe = chosen_recipe(args)
    try:
        return run(args, recipe)
    except KeyboardInterrupt:
        print("\ninterrupted (Ctrl-C)", file=sys.stderr)
        return 130


def run(args, recipe):
    """The recipe's run for parsed arguments; returns the exit status."""
    try:
        corpus = load_corpus(args.data, progress=not args.no_progress)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if recipe.printout == "bigram.py":
        return run_bigram_py(corpus, recipe, progress=not args.no_progress)
    return run_main_section(corpus, recipe, progress=not args.no_progress)


def run_bigram_py(corpus, recipe, progress):
    """bigram.py's run: print a train and val loss every eval_interval steps, then a sample, as it prints them."""
    run = run_recipe(corpus, recipe, progress=progress)
    print("\n".join(loss_table(run.history)))
    print(run.sample)
    return 0


def run_main_section(corpus, recipe, progress):
    """The notes' MAIN section: first batch, untrained loss and sample, training, trained sample, final loss."""
    C = corpus.vocab_size
    print(f"corpus: {len(corpus.text):,} characters, vocab_size C = {C}, "
          f"train {len(corpus.train_data):,} / val {len(corpus.val_data):,} tokens")

    torch.manual_seed(recipe.seed)
    xb, yb = get_batch(corpus.train_data, 4, 8, bound=recipe.bound)  # (B, T) = (4, 8)
    print("\nxb, the first batch (B=4, T=8):")
    print(xb)
    torch.manual_seed(recipe.seed)
    m = BigramLanguageModel(C)
    logits, loss = m(xb, yb)
    print(f"\nlogits.shape: {logits.shape}  (B*T, C)")
    print("loss:", loss)
    start = torch.zeros((1, 1), dtype=torch.long)  # (1, 1): one row, starting from id 0 = '\n'
    print("\nuntrained sample:")
    print(corpus.decode(m.generate(start, max_new_tokens=recipe.first_sample_length)[0].tolist()))

    print(f"\ntraining {recipe.steps:,} steps (AdamW, lr {recipe.lr:g}, batch {recipe.batch_size}, block 8)")
    history = train(m, corpus.train_data, corpus.val_data, progress=progress, **recipe.train_kwargs())
    if history.interrupted:
        print(f"\ninterrupted (Ctrl-C) after {history.steps_done:,} of {recipe.steps:,} steps", file=sys.stderr)
        return 130
    print("\ntrained sample:")
    print(corpus.decode(m.generate(start, max_new_tokens=recipe.sample_length)[0].tolist()))

    train_floor = optimal_loss(corpus.train_data, C)
    val_floor = optimal_loss(corpus.train_data, C, corpus.val_data)
    print("\nexact loss over each whole split, beside references from counts:")
    print(f"  train {model_loss(m, corpus.train_data):.4f}   floor {train_floor:.4f} (no bigram model goes below it)")
    print(f"  val   {model_loss(m, corpus.val_data):.4f}   baseline {val_floor:.4f} (add-one smoothed train counts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
