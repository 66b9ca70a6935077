"""The explorer widget and the helpers every explorer shares."""

import functools
import html

import ipywidgets as widgets
import torch
from matplotlib import pyplot as plt

from ..batch import get_batch
from ..model import BigramLanguageModel
from ..threads import one_thread

LIVE_DPI = 80  # resolution of the figures the explorers redraw
HIGHLIGHT, PLAIN, REFERENCE = "tab:orange", "tab:blue", "0.6"
WIDE = {"description_width": "initial"}  # show a control's whole description


def fmt_shape(shape):
    """A shape as the notes write it: (4, 8), (32,), ()."""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def check_int(name, value, low, high=None):
    """Raise a clear error unless value is an int in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {bound}, got {value!r}")


@functools.lru_cache(maxsize=8)
def seeded_model(vocab_size, seed):
    """The notes' untrained model: BigramLanguageModel built right after torch.manual_seed(seed)."""
    with torch.random.fork_rng(devices=[]):  # the caller's global random state is left untouched
        torch.manual_seed(seed)
        return BigramLanguageModel(vocab_size).eval()


def seeded_batch(data, batch_size, block_size, seed):
    """get_batch with its own generator: the notes' batch for seed 1337, global random state untouched."""
    return get_batch(data, batch_size, block_size, generator=torch.Generator().manual_seed(seed))


class Explorer(widgets.VBox):
    """Controls above a readout of the numbers and (optionally) a figure; any control change recomputes."""

    def __init__(self, kind, controls, compute, describe, live=None, update=None, adjust=None):
        self.kind = kind
        self.controls = dict(controls)  # name -> control widget, in display order
        self.readout = widgets.HTML()  # the numbers of the latest view
        self.image = widgets.Image(format="png") if live is not None else None  # the redrawn figure
        self.figure = live.fig if live is not None else None
        self.view = None  # the latest pure result
        self.error = None  # the message of the latest failed update, else None
        self._compute, self._describe, self._live, self._update, self._adjust = compute, describe, live, update, adjust
        self._busy = False
        for name, control in self.controls.items():
            control.add_class(f"bigram-control-{name}")
            control.observe(self._on_change, names="value")
        shown = [widgets.VBox(list(self.controls.values())), self.readout]
        super().__init__(shown + ([self.image] if self.image is not None else []))
        self.add_class("bigram-explorer")
        self.add_class(f"bigram-{kind}-explorer")
        self.refresh()

    def __repr__(self):
        values = ", ".join(f"{name}={control.value!r}" for name, control in self.controls.items())
        return f"<{self.kind} explorer: {values}>"

    def values(self):
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change):
        """A control moved: recompute, unless this refresh itself caused the move."""
        if not self._busy:
            self.refresh()

    def refresh(self):
        """Recompute the view from the controls, redraw, and return the view."""
        self._busy = True
        try:
            if self._adjust is not None:
                self._adjust(self.controls)  # e.g. the row slider's range follows the batch size
            try:
                with one_thread():
                    view = self._compute(**self.values())
            except (ValueError, TypeError) as err:  # a bad combination of values: say so, keep the last view
                self.error = str(err)
                self.readout.value = f"<span style='color:#b00'>{html.escape(str(err))}</span>"
                return self.view
            self.error = None
            self.view = view
            if self._live is not None:
                layout = self._update(view)  # the artists take the new numbers; the static part may change
                self.image.value = self._live.png(layout)
            self.readout.value = self._describe(view)
            return view
        finally:
            self._busy = False


def new_figure(figsize, dpi=None):
    """A Figure that a notebook shows once when a cell returns it: made by pyplot, then closed at once."""
    fig = plt.figure(figsize=figsize, dpi=dpi)  # pyplot loads the notebook's backend, which knows how to show it
    plt.close(fig)  # not pyplot's any more: it is not shown a second time at the end of the cell
    return fig

