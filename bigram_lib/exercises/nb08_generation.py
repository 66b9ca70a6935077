"""Self-checks for the exercises of notebook 08, generation."""

import torch

from ..checkpoint import trained_model
from ..model import BigramLanguageModel
from ..sampling import generate, next_token_probs
from .answers import as_float, course_corpus, not_yet, verdict
from .verdict import exercise

GREEDY_START = "Q"  # exercise 08.2 starts here; not "W", whose greedy text section 7 already prints


@exercise("08.1", solution="""
```python
answer = (3, 10)  # B stays 3; T = 4 given tokens + 6 new ones
```
`generate` appends one token to every row per step and never drops any: B is unchanged and T grows by
`max_new_tokens`. Check it with `tuple(generate(model, torch.zeros((3, 4), dtype=torch.long), 6).shape)`.
""")
def check_generated_shape(answer):
    """Shape of generate(model, idx of shape (3, 4), max_new_tokens=6)."""
    if not_yet(answer, "a shape tuple such as (1, 2)"):
        return False
    corpus = course_corpus()
    idx = torch.zeros((3, 4), dtype=torch.long)
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        torch.manual_seed(0)
        expected = tuple(generate(BigramLanguageModel(corpus.vocab_size), idx, 6).shape)
    if isinstance(answer, torch.Size):
        answer = tuple(answer)
    if not isinstance(answer, tuple) or not all(isinstance(a, int) for a in answer):
        return verdict(False, "", f"Expected a tuple of ints like (1, 2), got {answer!r}.")
    if answer == expected:
        return verdict(True, f"{expected}: B stays {expected[0]}, T grows from 4 by one per new token.", "")
    if len(answer) != len(expected):
        return verdict(False, "", f"Not quite: idx stays 2-D (B, T); your answer has {len(answer)} dimension(s).")
    if answer[0] != expected[0]:
        return verdict(False, "", f"Not quite: B is the number of rows, and generate never changes it ({answer[0]} is wrong).")
    return verdict(False, "", f"Not quite: T is wrong ({answer[1]}): generate keeps the 4 given tokens and appends the new ones.")


@exercise("08.2", solution="""
```python
out = generate(model, torch.tensor([corpus.encode("Q")]), 20, temperature=0)  # (1, 21)
answer = decode(out[0, 1:].tolist())  # drop the starting "Q"
```
At temperature 0 every step takes the single most likely next character, so the text is fixed, with no
randomness; with one character of memory it soon repeats itself.
""")
def check_greedy_text(answer):
    """The 20 characters the trained model writes after 'Q' at temperature 0."""
    if not_yet(answer, "a string of 20 characters"):
        return False
    corpus = course_corpus()
    model, _ = trained_model(corpus, progress=False)
    start = torch.tensor([corpus.encode(GREEDY_START)])  # (1, 1)
    expected = corpus.decode(generate(model, start, 20, temperature=0)[0, 1:].tolist())
    if not isinstance(answer, str):
        return verdict(False, "", f"Expected a string of 20 characters, got {answer!r}.")
    if answer == expected:
        return verdict(True, f"{expected!r}: greedy decoding always takes the most likely next character, so it soon loops.", "")
    if len(answer) != 20:
        return verdict(False, "", f"Not quite: expected the 20 new characters (without the starting {GREEDY_START!r}), "
                                  f"got {len(answer)}.")
    first = next(i for i, (a, b) in enumerate(zip(answer, expected)) if a != b)
    return verdict(False, "", f"Not quite: the characters agree up to position {first}; use temperature=0 "
                               f"and drop the starting {GREEDY_START!r} (the first column of the result).")


@exercise("08.3", solution="""
```python
answer = next_token_probs(model, stoi["e"])[stoi[" "]].item()
# or: F.softmax(logits_table(model)[stoi["e"]], dim=0)[stoi[" "]].item()
```
Row `e` of the trained table holds the logits of the character after `e`; softmax turns them into
probabilities, and column `' '` is the space.
""")
def check_prob_space_after_e(answer):
    """The trained model's probability of a space right after 'e'."""
    if not_yet(answer, "a probability between 0 and 1"):
        return False
    corpus = course_corpus()
    model, _ = trained_model(corpus, progress=False)
    expected = next_token_probs(model, corpus.tokenizer.stoi["e"])[corpus.tokenizer.stoi[" "]].item()
    if as_float(answer) is None:
        return verdict(False, "", f"Expected a probability (a float between 0 and 1), got {answer!r}.")
    answer = as_float(answer)  # numpy and one-element tensors too
    if not 0 <= answer <= 1:
        return verdict(False, "", f"Not quite: {answer} is not a probability; apply softmax to the logits first.")
    ok = abs(answer - expected) <= 0.005
    return verdict(ok, f"p(' ' | 'e') = {expected:.4f}: many English words end in 'e'.",
                    f"Not quite: {answer:.4f} is not within 0.005 of the model's value. Take row 'e' of the trained "
                    "model's table, apply softmax and read column ' '.")
