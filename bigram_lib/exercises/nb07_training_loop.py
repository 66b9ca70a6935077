"""Self-checks for the exercises of notebook 07, the training loop."""

import torch

from ..batch import get_batch
from ..course.recipes import notes_model
from ..train import train_step
from .answers import course_corpus, read_float, read_names
from .verdict import correct, exercise, not_quite

STEP_NAMES = ("get_batch", "forward", "zero_grad", "backward", "step")
SETUP_SEED, SETUP_B, SETUP_T = 1337, 32, 8  # the exercises' seeded model and batches


def _seeded_setup(seed=SETUP_SEED, batch_size=SETUP_B, block_size=SETUP_T):
    """A seeded model, its AdamW optimizer and two fixed batches of train_data (global RNG untouched)."""
    corpus = course_corpus()
    g = torch.Generator().manual_seed(seed)
    model = notes_model(corpus.vocab_size, seed=seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batches = [get_batch(corpus.train_data, batch_size, block_size, g) for _ in range(2)]
    return model, optimizer, batches


def _run_order(order, model, optimizer, batches):
    """Run the named steps for each batch; None, or a verdict when a step has nothing to work on."""
    for xb, yb in batches:
        state = {}
        for name in order:
            if name == "get_batch":
                state["batch"] = (xb, yb)
            elif name == "forward":
                if "batch" not in state:
                    return not_quite(
                        "forward_before_batch",
                        "forward ran before get_batch: there is no xb, yb to feed the model yet.",
                    )
                _, state["loss"] = model(*state["batch"])
            elif name == "zero_grad":
                optimizer.zero_grad(set_to_none=True)
            elif name == "backward":
                if "loss" not in state:
                    return not_quite(
                        "backward_before_forward",
                        "backward ran before forward: there is no loss to differentiate yet.",
                    )
                state["loss"].backward()
            else:
                optimizer.step()
    return None


@exercise(
    "07.1",
    reads=read_names,
    name="order",
    expects="a list of the step names in order",
    solution="""
```python
order = ["get_batch", "forward", "zero_grad", "backward", "step"]
check_step_order(order)
```
That is the notes' own order. A batch must exist before the forward pass, the loss before `backward`, and the
gradient must be cleared somewhere between one step's `step()` and the next step's `backward()`:
`["get_batch", "forward", "backward", "step", "zero_grad"]` passes too.
""",
)
def check_step_order(order):
    """Exercise 07.1: run the steps named in `order` twice; compare the weights with two train_step calls."""
    unknown = [a for a in order if a not in STEP_NAMES]
    if unknown:
        return not_quite(
            "unknown_name", f"unknown step name(s) {unknown}; use only {list(STEP_NAMES)}."
        )
    missing = [a for a in STEP_NAMES if order.count(a) != 1]
    if missing:
        return not_quite("not_each_once", f"each step must appear exactly once; check {missing}.")
    ref_model, ref_opt, batches = _seeded_setup()
    for xb, yb in batches:
        train_step(ref_model, ref_opt, xb, yb)
    model, optimizer, batches = _seeded_setup()
    failed = _run_order(order, model, optimizer, batches)
    if failed is not None:
        return failed
    w, ref = model.token_embedding_table.weight, ref_model.token_embedding_table.weight
    if torch.equal(w, ref):
        return correct(f"The order {list(order)} changes the weights exactly as train_step does.")
    pos = {name: i for i, name in enumerate(order)}
    if pos["backward"] < pos["zero_grad"] < pos["step"]:
        return not_quite(
            "zero_grad_before_step",
            "zero_grad runs between backward and step, so step finds "
            "no gradient and the weights never learn.",
        )
    if pos["step"] < pos["backward"]:
        return not_quite(
            "step_before_backward",
            "step runs before backward, so each step uses the previous "
            "batch's gradient (or none at all).",
        )
    return not_quite("other", "the weights end up different from train_step's.")


# exercise 07.2: SGD's learning rate; the answer within 2% of the change
SGD_LR, CHANGE_TOL = 0.1, 0.02
ADAMW_TOL = 0.05  # AdamW's first step, 0.00104 here, is recognised within 5%: 0.001 (its lr) counts


def _largest_change(optimizer_class, lr):
    """The largest |change| of any weight after one train_step with optimizer_class(lr) on the first batch."""
    model, _, batches = _seeded_setup()
    optimizer = optimizer_class(model.parameters(), lr=lr)
    before = model.token_embedding_table.weight.detach().clone()  # (C, C)
    train_step(model, optimizer, *batches[0])
    return (model.token_embedding_table.weight.detach() - before).abs().max().item()


@exercise(
    "07.2",
    reads=read_float,
    name="largest_change",
    expects="a float like 0.00123",
    solution="""
```python
torch.manual_seed(1337)
model = BigramLanguageModel(C)
xb, yb = get_batch(train_data, 32, 8, torch.Generator().manual_seed(1337))
sgd = torch.optim.SGD(model.parameters(), lr=0.1)
before = model.token_embedding_table.weight.detach().clone()  # (C, C)
train_step(model, sgd, xb, yb)
largest_change = (model.token_embedding_table.weight.detach() - before).abs().max().item()
check_sgd_step_change(largest_change)
```
SGD moves each weight by `lr * gradient`, so its largest move is `0.1` times the largest gradient entry, and
weights with tiny gradients barely move at all. AdamW's first step moves every weight of a row that was read
by about `lr`, whatever its gradient: SGD's step depends on the gradient's size, Adam's first step does not.
""",
)
def check_sgd_step_change(value):
    """Exercise 07.2: the largest change of any weight after one SGD step (lr=0.1) on the seeded batch."""
    expected = _largest_change(torch.optim.SGD, SGD_LR)
    if abs(value - expected) <= CHANGE_TOL * expected:
        return correct(
            f"SGD's largest move is {expected:.6f} = lr * the largest |gradient|; AdamW's first "
            "step moves every touched weight by about lr = 0.001 whatever the gradient's size."
        )
    adamw = _largest_change(torch.optim.AdamW, 1e-3)
    if abs(value - adamw) <= ADAMW_TOL * adamw:  # its size, or the lr = 0.001 it is close to
        return not_quite(
            "adamw_step",
            f"{value:.6f} is AdamW's first step (about its lr = 0.001, whatever "
            "the gradient). The exercise asks for torch.optim.SGD(model.parameters(), lr=0.1), "
            "whose step is lr * the gradient.",
        )
    return not_quite(
        "other",
        f"{value:.6g} is not within 2% of the largest change. Take (after - "
        "before).abs().max() of token_embedding_table.weight around one train_step with "
        "torch.optim.SGD(..., lr=0.1).",
    )
