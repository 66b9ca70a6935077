"""Self-checks for the exercises of notebook 02, imports and seeding."""

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

from .answers import as_float, as_int, not_yet, report
from .verdict import exercise


@exercise("02.1", solution="""
```python
layer = nn.Linear(4, 3)
for name, p in layer.named_parameters():
    print(name, tuple(p.shape))  # weight (3, 4), bias (3,)
answer = sum(p.numel() for p in layer.parameters())  # 12 + 3 = 15
```
A Module lists what it owns: `nn.Linear(4, 3)` keeps a `(3, 4)` weight (one row per output) and a bias
of 3, both learnable.
""")
def check_linear_parameters(answer):
    """Exercise 02.1: how many learnable numbers `nn.Linear(4, 3)` owns."""
    if not_yet(answer, "an int"):
        return False
    n = as_int(answer)
    if n is None:
        return report(False, f"Give a whole number; got {answer!r}.")
    with torch.random.fork_rng(devices=[]):
        layer = nn.Linear(4, 3)
    sizes = {name: p.numel() for name, p in layer.named_parameters()}
    if n == sum(sizes.values()):
        return report(True, f"nn.Linear(4, 3) owns two Parameters, weight {tuple(layer.weight.shape)} and "
                            f"bias {tuple(layer.bias.shape)}: {sizes['weight']} + {sizes['bias']} = {n}.")
    if n == sizes["weight"]:
        return report(False, f"{n} counts only the weight {tuple(layer.weight.shape)}. "
                             "List the layer's parameters: there is one more.")
    if n == 4 + 3:
        return report(False, f"{n} = 4 + 3 adds in_features and out_features. The weight is a (3, 4) matrix.")
    if n == 0:
        return report(False, "0 would be right for a function from F. nn.Linear is a Module: it owns Parameters.")
    return report(False, f"{n} is not it. Hint: sum(p.numel() for p in nn.Linear(4, 3).parameters()).")


def _as_floats(answer):
    """A 1-D float tensor from a tensor or a list of numbers, else None."""
    if isinstance(answer, torch.Tensor):
        return answer.detach().double().flatten()
    if isinstance(answer, (list, tuple)) and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in answer
    ):
        return torch.tensor(answer, dtype=torch.double)
    return None


@exercise("02.2", solution="""
```python
g = torch.Generator().manual_seed(1337)
answer = torch.rand(5, generator=g)
```
`g` is a random stream of its own: `noise = torch.rand(3)` (or any other call that does not name `g`)
takes its numbers from the global stream and cannot shift `g`. Seeding the global stream again with
`torch.manual_seed(1337)` would print the same five numbers here, but only because nothing runs between
that seed and your draw; it is exactly the shared stream the exercise asks you to leave.
""")
def check_generator_draws(answer, g=None, seed=1337, n=5):
    """Exercise 02.2: torch.rand(5) drawn from the learner's torch.Generator `g` seeded with 1337."""
    if not_yet(answer, "five draws of torch.rand taken from your seeded Generator g"):
        return False
    got = _as_floats(answer)
    if got is None:
        return report(False, f"Give the draws as a tensor (or a list of floats); got {type(answer).__name__}.")
    if got.numel() != n:
        return report(False, f"Expected {n} numbers, got {got.numel()}.")
    reference = torch.Generator().manual_seed(seed)
    expected = torch.rand(n, generator=reference).double()
    if torch.allclose(got, expected, atol=1e-6):
        if not isinstance(g, torch.Generator):
            return report(False, f"These are the first {n} draws of seed {seed}, but g is {type(g).__name__}, "
                                 "not a torch.Generator: pass the Generator you drew from as well, "
                                 "check_generator_draws(answer, g).")
        if g is torch.default_generator:
            return report(False, f"These are the first {n} draws of seed {seed}, but g is the global stream itself "
                                 "(torch.manual_seed returns it), the one every other call draws from too. Make a "
                                 f"stream of your own: g = torch.Generator().manual_seed({seed}).")
        if g.initial_seed() != seed:
            return report(False, f"These are the first {n} draws of seed {seed}, but g was seeded with "
                                 f"{g.initial_seed()}, so they did not come from g. Draw them from "
                                 f"g = torch.Generator().manual_seed({seed}): torch.rand({n}, generator=g).")
        if torch.equal(g.get_state(), torch.Generator().manual_seed(seed).get_state()):
            return report(False, f"These are the first {n} draws of seed {seed}, but not from g: g has not given a "
                                 "single draw. They come from the global stream seeded again, which works here only "
                                 "because nothing runs between that seed and your draw; any other call in between "
                                 f"would shift them. Draw them from g: torch.rand({n}, generator=g).")
        return report(True, f"A Generator seeded with {seed} gives its first {n} draws, whatever the global "
                            "stream did before.")
    later = torch.rand(n + 8, generator=torch.Generator().manual_seed(seed)).double()
    for skip in range(1, 9):
        if torch.allclose(got, later[skip:skip + n], atol=1e-6):
            return report(False, f"These are draws {skip + 1} to {skip + n} of seed {seed}: the stream had "
                                 f"{skip} draw(s) taken before yours. Pass generator=g so other calls cannot shift it.")
    return report(False, f"These are not the first {n} draws of seed {seed}. "
                         f"Create g = torch.Generator().manual_seed({seed}) and call torch.rand({n}, generator=g).")


