"""The package works however it is installed: the wheel and the sdist hold every sub-package and data file, and
a non-editable install in a fresh virtual environment imports them all, runs the command line and a notebook."""

import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = sorted(
    str(p.parent.relative_to(ROOT)).replace(os.sep, ".")
    for p in (ROOT / "bigram_lib").rglob("__init__.py")
)
DATA = sorted(
    str(p.relative_to(ROOT)).replace(os.sep, "/") for p in (ROOT / "bigram_lib" / "texts").iterdir()
)

pytestmark = pytest.mark.slow  # builds a wheel and an sdist, and makes a virtual environment


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The wheel and the sdist, built from the working tree without network (the build backend is installed)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--wheel",
            "--sdist",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def test_the_package_has_sub_packages_to_lose():
    assert {
        "bigram_lib",
        "bigram_lib.course",
        "bigram_lib.explorers",
        "bigram_lib.exercises",
    } <= set(PACKAGES)


def test_the_wheel_holds_every_sub_package_and_data_file(dist):
    names = set(zipfile.ZipFile(dist[0]).namelist())
    for package in PACKAGES:
        assert package.replace(".", "/") + "/__init__.py" in names, package
    modules = {
        str(p.relative_to(ROOT)).replace(os.sep, "/") for p in (ROOT / "bigram_lib").rglob("*.py")
    }
    assert modules <= names, modules - names
    assert set(DATA) <= names


def test_the_sdist_holds_every_sub_package_and_data_file(dist):
    with tarfile.open(dist[1]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    modules = {
        str(p.relative_to(ROOT)).replace(os.sep, "/") for p in (ROOT / "bigram_lib").rglob("*.py")
    }
    assert modules <= names, modules - names
    assert set(DATA) <= names and "LICENSE" in names and "pyproject.toml" in names


def test_a_fresh_non_editable_install_runs_the_course(dist, tmp_path):
    # a fresh environment that sees this one's dependencies (torch, jupyter ...) but not its bigram_lib: the
    # editable install's finder lives in a .pth file of its own, which a plain path entry does not run
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    with zipfile.ZipFile(dist[0]) as wheel:  # a wheel is a zip of what goes into site-packages
        wheel.extractall(site)
    away = {**os.environ, "PYTHONPATH": ""}
    probe = (
        "import importlib, bigram_lib; "
        f"[importlib.import_module(p) for p in {PACKAGES!r}]; "
        "from bigram_lib.course.owntext import sample_text_path; "
        "print(bigram_lib.__file__); print(sample_text_path().is_file())"
    )
    out = subprocess.run(
        [str(python), "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=away,
    )
    where, text_ok = out.stdout.split()
    assert Path(where).is_relative_to(Path(site)) and text_ok == "True"
    names = subprocess.run(
        [
            str(python),
            "-c",
            "from bigram_lib.course.owntext import sample_text_path as p; print(p())",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=away,
    ).stdout.strip()
    cli = subprocess.run(
        [str(python), "-m", "bigram_lib", "--data", names, "--steps", "20", "--no-progress"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=away,
    )
    assert cli.returncode == 0, cli.stderr
    assert "trained sample:" in cli.stdout and "floor" in cli.stdout
    notebook = ROOT / "notebooks" / "11_your_own_text.ipynb"
    run = (
        "import nbformat, sys; from nbclient import NotebookClient; "
        f"nb = nbformat.read({str(notebook)!r}, as_version=4); "
        "nb.cells.append(nbformat.v4.new_code_cell('import bigram_lib; print(bigram_lib.__file__)')); "
        "NotebookClient(nb, timeout=600, kernel_name='python3').execute(); "
        "print(nb.cells[-1].outputs[0]['text'].strip())"
    )
    ran = subprocess.run(
        [str(python), "-c", run],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**away, "OMP_NUM_THREADS": "1"},
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    # the notebook's kernel ran the installed wheel
    assert Path(ran.stdout.split()[-1]).is_relative_to(Path(site))


def test_the_command_line_entry_point_names_a_function_that_exists(dist):
    import configparser
    import importlib

    with zipfile.ZipFile(dist[0]) as wheel:
        name = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
        entry = configparser.ConfigParser()
        entry.read_string(wheel.read(name).decode())
    module, function = entry["console_scripts"]["bigram"].split(":")
    assert callable(getattr(importlib.import_module(module), function))
