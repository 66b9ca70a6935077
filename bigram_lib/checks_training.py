"""Self-checks for the exercises of notebooks 07 (training), 08 (generation) and 09 (counting)."""


import torch

from .answers import course_corpus, report
from .batch import get_batch
from .checkpoint import trained_model
from .counts import bigram_counts, count_probs
from .model import BigramLanguageModel
from .sampling import generate, next_token_probs
from .train import train_step

STEP_NAMES = ("get_batch", "forward", "zero_grad", "backward", "step")


def _verdict(ok, good, bad):
    """Print `good` or `bad` by the verdict and return it."""
    return report(ok, good if ok else bad)


def _is_number(x):
    """True for an int or float (not a bool)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _seeded_setup(seed=1337, batch_size=32, block_size=8):
    """A seeded model, its AdamW optimizer and a fixed batch of the training split."""
    corpus = course_corpus()
    g = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        torch.manual_seed(seed)
        model = BigramLanguageModel(corpus.vocab_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batches = [get_batch(corpus.train_data, batch_size, block_size, g) for _ in range(2)]
    return model, optimizer, batches


def check_step_order(answer):
    """Run the step names in `answer` twice and compare the weights with two train_step calls."""
    if not isinstance(answer, (list, tuple)) or not all(isinstance(a, str) for a in answer):
        return _verdict(False, "", f"Expected a list of step names drawn from {list(STEP_NAMES)}, got {answer!r}.")
    unknown = [a for a in answer if a not in STEP_NAMES]
    if unknown:
        return _verdict(False, "", f"Unknown step name(s) {unknown}; use only {list(STEP_NAMES)}.")
    missing = [a for a in STEP_NAMES if answer.count(a) != 1]
    if missing:
        return _verdict(False, "", f"Each step must appear exactly once; check {missing}.")
    ref_model, ref_opt, batches = _seeded_setup()
    for xb, yb in batches:
        train_step(ref_model, ref_opt, xb, yb)
    model, optimizer, batches = _seeded_setup()
    for xb, yb in batches:
        state = {}
        for name in answer:
            if name == "get_batch":
                state["batch"] = (xb, yb)
            elif name == "forward":
                if "batch" not in state:
                    return _verdict(False, "", "forward ran before get_batch: there is no xb, yb to feed the model yet.")
                _, state["loss"] = model(*state["batch"])
            elif name == "zero_grad":
                optimizer.zero_grad(set_to_none=True)
            elif name == "backward":
                if "loss" not in state:
                    return _verdict(False, "", "backward ran before forward: there is no loss to differentiate yet.")
                state["loss"].backward()
            else:
                optimizer.step()
    w, ref = model.token_embedding_table.weight, ref_model.token_embedding_table.weight
    if torch.equal(w, ref):
        return _verdict(True, f"The order {list(answer)} changes the weights exactly as train_step does.", "")
    pos = {name: i for i, name in enumerate(answer)}
    if pos["zero_grad"] > pos["backward"] and pos["zero_grad"] < pos["step"]:
        why = "zero_grad runs between backward and step, so step finds no gradient and the weights never learn."
    elif pos["step"] < pos["backward"]:
        why = "step runs before backward, so each step uses the previous batch's gradient (or none at all)."
    else:
        why = "the weights end up different from train_step's."
    return _verdict(False, "", f"Not yet: {why}")


def check_sgd_step_change(answer):
    """The largest change of any weight after one SGD step (lr=0.1) on the fixed seeded batch."""
    if not _is_number(answer):
        return _verdict(False, "", f"Expected a number (a float like 0.00123), got {answer!r}.")
    model, _, batches = _seeded_setup()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.token_embedding_table.weight.detach().clone()
    train_step(model, optimizer, *batches[0])
    expected = (model.token_embedding_table.weight.detach() - before).abs().max().item()
    ok = abs(answer - expected) <= 0.02 * expected
    return _verdict(ok, f"SGD's largest move is {expected:.6f} = lr * the largest |gradient|; AdamW's first step moves "
                        "every touched weight by about lr = 0.001 whatever the gradient's size.",
                    f"Not yet: {answer!r} is not within 2% of the largest change. Take (after - before).abs().max() "
                    "of token_embedding_table.weight around one train_step with torch.optim.SGD(..., lr=0.1).")


def check_generated_shape(answer):
    """Shape of generate(model, idx of shape (3, 4), max_new_tokens=6)."""
    corpus = course_corpus()
    idx = torch.zeros((3, 4), dtype=torch.long)
    with torch.random.fork_rng(devices=[]):  # leave the learner's global random state alone
        torch.manual_seed(0)
        expected = tuple(generate(BigramLanguageModel(corpus.vocab_size), idx, 6).shape)
    if isinstance(answer, torch.Size):
        answer = tuple(answer)
    if not isinstance(answer, tuple) or not all(isinstance(a, int) for a in answer):
        return _verdict(False, "", f"Expected a tuple of ints like (1, 2), got {answer!r}.")
    if answer == expected:
        return _verdict(True, f"{expected}: B stays {expected[0]}, T grows from 4 by one per new token.", "")
    if len(answer) != len(expected):
        return _verdict(False, "", f"Not yet: idx stays 2-D (B, T); your answer has {len(answer)} dimension(s).")
    if answer[0] != expected[0]:
        return _verdict(False, "", f"Not yet: B is the number of rows, and generate never changes it ({answer[0]} is wrong).")
    return _verdict(False, "", f"Not yet: T is wrong ({answer[1]}): generate keeps the 4 given tokens and appends the new ones.")


def check_greedy_text(answer):
    """The 20 characters the trained model writes after 'W' at temperature 0."""
    corpus = course_corpus()
    model, _ = trained_model(corpus, progress=False)
    start = torch.tensor([corpus.encode("W")])  # (1, 1)
    expected = corpus.decode(generate(model, start, 20, temperature=0)[0, 1:].tolist())
    if not isinstance(answer, str):
        return _verdict(False, "", f"Expected a string of 20 characters, got {answer!r}.")
    if answer == expected:
        return _verdict(True, f"{expected!r}: greedy decoding always takes the most likely next character, so it soon loops.", "")
    if len(answer) != 20:
        return _verdict(False, "", f"Not yet: expected the 20 new characters (without the starting 'W'), got {len(answer)}.")
    first = next(i for i, (a, b) in enumerate(zip(answer, expected)) if a != b)
    return _verdict(False, "", f"Not yet: the characters agree up to position {first}; use temperature=0 "
                               "and drop the starting 'W' (the first column of the result).")


def check_prob_space_after_e(answer):
    """The trained model's probability of a space right after 'e'."""
    corpus = course_corpus()
    model, _ = trained_model(corpus, progress=False)
    expected = next_token_probs(model, corpus.tokenizer.stoi["e"])[corpus.tokenizer.stoi[" "]].item()
    if not _is_number(answer):
        return _verdict(False, "", f"Expected a probability (a float between 0 and 1), got {answer!r}.")
    if not 0 <= answer <= 1:
        return _verdict(False, "", f"Not yet: {answer} is not a probability; apply softmax to the logits first.")
    ok = abs(answer - expected) <= 0.005
    return _verdict(ok, f"p(' ' | 'e') = {expected:.4f}: many English words end in 'e'.",
                    f"Not yet: {answer:.4f} is not within 0.005 of the model's value. Take row 'e' of the trained "
                    "model's table, apply softmax and read column ' '.")