def cross_entropy_exercise():
    """The logits (3, 5) of the notes' 'raw + unbounded' example and targets (3,) for exercise 02.3."""
    logits = torch.tensor([[0.3134, -0.1676, 0.3773, -0.0824, -0.2973],
                           [-0.0856, 0.0987, 0.1772, 0.0565, -0.2135],
                           [0.0624, 0.0895, 0.0927, -0.0507, -0.1921]])  # (B, C) = (3, 5)
    targets = torch.tensor([2, 2, 0])  # (B,) the true class of each row
    return logits, targets


@exercise("02.3", solution="""
```python
loss_fn = nn.CrossEntropyLoss()  # a Module: create it once ...
answer = loss_fn(logits3, targets3)  # ... then call it like a function
print(answer.item(), F.cross_entropy(logits3, targets3).item())  # the same number
```
`nn.CrossEntropyLoss` owns no parameters: calling it runs `F.cross_entropy` on the same logits and
targets, so both give the same loss.
""")
def check_cross_entropy_module(answer):
    """Exercise 02.3: the loss from nn.CrossEntropyLoss on cross_entropy_exercise()."""
    if isinstance(answer, nn.Module):
        return report(False, "That is the loss Module itself. Call it: loss_fn(logits, targets).")
    if not_yet(answer, "the loss, e.g. loss_fn(logits, targets)"):
        return False
    got = as_float(answer)
    if got is None:
        return report(False, f"Give one number (a float or a 0-d tensor); got {type(answer).__name__}.")
    logits, targets = cross_entropy_exercise()
    expected = F.cross_entropy(logits, targets).item()
    if math.isclose(got, expected, abs_tol=1e-4):
        return report(True, f"{got:.4f}, the same number F.cross_entropy gives: the Module only wraps the function.")
    if math.isclose(got, F.cross_entropy(logits, targets, reduction="sum").item(), abs_tol=1e-4):
        return report(False, f"{got:.4f} is the sum over the {len(targets)} rows; the default reduction is the mean.")
    if math.isclose(got, F.cross_entropy(F.softmax(logits, dim=1), targets).item(), abs_tol=1e-4):
        return report(False, f"{got:.4f} comes from feeding probabilities. Cross-entropy takes the raw logits "
                             "and applies log_softmax itself.")
    if math.isclose(got, F.nll_loss(logits, targets).item(), abs_tol=1e-4):
        return report(False, f"{got:.4f} is nll_loss on raw logits; it expects log-probabilities. "
                             "Use nn.CrossEntropyLoss, which does the log_softmax for you.")
    return report(False, f"{got:.4f} is not it. Hint: loss_fn = nn.CrossEntropyLoss(); loss_fn(logits, targets).")
