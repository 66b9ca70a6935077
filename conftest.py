"""The notebooks' figure comparison, for every pytest run in this repository (tests/ or notebooks/ alone)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))
import figures


def pytest_configure(config):
    """Make nbval compare every stored figure too (tests/figures.py says how), not only text outputs."""
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:  # nbval not installed: no notebooks are collected either
        return
    if getattr(IPyNbCell.compare_outputs, "compares_figures", False):
        return
    compare_text = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        found = figures.differences(test, ref)
        if found:
            self.comparison_traceback = [self.colors.FAIL + "\n".join(found) + self.colors.ENDC]
            return False
        return compare_text(self, test, ref, skip_compare)

    compare_outputs.compares_figures = True
    IPyNbCell.compare_outputs = compare_outputs
