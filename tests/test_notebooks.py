"""The stored notebooks: outputs present and in order, no library code copied, the notes' values shown."""

import ast
import inspect
import json
import re
import sys
from pathlib import Path

import pytest

import bigram_lib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from run_notebooks import KERNELSPEC

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LIB_FILES = sorted((ROOT / "bigram_lib").rglob("*.py"))

# what the notes print, exactly as PyTorch prints it
NOTES_VALUES = {
    "the xb tensor": (
        "tensor([[53, 59,  6,  1, 58, 56, 47, 40],\n"
        "        [49, 43, 43, 54,  1, 47, 58,  1],\n"
        "        [13, 52, 45, 43, 50, 53,  8,  0],\n"
        "        [ 1, 39,  1, 46, 53, 59, 57, 43]])"
    ),
    "the logits shape": "torch.Size([32, 65])",
    "the untrained loss": "tensor(4.8948, grad_fn=<NllLossBackward0>)",
    "the untrained sample": (
        "SKIcLT;AcELMoTbvZv C?nq-QE33:CJqkOKH-q;:la!oiywkHjgChzbQ?u!3bLIgwevmyFJGUGp\nwnYWmnxKWWev-tDqXErVKLgJ"
    ),
}


def load(path):
    """A notebook as JSON."""
    return json.loads(path.read_text())


def code_cells(nb):
    """The code cells of a notebook."""
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def source(cell):
    """A cell's source as one string."""
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def output_text(nb):
    """All text a notebook's stored outputs show."""
    parts = []
    for cell in code_cells(nb):
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append("".join(out["text"]))
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in out.get("data", {}):
                    parts.append("".join(out["data"][mime]))
    return "\n".join(parts)


def library_names():
    """Every function and class name that bigram_lib defines, at any depth."""
    names = set()
    for path in LIB_FILES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
    return names - {"__init__", "forward"}  # every nn.Module has these


def library_lines():
    """Substantial lines of library code: a notebook that contains one has pasted it.

    Only code counts: the text inside strings (messages, the exercises' worked solutions, which are meant to
    be what a learner writes) is left out, as are imports, definitions and comments.
    """
    lines = set()
    for path in LIB_FILES:
        source = path.read_text()
        inside_strings = set()
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.end_lineno > node.lineno
            ):
                inside_strings.update(range(node.lineno + 1, node.end_lineno + 1))
        for number, line in enumerate(source.splitlines(), start=1):
            line = line.strip()
            if number in inside_strings or len(line) < 40:
                continue
            if not line.startswith(
                ("#", '"', "'", 'f"', "from ", "import ", "raise ", "def ", "class ", "@")
            ):
                lines.add(line)
    return lines


def test_notebooks_are_numbered_01_to_n_without_gaps():
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert numbers, "no notebooks found"
    assert numbers == [f"{i:02d}" for i in range(1, len(numbers) + 1)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_with_outputs_in_order(path):
    cells = code_cells(load(path))
    counts = [c["execution_count"] for c in cells]
    assert None not in counts, f"{path.name}: some code cells were never run"
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: not run top to bottom in one kernel: {counts}"
    )
    assert sum(bool(c["outputs"]) for c in cells) >= len(cells) // 2, (
        f"{path.name}: stored without outputs"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_errors(path):
    for cell in code_cells(load(path)):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        assert not any(o["output_type"] == "error" for o in cell["outputs"]), (
            f"{path.name}: {source(cell)[:80]!r}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_library_code_in_notebooks(path):
    provided, pasted = library_names(), library_lines()
    for cell in code_cells(load(path)):
        src = source(cell)
        tree = ast.parse(
            "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!")))
        )
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                assert node.name not in provided, (
                    f"{path.name} defines {node.name}, which bigram_lib provides"
                )
        for line in src.splitlines():
            assert line.strip() not in pasted, f"{path.name} pastes library code: {line.strip()!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_has_a_figure_and_exercises(path):
    nb = load(path)
    pngs = sum("image/png" in o.get("data", {}) for c in code_cells(nb) for o in c["outputs"])
    assert pngs >= 1, f"{path.name} has no figure"
    checks = [c for c in code_cells(nb) if re.search(r"\bcheck_\w+\(", source(c))]
    assert len(checks) >= 2, f"{path.name} has {len(checks)} self-checked exercises, wants 2 or 3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_is_what_jupyterlab_writes(path):
    # JupyterLab rewrites a bare "Python 3" on open, which marks the notebook modified before any edit
    assert load(path)["metadata"]["kernelspec"] == KERNELSPEC


@pytest.mark.parametrize("name", NOTES_VALUES)
def test_notes_values_are_in_the_stored_outputs(name):
    shown = "\n".join(output_text(load(p)) for p in NOTEBOOKS)
    assert NOTES_VALUES[name] in shown, f"{name} does not appear in any stored output"


def test_library_names_are_collected():
    # guards the guard: the names the notebook test forbids include the notes' own
    names = library_names()
    assert {
        "get_batch",
        "BigramLanguageModel",
        "generate",
        "train",
        "estimate_loss",
        "load_text",
    } <= names
    assert (
        inspect.getsource(bigram_lib.get_batch).strip().splitlines()[-4].strip() in library_lines()
    )


SHOWN = re.compile(r"^\*\*bigram_lib/[\w/]+\.py, lines \d+-\d+\*\*")
# what fits JupyterLab's output beside an open file browser, in a 1400-pixel window
SHOWN_WIDTH = 100


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_library_code_shown_fits_the_page(path):
    for cell in code_cells(load(path)):
        for out in cell["outputs"]:
            shown = "".join(out.get("data", {}).get("text/markdown", ""))
            if SHOWN.match(shown):
                wide = [line for line in shown.splitlines() if len(line) > SHOWN_WIDTH]
                assert not wide, (
                    f"{path.name}: show_source lines over {SHOWN_WIDTH} characters: {wide}"
                )
