"""The command line: the notes' MAIN section end to end."""

import subprocess
import sys

import pytest

from bigram_lib.course.cli import main


@pytest.mark.slow  # trains 300 steps and counts the whole corpus
def test_short_run_prints_the_notes_values(capsys):
    assert main(["--steps", "300", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tensor([[53, 59,  6,  1, 58, 56, 47, 40]," in out
    assert "logits.shape: torch.Size([32, 65])" in out
    assert "loss: tensor(4.8948, grad_fn=<NllLossBackward0>)" in out
    assert (
        "\nSKIcLT;AcELMoTbvZv C?nq-QE33:CJqkOKH-q;:la!oiywkHjgChzbQ?u!3bLIgwevmyFJGUGp\nwnYWmnxKWWev-tDqXErVKLgJ\n"
        in out
    )
    assert "training 300 steps" in out
    assert "floor 2.4519" in out and "baseline 2.4819" in out


def test_sample_length_option(capsys):
    assert main(["--steps", "0", "--sample-length", "5", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "untrained sample:\n\nSKIcL\n" in out


def test_help_reads_well():
    out = subprocess.run(
        [sys.executable, "-m", "bigram_lib", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for text in ("--steps", "default: 100000", "--seed", "--sample-length", "BIGRAM_DATA"):
        assert text in out


@pytest.mark.parametrize(
    "args,message",
    [
        (["--steps", "-1"], "--steps: must be an integer >= 0, got -1"),
        (["--batch-size", "0"], "must be a positive integer"),
    ],
)
def test_bad_options(args, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_missing_corpus_says_what_to_set(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nope.txt"), "--no-progress"]) == 2
    assert "nope.txt, which is not a file" in capsys.readouterr().err
