"""What a benchmark ran on: CPU model, cores, load average before the run, date, versions."""

import datetime
import os
import platform
import subprocess
import sys
import time
from contextlib import contextmanager


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, else what platform knows."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average():
    """The 1, 5 and 15 minute load averages as text, or 'n/a' where the system has none."""
    try:
        return "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def describe_machine():
    """Markdown lines: date, CPU, cores, load before the run, Python and torch."""
    import torch

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"- date: {now}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}",
        f"- load average before the run (1 / 5 / 15 min, on {os.cpu_count()} cores): {load_average()}",
        f"- Python {platform.python_version()}, torch {torch.__version__} "
        f"({torch.backends.cpu.get_cpu_capability()}), torch's default threads: {torch.get_num_threads()}",
    ]


def _cpu_seconds(pid):
    """User + system CPU seconds a process has used (Linux /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def busy_neighbour():
    """A second process that keeps one core busy (a pure-Python spin loop) for the block; always stopped.

    Yields a dict that, after the block, holds the neighbour's CPU share of the block's wall time
    ('cpu_share', None where /proc is missing), to show that it really was busy.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", "while True: pass"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    info = {"cpu_share": None}
    try:
        time.sleep(0.3)  # let it start spinning
        cpu0, t0 = _cpu_seconds(proc.pid), time.perf_counter()
        yield info
        cpu1, t1 = _cpu_seconds(proc.pid), time.perf_counter()
        if cpu0 is not None and cpu1 is not None:
            info["cpu_share"] = (cpu1 - cpu0) / (t1 - t0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
