"""Self-checks for the exercises of notebook 06, cross-entropy and NLL."""

import math

import torch
from torch.nn import functional as F
from torch.overrides import TorchFunctionMode

from ..course.checks import shown
from ..course.recipes import notes_batch, notes_model
from .answers import course_corpus, read_float, read_function, read_int
from .verdict import correct, exercise, not_quite

# exercise 06.1: 26 lowercase letters and a space, not the 65 the notebook works with
UNIFORM_C = 27


@exercise(
    "06.1",
    reads=read_float,
    expects="a number",
    solution="""
```python
answer = math.log(27)  # or F.cross_entropy(torch.zeros(1, 27), torch.tensor([0])).item()
```
Equal scores give every one of the 27 characters the same probability, `1/27`, whatever the target, and the
loss is `-log(1/27) = ln 27`, about 3.2958: the loss of a model that knows nothing and says so.
""",
)
def check_uniform_loss(value):
    """Exercise 06.1: the loss of a model that gives all C = 27 characters of a small alphabet one score."""
    C = UNIFORM_C
    expected = F.cross_entropy(torch.zeros(1, C, dtype=torch.float64), torch.tensor([0])).item()
    if abs(value - expected) < 1e-4:
        return correct(
            f"Equal scores give p = 1/{C} to every character, and -log(1/{C}) = ln {C} = "
            f"{expected:.4f}, whatever the target."
        )
    if abs(value - expected) < 0.01:
        return not_quite(
            "rounded",
            f"{value} is ln {C} rounded. Give it to 4 decimals, or compute it: math.log({C}).",
        )
    if abs(value - 1 / C) < 1e-4:
        return not_quite(
            "probability",
            f"{value:.4f} is the probability 1/{C}. The loss is its negative (natural) log.",
        )
    if abs(value + expected) < 1e-4:
        return not_quite(
            "log_likelihood",
            f"{value:.4f} is the log likelihood. The loss is the NEGATIVE log likelihood.",
        )
    if abs(value - expected / math.log(10)) < 1e-4:
        return not_quite(
            "log10",
            f"{value:.4f} uses log base 10. Cross-entropy uses the natural log "
            "(math.log, torch.log).",
        )
    if abs(value - math.log(course_corpus().vocab_size)) < 1e-3:
        return not_quite(
            "corpus_vocab",
            f"{value:.4f} is ln 65, the loss of a uniform guess over the "
            f"corpus's 65 characters. This alphabet has {C}.",
        )
    return not_quite(
        "other",
        f"{value:.4f} is not it. With equal scores softmax gives every character the "
        "same probability; the loss is -log of that probability.",
    )


class _CallRecorder(TorchFunctionMode):
    """Records the torch functions a learner's code calls directly, however it imported them."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.add(getattr(func, "__name__", ""))
        return func(*args, **(kwargs or {}))


def _said(err):
    """What an exception says, even when its str fails."""
    try:
        return str(err)[:200]
    except Exception:
        return "(its message cannot be shown)"


READY_MADE = {  # functions that would do the exercise's work: the name -> what to say
    "cross_entropy": "`F.cross_entropy` itself (or `nn.CrossEntropyLoss`, which calls it)",
    "nll_loss": "`F.nll_loss`, which picks the targets and takes the mean for you",
}


@exercise(
    "06.2",
    reads=read_function,
    expects="a function of (logits, targets)",
    solution="""
