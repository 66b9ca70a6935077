"""Time a slider move of every explorer, from setting the control's value to the new view and PNG."""

# Usage: BIGRAM_DATA=/path/to/tinyshakespeare.txt python bench/bench_explorers.py [--moves N]
# Each move sets one control of the explorer widget to a new value, exactly as a dragged slider does;
# the widget then recomputes its pure result, its readout and (when it has one) the PNG of its figure.
# The table gives the median and 90th percentile over the moves and the p90's ratio to the 100 ms
# budget, next to three references measured in the same run: one bare F.softmax call, one empty
# ipywidgets callback, and one full redraw of a static explorer figure to PNG (what a redraw
# without reusing the figure would cost on this machine).

import argparse
import io
import itertools
import statistics
import time

import ipywidgets as widgets
import torch
from torch.nn import functional as F

from bigram_lib import load_corpus
from bigram_lib.explorers import (
    LIVE_DPI,
    batch_explorer,
    optimizer_explorer,
    sampling_explorer,
    shape_explorer,
    softmax_explorer,
    softmax_figure,
)
from bigram_lib.model import BigramLanguageModel

BUDGET_MS = 100.0


def time_ms(fn, repeats):
    """Wall-clock milliseconds of each of `repeats` calls of fn()."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return times


def p90(times):
    """90th percentile."""
    return statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]


def shown(explorer):
    """What the explorer shows: its readout and, when it has one, its figure's PNG."""
    return explorer.readout.value, explorer.image.value if explorer.image is not None else None


def slider_moves(explorer, name, values, repeats, check=True):
    """Milliseconds of `repeats` moves of one control through `values` (cycled), each checked to redraw.

    check=False times moves that leave the view as it was too (a tiny logit change can round to the
    same readout and pixels); an error in the update still raises.
    """
    control = explorer.controls[name]
    cycle = itertools.cycle(values)
    times = []
    for _ in range(repeats):
        value = next(cycle)
        if value == control.value:
            value = next(cycle)
        before = shown(explorer)
        start = time.perf_counter()
        control.value = value  # the observer recomputes the view, its readout and its PNG
        times.append((time.perf_counter() - start) * 1e3)
        if explorer.error is not None or (check and shown(explorer) == before):
            raise RuntimeError(
                f"the {explorer.kind} explorer did not redraw for {name}={value!r}: {explorer.error}"
            )
    return times


def references(repeats):
    """Reference timings on this machine: a bare softmax, an empty widget callback, a full figure redraw."""
    x = torch.randn(65)
    F.softmax(x, dim=-1)
    softmax = time_ms(lambda: F.softmax(x, dim=-1), repeats)
    slider = widgets.IntSlider(value=0, min=0, max=1)
    slider.observe(lambda change: None, names="value")
    moves = itertools.cycle((1, 0))
    empty = time_ms(lambda: setattr(slider, "value", next(moves)), repeats)
    fig = softmax_figure()
    fig.set_dpi(LIVE_DPI)
    # what redrawing everything would cost
    full = time_ms(lambda: fig.savefig(io.BytesIO(), format="png"), 20)
    return {
        "F.softmax(65) [reference]": softmax,
        "empty widget callback [reference]": empty,
        "full redraw of softmax_figure [reference]": full,
    }


def main():
    """Build every explorer at default sizes, move its sliders, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=40, help="slider moves per explorer")
    args = parser.parse_args()
    corpus = load_corpus(progress=False)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1337)
        model = BigramLanguageModel(corpus.vocab_size)  # untrained: the same cost as a trained one
    C = corpus.vocab_size
    lr_positions = [10 ** (e / 4) for e in range(-20, 9)]  # every position of the log-scale slider
    cases = [
        (
            "softmax: temperature",
            softmax_explorer,
            (),
            "temperature",
            [0.25 + 0.05 * k for k in range(40)],
        ),
        (
            "softmax: logit 'cat'",
            softmax_explorer,
            (),
            "logit0",
            [round(-3 + 0.1 * k, 1) for k in range(60)],
        ),
        ("shape: T (block_size)", shape_explorer, (corpus,), "block_size", list(range(1, 33))),
        ("shape: B (batch_size)", shape_explorer, (corpus,), "batch_size", list(range(1, 33))),
        ("batch: seed", batch_explorer, (corpus,), "seed", list(range(1337, 1437, 3))),
        ("batch: T (block_size)", batch_explorer, (corpus,), "block_size", list(range(1, 17))),
        (
            "sampling: temperature",
            sampling_explorer,
            (corpus, model),
            "temperature",
            [round(0.05 * k, 2) for k in range(1, 41)],
        ),
        ("sampling: top-k", sampling_explorer, (corpus, model), "top_k", list(range(1, C + 1))),
        ("sampling: seed", sampling_explorer, (corpus, model), "seed", list(range(1337, 1437, 5))),
        # each run is new
        ("optimizer: lr (first visit)", optimizer_explorer, (corpus,), "lr", lr_positions),
        # the same runs again
        ("optimizer: lr (memoized)", optimizer_explorer, (corpus,), "lr", lr_positions),
        (
            "optimizer: optimizer",
            optimizer_explorer,
            (corpus,),
            "optimizer",
            ["SGD", "SGD+momentum", "Adam", "AdamW"],
        ),
    ]
    new_runs = len(lr_positions) - 1  # every slider position but the default, once
    rows = list(references(max(args.moves, 200)).items())
    for label, make, make_args, control, values in cases:
        explorer = make(*make_args)
        moves = new_runs if "first visit" in label else args.moves
        rows.append((label, slider_moves(explorer, control, values, moves)))
    width = max(len(label) for label, _ in rows)
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.moves} moves per explorer"
    )
    print(
        f"{'explorer: control':<{width}}  {'median ms':>10}  {'p90 ms':>10}  {'p90 / 100 ms':>12}"
    )
    for label, times in rows:
        med, high = statistics.median(times), p90(times)
        print(f"{label:<{width}}  {med:>10.3f}  {high:>10.3f}  {high / BUDGET_MS:>12.2f}")


if __name__ == "__main__":
    main()
