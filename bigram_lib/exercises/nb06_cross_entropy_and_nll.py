"""Self-checks for the exercises of notebook 06, cross-entropy and NLL."""

import math

import torch
from torch.nn import functional as F
from torch.overrides import TorchFunctionMode

from .answers import as_float, as_int, course_corpus, not_yet, notes_batch, notes_model
from .verdict import exercise

UNIFORM_C = 27  # exercise 06.1: 26 lowercase letters and a space, not the 65 the notebook works with


@exercise("06.1", solution="""
```python
answer = math.log(27)  # or F.cross_entropy(torch.zeros(1, 27), torch.tensor([0])).item()
```
Equal scores give every one of the 27 characters the same probability, `1/27`, whatever the target, and the
loss is `-log(1/27) = ln 27`, about 3.2958: the loss of a model that knows nothing and says so.
""")
def check_uniform_loss(answer):
    """Exercise 06.1: the loss of a model that gives all C = 27 characters of a small alphabet the same score."""
    if not_yet(answer, "a number"):
        return False
    value = as_float(answer)
    if value is None:
        print(f"Expected a number, got {answer!r}.")
        return False
    C = UNIFORM_C
    expected = F.cross_entropy(torch.zeros(1, C, dtype=torch.float64), torch.tensor([0])).item()
    if abs(value - expected) < 1e-4:
        print(f"Correct! Equal scores give p = 1/{C} to every character, and -log(1/{C}) = ln {C} = {expected:.4f}, "
              "whatever the target.")
        return True
    if abs(value - expected) < 0.01:
        print(f"Close: {value} is ln {C} rounded. Give it to 4 decimals, or compute it: math.log({C}).")
    elif abs(value - 1 / C) < 1e-4:
        print(f"{value:.4f} is the probability 1/{C}. The loss is its negative (natural) log.")
    elif abs(value + expected) < 1e-4:
        print(f"{value:.4f} is the log likelihood. The loss is the NEGATIVE log likelihood.")
    elif abs(value - expected / torch.log(torch.tensor(10.0, dtype=torch.float64)).item()) < 1e-4:
        print(f"{value:.4f} uses log base 10. Cross-entropy uses the natural log (math.log, torch.log).")
    elif abs(value - math.log(course_corpus().vocab_size)) < 1e-3:
        print(f"{value:.4f} is ln 65, the loss of a uniform guess over the corpus's 65 characters. "
              f"This alphabet has {C}.")
    else:
        print(f"{value:.4f}. With equal scores softmax gives every character the same probability; "
              "the loss is -log of that probability.")
    return False


class _CallRecorder(TorchFunctionMode):
    """Records the torch functions a learner's code calls directly, however it imported them."""

    def __init__(self):
        super().__init__()
        self.names = set()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.add(getattr(func, "__name__", ""))
        return func(*args, **(kwargs or {}))


READY_MADE = {  # functions that would do the exercise's work: the name -> what to say
    "cross_entropy": "`F.cross_entropy` itself (or `nn.CrossEntropyLoss`, which calls it)",
    "nll_loss": "`F.nll_loss`, which picks the targets and takes the mean for you",
}


