"""pyproject.toml and environment.yml list the same dependencies."""

import re
from pathlib import Path

try:
    import tomllib
# Python 3.10: the same parser, from PyPI (the test extra installs it there)
except ModuleNotFoundError:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _normal(spec):
    """'NumPy >= 1.26' -> 'numpy>=1.26'."""
    return re.sub(r"\s+", "", spec).lower().replace("_", "-")


def _pip_section(text):
    """The entries of environment.yml's pip: list, comments and options dropped."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "- pip:")
    entries = []
    for line in lines[start + 1 :]:
        item = line.split("#", 1)[0].strip()
        if not item:
            continue
        if not item.startswith("- "):
            break
        entries.append(item[2:].strip())
    return entries


def test_environment_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        _normal(d) for d in project["dependencies"] + project["optional-dependencies"]["test"]
    }
    pip = _pip_section((ROOT / "environment.yml").read_text())
    listed = {_normal(e) for e in pip if not e.startswith("-")}
    assert listed == wanted, (
        f"only in environment.yml: {listed - wanted}; only in pyproject.toml: {wanted - listed}"
    )
    assert "-e ." in pip  # the course's own package


def test_environment_pins_python_311_and_cpu_torch():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert "whl/cpu" in text
