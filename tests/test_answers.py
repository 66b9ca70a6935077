"""answers: reading a learner's answer the same way in every self-check."""

import torch

from bigram_lib.answers import as_float, as_int, as_shape, not_yet, report


def test_not_yet_speaks_only_for_the_placeholder(capsys):
    assert not_yet(None, "an int") is True
    assert capsys.readouterr().out == "Not yet: `answer` is still None. Replace it with an int.\n"
    assert not_yet(0, "an int") is False
    assert capsys.readouterr().out == ""


def test_report_prints_the_verdict_and_returns_it(capsys):
    assert report(True, "well done") is True
    assert capsys.readouterr().out == "Correct! well done\n"
    assert report(False, "not quite") is False
    assert capsys.readouterr().out == "not quite\n"


def test_numbers_and_shapes_are_read_from_tensors_and_plain_values():
    assert as_int(torch.tensor(7)) == 7 and as_int(7) == 7
    assert as_int(True) is None and as_int(7.0) is None and as_int(torch.tensor(7.0)) is None
    assert as_float(torch.tensor(0.5)) == 0.5 and as_float(2) == 2.0 and as_float("2") is None
    assert as_shape(torch.Size([32, 65])) == (32, 65) and as_shape([4, 8]) == (4, 8)
    assert as_shape((4, 8.0)) is None and as_shape((True,)) is None and as_shape("48") is None
