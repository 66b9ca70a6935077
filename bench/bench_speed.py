"""Speed of bigram_lib against the notes' reference code, measured side by side in one run.

Prints ratios: per training step (the notes' loop and get_batch with torch.stack, against the
library's train and vectorized get_batch), the time of generating 1,000 / 10,000 / 100,000 tokens
with the model's own generate (linear in the length, because each step reads the last token), and
the notes' whole 100,000-step run as a learner's first notebook waits for it (trained_model,
evaluation included), alone and beside a busy neighbour process, against the notes' loop on torch's
default threads. Losses are checked identical for the same seed.

Usage: python bench/bench_speed.py [--quick] [--steps N] [--reference-budget S] [--lib-repeats N]
  --quick: small sizes for the per-step and generation tables, a smoke run
  --steps: steps of the notes' run (default 100000; e.g. --steps 5000 to try it quickly)
  --reference-budget: seconds after which a reference notes' run stops and is extrapolated (default 300)
  --lib-repeats: bigram_lib's notes' run alone and beside the neighbour, alternated, this many times (default 3)
"""

import argparse
import os
import statistics
import tempfile
import time

import torch
from machine import busy_neighbour, describe_machine, load_average

from bigram_lib import BigramLanguageModel, get_batch, load_corpus, train, trained_model
from bigram_lib.course.recipes import notes_get_batch as get_batch_reference
from bigram_lib.course.recipes import notes_training_loop as train_reference

# the library's notes' run may be at most this much slower beside a busy neighbour
NEIGHBOUR_TARGET = 1.3


def timed(fn):
    """(seconds, result) of one call."""
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def bench_training(data, steps, repeats):
    """Median seconds per step of both loops, alternated, and whether every loss matched."""
    ref_times, lib_times, identical = [], [], True
    for r in range(repeats):
        torch.manual_seed(1337 + r)
        t_ref, ref = timed(lambda: train_reference(BigramLanguageModel(65), data, steps))
        torch.manual_seed(1337 + r)
        model = BigramLanguageModel(65)
        t_lib, hist = timed(
            lambda model=model: train(model, data, steps=steps, eval_interval=0, progress=False)
        )
        identical &= hist.step_losses == ref
        ref_times.append(t_ref / steps)
        lib_times.append(t_lib / steps)
    return statistics.median(ref_times), statistics.median(lib_times), identical


def bench_get_batch(data, calls, repeats):
    """Median seconds per call of both get_batch versions, and whether every batch matched."""
    ref_times, lib_times, identical = [], [], True
    for r in range(repeats):
        torch.manual_seed(1337 + r)
        t_ref, ref = timed(lambda: [get_batch_reference(data, 32, 8) for _ in range(calls)])
        torch.manual_seed(1337 + r)
        t_lib, lib = timed(lambda: [get_batch(data, 32, 8) for _ in range(calls)])
        identical &= all(
            torch.equal(a, b)
            for pr, pl in zip(ref, lib, strict=True)
            for a, b in zip(pr, pl, strict=True)
        )
        ref_times.append(t_ref / calls)
        lib_times.append(t_lib / calls)
    return statistics.median(ref_times), statistics.median(lib_times), identical


def bench_generation(n):
    """Seconds for n tokens of the model's own generate (the notes' loop on the last token of each row)."""
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    start = torch.zeros((1, 1), dtype=torch.long)
    return timed(lambda: m.generate(start, n))[0]


@torch.no_grad()
def estimate_loss_reference(model, splits, eval_iters):
    """The notes' estimate_loss: mean loss of eval_iters batches per split, in eval mode."""
    out = {}
    model.eval()
    for name, data in splits.items():
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch_reference(data, 32, 8)
            _, loss = model(X, Y)
            losses[k] = loss.item()
        out[name] = losses.mean()
    model.train()
    return out


