"""Verdict: a self-check's one clear answer, rich in JupyterLab and plain text elsewhere."""

import contextlib
import functools
import html
import io
import re
import textwrap
from dataclasses import dataclass

from ..threads import one_thread

LABELS = {"correct": "Correct!", "not quite": "Not quite:", "not yet": "Not yet:"}
COLOURS = {"correct": "#1a7f37", "not quite": "#b35900", "not yet": "#6e7781"}  # readable on light and dark
ICONS = {"correct": "✔", "not quite": "✘", "not yet": "…"}
SOLUTIONS = {}  # exercise number ("04.1") -> worked solution, in Markdown
WIDTH = 88  # plain-text wrap width


def _plain(text):
    """Markdown-ish message as plain text: `code` loses its backticks."""
    return re.sub(r"`([^`]*)`", r"\1", text)


def _html(text):
    """Message as HTML: escaped, `code` as <code>, line breaks kept."""
    escaped = html.escape(text)
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", escaped).replace("\n", "<br>")


@dataclass(frozen=True)
class Verdict:
    """What a check found: status ('correct', 'not quite', 'not yet'), a message and the exercise number."""

    status: str
    message: str
    exercise: str = ""

    def __bool__(self):
        return self.status == "correct"

    @property
    def passed(self):
        """True only when the answer is correct."""
        return self.status == "correct"

    @property
    def text(self):
        """The verdict as plain text, one paragraph per line, unwrapped."""
        lines = [f"{LABELS[self.status]} {_plain(self.message)}"]
        if self.status == "not quite" and self.exercise in SOLUTIONS:
            lines.append(f'Stuck? show_solution("{self.exercise}") shows a worked solution.')
        return "\n".join(lines)

    def __str__(self):
        return "\n".join(textwrap.fill(p, WIDTH, break_long_words=False, break_on_hyphens=False)
                         for p in self.text.split("\n"))

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        colour = COLOURS[self.status]
        label = html.escape(LABELS[self.status].rstrip("!:"))
        hint = ""
        if self.status == "not quite" and self.exercise in SOLUTIONS:
            hint = (f'<div style="margin-top:0.3em;opacity:0.8">Stuck? <code>show_solution("{self.exercise}")'
                    "</code> shows a worked solution.</div>")
        return (f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em;line-height:1.45;'
                f'color:var(--jp-content-font-color1,inherit);max-width:60em">'
                f'<strong style="color:{colour}">{ICONS[self.status]} {label}</strong> '
                f"{_html(self.message)}{hint}</div>")

    @classmethod
    def from_check(cls, ok, printed, exercise=""):
        """A verdict from what a check returned (ok) and printed (its message)."""
        text = printed.strip()
        status = "correct" if ok else ("not yet" if text.startswith("Not yet") else "not quite")
        for prefix in LABELS.values():
            if text.startswith(prefix):
                text = text[len(prefix):].strip()
        return cls(status, text, exercise)


def exercise(number, solution=None):
    """Decorator: a check that prints its message and returns a bool becomes one returning a Verdict."""

    def wrap(check):
        @functools.wraps(check)
        def run(answer, *args, **kwargs):
            printed = io.StringIO()
            with one_thread(), contextlib.redirect_stdout(printed):
                ok = check(answer, *args, **kwargs)
            return Verdict.from_check(bool(ok), printed.getvalue(), number)

        run.exercise = number
        if solution is not None:
            SOLUTIONS[number] = textwrap.dedent(solution).strip()
        return run

    return wrap


@dataclass(frozen=True)
class Solution:
    """A worked solution, shown as Markdown in JupyterLab and as plain text elsewhere."""

    exercise: str
    text: str

    def __repr__(self):
        body = "\n".join(line for line in self.text.splitlines() if not line.startswith("```"))
        return f"Worked solution, exercise {self.exercise}:\n{_plain(body)}"

    def _repr_markdown_(self):
        return f"**Worked solution, exercise {self.exercise}**\n\n{self.text}"


def show_solution(number):
    """The worked solution of exercise `number` (e.g. "04.1"): asked for on purpose, never shown by a check."""
    if number not in SOLUTIONS:
        known = ", ".join(sorted(SOLUTIONS)) or "none yet"
        raise KeyError(f"no worked solution for exercise {number!r}; exercises with one: {known}")
    return Solution(number, SOLUTIONS[number])
