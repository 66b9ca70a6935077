"""The exercises' plumbing: reading answers, one verdict per check, worked solutions on request."""

import pytest
import torch

from bigram_lib import exercises
from bigram_lib.exercises.answers import as_float, as_int, as_shape, not_yet, report
from bigram_lib.exercises.verdict import SOLUTIONS, Verdict, exercise, show_solution

CHECKS = [getattr(exercises, name) for name in exercises.__all__ if name.startswith("check_")]


def test_not_yet_speaks_only_for_the_placeholder(capsys):
    assert not_yet(None, "an int") is True
    assert capsys.readouterr().out == "Not yet: `answer` is still None. Replace it with an int.\n"
    assert not_yet(0, "an int") is False
    assert capsys.readouterr().out == ""


def test_report_prints_the_message_and_returns_ok(capsys):
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


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_every_check_gives_one_verdict_for_the_placeholder(check, corpus):
    own_text = check.exercise.startswith("11.")  # notebook 11's checks take the learner's corpus too
    v = check(None, corpus) if own_text else check(None)
    assert isinstance(v, Verdict) and v.status == "not yet" and not v
    assert v.exercise == check.exercise and v.exercise[:2].isdigit()
    assert "True" not in repr(v) and "False" not in repr(v)


def test_every_exercise_number_is_used_once():
    numbers = [c.exercise for c in CHECKS]
    assert len(numbers) == len(set(numbers)), sorted(numbers)


def test_verdict_from_a_check_that_prints_and_returns_a_bool():
    @exercise("99.1")
    def check(answer):
        print(f"Correct! `{answer}` is right." if answer == 1 else "Not quite: try `1`.")
        return answer == 1

    good, bad = check(1), check(2)
    assert good.passed and bool(good) and good.status == "correct" and good.message == "`1` is right."
    assert not bad and bad.status == "not quite" and bad.message == "try `1`."
    assert good.text == "Correct! 1 is right." and "`" not in str(bad)  # plain text: no raw markdown
    assert "<code>1</code>" in good._repr_html_() and "Correct" in good._repr_html_()


def test_the_check_runs_on_one_thread():
    seen = []

    @exercise("99.2")
    def check(answer):
        seen.append(torch.get_num_threads())
        return True

    before = torch.get_num_threads()
    check(0)
    assert seen == [1] and torch.get_num_threads() == before


def test_plain_text_wraps_between_words_only():
    long = " ".join(["supercalifragilistic"] * 12) + " `torch.nn.functional.cross_entropy(logits, targets)`"
    text = str(Verdict("not quite", long))
    assert max(len(line) for line in text.splitlines()) <= 88 or "cross_entropy(logits," in text
    assert all(word in ("Not", "quite:", "supercalifragilistic") or "cross_entropy" in word or "targets)" in word
               for line in text.splitlines() for word in line.split())


def test_html_escapes_the_message():
    assert "&lt;b&gt;" in Verdict("not quite", "<b>").to_html() if hasattr(Verdict, "to_html") else \
        "&lt;b&gt;" in Verdict("not quite", "<b>")._repr_html_()


def test_a_solution_is_shown_only_when_asked_for():
    @exercise("99.3", solution="```python\nanswer = 42\n```\nBecause.")
    def check(answer):
        print("Not quite: no.")
        return False

    try:
        v = check(0)
        assert "answer = 42" not in v.text and "answer = 42" not in v._repr_html_()  # never by accident
        assert 'show_solution("99.3")' in v.text  # but the way to it is named
        s = show_solution("99.3")
        assert "answer = 42" in repr(s) and "```" not in repr(s) and "```python" in s._repr_markdown_()
    finally:
        SOLUTIONS.pop("99.3", None)
    with pytest.raises(KeyError, match="no worked solution for exercise '99.3'"):
        show_solution("99.3")
