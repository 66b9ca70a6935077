"""Interactive explorers: each is a pure function of numbers, a figure of them, and a thin widget on top."""

# Every explorer comes in three layers:
# - `*_view` / `*_trace` / `*_run`: a pure function that returns the numbers (a frozen dataclass);
# - `*_figure`: a matplotlib Figure of those numbers at given values (a static picture for readers);
# - `*_explorer`: an ipywidgets box whose controls recompute the numbers and redraw one reused figure.
#
# An explorer widget (an `Explorer`) exposes `.view` (the latest pure result), `.controls`
# (name -> control widget), `.readout` (an HTML widget with the numbers), `.image` and `.figure` (the
# PNG it shows and the reused Figure behind it; None for the text-only shape and batch explorers),
# `.error` (the message of a failed update, else None) and `.refresh()`. In a browser it carries the CSS
# classes `bigram-explorer` and `bigram-<kind>-explorer`; each control carries `bigram-control-<name>`.

from .base import LIVE_DPI, LIVE_SCALE, Explorer
from .batch import batch_explorer, batch_figure, batch_view
from .figure import alt_text, use_course_style
from .optimizer import (
    DEFAULT_STEPS,
    OPTIMIZERS,
    optimizer_explorer,
    optimizer_figure,
    optimizer_run,
)
from .sampling import sample_view, sampling_explorer, sampling_figure
from .shape import SHAPE_CODE, shape_explorer, shape_figure, shape_trace
from .softmax import DEFAULT_LABELS, DEFAULT_LOGITS, softmax_explorer, softmax_figure, softmax_view

__all__ = [
    "DEFAULT_LABELS",
    "DEFAULT_LOGITS",
    "DEFAULT_STEPS",
    "LIVE_DPI",
    "LIVE_SCALE",
    "OPTIMIZERS",
    "SHAPE_CODE",
    "Explorer",
    "alt_text",
    "batch_explorer",
    "batch_figure",
    "batch_view",
    "optimizer_explorer",
    "optimizer_figure",
    "optimizer_run",
    "sample_view",
    "sampling_explorer",
    "sampling_figure",
    "shape_explorer",
    "shape_figure",
    "shape_trace",
    "softmax_explorer",
    "softmax_figure",
    "softmax_view",
    "use_course_style",
]
