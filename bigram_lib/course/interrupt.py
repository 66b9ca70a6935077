"""Ctrl-C (and JupyterLab's stop button): stop the cell, but keep the work that is done."""

import signal
import threading
from contextlib import contextmanager


class TrainingInterrupted(KeyboardInterrupt):
    """Training was stopped: the model keeps its steps so far; `.history` (and `.model`, when made here) hold them."""

    def __init__(self, history, model=None, note=""):
        self.history, self.model = history, model
        done, planned = history.steps_done, history.steps_planned
        when = (
            f"after all {planned:,} steps had run"
            if done == planned and not history.interrupted
            else f"after {done:,} of {planned:,} steps"
        )
        which = (
            "this error's `.model` keeps" if model is not None else "the model you passed in keeps"
        )
        super().__init__(
            f"Training stopped (Ctrl-C) {when}: {which} what it learned, and the history so far is "
            f"this error's `.history` (in a notebook: `import sys; sys.last_value.history`).{note}"
        )


@contextmanager
def deferred_interrupt():
    """A Ctrl-C inside the block waits until the block is done (a save, a last evaluation), then is raised."""
    # only the main thread receives signals
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and callable(previous):
        previous(signal.SIGINT, None)  # Python's own handler raises KeyboardInterrupt here