def check_pairs_seen_once(answer):
    """How many of the C*C ordered character pairs occur exactly once in the training split."""
    corpus = course_corpus()
    counts = bigram_counts(corpus.train_data, corpus.vocab_size)  # (C, C)
    expected = int((counts == 1).sum())
    if isinstance(answer, bool) or not isinstance(answer, int):
        return _verdict(False, "", f"Expected an int, got {answer!r}.")
    if answer == expected:
        return _verdict(True, f"{expected:,} pairs occur exactly once: for them the counts are least reliable.", "")
    if answer == int((counts == 0).sum()):
        return _verdict(False, "", "Not yet: that is the number of pairs that never occur; count the entries equal to 1.")
    if answer == int(counts.sum()):
        return _verdict(False, "", "Not yet: that is the total number of pairs; count the entries equal to 1.")
    return _verdict(False, "", f"Not yet: {answer:,} is not the number of entries of bigram_counts(train_data, C) equal to 1.")


def check_count_prob(answer):
    """The count-based probability (no smoothing) of 'h' right after 't' in the training split."""
    corpus = course_corpus()
    stoi = corpus.tokenizer.stoi
    probs = count_probs(bigram_counts(corpus.train_data, corpus.vocab_size))  # (C, C)
    expected = probs[stoi["t"], stoi["h"]].item()
    if not _is_number(answer):
        return _verdict(False, "", f"Expected a probability (a float between 0 and 1), got {answer!r}.")
    wrong_way = probs.T[stoi["t"], stoi["h"]].item()
    if abs(answer - expected) <= 1e-4:
        return _verdict(True, f"P('h' | 't') = {expected:.4f}: count('th') / count('t' followed by anything).", "")
    if abs(answer - wrong_way) <= 1e-4:
        return _verdict(False, "", "Not yet: that is P('t' | 'h'); rows are the current character, columns the next.")
    return _verdict(False, "", f"Not yet: {answer!r} is not within 1e-4. Divide count('th') by the sum of row 't'.")
