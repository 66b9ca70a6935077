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


def readme_command(start):
    """The one command of a README code block that starts with `start`."""
    found = [
        line.strip()
        for line in re.findall(r"```(?:bash|powershell)\n(.*?)```", README, re.S)
        for line in line.splitlines()
        if line.strip().startswith(start)
    ]
    assert len(found) == 1, (
        f"the README should give one command starting {start!r}, it gives {found}"
    )
    return found[0]


def test_a_learner_gets_a_clean_course_back(tmp_path):
    """The README's working copy stays out of git and the tests, and its restore command undoes an edit."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    clone = tmp_path / "course"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)

    def status():
        return subprocess.run(
            ["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True
        ).stdout

    copy = readme_command("cp -r notebooks")
    subprocess.run(copy.split(), cwd=clone, check=True)
    copied = clone / copy.split()[-1]
    assert (copied / "04_get_batch.ipynb").exists() and status() == ""  # the copy is ignored by git
    testpaths = re.search(r"testpaths = \[(.*?)\]", (ROOT / "pyproject.toml").read_text()).group(1)
    assert copied.name not in testpaths  # ... and never collected by the test command
    edited = clone / "notebooks" / "04_get_batch.ipynb"
    edited.write_text(
        edited.read_text().replace('"source": [', '"source": [\n    "my scratch line\\n",', 1)
    )
    assert "04_get_batch.ipynb" in status()
    subprocess.run(readme_command("git restore notebooks/").split(), cwd=clone, check=True)
    assert status() == ""


def test_no_count_of_tests_is_typed_into_the_docs():
    """A typed count ("812 tests") goes stale with the next test; the docs describe what runs instead."""
    count = re.compile(r"\b\d[\d,]*\s+(?:unit\s+|notebook\s+|browser\s+)?tests\b")
    for doc in ("README.md", "CONTRIBUTING.md"):
        found = count.findall((ROOT / doc).read_text())
        assert not found, f"{doc} types a count of tests: {found}"
    assert count.search("a bare pytest runs all 812 tests")  # what the rule catches
