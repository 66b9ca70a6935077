"""The explorer widget and the helpers every explorer shares."""

import html

import ipywidgets as widgets
import torch
from matplotlib import pyplot as plt

from ..batch import get_batch
from ..course import checks
from ..course.recipes import notes_model
from ..course.threads import one_thread

# the explorers' live figures: 1 inch = 100 CSS pixels on the page, as the static figures
LIVE_DPI = 100
LIVE_SCALE = 2  # ... drawn with twice the pixels each way, so they are as sharp as the static figures on HiDPI screens
HIGHLIGHT, PLAIN, REFERENCE = "tab:orange", "tab:blue", "0.6"
LABEL_WIDTH = "9.5em"  # every control's label gets the same width, so the slider tracks line up
CONTROL_WIDTH = "38em"  # a track long enough to drag one step at a time
SEEDS = (1337, 1436)  # seed sliders: the notes' seed and the 99 after it, a few pixels per seed


def fmt_shape(shape):
    """A shape as the notes write it: (4, 8), (32,), ()."""
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def model_for(corpus, model, seed=1337):
    """A model to explore: the given one, after a clear check, or the notes' untrained one for this seed."""
    if model is None:
        return notes_model(corpus.vocab_size, seed)
    model = checks.finite_model("model", model, {})
    if checks.vocab_of(model) != corpus.vocab_size:
        raise ValueError(
            f"the model knows {checks.vocab_of(model)} token ids but the corpus has {corpus.vocab_size} "
            "characters: build the model with BigramLanguageModel(corpus.vocab_size)"
        )
    return model


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
        # shown at 1/LIVE_SCALE of its pixels: never scaled up (blurry), only down on a narrow page
        if live is not None:
            width = round(live.fig.get_figwidth() * live.fig.dpi / LIVE_SCALE)
            self.image.layout = widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
        self.figure = live.fig if live is not None else None
        self.view = None  # the latest pure result
        self.error = None  # the message of the latest failed update, else None
        self._compute, self._describe, self._live = compute, describe, live
        self._update, self._adjust = update, adjust
        self._busy = False
        for name, control in self.controls.items():
            control.add_class(f"bigram-control-{name}")
            control.style.description_width = LABEL_WIDTH
            control.layout.width = CONTROL_WIDTH
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
                    readout = self._describe(view)
                    if self._live is not None:
                        # the artists take the new numbers; the static part may change
                        layout = self._update(view)
                        self.image.value = self._live.png(layout)
            except Exception as err:
                # a bad combination of values, a broken model: say so in place of the numbers, never keep
                # showing the last numbers as if they were the new ones
                self.error = (
                    f"{type(err).__name__}: {err}" if not isinstance(err, ValueError) else str(err)
                )
                self.readout.value = (
                    f"<span style='color:#d32f2f'>Cannot show this setting: "
                    f"{html.escape(self.error)}</span>"
                )
                return self.view
            self.error = None
            self.view = view
            self.readout.value = readout
            return view
        finally:
            self._busy = False


def new_figure(figsize, dpi=None):
    """A Figure that a notebook shows once when a cell returns it: made by pyplot, then closed at once."""
    # pyplot loads the notebook's backend, which knows how to show it
    fig = plt.figure(figsize=figsize, dpi=dpi)
    plt.close(fig)  # not pyplot's any more: it is not shown a second time at the end of the cell
    return fig
