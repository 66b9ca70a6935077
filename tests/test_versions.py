"""The verified PyTorch range, and the notice a learner outside it sees."""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

try:
    import tomllib
# Python 3.10: the same parser, from PyPI (the test extra installs it there)
except ModuleNotFoundError:
    import tomli as tomllib

from bigram_lib.course.versions import (
    VERIFIED_TORCH,
    TorchVersionWarning,
    release,
    torch_notice,
    warn_if_unverified,
)

ROOT = Path(__file__).resolve().parent.parent


def test_release_reads_local_and_cuda_builds():
    assert (
        release("2.13.0+cpu") == (2, 13, 0)
        and release("2.14.1+cu130") == (2, 14, 1)
        and release("2.10") == (2, 10, 0)
    )
    with pytest.raises(ValueError, match="not a PyTorch version"):
        release("nightly")


def test_inside_the_range_there_is_no_notice():
    low, high = VERIFIED_TORCH
    assert (
        torch_notice(low) is None
        and torch_notice(high) is None
        and torch_notice(high + "+cpu") is None
    )


@pytest.mark.parametrize("version", ["2.2.2", "2.6.0+cu124", "3.0.0"])
def test_outside_the_range_the_notice_names_what_may_differ(version):
    notice = torch_notice(version)
    assert f"PyTorch {version} is outside" in notice
    assert "sampled text" in notice and "torch.multinomial" in notice  # what differs, as measured
    # and how to get identical numbers
    assert f"torch>={VERIFIED_TORCH[0]},<={VERIFIED_TORCH[1]}" in notice


def test_the_notice_is_a_warning_of_its_own_kind():
    with pytest.warns(TorchVersionWarning, match="outside the range"):
        warn_if_unverified("2.2.2")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_if_unverified(VERIFIED_TORCH[1]) is None


def test_importing_the_library_warns_early_outside_the_range():
    code = (
        "import torch; torch.__version__ = '2.2.2'; import warnings; warnings.simplefilter('always'); "
        "import bigram_lib"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "TorchVersionWarning: PyTorch 2.2.2 is outside" in done.stderr


def test_this_torch_is_inside_the_range_that_ci_checks():
    assert torch_notice() is None, torch_notice()


def test_the_package_admits_exactly_the_verified_range():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [d for d in deps if re.match(r"torch\b", d)]
    low, high = VERIFIED_TORCH
    assert spec.replace(" ", "") == f"torch>={low},<={high}"
