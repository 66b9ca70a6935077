"""Self-checks for the exercises of notebook 02, imports and seeding."""

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

from ..course.checks import shown
from .answers import read_float, read_floats, read_int
from .verdict import correct, exercise, not_quite


@exercise(
    "02.1",
    reads=read_int,
    expects="an int",
    solution="""
```python
layer = nn.Linear(4, 3)
shapes = {name: tuple(p.shape) for name, p in layer.named_parameters()}  # weight (3, 4), bias (3,)
answer = sum(p.numel() for p in layer.parameters())  # 12 + 3 = 15
```
A Module lists what it owns: `nn.Linear(4, 3)` keeps a `(3, 4)` weight (one row per output) and a bias
of 3, both learnable.
""",
)
def check_linear_parameters(n):
    """Exercise 02.1: how many learnable numbers `nn.Linear(4, 3)` owns."""
    with torch.random.fork_rng(devices=[]):
        layer = nn.Linear(4, 3)
    sizes = {name: p.numel() for name, p in layer.named_parameters()}
    if n == sum(sizes.values()):
        return correct(
            f"nn.Linear(4, 3) owns two Parameters, weight {tuple(layer.weight.shape)} and "
            f"bias {tuple(layer.bias.shape)}: {sizes['weight']} + {sizes['bias']} = {n}."
        )
    if n == sizes["weight"]:
        return not_quite(
            "weight_only",
            f"{n} counts only the weight {tuple(layer.weight.shape)}. "
            "List the layer's parameters: there is one more.",
        )
    if n == 4 + 3:
        return not_quite(
            "in_plus_out",
            f"{n} = 4 + 3 adds in_features and out_features. The weight is a (3, 4) matrix.",
        )
    if n == 0:
        return not_quite(
            "zero",
            "0 would be right for a function from F. nn.Linear is a Module: it owns Parameters.",
        )
    return not_quite(
        "other", f"{n} is not it. Hint: sum(p.numel() for p in nn.Linear(4, 3).parameters())."
    )


@exercise(
    "02.2",
    reads=read_floats,
    expects="five draws of torch.rand taken from your seeded Generator g",
    solution="""
```python
g = torch.Generator().manual_seed(1337)
answer = torch.rand(5, generator=g)
```
`g` is a random stream of its own: `noise = torch.rand(3)` (or any other call that does not name `g`)
takes its numbers from the global stream and cannot shift `g`. Seeding the global stream again with
`torch.manual_seed(1337)` would print the same five numbers here, but only because nothing runs between
that seed and your draw; it is exactly the shared stream the exercise asks you to leave.
""",
)
def check_generator_draws(got, g=None, seed=1337, n=5):
    """Exercise 02.2: torch.rand(5) drawn from the learner's torch.Generator `g` seeded with 1337."""
    if got.numel() != n:
        return not_quite("count", f"expected {n} numbers, got {got.numel()}.")
    expected = torch.rand(n, generator=torch.Generator().manual_seed(seed)).double()
    if torch.allclose(got, expected, atol=1e-6):
        if not isinstance(g, torch.Generator):
            return not_quite(
                "no_generator",
                f"these are the first {n} draws of seed {seed}, but g is "
                f"{type(g).__name__}, not a torch.Generator: pass the Generator you drew from "
                "as well, check_generator_draws(answer, g).",
            )
        if g is torch.default_generator:
            return not_quite(
                "global_generator",
                f"these are the first {n} draws of seed {seed}, but g is "
                "the global stream itself (torch.manual_seed returns it), the one every other "
                "call draws from too. Make a stream of your own: g = "
                f"torch.Generator().manual_seed({seed}).",
            )
        if g.initial_seed() != seed:
            return not_quite(
                "other_seed",
                f"these are the first {n} draws of seed {seed}, but g was seeded "
                f"with {g.initial_seed()}, so they did not come from g. Draw them from "
                f"g = torch.Generator().manual_seed({seed}): torch.rand({n}, generator=g).",
            )
        if torch.equal(g.get_state(), torch.Generator().manual_seed(seed).get_state()):
            return not_quite(
                "not_from_g",
                f"these are the first {n} draws of seed {seed}, but not from g: g "
                "has not given a single draw. They come from the global stream seeded again, "
                "which works here only because nothing runs between that seed and your draw; "
                f"any other call in between would shift them. Draw them from g: torch.rand({n}, "
                "generator=g).",
            )
        return correct(
            f"A Generator seeded with {seed} gives its first {n} draws, whatever the global "
            "stream did before."
        )
    later = torch.rand(n + 8, generator=torch.Generator().manual_seed(seed)).double()
    for skip in range(1, 9):
        if torch.allclose(got, later[skip : skip + n], atol=1e-6):
            return not_quite(
                "shifted",
                f"these are draws {skip + 1} to {skip + n} of seed {seed}: the "
                f"stream had {skip} draw(s) taken before yours. Pass generator=g so other calls "
                "cannot shift it.",
            )
    return not_quite(
        "other",
        f"these are not the first {n} draws of seed {seed}. Create "
        f"g = torch.Generator().manual_seed({seed}) and call torch.rand({n}, generator=g).",
    )