```python
answer = lambda logits, targets: -F.softmax(logits, dim=1)[torch.arange(len(targets)), targets].log().mean()
```
`F.softmax(logits, dim=1)` makes each row a distribution; indexing with `torch.arange(N)` and `targets`
picks, in every row, the probability of that row's target; `-log` turns each into a loss, and `.mean()`
averages the rows, as `F.cross_entropy` does (`reduction='mean'`).
""",
)
def check_cross_entropy_function(fn):
    """Exercise 06.2: a function (logits, targets) -> loss built from softmax, log and indexing."""
    gen = torch.Generator().manual_seed(6)
    for n, c in ((6, 4), (3, 5), (32, 65)):
        logits = torch.randn(n, c, generator=gen) * 2  # (N, C)
        targets = torch.randint(c, (n,), generator=gen)  # (N,)
        expected = F.cross_entropy(logits, targets).item()
        try:
            with _CallRecorder() as calls:
                got = fn(logits.clone(), targets.clone())
        except Exception as err:
            return not_quite(
                "raised",
                f"your function raised {type(err).__name__}: {_said(err)} "
                f"(logits {tuple(logits.shape)}, targets {tuple(targets.shape)}).",
            )
        used = [name for name in READY_MADE if name in calls.names]
        if used:
            return not_quite(
                "ready_made",
                f"your function calls {READY_MADE[used[0]]}. The exercise is to "
                "build it yourself: softmax over dim=1, pick each row's target probability, "
                "-log, mean.",
            )
        value = read_float(got)
        if value is None:
            return not_quite(
                "not_one_number",
                "your function should return one number (a 0-d tensor or a "
                f"float); for logits {tuple(logits.shape)} it returned {shown(got, 60)}.",
            )
        if abs(value - expected) < 1e-4:
            continue
        picked = F.log_softmax(logits, dim=1)[torch.arange(n), targets]  # (N,)
        if abs(value + expected) < 1e-4:
            return not_quite(
                "sign",
                "off by a sign: the loss is the NEGATIVE mean log probability of the targets.",
            )
        if abs(value - (-picked.sum()).item()) < 1e-4:
            return not_quite(
                "sum_not_mean",
                "you returned the sum over rows; F.cross_entropy takes the mean "
                "(divide by the number of rows).",
            )
        if abs(value - F.cross_entropy(F.softmax(logits, dim=1), targets).item()) < 1e-4:
            return not_quite(
                "softmax_twice",
                "your function applies softmax twice: it receives raw logits, "
                "exactly as F.cross_entropy does.",
            )
        if (
            abs(value - (-F.log_softmax(logits, dim=0)[torch.arange(n), targets].mean()).item())
            < 1e-4
        ):
            return not_quite(
                "wrong_axis",
                "softmax runs over the wrong axis: each ROW (dim=1, the C scores "
                "of one position) must sum to 1.",
            )
        return not_quite(
            "other",
            f"for logits {tuple(logits.shape)} you got {value:.4f}, F.cross_entropy "
            f"gives {expected:.4f}. Steps: softmax over dim=1, pick each row's target column, "
            "-log, mean.",
        )
    return correct(
        "softmax -> pick the target's probability -> -log -> mean is exactly F.cross_entropy "
        "(on three random cases, up to 1e-4)."
    )


@exercise(
    "06.3",
    reads=read_int,
    expects="an int: the number of rows",
    solution="""
```python
answer = int((m.token_embedding_table.weight.grad != 0).any(dim=1).sum())  # after loss.backward()
# or, without the gradient: len(set(xb.flatten().tolist()))
```
Row `i` of the table takes part in the loss only where `xb` holds the id `i`, so the rows with a nonzero
gradient are exactly the distinct ids in `xb`; a character that appears several times adds its gradients
into the same row.
""",
)
def check_rows_with_grad(value):
    """Exercise 06.3: how many rows of the 65 x 65 table the notes' first batch gives a nonzero gradient."""
    corpus = course_corpus()
    xb, yb = notes_batch(corpus)
    model = notes_model(corpus.vocab_size)
    _, loss = model(xb, yb)
    loss.backward()
    grad = model.token_embedding_table.weight.grad  # (C, C), filled in by AccumulateGrad
    expected = int((grad != 0).any(dim=1).sum())
    if value == expected:
        return correct(
            f"Only the {expected} rows that xb looked up get a nonzero gradient: the lookup "
            "touches nothing else. (An AdamW step still moves every row a little: its weight "
            "decay shrinks all of them, and from the second step on Adam's running averages keep "
            "moving rows read earlier.)"
        )
    B, T = xb.shape
    C = grad.shape[0]
    if value == B * T:
        return not_quite(
            "positions",
            f"{value} is the number of positions, but a character that appears "
            "several times in xb looks up the same row, and its gradients add into that one "
            "row.",
        )
    if value == C:
        return not_quite(
            "all_rows",
            f"the table has {C} rows, but a row that xb never looks up plays no "
            "part in the loss, so its gradient is zero.",
        )
    return not_quite(
        "other",
        f"{value} is not it. Count the distinct ids in xb, or the rows of "
        "m.token_embedding_table.weight.grad that are not all zero.",
    )
