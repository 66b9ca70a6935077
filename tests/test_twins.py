"""Each notebook's text twin (notebooks/md/) is in step with it, and shows a one-line change as one line."""

import difflib
import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import twins


def test_every_notebook_has_a_twin_in_step():
    assert twins.notebooks(), "no notebooks found"
    assert twins.check() == [], "run: python scripts/twins.py"


@pytest.mark.parametrize("path", twins.notebooks(), ids=lambda p: p.name)
def test_a_one_line_prose_change_is_a_one_line_diff(path):
    nb = nbformat.read(path, as_version=4)
    before = twins.as_text(nb).splitlines()
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.count("\n") >= 2)
    lines = cell.source.split("\n")
    old, lines[1] = lines[1], lines[1] + " (a reviewer's edit)"
    cell.source = "\n".join(lines)
    diff = difflib.unified_diff(before, twins.as_text(nb).splitlines(), lineterm="", n=0)
    changed = [d for d in diff if d[:1] in "+-" and not d.startswith(("---", "+++"))]
    assert changed == [f"-{old}", f"+{lines[1]}"]


def test_a_stale_or_missing_twin_is_reported(tmp_path, monkeypatch):
    for path in twins.notebooks():
        (tmp_path / (path.stem + ".md")).write_text(
            twins.as_text(nbformat.read(path, as_version=4))
        )
    first, last = sorted(tmp_path.glob("*.md"))[0], sorted(tmp_path.glob("*.md"))[-1]
    first.write_text(first.read_text().replace("\n\n", "\n\nan edit the notebook never got\n\n", 1))
    last.unlink()
    monkeypatch.setattr(twins, "TWINS", tmp_path)
    stale = twins.check()
    assert len(stale) == 2 and first.name in stale[0] and last.name in stale[1], stale


def test_apply_keeps_the_outputs_of_unchanged_cells_and_the_ids_of_edited_ones(
    tmp_path, monkeypatch
):
    source = twins.notebooks()[-1]
    (tmp_path / "md").mkdir()
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    twin = tmp_path / "md" / f"{source.stem}.md"
    twin.write_text(twins.as_text(nbformat.read(path, as_version=4)), encoding="utf-8")
    monkeypatch.setattr(twins, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(twins, "TWINS", tmp_path / "md")
    before = nbformat.read(path, as_version=4)
    code = [k for k, c in enumerate(before.cells) if c.cell_type == "code" and c.outputs]
    edited, kept = code[0], code[1]
    twin.write_text(
        twin.read_text().replace(
            before.cells[edited].source, before.cells[edited].source + "  # edited", 1
        )
    )
    twins.apply()
    after = nbformat.read(path, as_version=4)
    assert [c.id for c in after.cells] == [c.id for c in before.cells]
    assert after.cells[edited].source.endswith("# edited") and after.cells[edited].outputs == []
    assert after.cells[kept].outputs == before.cells[kept].outputs
