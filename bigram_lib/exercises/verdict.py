"""Verdict: a self-check's one clear answer, with a reason a program can read; rich in JupyterLab.

A check is written as `@exercise("04.1", reads=read_int, name="answer", expects="an int")` over a function
that receives the learner's answer already read (a plain int, float, str, shape ...) and returns
`correct(message)` or `not_quite(reason, message)`. The decorator answers for the placeholder (`None`) and
for an answer of the wrong kind, the same way in every check.
"""

import functools
import html
import re
import textwrap
from dataclasses import dataclass, replace

from ..course.checks import shown
from ..course.threads import one_thread

LABELS = {"correct": "Correct!", "not quite": "Not quite:", "not yet": "Not yet:"}
# readable on light and dark
# on the note's own light panel, so they pass WCAG AA contrast in a light and a dark theme alike
COLOURS = {"correct": "#1a7f37", "not quite": "#9a4d00", "not yet": "#59636e"}
PANEL = "background:#f6f8fa;color:#1f2328"
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
    """What a check found: a status, a reason (machine-readable), a message for the learner, the exercise.

    status: "correct", "not quite" or "not yet". reason: "correct", "placeholder" (the answer is still None),
    "type" (an answer of the wrong kind), or the check's own name for the mistake it recognised
    ("sum_not_mean", "probabilities_fed").
    """

    status: str
    reason: str
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
        return "\n".join(
            textwrap.fill(p, WIDTH, break_long_words=False, break_on_hyphens=False)
            for p in self.text.split("\n")
        )

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        colour = COLOURS[self.status]
        label = html.escape(LABELS[self.status].rstrip("!:"))
        hint = ""
        if self.status == "not quite" and self.exercise in SOLUTIONS:
            hint = (
                f'<div style="margin-top:0.3em;opacity:0.8">Stuck? <code>show_solution("{self.exercise}")'
                "</code> shows a worked solution.</div>"
            )
        return (
            f'<div style="border-left:4px solid {colour};padding:0.3em 0.8em;line-height:1.45;'
            f'{PANEL};max-width:60em">'
            f'<strong style="color:{colour}">{ICONS[self.status]} {label}</strong> '
            f"{_html(self.message)}{hint}</div>"
        )


def correct(message):
    """The verdict for a right answer."""
    return Verdict("correct", "correct", message)


def not_quite(reason, message):
    """The verdict for a wrong answer: `reason` names the mistake for programs, `message` explains it."""
    return Verdict("not quite", reason, message)


def exercise(number, *, reads=None, name="answer", expects="your answer", solution=None):
    """Decorator: a check of exercise `number` that gets the answer read by `reads` and returns one Verdict.

    `name` is the notebook's variable for the answer and `expects` says what it should hold, both for the
    learner's messages; `reads(answer)` returns the answer as a plain value, or None for the wrong kind.
    """

    def wrap(check):
        @functools.wraps(check)
        def run(answer, *args, **kwargs):
            read = answer if reads is None or answer is None else reads(answer)
            if answer is None:
                verdict = Verdict(
                    "not yet", "placeholder", f"`{name}` is still None. Replace it with {expects}."
                )
            elif read is None:
                verdict = not_quite(
                    "type",
                    f"`{name}` should be {expects}; it is {shown(answer)} "
                    f"({type(answer).__name__}).",
                )
            else:
                with one_thread():
                    verdict = check(read, *args, **kwargs)
            return replace(verdict, exercise=number)

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
    """The worked solution of exercise `number` ("04.1"): asked for on purpose, never shown by a check."""
    if number not in SOLUTIONS:
        known = ", ".join(sorted(SOLUTIONS)) or "none yet"
        raise KeyError(f"no worked solution for exercise {number!r}; exercises with one: {known}")
    return Solution(number, SOLUTIONS[number])
