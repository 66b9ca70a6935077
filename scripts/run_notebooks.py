"""Re-run notebooks from a clean kernel and store their fresh outputs in place.

Usage: python scripts/run_notebooks.py [notebooks/NN_name.ipynb ...]   (default: all)
Needs the corpus: set BIGRAM_DATA=/path/to/tinyshakespeare.txt when offline.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def run(path):
    """Execute one notebook top to bottom in a fresh kernel and save it."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1800, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)  # widget state of a headless run is meaningless to a reader
    nb.metadata["kernelspec"] = dict(KERNELSPEC)  # what JupyterLab writes, so opening never marks it modified
    nbformat.write(nb, path)


def main(argv):
    """Run the named notebooks, or all of them in order."""
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        print(f"running {path.name} ...", flush=True)
        run(path)
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
