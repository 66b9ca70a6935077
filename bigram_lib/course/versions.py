"""The PyTorch releases the stored outputs were checked against, and a clear notice outside them."""

import os
import re
import warnings

import torch

# oldest and newest release that reproduce every stored output on CPU
VERIFIED_TORCH = ("2.7.0", "2.15.0")
MAY_DIFFER = (  # measured on CPU with 2.0.0, 2.2.2, 2.4.1 and 2.6.0
    "every sampled text (2.0 to 2.6 turn the same seed into other torch.multinomial draws: notebooks "
    "01, 08, 09, 10, 11)",
    "every loss of a run that samples before it trains (a torch.multinomial draw there takes another "
    "amount of the random stream, so the training batches change: the video's recipe in notebooks 07 and "
    "10, and python -m bigram_lib)",
    "a few printed warnings",
)


class TorchVersionWarning(UserWarning):
    """This PyTorch is outside the range the course's stored outputs were checked with."""


def release(version):
    """(major, minor, patch) of a version string such as '2.13.0+cpu'."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", str(version))
    if match is None:
        raise ValueError(f"not a PyTorch version: {version!r}")
    return tuple(int(part or 0) for part in match.groups())


UNDER_TEST = "BIGRAM_TORCH_UNDER_TEST"  # scripts/check_torch.py sets it to the release it checks


def torch_notice(version=None):
    """None inside the verified range (or for the release under test), else what may differ from the outputs."""
    version = torch.__version__ if version is None else version
    low, high = VERIFIED_TORCH
    if release(low) <= release(version) <= release(high) or os.environ.get(UNDER_TEST) == str(
        version
    ):
        return None
    return (
        f"PyTorch {version} is outside the range this course's stored outputs were checked with "
        f"({low} to {high}, on CPU). Everything runs, but these may differ from the stored outputs: "
        + "; ".join(MAY_DIFFER)
        + f". For identical numbers: pip install 'torch>={low},<={high}'."
    )


def warn_if_unverified(version=None):
    """Warn once, at import, when this PyTorch may print other numbers than the stored outputs."""
    notice = torch_notice(version)
    if notice is not None:
        warnings.warn(notice, TorchVersionWarning, stacklevel=3)
    return notice
