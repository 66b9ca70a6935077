"""Each notebook's text twin: notebooks/md/NN_name.md, the notebook's cells as MyST Markdown without outputs.

A reviewer reads a notebook's change in its twin's diff: a one-line change of prose or code is a one-line
change there. The .ipynb, with its outputs, stays what readers and nbval see.

Usage:
  python scripts/twins.py            write every twin from its notebook
  python scripts/twins.py --check    exit 1, naming each pair, when a twin differs from its notebook
  python scripts/twins.py --apply    copy each twin's cells into its notebook (after editing a twin; then
                                     run scripts/run_notebooks.py to store fresh outputs)
"""

import argparse
import difflib
import itertools
import re
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TWINS = NOTEBOOKS / "md"
FORMAT = "md:myst"  # MyST: prose stays prose, line for line, and code cells are fenced blocks with their tags


def notebooks():
    """The course's notebooks, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def twin_of(path):
    """The text twin of a notebook."""
    return TWINS / (path.stem + ".md")


def as_text(nb):
    """A notebook's cells (sources and tags) as MyST text, with no version stamp or other volatile metadata."""
    bare = nbformat.v4.new_notebook(metadata={"kernelspec": nb.metadata.get("kernelspec", {})})
    for cell in nb.cells:
        kept = {k: v for k, v in cell.get("metadata", {}).items() if k == "tags"}
        bare.cells.append(
            nbformat.from_dict(
                {
                    "cell_type": cell.cell_type,
                    "source": cell.source,
                    "metadata": kept,
                    **(
                        {"outputs": [], "execution_count": None} if cell.cell_type == "code" else {}
                    ),
                }
            )
        )
    bare.metadata["jupytext"] = {
        "notebook_metadata_filter": "kernelspec",
        "cell_metadata_filter": "tags",
    }
    text = jupytext.writes(bare, fmt=FORMAT)
    # another jupytext, the same twin
    return re.sub(r"\n\s*jupytext_version: [^\n]*", "", text, count=1)


def cells_of(nb):
    """What a twin records of a notebook: each cell's type, source and tags."""
    return [(c.cell_type, c.source, tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def write(paths=None):
    """Write the twins of these notebooks (default: all) from the notebooks."""
    TWINS.mkdir(exist_ok=True)
    for path in paths or notebooks():
        twin_of(path).write_text(as_text(nbformat.read(path, as_version=4)), encoding="utf-8")
        print(f"wrote {twin_of(path).relative_to(ROOT)}")


def shown(path):
    """A path relative to the repository where it lies in it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def check():
    """Names of the pairs whose twin is missing or differs from its notebook; [] when all are in step."""
    stale = []
    for path in notebooks():
        twin = twin_of(path)
        text = as_text(nbformat.read(path, as_version=4))
        if not twin.exists() or twin.read_text(encoding="utf-8") != text:
            stale.append(f"{shown(path)} and {shown(twin)}")
    extra = {p.stem for p in TWINS.glob("*.md")} - {p.stem for p in notebooks()}
    stale += [f"{shown(TWINS)}/{name}.md has no notebook" for name in sorted(extra)]
    return stale


def apply():
    """Copy each twin's cells into its notebook: unchanged cells keep their outputs, edited ones their ids."""
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        text = jupytext.read(twin_of(path), fmt=FORMAT)
        if cells_of(text) == cells_of(nb):
            continue
        # align the cells as a diff does: an unchanged cell is kept whole, an edited one keeps its id
        matcher = difflib.SequenceMatcher(a=cells_of(nb), b=cells_of(text), autojunk=False)
        cells = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                cells += nb.cells[i1:i2]
                continue
            for was, cell in itertools.zip_longest(nb.cells[i1:i2], text.cells[j1:j2]):
                if cell is None:
                    continue  # a cell the twin removed
                if tag == "replace" and was is not None and was.cell_type == cell.cell_type:
                    cell.id = (
                        was.id
                    )  # the same cell, edited: its id stays, so its diff is its source
                cells.append(cell)
        nb.cells = cells
        nbformat.write(nb, path)
        print(f"updated {shown(path)} from its twin: run scripts/run_notebooks.py {shown(path)}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--check", action="store_true", help="report twins that differ from their notebooks"
    )
    group.add_argument(
        "--apply", action="store_true", help="copy the twins' cells into the notebooks"
    )
    args = parser.parse_args(argv)
    if args.check:
        stale = check()
        for pair in stale:
            print(f"out of step: {pair} (run: python scripts/twins.py)")
        return 1 if stale else 0
    apply() if args.apply else write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
