"""one_thread: run the bigram's tiny tensors on one thread, then restore the caller's setting."""

from contextlib import contextmanager

import torch


@contextmanager
def one_thread():
    """Torch on one thread inside the block (or the decorated call), the caller's thread count after."""
    # A (32, 8) batch and a 65 x 65 table are too small to share: split across threads, each op waits
    # for the other thread, and a second busy process on the machine multiplies the time of every step.
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)
