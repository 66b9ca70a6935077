"""Speed of bigram_lib against the notes' reference code, measured side by side in one run.

Prints ratios, never absolute targets: per training step (reference loop get_batch with
torch.stack, against the vectorized one), and generation of 1,000 / 10,000 / 100,000 tokens
(the notes' full-sequence loop, against the library's last-token step). Losses and tokens are
checked identical for the same seed.

Usage: python bench/bench_speed.py [--quick]   (--quick: small sizes, a smoke run)
"""

import argparse
import platform
import statistics
import time

import torch

from bigram_lib import BigramLanguageModel, get_batch, load_corpus, train
from bigram_lib.reference import generate_reference, get_batch_reference, train_reference


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
        t_lib, hist = timed(lambda model=model: train(model, data, steps=steps, eval_interval=0, progress=False))
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
        identical &= all(torch.equal(a, b) for pr, pl in zip(ref, lib) for a, b in zip(pr, pl))
        ref_times.append(t_ref / calls)
        lib_times.append(t_lib / calls)
    return statistics.median(ref_times), statistics.median(lib_times), identical


def bench_generation(n, with_reference):
    """Seconds for n tokens from both, and whether the tokens matched."""
    torch.manual_seed(1337)
    m = BigramLanguageModel(65)
    start = torch.zeros((1, 1), dtype=torch.long)
    state = torch.get_rng_state()
    t_lib, ours = timed(lambda: m.generate(start, n))
    if not with_reference:
        return None, t_lib, None
    torch.set_rng_state(state)
    with torch.no_grad():
        t_ref, ref = timed(lambda: generate_reference(m, start, n))
    return t_ref, t_lib, torch.equal(ours, ref)


def main():
    """Run both benchmarks and print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run, not a measurement")
    args = ap.parse_args()
    steps, repeats = (200, 1) if args.quick else (3000, 5)
    sizes = (100, 1000) if args.quick else (1_000, 10_000, 100_000)

    corpus = load_corpus(progress=False)
    print(f"machine: {platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, "
          f"torch {torch.__version__}, {torch.backends.cpu.get_cpu_capability()}")
    print()
    ref, lib, same = bench_training(corpus.train_data, steps, repeats)
    print("| training step (B=32, T=8, AdamW) | reference | bigram_lib | speed-up | losses identical |")
    print("|---|---|---|---|---|")
    print(f"| per step, median of {repeats} x {steps} steps | {ref * 1e6:.0f} us | {lib * 1e6:.0f} us | "
          f"{ref / lib:.2f}x | {'yes' if same else 'NO'} |")
    g_ref, g_lib, g_same = bench_get_batch(corpus.train_data, steps, repeats)
    print(f"| of which get_batch alone | {g_ref * 1e6:.0f} us | {g_lib * 1e6:.0f} us | "
          f"{g_ref / g_lib:.1f}x | {'yes' if g_same else 'NO'} (batches) |")
    print(f"| the rest: whole step minus get_batch alone | {(ref - g_ref) * 1e6:.0f} us | "
          f"{(lib - g_lib) * 1e6:.0f} us | {(ref - g_ref) / (lib - g_lib):.2f}x | same model and optimizer code |")
    print()
    print("| generate | reference | bigram_lib | speed-up | tokens identical | bigram_lib time / smallest size's |")
    print("|---|---|---|---|---|---|")
    first = None
    for n in sizes:
        t_ref, t_lib, same = bench_generation(n, with_reference=True)
        first = first or t_lib
        print(f"| {n:,} tokens | {t_ref:.3f} s | {t_lib:.3f} s | {t_ref / t_lib:.1f}x | "
              f"{'yes' if same else 'NO'} | {t_lib / first:.1f} (size ratio {n // sizes[0]}) |")


if __name__ == "__main__":
    main()
