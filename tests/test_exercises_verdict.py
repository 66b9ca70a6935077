"""The exercises' plumbing: reading answers, one verdict per check, worked solutions on request."""

import inspect
import itertools
import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn

from bigram_lib import BigramLanguageModel, exercises
from bigram_lib.exercises import answers
from bigram_lib.exercises.answers import (
    read_array,
    read_char,
    read_count,
    read_float,
    read_floats,
    read_function,
    read_int,
    read_names,
    read_pair,
    read_shape,
    read_shapes,
    read_str,
    read_tensor,
)
from bigram_lib.exercises.verdict import (
    SOLUTIONS,
    Verdict,
    correct,
    exercise,
    not_quite,
    show_solution,
)

CHECKS = [getattr(exercises, name) for name in exercises.__all__ if name.startswith("check_")]
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


class EqStr(str):
    """A str that says it equals anything."""

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class EqInt(int):
    """An int that says it equals anything."""

    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class EqTensor(torch.Tensor):
    """A tensor that says it equals anything."""

    def __eq__(self, other):
        return True

    __hash__ = torch.Tensor.__hash__


class BadRepr:
    """An object whose repr (and so str) raises."""

    def __repr__(self):
        raise RuntimeError("no repr for you")


def extra_args(number, corpus):
    """What a notebook cell passes to exercise `number`'s check after the answer."""
    if number == "02.2":
        return (torch.Generator().manual_seed(1337),)
    if number == "02.3":
        return (nn.CrossEntropyLoss(),)
    if number == "04.3":
        return (torch.Generator().manual_seed(42),)
    if number in ("08.2", "08.3"):
        return (BigramLanguageModel(corpus.vocab_size),)
    if number.startswith("11."):
        return (corpus,)
    return ()


# ---------------------------------------------------------------- reading answers


def test_numbers_are_read_by_one_rule():
    for seven in (
        7,
        np.int64(7),
        np.int32(7),
        torch.tensor(7),
        torch.tensor([7]),
        torch.tensor([[7]]),
    ):
        assert read_int(seven) == 7 and type(read_int(seven)) is int
    for not_int in (True, np.bool_(True), 7.0, torch.tensor(7.0), torch.tensor([1, 2]), "7", None):
        assert read_int(not_int) is None
    assert (
        read_count(73.0) == 73 and read_count(torch.tensor(73.0)) == 73 and read_count(73.5) is None
    )
    for half in (0.5, np.float32(0.5), np.float64(0.5), torch.tensor(0.5), torch.tensor([0.5])):
        assert read_float(half) == 0.5 and type(read_float(half)) is float
    assert read_float(2) == 2.0 and read_float("2") is None and read_float(True) is None
    assert read_float(torch.tensor([0.5, 0.5])) is None


def test_shapes_pairs_and_names_are_read_by_one_rule():
    for shape in ((32, 65), [32, 65], torch.Size([32, 65]), (np.int64(32), torch.tensor(65))):
        assert read_shape(shape) == (32, 65) and type(read_shape(shape)) is tuple
    assert read_shape((4, 8.0)) is None and read_shape((True,)) is None and read_shape("48") is None
    assert read_shape(48) is None
    assert (
        read_shapes((torch.Size([10, 65]), [10])) == ((10, 65), (10,))
        and read_shapes((10, 10)) is None
    )
    x = torch.arange(3)
    for pair in ((x, x), [x, x], (x.numpy(), x)):
        got = read_pair(pair)
        assert got is not None and all(type(t) is torch.Tensor for t in got)
    assert read_pair((x,)) is None and read_pair((x, "y")) is None
    assert read_names(["get_batch", "step"]) == ("get_batch", "step") and read_names("step") is None
    assert read_names(["step", 5]) is None


def test_text_tensors_and_functions_are_read_plain():
    assert type(read_str(EqStr("e"))) is str and read_str(EqStr("e")) == "e" and read_str(5) is None
    assert read_char("e") == "e" and read_char("ab") is None
    plain = read_tensor(torch.zeros(3).as_subclass(EqTensor))
    assert type(plain) is torch.Tensor and not plain.requires_grad
    assert read_tensor(torch.ones(2, requires_grad=True)).requires_grad is False
    assert read_tensor([1.0]) is None
    assert read_floats([0.5, np.float32(0.25), torch.tensor(1.0)]).tolist() == [0.5, 0.25, 1.0]
    assert read_floats(["a"]) is None
    assert read_array([[1.0, 2.0]]).shape == (1, 2) and read_array([[1.0], [2.0, 3.0]]) is None
    assert read_array(np.zeros((2, 3))).dtype == torch.float64
    assert read_function(len) is len and read_function(3) is None


def test_the_old_printing_helpers_are_gone():
    for name in (
        "not_yet",
        "report",
        "verdict",
        "as_shape",
        "as_int",
        "as_float",
        "seeded_setup",
        "notes_batch",
        "notes_model",
    ):
        assert not hasattr(answers, name), name
    assert not hasattr(Verdict, "from_check")


def test_no_check_prints_or_captures_output():
    for module in {inspect.getmodule(check) for check in CHECKS} | {answers}:
        source = inspect.getsource(module)
        assert not re.search(r"print\(|redirect_stdout|StringIO|import \*", source), module.__name__


# ---------------------------------------------------------------- every check


def test_there_are_29_checks_each_with_its_own_number_and_solution():
    numbers = [c.exercise for c in CHECKS]
    assert len(numbers) == 29 and len(set(numbers)) == 29, sorted(numbers)
    assert set(numbers) <= set(SOLUTIONS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.exercise)
