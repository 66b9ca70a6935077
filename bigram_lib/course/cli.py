"""The notes' MAIN section end to end, from the command line."""

import argparse
import sys

from ..corpus import load_corpus
from ..counts import model_loss, optimal_loss
from ..train import TrainingDiverged
from . import checks
from .data import CorpusError
from .interrupt import TrainingInterrupted
from .recipes import RECIPES, finish_run, get_recipe, loss_table, run_recipe, start_run

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


def option(convert, rule):
    """An argparse type: the text converted (int or float), then checked by the same rule as in Python."""

    def parse(text):
        value = convert(text)  # a ValueError here makes argparse say "invalid int value: 'x'"
        try:
            return rule("the value", value, {})
        except (TypeError, ValueError) as err:
            raise argparse.ArgumentTypeError(
                str(err).replace("the value must be", "must be")
            ) from None

    parse.__name__ = convert.__name__
    return parse


def seed(name, value, args):
    """Rule: a seed torch.manual_seed accepts, 0 to 2**64 - 1."""
    if not 0 <= value < 2**64:
        raise ValueError(f"{name} must be an integer from 0 to {2**64 - 1}, got {value}")
    return value


def build_parser():
    """The command line's options."""
    p = argparse.ArgumentParser(
        prog="bigram",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--recipe",
        choices=list(RECIPES),
        default="notes",
        help="whose run: the notes' (default), the video notebook's 100 steps, or the lecture's bigram.py",
    )
    p.add_argument(
        "--steps",
        type=option(int, checks.count(0)),
        help="training steps (default: 100000, as in the notes; the recipe's)",
    )
    p.add_argument(
        "--seed",
        type=option(int, seed),
        help="random seed (default: 1337, as in the notes and the lecture)",
    )
    p.add_argument(
        "--sample-length",
        type=option(int, checks.count(0)),
        metavar="N",
        help="characters to generate before and after training (default: 100; the recipe's)",
    )
    p.add_argument(
        "--batch-size", type=option(int, checks.count()), help="training batch size (default: 32)"
    )
    p.add_argument(
        "--lr",
        type=option(float, checks.positive_number),
        help="AdamW learning rate (default: 1e-3; 1e-2 with --recipe lecture)",
    )
    p.add_argument(
        "--data",
        metavar="PATH",
        help="a text file to train on: a copy of the corpus or any UTF-8 text of "
        "your own (default: $BIGRAM_DATA, the cache, or a download)",
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    return p


def chosen_recipe(args):
    """The recipe named by --recipe, with the options given on the command line put in."""
    changes = {
        name: value
        for name, value in (
            ("steps", args.steps),
            ("seed", args.seed),
            ("batch_size", args.batch_size),
            ("lr", args.lr),
        )
        if value is not None
    }
    if args.sample_length is not None:
        changes["sample_length"] = args.sample_length
        if get_recipe(args.recipe).first_sample_length:
            changes["first_sample_length"] = args.sample_length
    return get_recipe(args.recipe, **changes)


def main(argv=None):
    """Entry point of `python -m bigram_lib` and the `bigram` command; Ctrl-C exits with status 130."""
    args = build_parser().parse_args(argv)
    recipe = chosen_recipe(args)
    try:
        corpus = load_corpus(args.data, progress=not args.no_progress)
        return run(corpus, recipe, progress=not args.no_progress)
    except CorpusError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except TrainingDiverged as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except TrainingInterrupted as stop:
        print(
            f"\ninterrupted (Ctrl-C) after {stop.history.steps_done:,} of {recipe.steps:,} steps; nothing was "
            "kept (the command line keeps no model)",
            file=sys.stderr,
        )
        return 130
    except KeyboardInterrupt:
        print("\ninterrupted (Ctrl-C)", file=sys.stderr)
        return 130


def run(corpus, recipe, progress):
    """The recipe's run, printed as its source prints it; returns the exit status."""
    # bigram.py prints a train and val loss every eval_interval steps, then a sample
    if recipe.printout == "bigram.py":
        run = run_recipe(corpus, recipe, progress=progress)
        print("\n".join(loss_table(run.history)))
        print(run.sample)
        return 0
    # the notes' MAIN section: first batch, untrained loss and sample, training, trained sample, final loss
    C = corpus.vocab_size
    print(
        f"corpus: {len(corpus.text):,} characters, vocab_size C = {C}, "
        f"train {len(corpus.train_data):,} / val {len(corpus.val_data):,} tokens"
    )
    run = start_run(corpus, recipe)
    print("\nxb, the first batch (B=4, T=8):")
    print(run.xb)
    print(f"\nlogits.shape: {run.logits.shape}  (B*T, C)")
    print("loss:", run.loss)
    print("\nuntrained sample:")
    print(run.first_sample)
    print(
        f"\ntraining {recipe.steps:,} steps (AdamW, lr {recipe.lr:g}, batch {recipe.batch_size}, block 8)"
    )
    finish_run(run, progress=progress)
    print("\ntrained sample:")
    print(run.sample)
    train_floor = optimal_loss(corpus.train_data, C)
    val_floor = optimal_loss(corpus.train_data, C, corpus.val_data)
    print("\nexact loss over each whole split, beside references from counts:")
    train_loss, val_loss = (
        model_loss(run.model, corpus.train_data),
        model_loss(run.model, corpus.val_data),
    )
    print(f"  train {train_loss:.4f}   floor {train_floor:.4f} (no bigram model goes below it)")
    print(f"  val   {val_loss:.4f}   baseline {val_floor:.4f} (add-one smoothed train counts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
