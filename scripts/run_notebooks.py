"""Re-run notebooks from a clean kernel and store their fresh outputs in place (or, with --check, only compare).

Usage:
  python scripts/run_notebooks.py [notebooks/NN_name.ipynb ...]           re-run and store (default: all)
  python scripts/run_notebooks.py --check [notebooks/NN_name.ipynb ...]   re-run, report what differs, write nothing

The kernel is this interpreter, exactly as the tests' `--nbval-current-env` runs it, and a PyTorch outside
the verified range is refused: stored outputs must be ones every verified release reproduces. What would
change from run to run (timings, widget state, the Python patch version) is never stored. After a run, the
text twins in notebooks/md/ of the notebooks that ran are written again. Needs the corpus: set BIGRAM_DATA offline.
"""

import argparse
import difflib
import itertools
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
import figures  # noqa: E402  tests/figures.py: the figure comparison CI makes
import twins  # noqa: E402

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
TEXT_MIMES = ("text/plain", "text/html", "text/markdown")


def refuse_unverified_torch():
    """Exit with a message when this PyTorch is outside the range the stored outputs are checked with."""
    from bigram_lib.course.versions import torch_notice

    notice = torch_notice()
    if notice is not None:
        sys.exit(
            f"refusing to store outputs: {notice}\nRun this script in an environment with a verified PyTorch "
            "(scripts/check_torch.py checks a new release against every stored output first)."
        )


def execute(nb, path):
    """Run a notebook top to bottom in a fresh kernel of this very interpreter; returns it."""
    client = NotebookClient(
        nb,
        timeout=1800,
        kernel_name=CURRENT_ENV_KERNEL_NAME,
        record_timing=False,
        kernel_manager_class=_current_env_manager(),
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return nb


def _current_env_manager():
    """A kernel manager whose only kernel is this interpreter (nbval's own --nbval-current-env spec manager)."""
    from jupyter_client.manager import KernelManager

    class CurrentEnv(KernelManager):
        def __init__(self, **kwargs):
            super().__init__(kernel_spec_manager=NbvalKernelspecManager(), **kwargs)

    return CurrentEnv


def strip_volatile(nb):
    """Drop what changes from run to run and means nothing to a reader."""
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)  # widget state of a headless run: sliders that cannot move
    nb.metadata.get("language_info", {}).pop("version", None)  # 3.11.7 or 3.11.9: the same course
    # what JupyterLab writes, so opening never marks it modified
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    return nb


def sanitizers():
    """tests/sanitize.cfg's (regex, replacement) rules, as nbval applies them."""
    lines = [line.strip() for line in (ROOT / "tests" / "sanitize.cfg").read_text().splitlines()]
    rules = []
    for a, b in itertools.pairwise(lines):
        if a.startswith("regex:") and b.startswith("replace:"):
            rules.append((re.compile(a[len("regex:") :].strip()), b[len("replace:") :].strip()))
    return rules


def _texts(cell, rules):
    """The text a cell's outputs show, sanitized as nbval sanitizes it."""
    parts = []
    for out in cell.get("outputs", []):
        texts = [out.get("text", "")] + [out.get("data", {}).get(mime, "") for mime in TEXT_MIMES]
        for text in texts:
            text = "".join(text) if isinstance(text, list) else text
            for regex, replacement in rules:
                text = regex.sub(replacement, text)
            parts.append(text)
    return "".join(parts)


def differences(stored, fresh):
    """What a fresh run changes in the outputs nbval and the figure check compare."""
    rules, found = sanitizers(), []
    for k, (old, new) in enumerate(zip(stored.cells, fresh.cells, strict=True)):
        if old.cell_type != "code" or "nbval-ignore-output" in old.get("metadata", {}).get(
            "tags", []
        ):
            continue
        before, after = _texts(old, rules), _texts(new, rules)
        if before != after:
            diff = difflib.unified_diff(
                before.splitlines(), after.splitlines(), "stored", "fresh", lineterm="", n=1
            )
            found.append(f"cell {k}:\n" + "\n".join(diff))
        found += [f"cell {k}: {text}" for text in figures.differences(new.outputs, old.outputs)]
    return found


def main(argv=None):
    """Run the named notebooks (or all of them, in order); store them, or with --check only compare."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="re-run and report differences; write nothing"
    )
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    refuse_unverified_torch()
    paths = [p.resolve() for p in args.notebooks] or twins.notebooks()
    changed = 0
    for path in paths:
        start = time.perf_counter()
        print(f"running {path.name} ...", flush=True)
        stored = nbformat.read(path, as_version=4)
        fresh = strip_volatile(execute(nbformat.read(path, as_version=4), path))
        if args.check:
            found = differences(stored, fresh)
            changed += bool(found)
            print("\n".join(found) if found else "  the same outputs")
        else:
            nbformat.write(fresh, path)
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    if not args.check:
        twins.write(paths)  # only the twins of the notebooks that ran: another twin may hold edits
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
