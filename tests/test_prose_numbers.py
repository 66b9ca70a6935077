"""Every number the prose quotes from an output still appears in that notebook's outputs."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# A measured number: three or more decimals (4.8948, 2.4819, 0.3679), or a count grouped with commas that is not
# round (1,115,394). Round counts are settings typed in code as well (100,000 steps); shorter numbers are settings
# (lr 1e-3, B = 4) or rounded talk.
MEASURED = re.compile(
    r"(?<![\w.])-?\d+\.\d{3,}(?![\d])|(?<![\w.,])\d{1,3}(?:,\d{3})*,(?!000)\d{3}(?![\d,])"
)


def texts(nb):
    """(markdown text, text of every output) of a notebook; code blocks in markdown are prose too."""
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    outs = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            outs.append("".join(out.get("text", "")))
            for mime in ("text/plain", "text/html", "text/markdown"):
                outs.append("".join(out.get("data", {}).get(mime, "")))
    return prose, "\n".join(outs)


def variants(number):
    """How an output may print a number the prose writes: as is, or without thousands commas."""
    return {number, number.replace(",", "")}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numbers_in_prose_appear_in_outputs(path):
    prose, outputs = texts(json.loads(path.read_text()))
    missing = sorted(
        {n for n in MEASURED.findall(prose) if not any(v in outputs for v in variants(n))}
    )
    assert not missing, (
        f"{path.name}: the prose quotes numbers no output of the notebook prints: {missing}"
    )


def test_the_pattern_finds_measured_numbers_only():
    found = MEASURED.findall(
        "loss 4.8948 after 100,000 steps, lr 1e-3, B = 4, 1,115,394 chars, v1.2.3, 0.5"
    )
    assert found == ["4.8948", "1,115,394"]