def notes_run_reference(corpus, steps, eval_interval, eval_iters=200, seed=1337, budget_s=None):
    """The notes' loop with its estimate_loss every eval_interval steps, as a learner's copy runs it.

    Torch's default threads, the notes' get_batch and AdamW step (train_reference's loop). The notes'
    estimate_loss draws from the global generator; here it runs inside fork_rng, so the training
    batches match trained_model's, whose evaluation has its own generator: same work, same losses.
    With budget_s, the loop stops at the first estimate after budget_s seconds (a loaded machine can
    make two spinning threads very slow); the caller extrapolates from the steps done.
    """
    start = time.perf_counter()
    torch.manual_seed(seed)
    model = BigramLanguageModel(corpus.vocab_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    splits = {"train": corpus.train_data, "val": corpus.val_data}
    losses = []
    for step in range(steps):
        if step % eval_interval == 0:
            if budget_s is not None and step and time.perf_counter() - start > budget_s:
                return losses  # stopped early: whole eval intervals only, so the mix of work is the same
            with torch.random.fork_rng(devices=[]):
                estimate_loss_reference(model, splits, eval_iters)
        xb, yb = get_batch_reference(corpus.train_data, 32, 8)
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.random.fork_rng(devices=[]):
        # the final estimate, as trained_model's train makes
        estimate_loss_reference(model, splits, eval_iters)
    return losses


def notes_run_library(corpus, steps):
    """trained_model on an empty cache (a temporary one): the learner's first notebook; its step losses."""
    saved = os.environ.get("BIGRAM_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        os.environ["BIGRAM_CACHE_DIR"] = tmp
        try:
            _, history = trained_model(corpus, steps=steps, progress=False)
        finally:
            if saved is None:
                os.environ.pop("BIGRAM_CACHE_DIR", None)
            else:
                os.environ["BIGRAM_CACHE_DIR"] = saved
    assert history.steps_done == steps and not history.interrupted
    return history.step_losses


def bench_notes_run(corpus, steps, budget_s, lib_repeats):
    """Seconds (for all steps) and losses of both runs, alone and beside a busy neighbour.

    The reference runs once each way (it is long); the library alternates alone / beside the neighbour
    lib_repeats times and keeps the median of each, so a drift in the machine's other load does not
    land on one side only. A reference run cut short by budget_s is extrapolated (seconds x steps / done).
    """
    eval_interval = max(1, steps // 100)  # train's default, the one trained_model uses
    runs = {
        "reference": lambda: notes_run_reference(corpus, steps, eval_interval, budget_s=budget_s),
        "bigram_lib": lambda: notes_run_library(corpus, steps),
    }
    order = [("reference", False), ("reference", True)] + [
        ("bigram_lib", b) for _ in range(lib_repeats) for b in (False, True)
    ]
    measured, shares = {}, []
    for name, busy in order:
        load = load_average()
        if busy:
            with busy_neighbour() as info:
                seconds, losses = timed(runs[name])
            shares.append(info["cpu_share"])
        else:
            seconds, losses = timed(runs[name])
        done = len(losses)
        if done < steps:
            seconds *= steps / done
        measured.setdefault((name, busy), []).append((seconds, losses, load))
        note = "" if done == steps else f", extrapolated from {done:,} steps"
        print(
            f"  {name}, {'beside a busy neighbour' if busy else 'alone'}: {seconds:.1f} s{note} "
            f"(load before {load})",
            flush=True,
        )
    results = {}
    for key, runs_done in measured.items():
        seconds = statistics.median(r[0] for r in runs_done)
        same = all(r[1] == runs_done[0][1] for r in runs_done)  # every repeat gave the same losses
        results[key] = (
            seconds,
            runs_done[0][1] if same else [],
            "; ".join(r[2] for r in runs_done),
            [r[0] for r in runs_done],
        )
    return results, shares, eval_interval


def print_notes_run(results, shares, steps, eval_interval):
    """The notes' run table: alone, beside a neighbour, the slowdown, and the loss check."""
    threads = torch.get_num_threads()
    ref_losses = results["reference", False][1]

    def same(a, b):
        """Bit-identical over the steps both made (a reference cut short by its budget made fewer)."""
        n = min(len(a), len(b))
        return n > 0 and a[:n] == b[:n]

    print(
        f"| notes' run: {steps:,} steps, estimate every {eval_interval:,} (200 batches per split) | alone | "
        f"beside a busy neighbour | slowdown from the neighbour | losses identical to the reference's |"
    )
    print("|---|---|---|---|---|")
    labels = {
        "reference": f"reference: the notes' loop, torch's default {threads} threads",
        "bigram_lib": "bigram_lib: trained_model on an empty cache (1 thread)",
    }
    slowdowns = {}
    for name, label in labels.items():
        (alone, l_alone, _, t_alone), (busy, l_busy, _, t_busy) = (
            results[name, False],
            results[name, True],
        )
        slowdowns[name] = busy / alone
        if name == "reference":
            checked = (
                f"(the reference; its own runs agree: {'yes' if same(l_alone, l_busy) else 'NO'})"
            )
        else:
            checked = (
                f"{'yes' if same(l_alone, ref_losses) else 'NO'} alone, "
                f"{'yes' if same(l_busy, results['reference', True][1]) else 'NO'} beside it"
            )
        cut = {b: len(results[name, b][1]) < steps for b in (False, True)}
        marks = {b: " (extrapolated)" if cut[b] else "" for b in (False, True)}
        if len(t_alone) > 1:
            marks = {
                b: marks[b]
                + f" (median of {', '.join(f'{t:.1f}' for t in (t_busy if b else t_alone))})"
                for b in (False, True)
            }
        print(
            f"| {label} | {alone:.1f} s{marks[False]} | {busy:.1f} s{marks[True]} | {busy / alone:.2f}x | {checked} |"
        )
    lib = slowdowns["bigram_lib"]
    ref_alone, lib_alone = results["reference", False][0], results["bigram_lib", False][0]
    ref_busy, lib_busy = results["reference", True][0], results["bigram_lib", True][0]
    print()
    print(
        f"bigram_lib against the reference: {ref_alone / lib_alone:.2f}x faster alone, "
        f"{ref_busy / lib_busy:.2f}x faster beside the neighbour."
    )
    share = ", ".join(f"{s:.0%}" for s in shares if s is not None) or "n/a"
    print(
        f"The neighbour (a second Python process spinning on one core) used {share} of a core during its runs."
    )
    print(
        "Load average before each run: "
        + "; ".join(
            f"{name} {'busy' if busy else 'alone'} {load}"
            for (name, busy), (_, _, load, _) in results.items()
        )
    )
    identical = all(
        same(results["bigram_lib", b][1], results["reference", b][1]) for b in (False, True)
    )
    compared = min(len(results["reference", b][1]) for b in (False, True))
    if compared < steps:
        print(
            f"The reference was cut short by its time budget; losses were compared over the first "
            f"{compared:,} steps, the seconds extrapolated to {steps:,}."
        )
    verdict = "met" if lib <= NEIGHBOUR_TARGET and identical else "NOT met"
    print(
        f"Target (bigram_lib at most {NEIGHBOUR_TARGET}x slower beside the neighbour, losses bit-identical): "
        f"{verdict} ({lib:.2f}x)."
    )


def main():
    """Run both benchmarks and print the table."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick", action="store_true", help="small sizes: a smoke run, not a measurement"
    )
    ap.add_argument(
        "--steps", type=int, default=100_000, help="steps of the notes' run (default 100000)"
    )
    ap.add_argument(
        "--reference-budget",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="stop each reference notes' run after about this long and extrapolate (default 300)",
    )
    ap.add_argument(
        "--lib-repeats",
        type=int,
        default=3,
        help="bigram_lib runs each way, medians kept (default 3)",
    )
    args = ap.parse_args()
    if args.steps < 1 or args.lib_repeats < 1:
        ap.error("--steps and --lib-repeats must be at least 1")
    steps, repeats = (200, 1) if args.quick else (3000, 5)
    sizes = (100, 1000) if args.quick else (1_000, 10_000, 100_000)

    corpus = load_corpus(progress=False)
    print("\n".join(describe_machine()))
    print()
    ref, lib, same = bench_training(corpus.train_data, steps, repeats)
    print(
        "| training step (B=32, T=8, AdamW) | reference | bigram_lib | speed-up | losses identical |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| per step, median of {repeats} x {steps} steps | {ref * 1e6:.0f} us | {lib * 1e6:.0f} us | "
        f"{ref / lib:.2f}x | {'yes' if same else 'NO'} |"
    )
    g_ref, g_lib, g_same = bench_get_batch(corpus.train_data, steps, repeats)
    print(
        f"| of which get_batch alone | {g_ref * 1e6:.0f} us | {g_lib * 1e6:.0f} us | "
        f"{g_ref / g_lib:.1f}x | {'yes' if g_same else 'NO'} (batches) |"
    )
    print(
        f"| the rest: whole step minus get_batch alone | {(ref - g_ref) * 1e6:.0f} us | "
        f"{(lib - g_lib) * 1e6:.0f} us | {(ref - g_ref) / (lib - g_lib):.2f}x | same model and optimizer code |"
    )
    print()
    print(
        "| generate (the notes' loop, cropped to the last token) | seconds | time / smallest size's |"
    )
    print("|---|---|---|")
    first = None
    for n in sizes:
        t_lib = bench_generation(n)
        first = first or t_lib
        print(
            f"| {n:,} tokens | {t_lib:.3f} s | {t_lib / first:.1f} (size ratio {n // sizes[0]}) |"
        )
    print()
    print(
        f"The notes' run, {args.steps:,} steps (the reference alone, then beside the neighbour; then bigram_lib "
        f"alone and beside it, {args.lib_repeats} times):",
        flush=True,
    )
    results, shares, eval_interval = bench_notes_run(
        corpus, args.steps, args.reference_budget, args.lib_repeats
    )
    print()
    print_notes_run(results, shares, args.steps, eval_interval)


if __name__ == "__main__":
    main()
