"""Self-checks for the exercises of notebook 07, the training loop."""

import torch

from ..train import train_step
from .answers import STEP_NAMES, as_float, not_yet, seeded_setup, verdict
from .verdict import exercise


@exercise("07.1", solution="""
```python
order = ["get_batch", "forward", "zero_grad", "backward", "step"]
check_step_order(order)
```
That is the notes' own order. A batch must exist before the forward pass, the loss before `backward`, and the
gradient must be cleared somewhere between one step's `step()` and the next step's `backward()`:
`["get_batch", "forward", "backward", "step", "zero_grad"]` passes too.
""")
def check_step_order(answer):
    """Run the step names in `answer` twice and compare the weights with two train_step calls."""
    if not_yet(answer, "a list of the step names in order"):
        return False
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return verdict(False, "", f"Expected a list of step names drawn from {list(STEP_NAMES)}, got {answer!r}.")
    unknown = [a for a in answer if a not in STEP_NAMES]
    if unknown:
        return verdict(False, "", f"Unknown step name(s) {unknown}; use only {list(STEP_NAMES)}.")
    missing = [a for a in STEP_NAMES if answer.count(a) != 1]
    if missing:
        return verdict(False, "", f"Each step must appear exactly once; check {missing}.")
    ref_model, ref_opt, batches = seeded_setup()
    for xb, yb in batches:
        train_step(ref_model, ref_opt, xb, yb)
    model, optimizer, batches = seeded_setup()
    for xb, yb in batches:
        state = {}
        for name in answer:
            if name == "get_batch":
                state["batch"] = (xb, yb)
            elif name == "forward":
                if "batch" not in state:
                    return verdict(False, "", "forward ran before get_batch: there is no xb, yb to feed the model yet.")
                _, state["loss"] = model(*state["batch"])
            elif name == "zero_grad":
                optimizer.zero_grad(set_to_none=True)
            elif name == "backward":
                if "loss" not in state:
                    return verdict(False, "", "backward ran before forward: there is no loss to differentiate yet.")
                state["loss"].backward()
            else:
                optimizer.step()
    w, ref = model.token_embedding_table.weight, ref_model.token_embedding_table.weight
    if torch.equal(w, ref):
        return verdict(True, f"The order {list(answer)} changes the weights exactly as train_step does.", "")
    pos = {name: i for i, name in enumerate(answer)}
    if pos["zero_grad"] > pos["backward"] and pos["zero_grad"] < pos["step"]:
        why = "zero_grad runs between backward and step, so step finds no gradient and the weights never learn."
    elif pos["step"] < pos["backward"]:
        why = "step runs before backward, so each step uses the previous batch's gradient (or none at all)."
    else:
        why = "the weights end up different from train_step's."
    return verdict(False, "", f"Not quite: {why}")


@exercise("07.2", solution="""
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
""")
def check_sgd_step_change(answer):
    """The largest change of any weight after one SGD step (lr=0.1) on the fixed seeded batch."""
    if not_yet(answer, "a number"):
        return False
    if as_float(answer) is None:
        return verdict(False, "", f"Expected a number (a float like 0.00123), got {answer!r}.")
    answer = as_float(answer)  # numpy and one-element tensors too
    model, _, batches = seeded_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.token_embedding_table.weight.detach().clone()
    train_step(model, optimizer, *batches[0])
    expected = (model.token_embedding_table.weight.detach() - before).abs().max().item()
    ok = abs(answer - expected) <= 0.02 * expected
    return verdict(ok, f"SGD's largest move is {expected:.6f} = lr * the largest |gradient|; AdamW's first step moves "
                        "every touched weight by about lr = 0.001 whatever the gradient's size.",
                    f"Not quite: {answer!r} is not within 2% of the largest change. Take (after - before).abs().max() "
                    "of token_embedding_table.weight around one train_step with torch.optim.SGD(..., lr=0.1).")