def cross_entropy_exercise():
    """The logits (3, 5) of the notes' 'raw + unbounded' example and targets (3,) for exercise 02.3."""
    # (B, C) = (3, 5)
    logits = torch.tensor(
        [
            [0.3134, -0.1676, 0.3773, -0.0824, -0.2973],
            [-0.0856, 0.0987, 0.1772, 0.0565, -0.2135],
            [0.0624, 0.0895, 0.0927, -0.0507, -0.1921],
        ]
    )
    targets = torch.tensor([2, 2, 0])  # (B,) the true class of each row
    return logits, targets


def _read_loss(answer):
    """The loss as a float, or the loss Module itself (a learner who forgot to call it)."""
    return answer if isinstance(answer, nn.Module) else read_float(answer)


LOSS_TOL = 1e-4


# what nn.CrossEntropyLoss() is made with (weight None aside)
DEFAULT_OPTIONS = {"reduction": "mean", "ignore_index": -100, "label_smoothing": 0.0}


@exercise(
    "02.3",
    reads=_read_loss,
    expects="the loss, e.g. loss_fn(logits3, targets3)",
    solution="""
```python
loss_fn = nn.CrossEntropyLoss()  # a Module: create it once ...
answer = loss_fn(logits3, targets3)  # ... then call it like a function
check_cross_entropy_module(answer, loss_fn)
```
`nn.CrossEntropyLoss` owns no parameters: calling it runs `F.cross_entropy` on the same logits and
targets, so `F.cross_entropy(logits3, targets3)` gives the same loss.
""",
)
def check_cross_entropy_module(got, loss_fn=None):
    """Exercise 02.3: the loss of the learner's nn.CrossEntropyLoss `loss_fn` on cross_entropy_exercise()."""
    if isinstance(got, nn.Module):
        return not_quite(
            "module_not_called",
            "that is the loss Module itself. Call it: answer = loss_fn(logits3, targets3).",
        )
    if not isinstance(loss_fn, nn.CrossEntropyLoss):
        return not_quite(
            "not_the_module",
            "the exercise asks for the Module form: create "
            "`loss_fn = nn.CrossEntropyLoss()`, call it, `answer = loss_fn(logits3, targets3)`, "
            "and pass it too: check_cross_entropy_module(answer, loss_fn). loss_fn is "
            f"{shown(loss_fn)}.",
        )
    logits, targets = cross_entropy_exercise()
    expected = F.cross_entropy(logits, targets).item()
    try:
        with torch.no_grad():
            own = read_float(loss_fn(logits, targets))
    except Exception as err:
        return not_quite(
            "module_failed",
            f"loss_fn(logits3, targets3) raised {type(err).__name__}: {err}. "
            "Create it with `loss_fn = nn.CrossEntropyLoss()`.",
        )
    if (
        own is not None
        and not math.isclose(got, own, abs_tol=LOSS_TOL)
        and math.isclose(got, expected, abs_tol=LOSS_TOL)
    ):
        return not_quite(
            "not_from_module",
            f"{got:.4f} is the mean loss, but your loss_fn gives "
            f"{own:.4f} on these logits: compute the answer with it, loss_fn(logits3, "
            "targets3), made as nn.CrossEntropyLoss() with no arguments.",
        )
    if math.isclose(got, expected, abs_tol=LOSS_TOL):
        changed = [
            f"{option}={getattr(loss_fn, option)!r}"
            for option, default in DEFAULT_OPTIONS.items()
            if getattr(loss_fn, option) != default
        ] + ([] if loss_fn.weight is None else ["a weight tensor"])
        if changed:
            return not_quite(
                "not_default_options",
                f"your loss_fn was made with {', '.join(changed)}; the exercise asks for the "
                "default loss: nn.CrossEntropyLoss() with no arguments.",
            )
        return correct(
            f"{got:.4f}, the same number F.cross_entropy gives: the Module only wraps the function."
        )
    if math.isclose(
        got, F.cross_entropy(logits, targets, reduction="sum").item(), abs_tol=LOSS_TOL
    ):
        return not_quite(
            "sum_not_mean",
            f"{got:.4f} is the sum over the {len(targets)} rows; the default "
            "reduction is the mean: nn.CrossEntropyLoss() with no reduction argument.",
        )
    if math.isclose(
        got, F.cross_entropy(F.softmax(logits, dim=1), targets).item(), abs_tol=LOSS_TOL
    ):
        return not_quite(
            "probabilities_fed",
            f"{got:.4f} comes from feeding probabilities. Cross-entropy "
            "takes the raw logits and applies log_softmax itself.",
        )
    if math.isclose(got, F.nll_loss(logits, targets).item(), abs_tol=LOSS_TOL):
        return not_quite(
            "nll_on_logits",
            f"{got:.4f} is nll_loss on raw logits; it expects "
            "log-probabilities. Use nn.CrossEntropyLoss, which does the log_softmax for you.",
        )
    if own is not None and math.isclose(got, own, abs_tol=LOSS_TOL):
        return not_quite(
            "module_options",
            f"{got:.4f} is what your loss_fn gives, but it was made with "
            "options that change the loss: create it as nn.CrossEntropyLoss() with no "
            "arguments.",
        )
    return not_quite(
        "other",
        f"{got:.4f} is not it. Hint: loss_fn = nn.CrossEntropyLoss(); loss_fn(logits3, targets3).",
    )