def test_every_check_gives_one_verdict_for_the_placeholder(check, corpus):
    v = check(None, *extra_args(check.exercise, corpus))
    assert isinstance(v, Verdict) and v.status == "not yet" and v.reason == "placeholder" and not v
    assert v.exercise == check.exercise and v.exercise[:2].isdigit()
    assert "True" not in repr(v) and "False" not in repr(v)


STRANGE_ANSWERS = {
    "bad_repr": BadRepr(),
    "bad_repr_in_a_list": [BadRepr(), BadRepr()],
    "eq_char": EqStr("#"),
    "eq_text": EqStr("#" * 20),
    "eq_int": EqInt(0),
    "eq_int_7": EqInt(7),
    "eq_shape": (EqInt(7), EqInt(7)),
    "eq_names": [EqStr("step")] * 5,
    "eq_scalar": torch.tensor(0.0).as_subclass(EqTensor),
    "eq_long": torch.tensor(7).as_subclass(EqTensor),
    "eq_row": torch.zeros(65).as_subclass(EqTensor),
    "eq_pair": (
        torch.zeros(3, 5, dtype=torch.long).as_subclass(EqTensor),
        torch.zeros(3, 5, dtype=torch.long).as_subclass(EqTensor),
    ),
}


@pytest.mark.parametrize("kind", STRANGE_ANSWERS)
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.exercise)
def test_no_strange_answer_passes_or_raises(check, kind, corpus):
    v = check(STRANGE_ANSWERS[kind], *extra_args(check.exercise, corpus))
    assert isinstance(v, Verdict) and v.status == "not quite" and v.exercise == check.exercise, (
        v.text
    )
    assert re.fullmatch(r"[a-z][a-z0-9_]*", v.reason), v.reason
    assert not v.message.startswith(("Not quite", "not quite", "Correct", "Not yet"))
    assert str(v) and v._repr_html_()


def _cells_calling_checks():
    """(check name, the variable its notebook cell passes) for every exercise cell of the notebooks."""
    calls = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "code":
                calls += re.findall(r"^(check_\w+)\((\w+)", source, re.MULTILINE)
    return calls


def test_each_verdict_names_the_variable_of_its_notebook_cell(corpus):
    calls = _cells_calling_checks()
    assert len(calls) == 29, calls
    for check_name, variable in calls:
        check = getattr(exercises, check_name)
        v = check(None, *extra_args(check.exercise, corpus))
        assert v.message.startswith(f"`{variable}` is still None"), (check_name, v.message)
        v = check(BadRepr(), *extra_args(check.exercise, corpus))
        assert v.reason != "type" or f"`{variable}`" in v.message, (check_name, v.message)


# ---------------------------------------------------------------- the decorator and the verdict


def test_a_check_returns_correct_or_not_quite_and_the_decorator_answers_the_rest():
    @exercise("99.1", reads=read_int, name="n", expects="an int")
    def check(n):
        return correct(f"`{n}` is right.") if n == 1 else not_quite("other", "try `1`.")

    good, bad, placeholder, wrong_kind = check(1), check(2), check(None), check("1")
    assert (good.status, good.reason, good.exercise) == ("correct", "correct", "99.1")
    assert good.passed and good
    assert (bad.status, bad.reason) == ("not quite", "other") and not bad
    assert (placeholder.status, placeholder.reason) == ("not yet", "placeholder")
    assert (wrong_kind.status, wrong_kind.reason) == ("not quite", "type")
    assert placeholder.message.startswith("`n` is still None") and "an int" in placeholder.message
    assert (
        good.text == "Correct! 1 is right."
        and bad.text == "Not quite: try 1."
        and "`" not in str(bad)
    )
    assert "<code>1</code>" in good._repr_html_() and "Correct" in good._repr_html_()


def test_the_check_runs_on_one_thread():
    seen = []

    @exercise("99.2")
    def check(answer):
        seen.append(torch.get_num_threads())
        return correct("ok")

    before = torch.get_num_threads()
    check(0)
    assert seen == [1] and torch.get_num_threads() == before


def test_plain_text_wraps_between_words_only():
    # "Not quite: b..b" is 88 long, then 87 and a 1-letter word
    exact = "b" * 77 + " " + "c" * 87 + " x "
    long = (
        exact
        + " ".join(["supercalifragilistic"] * 12)
        + " `torch.nn.functional.cross_entropy(logits, targets)` "
        + " ".join(str(10 ** (i % 7)) for i in range(60))
    )
    text = str(Verdict("not quite", "other", long))
    lines = text.splitlines()
    assert len(lines) >= 5
    # no word broken, none lost
    assert text.split() == ["Not", "quite:", *long.replace("`", "").split()]
    assert all(len(line) <= 88 for line in lines)  # the plain-text width
    # each line is filled: the next word would not have fitted
    for line, after in itertools.pairwise(lines):
        assert len(line) + 1 + len(after.split()[0]) > 88, (line, after)


def test_html_escapes_the_message():
    assert "&lt;b&gt;" in Verdict("not quite", "other", "<b>")._repr_html_()


def test_a_solution_is_shown_only_when_asked_for():
    @exercise("99.3", solution="```python\nanswer = 42\n```\nBecause.")
    def check(answer):
        return not_quite("other", "no.")

    try:
        v = check(0)
        # never by accident
        assert "answer = 42" not in v.text and "answer = 42" not in v._repr_html_()
        assert 'show_solution("99.3")' in v.text  # but the way to it is named
        s = show_solution("99.3")
        assert (
            "answer = 42" in repr(s) and "```" not in repr(s) and "```python" in s._repr_markdown_()
        )
    finally:
        SOLUTIONS.pop("99.3", None)
    with pytest.raises(KeyError, match=r"no worked solution for exercise '99\.3'"):
        show_solution("99.3")
