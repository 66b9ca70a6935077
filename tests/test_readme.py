"""The README's tables point at headings that exist, and its commands match the package."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()

# [05](notebooks/05_x.ipynb) "a heading" or §6 "a heading": the quoted text must stand in that notebook's markdown
LINK = re.compile(r'\[\d\d\]\((notebooks/[^)]+\.ipynb)\),?\s*(?:§\w+\s*)?"((?:[^"\\]|\\.)+)"')


def markdown_of(path):
    """All markdown text of a notebook, as a reader sees it."""
    nb = json.loads((ROOT / path).read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def links():
    """(notebook path, quoted heading) of every table row that names a section."""
    return [(path, text.replace('\\"', '"')) for path, text in LINK.findall(README)]


def test_the_tables_name_many_sections():
    assert len(links()) >= 60  # @audit answers, the notes' slips, the questions learners ask


@pytest.mark.parametrize(
    ("path", "heading"), links(), ids=lambda v: v[:50] if isinstance(v, str) else v
)
def test_each_named_section_exists(path, heading):
    assert (ROOT / path).exists(), path
    assert heading in markdown_of(path), f"{path} has no section or bold lead {heading!r}"


def test_the_quick_start_launches_the_whole_course_folder():
    launches = re.findall(r"jupyter lab[^\n`]*", README)
    assert launches and all(line.strip() == "jupyter lab" for line in launches), launches
