"""What CI compares of a stored figure, beside nbval's comparison of every text output.

nbval never compares image/png. For each figure an output shows, the test run's figure must match the stored
one in three ways:
1. its alternative text, exactly: what it shows in words and numbers (a figure without one fails);
2. its fingerprint, exactly: a hash of every text, axis range, line, bar, image and point it draws, rounded to 3
   significant digits (bigram_lib.explorers.figure.fingerprint), so a changed number or curve fails while fonts
   and antialiasing do not enter;
3. its pixels, loosely: the same size, and at most 1% of pixels off by more than a quarter of the grey scale,
   which antialiasing noise stays within and a moved or missing element does not. Only under the matplotlib
   release (major.minor) that drew the stored figure: another one sizes text a few pixels differently
   (matplotlib 3.10, the last release for Python 3.10, against 3.11: up to 32 pixels in a width), so there
   1 and 2 alone compare what the figure shows.
"""

import base64
import io

import numpy as np

FINGERPRINT = "bigram_figure"
RENDERER = "matplotlib"  # bigram_lib.explorers.figure.RENDERER: the release that drew the pixels
MAX_CHANGED = 0.01  # share of pixels that may differ strongly
STRONG = 64  # a strong difference: a quarter of the grey scale


def figure_outputs(outputs):
    """(png base64 text, its metadata) of every output that shows a figure, in order."""
    return [
        (out["data"]["image/png"], out.get("metadata", {}).get("image/png", {}))
        for out in outputs
        if "image/png" in out.get("data", {})
    ]


def pixels(png):
    """A PNG (base64 text) as a grey-scale array."""
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(png))).convert("L"), dtype=np.int16)


def differences(test_outputs, ref_outputs):
    """What differs between the figures of a test run's outputs and the stored ones: [] when they match."""
    test, ref = figure_outputs(test_outputs), figure_outputs(ref_outputs)
    if len(test) != len(ref):
        return [f"the cell shows {len(test)} figure(s), the stored outputs {len(ref)}"]
    found = []
    for k, ((test_png, test_md), (ref_png, ref_md)) in enumerate(zip(test, ref, strict=True)):
        name = f"figure {k + 1}"
        if not ref_md.get("alt"):
            found.append(f"{name} has no alternative text (bigram_lib.explorers.alt_text)")
        if test_md.get("alt") != ref_md.get("alt"):
            found.append(
                f"{name}'s alternative text differs:\n  stored: {ref_md.get('alt')}\n  now:    {test_md.get('alt')}"
            )
        if test_md.get(FINGERPRINT) != ref_md.get(FINGERPRINT):
            found.append(
                f"{name} shows other data (fingerprint {ref_md.get(FINGERPRINT)} stored, "
                f"{test_md.get(FINGERPRINT)} now)"
            )
        if test_md.get(RENDERER) != ref_md.get(RENDERER):
            continue  # another matplotlib draws the same data a few pixels differently
        a, b = pixels(test_png), pixels(ref_png)
        if a.shape != b.shape:
            found.append(
                f"{name} is {a.shape[1]} x {a.shape[0]} pixels, stored {b.shape[1]} x {b.shape[0]}"
            )
        elif (changed := float((np.abs(a - b) > STRONG).mean())) > MAX_CHANGED:
            found.append(
                f"{name}: {changed:.1%} of its pixels differ strongly (at most {MAX_CHANGED:.0%} may)"
            )
    return found
