"""What CI compares of a figure (tests/figures.py), and that nbval really compares it in this repository."""

import base64
import copy
import io
import subprocess
import sys
from pathlib import Path

import figures
import nbformat
import numpy as np
import pytest
from matplotlib import pyplot as plt
from nbclient import NotebookClient

from bigram_lib.explorers import alt_text
from bigram_lib.explorers.figure import FINGERPRINT, RENDERER, fingerprint, renderer

ROOT = Path(__file__).resolve().parent.parent


def bars(heights, title="counts"):
    """A small bar chart as a notebook output would store it: PNG (base64), alt text and fingerprint."""
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.bar(range(len(heights)), heights)
    ax.set_title(title)
    alt_text(fig, f"Bar chart of {len(heights)} counts: " + ", ".join(f"{h:g}" for h in heights))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    metadata = {"alt": fig.bigram_alt_text, FINGERPRINT: fingerprint(fig), RENDERER: renderer()}
    return {
        "output_type": "display_data",
        "data": {"image/png": base64.b64encode(buf.getvalue()).decode()},
        "metadata": {"image/png": metadata},
    }


def test_the_same_figure_matches():
    assert figures.differences([bars([3, 1, 2])], [bars([3, 1, 2])]) == []


def test_a_changed_bar_changes_the_fingerprint_and_the_alt_text():
    found = figures.differences([bars([3, 1, 2.5])], [bars([3, 1, 2])])
    assert any("alternative text differs" in f for f in found) and any(
        "other data" in f for f in found
    )


def test_a_changed_title_changes_the_fingerprint_only():
    found = figures.differences([bars([3, 1, 2], "counts!")], [bars([3, 1, 2])])
    assert len(found) == 1 and "other data" in found[0]


def test_a_figure_without_alt_text_fails():
    ref = bars([1, 2])
    del ref["metadata"]["image/png"]["alt"]
    test = copy.deepcopy(ref)
    assert any("has no alternative text" in f for f in figures.differences([test], [ref]))


def _with_pixels(output, change):
    """The output with its PNG's pixels changed by change(array)."""
    from PIL import Image

    img = np.array(
        Image.open(io.BytesIO(base64.b64decode(output["data"]["image/png"]))).convert("RGB")
    )
    buf = io.BytesIO()
    Image.fromarray(change(img)).save(buf, format="PNG")
    out = copy.deepcopy(output)
    out["data"]["image/png"] = base64.b64encode(buf.getvalue()).decode()
    return out


def test_rendering_noise_is_tolerated_but_a_moved_element_is_not():
    ref = bars([3, 1, 2])
    rng = np.random.default_rng(0)
    noisy = _with_pixels(
        ref,
        lambda a: np.clip(a.astype(int) + rng.integers(-20, 21, a.shape), 0, 255).astype(np.uint8),
    )
    assert figures.differences([noisy], [ref]) == []  # antialiasing-sized changes everywhere
    # everything drawn 12 pixels to the right
    shifted = _with_pixels(ref, lambda a: np.roll(a, 12, axis=1))
    assert any("differ strongly" in f for f in figures.differences([shifted], [ref]))
    smaller = _with_pixels(ref, lambda a: a[:-4])
    assert any("pixels, stored" in f for f in figures.differences([smaller], [ref]))


def test_under_another_matplotlib_the_data_is_compared_but_not_the_pixels():
    ref = bars([3, 1, 2])
    ref["metadata"]["image/png"][RENDERER] = "2.2"  # a release other than the one running
    smaller = _with_pixels(bars([3, 1, 2]), lambda a: a[:-4])  # text sized a little differently
    assert figures.differences([smaller], [ref]) == []
    found = figures.differences([bars([3, 1, 2.5])], [ref])
    assert any("other data" in f for f in found)


def test_ticks_outside_the_view_do_not_enter_the_fingerprint():
    fig, ax = plt.subplots(figsize=(3, 2), dpi=100)
    ax.semilogy([1, 2, 3], [0.2, 3, 40])
    fig.canvas.draw()
    low, high = sorted(ax.yaxis.get_view_interval())
    outside = [t for t in ax.yaxis.get_major_ticks() if not low <= t.get_loc() <= high]
    assert outside  # 10^-1 and 10^2 on this log axis

    def with_outside(visible):
        for tick in outside:  # matplotlib releases differ in whether these count as visible
            for part in (tick, tick.tick1line, tick.label1):
                part.set_visible(visible)
        return fingerprint(fig)

    assert with_outside(True) == with_outside(False)
    before = fingerprint(fig)
    ax.set_ylim(0.05, 200)  # once in view, they do enter it
    fig.canvas.draw()
    assert fingerprint(fig) != before
    plt.close(fig)


@pytest.mark.slow
def test_nbval_in_this_repository_fails_on_a_changed_figure(tmp_path):
    """A notebook with a figure, run and stored, passes nbval; with its stored alt text edited, it fails."""
    nb = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        }
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfrom bigram_lib.explorers import alt_text, use_course_style\n"
            "use_course_style()\nfig, ax = plt.subplots()\nax.bar([0, 1], [2, 3])\n"
            "alt_text(fig, 'Two bars: 2 and 3')\nplt.show()"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    # inside the repository, so its conftest.py applies
    folder = ROOT / "notebooks" / ".figure-check"
    folder.mkdir(exist_ok=True)
    try:
        path = folder / "figure.ipynb"
        nbformat.write(nb, path)
        run = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(path)]
        assert subprocess.run(run, cwd=ROOT, capture_output=True).returncode == 0
        stored = nbformat.read(path, as_version=4)
        stored.cells[0].outputs[0]["metadata"]["image/png"]["alt"] = "Two bars: 2 and 4"
        nbformat.write(stored, path)
        failed = subprocess.run(run, cwd=ROOT, capture_output=True, text=True)
        assert failed.returncode != 0 and "alternative text differs" in failed.stdout
    finally:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
