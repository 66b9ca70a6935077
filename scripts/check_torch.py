"""Run the whole test suite against another PyTorch release, in a virtual environment of its own.

Usage: python scripts/check_torch.py 2.16.0 [--python python3.12] [--index URL] [-- pytest arguments]

It makes .venv-torch-<release> (with the given Python), installs that torch (from PyTorch's CPU wheel index
by default: no CUDA download), then this project with its test extra, and runs the README's test command
there with the release marked as under test, so the notice for unverified releases stays quiet and every
stored output is compared. All green means the release reproduces the course: widen VERIFIED_TORCH in
bigram_lib/course/versions.py and the range in pyproject.toml and environment.yml, and say so in the
README's "Which PyTorch" and the CHANGELOG.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def run(*command, **kwargs):
    """Run a command, echoing it, and stop at the first failure."""
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, **kwargs)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("release", help="the torch release to check, e.g. 2.16.0")
    parser.add_argument(
        "--python", default=sys.executable, help="the Python to build the environment with"
    )
    parser.add_argument(
        "--index", default=CPU_INDEX, help="where torch comes from ('pypi' for the package index)"
    )
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args(argv)
    env_dir = ROOT / f".venv-torch-{args.release}"
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        run(args.python, "-m", "venv", env_dir)
    index = [] if args.index == "pypi" else ["--index-url", args.index]
    run(python, "-m", "pip", "install", "-q", f"torch=={args.release}", *index)
    constraint = env_dir / "torch-constraint.txt"
    # the project's own range must not swap the release
    constraint.write_text(f"torch=={args.release}\n")
    run(python, "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]", "-c", constraint)
    version = subprocess.run(
        [python, "-c", "import torch; print(torch.__version__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env = {**os.environ, "BIGRAM_TORCH_UNDER_TEST": version}
    result = subprocess.run([python, "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env)
    print(f"torch {version}: {'every test passed' if result.returncode == 0 else 'FAILED'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