@exercise("06.2", solution="""
```python
answer = lambda logits, targets: -F.softmax(logits, dim=1)[torch.arange(len(targets)), targets].log().mean()
```
`F.softmax(logits, dim=1)` makes each row a distribution; indexing with `torch.arange(N)` and `targets`
picks, in every row, the probability of that row's target; `-log` turns each into a loss, and `.mean()`
averages the rows, as `F.cross_entropy` does (`reduction='mean'`).
""")
def check_cross_entropy_function(answer):
    """Exercise 06.2: a function (logits, targets) -> loss built from softmax, log and indexing."""
    if not_yet(answer, "a function of (logits, targets)"):
        return False
    if not callable(answer):
        print(f"Expected a function (logits, targets) -> loss, got {type(answer).__name__}.")
        return False
    gen = torch.Generator().manual_seed(6)
    for n, c in ((6, 4), (3, 5), (32, 65)):
        logits = torch.randn(n, c, generator=gen) * 2  # (N, C)
        targets = torch.randint(c, (n,), generator=gen)  # (N,)
        expected = F.cross_entropy(logits, targets)
        try:
            with _CallRecorder() as calls:
                got = answer(logits.clone(), targets.clone())
        except Exception as err:  # the learner's code may fail in any way; report it
            print(f"Your function raised {type(err).__name__}: {err} (logits {tuple(logits.shape)}, "
                  f"targets {tuple(targets.shape)}).")
            return False
        used = [name for name in READY_MADE if name in calls.names]
        if used:
            print(f"Not quite: your function calls {READY_MADE[used[0]]}. The exercise is to build it yourself: "
                  "softmax over dim=1, pick each row's target probability, -log, mean.")
            return False
        value = as_float(got)
        if value is None:
            print(f"Your function should return one number (a 0-d tensor or a float); for logits {tuple(logits.shape)} "
                  f"it returned {got!r:.60}.")
            return False
        if abs(value - expected.item()) < 1e-4:
            continue
        picked = F.log_softmax(logits, dim=1)[torch.arange(n), targets]  # (N,)
        if abs(value + expected.item()) < 1e-4:
            print("Off by a sign: the loss is the NEGATIVE mean log probability of the targets.")
        elif abs(value - (-picked.sum()).item()) < 1e-4:
            print("You returned the sum over rows; F.cross_entropy takes the mean (divide by the number of rows).")
        elif abs(value - F.cross_entropy(F.softmax(logits, dim=1), targets).item()) < 1e-4:
            print("Your function applies softmax twice: it receives raw logits, exactly as F.cross_entropy does.")
        elif abs(value - (-F.log_softmax(logits, dim=0)[torch.arange(n), targets].mean()).item()) < 1e-4:
            print("Softmax runs over the wrong axis: each ROW (dim=1, the C scores of one position) must sum to 1.")
        else:
            print(f"Not quite: for logits {tuple(logits.shape)} you got {value:.4f}, F.cross_entropy gives "
                  f"{expected.item():.4f}. Steps: softmax over dim=1, pick each row's target column, -log, mean.")
        return False
    print("Correct! softmax -> pick the target's probability -> -log -> mean is exactly F.cross_entropy "
          "(on three random cases, up to 1e-4).")
    return True


@exercise("06.3", solution="""
```python
answer = int((m.token_embedding_table.weight.grad != 0).any(dim=1).sum())  # after loss.backward()
# or, without the gradient: len(set(xb.flatten().tolist()))
```
Row `i` of the table takes part in the loss only where `xb` holds the id `i`, so the rows with a nonzero
gradient are exactly the distinct ids in `xb`; a character that appears several times adds its gradients
into the same row.
""")
def check_rows_with_grad(answer):
    """Exercise 06.3: how many rows of the 65 x 65 table get a nonzero gradient from the notes' first batch."""
    if not_yet(answer, "an int: the number of rows"):
        return False
    value = as_int(answer)
    if value is None:
        print(f"Expected a whole number (an int), got {answer!r}.")
        return False
    xb, yb = notes_batch()
    model = notes_model()
    _, loss = model(xb, yb)
    loss.backward()
    grad = model.token_embedding_table.weight.grad  # (C, C), filled in by AccumulateGrad
    expected = int((grad != 0).any(dim=1).sum())
    if value == expected:
        print(f"Correct! Only the {expected} rows that xb looked up get a nonzero gradient: the lookup touches "
              "nothing else. (An AdamW step still moves every row a little: its weight decay shrinks all of "
              "them, and from the second step on Adam's running averages keep moving rows read earlier.)")
        return True
    B, T = xb.shape
    C = grad.shape[0]
    if value == B * T:
        print(f"Not quite: {value} is the number of positions, but a character that appears several times in xb "
              "looks up the same row, and its gradients add into that one row.")
    elif value == C:
        print(f"Not quite: the table has {C} rows, but a row that xb never looks up plays no part in the loss, "
              "so its gradient is zero.")
    else:
        print(f"Not quite: {value}. Count the distinct ids in xb, or the rows of "
              "m.token_embedding_table.weight.grad that are not all zero.")
    return False
