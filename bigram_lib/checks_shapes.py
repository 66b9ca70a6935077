"""Self-checks for the exercises of notebooks 04 (get_batch), 05 (embedding, logits) and 06 (cross-entropy)."""


import torch
from torch.nn import functional as F

from .answers import as_float, as_int, as_shape, course_corpus, not_yet
from .batch import get_batch
from .model import BigramLanguageModel

NOTES_SEED = 1337  # the notes' torch.manual_seed
NOTES_B, NOTES_T = 4, 8  # the notes' first batch: batch_size, block_size


def _notes_batch():
    """The notes' first batch (xb, yb), drawn without touching the caller's random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(NOTES_SEED)
        return get_batch(course_corpus().train_data, NOTES_B, NOTES_T)  # (4, 8), (4, 8)


def _notes_model():
    """The notes' untrained model (seed 1337), built without touching the caller's random state."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(NOTES_SEED)
        return BigramLanguageModel(course_corpus().vocab_size)


# ---------------------------------------------------------------- 04_get_batch


LARGEST_START_LEN, LARGEST_START_T = 20, 8  # the exercise's data = torch.arange(20), block_size = 8


def _largest_start(length=LARGEST_START_LEN, block_size=LARGEST_START_T, draws=4000):
    """The largest start offset get_batch actually draws for data = torch.arange(length)."""
    data = torch.arange(length)  # token id == position, so x[:, 0] is the start offset
    x, _ = get_batch(data, draws, block_size, generator=torch.Generator().manual_seed(0))  # (draws, T)
    return int(x[:, 0].max())


def check_largest_start(answer):
    """Exercise 04.1: the largest start index get_batch can pick for torch.arange(20) and block_size 8."""
    if not_yet(answer, "an int: the largest start index"):
        return False
    value = as_int(answer)
    if value is None:
        print(f"Expected a whole number (an int), got {type(answer).__name__} {answer!r}.")
        return False
    expected = _largest_start()
    if value == expected:
        print(f"Correct! torch.randint(high) draws 0 .. high-1, so with high = len(data) - block_size - 1 = "
              f"{expected + 1} the largest start is {expected}; its y ends at index {expected + LARGEST_START_T} "
              f"and the last token (id {LARGEST_START_LEN - 1}) is never a target.")
        return True
    if value == expected + 1:
        print(f"Not quite: {value} is the largest start of the lecture's bound torch.randint(len(data) - block_size). "
              "get_batch keeps the notes' bound len(data) - block_size - 1, and torch.randint(high) never returns high.")
    elif value > expected + 1:
        print(f"Too large: a start of {value} would need y = data[{value + 1}:{value + LARGEST_START_T + 1}], "
              f"which runs past the end of a tensor of length {LARGEST_START_LEN}.")
    else:
        print(f"Too small: get_batch can start later than {value}. Remember torch.randint(high) "
              "draws from 0 up to high - 1, with high = len(data) - block_size - 1.")
    return False


def check_target_char(answer):
    """Exercise 04.2: the target character after the context xb[2, :5] of the notes' first batch."""
    if not_yet(answer, "a one-character string"):
        return False
    if not isinstance(answer, str) or len(answer) != 1:
        print(f"Expected a one-character string such as 'e', got {answer!r}.")
        return False
    corpus = course_corpus()
    xb, yb = _notes_batch()
    context = corpus.decode(xb[2, :5].tolist())
    expected = corpus.decode([int(yb[2, 4])])
    if answer == expected:
        print(f"Correct! When the input is {context!r} the target is {expected!r}: yb[2, 4] == xb[2, 5].")
        return True
    if answer == corpus.decode([int(xb[2, 4])]):
        print(f"Not quite: {answer!r} is the last character OF the context {context!r}. "
              "The target is the character that comes after it: yb[2, 4].")
    elif answer == corpus.decode([int(yb[2, 5])]):
        print(f"Not quite: {answer!r} is yb[2, 5], one step too far. The context xb[2, :5] ends at position 4, "
              "so its target is yb[2, 4].")
    else:
        print(f"Not quite: {answer!r} is not the character that follows {context!r} in the batch. "
              "Look up yb[2, 4] and decode it.")
    return False


VAL_B, VAL_T, VAL_SEED = 3, 5, 42  # exercise 04.3: batch_size, block_size, generator seed


def check_val_batch(answer):
    """Exercise 04.3: (x, y) = get_batch(val_data, 3, 5) drawn with a torch.Generator seeded 42."""
    if not_yet(answer, "the pair (x, y) returned by get_batch"):
        return False
    if not isinstance(answer, tuple) or len(answer) != 2 or not all(isinstance(t, torch.Tensor) for t in answer):
        print("Expected a tuple (x, y) of two tensors, exactly what get_batch returns.")
        return False
    x, y = answer
    corpus = course_corpus()
    want_x, want_y = get_batch(corpus.val_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED))
    if x.shape != want_x.shape or y.shape != want_y.shape:
        print(f"Wrong shapes: x {tuple(x.shape)}, y {tuple(y.shape)}; a batch of batch_size {VAL_B} and "
              f"block_size {VAL_T} has shape (B, T) = {tuple(want_x.shape)} for both.")
        return False
    if x.dtype != torch.long or y.dtype != torch.long:
        print(f"x and y should hold token ids (torch.long), got {x.dtype} and {y.dtype}.")
        return False
    if not torch.equal(x[:, 1:], y[:, :-1]):
        print("y should be x shifted by one: y[:, :-1] must equal x[:, 1:]. Did you swap or edit x and y?")
        return False
    if torch.equal(x, want_x) and torch.equal(y, want_y):
        print(f"Correct! Three random windows of 5 characters from val_data: "
              f"{[corpus.decode(row.tolist()) for row in x]}.")
        return True
    train_x, _ = get_batch(corpus.train_data, VAL_B, VAL_T, generator=torch.Generator().manual_seed(VAL_SEED))
    if torch.equal(x, train_x):
        print("These windows come from train_data; the exercise asks for val_data.")
    else:
        print(f"Right shapes, different windows: pass generator=torch.Generator().manual_seed({VAL_SEED}) "
              "to get_batch (a fresh generator, used for nothing else first).")
    return False


# ---------------------------------------------------------------- 05_embedding_and_logits


def check_logits_shape(answer):
    """Exercise 05.1: the shape of the logits that m(xb) returns when no targets are given."""
    if not_yet(answer, "the shape, e.g. (1, 2, 3) or a torch.Size"):
        return False
    shape = as_shape(answer)
    if shape is None:
        print(f"Expected a shape: a tuple of ints or a torch.Size, got {answer!r}.")
        return False
    xb, _ = _notes_batch()
    with torch.no_grad():
        logits, loss = _notes_model()(xb)
    expected = tuple(logits.shape)  # (B, T, C)
    if shape == expected:
        print(f"Correct! Without targets forward skips the view: logits stay (B, T, C) = {expected}.")
        return True
    B, T, C = expected
    if shape == (B * T, C):
        print(f"Not quite: {shape} is the shape WITH targets, after logits.view(B * T, C). "
              "Without targets forward returns the (B, T, C) lookup unchanged.")
    elif shape == (B, T):
        print(f"Not quite: {shape} is the shape of xb (the ids). Each id is replaced by a row of C = {C} scores.")
    else:
        print(f"Not quite: {shape}. Start from xb's shape (B, T) and add one axis of C scores per id.")
    return False


ROW_CHAR = "h"  # exercise 05.2 looks up the row of this character


def check_embedding_row(answer):
    """Exercise 05.2: the untrained model's 65 logits for the character after 'h', read from the table."""
    if not_yet(answer, "a tensor of 65 logits"):
        return False
    if not isinstance(answer, torch.Tensor):
        print(f"Expected a tensor, got {type(answer).__name__}.")
        return False
    corpus = course_corpus()
    model = _notes_model()
    token = corpus.encode(ROW_CHAR)[0]
    with torch.no_grad():
        logits, _ = model(torch.tensor([[token]]))  # (1, 1, C)
    expected = logits[0, 0]  # (C,)
    got = answer.detach()
    if got.shape != expected.shape:
        if got.numel() == expected.numel():
            print(f"Right numbers, wrong shape {tuple(got.shape)}: index one row to get shape {tuple(expected.shape)}.")
        else:
            print(f"Expected shape {tuple(expected.shape)} (one score per character), got {tuple(got.shape)}.")
        return False
    if torch.allclose(got.float(), expected):
        print(f"Correct! Row {token} of the table (the id of {ROW_CHAR!r}) IS the model's next-character logits "
              f"after {ROW_CHAR!r}: the forward pass is this lookup.")
        return True
    weight = model.token_embedding_table.weight.detach()
    if torch.allclose(got.float(), weight[:, token]):
        print(f"Not quite: that is column {token}, the score every character gives to {ROW_CHAR!r} coming next. "
              f"Take the row: weight[{token}].")
    else:
        print(f"Not quite: these are not row {ROW_CHAR!r} of the seed-{NOTES_SEED} model's table. Use "
              f"corpus.encode({ROW_CHAR!r})[0] as the row index, on m = BigramLanguageModel(65) built right "
              f"after torch.manual_seed({NOTES_SEED}).")
    return False


FLAT_B, FLAT_T = 2, 5  # exercise 05.3: the batch whose flattened shapes are asked for


def check_flat_shapes(answer):
    """Exercise 05.3: the shapes of the logits and targets F.cross_entropy receives when B = 2 and T = 5."""
    if not_yet(answer, "a pair (logits_shape, targets_shape)"):
        return False
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        print(f"Expected a pair (logits_shape, targets_shape), got {answer!r}.")
        return False
    shapes = [as_shape(a) for a in answer]
    if None in shapes:
        print("Each shape should be a tuple of ints or a torch.Size, e.g. ((6, 4), (6,)).")
        return False
    corpus = course_corpus()
    x, y = get_batch(corpus.train_data, FLAT_B, FLAT_T, generator=torch.Generator().manual_seed(0))  # (2, 5)
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        logits, _ = BigramLanguageModel(corpus.vocab_size)(x, y)  # (B*T, C)
    expected = (tuple(logits.shape), (FLAT_B * FLAT_T,))
    if tuple(shapes) == expected:
        print(f"Correct! {FLAT_B} rows of {FLAT_T} positions become {FLAT_B * FLAT_T} independent examples: "
              f"logits {expected[0]} and targets {expected[1]}.")
        return True
    if shapes[0] != expected[0]:
        print(f"The logits shape is off: got {shapes[0]}, cross_entropy gets one row of C scores per position, "
              f"(B * T, C).")
    if shapes[1] != expected[1]:
        hint = " That is yb before targets.view(B * T) flattens it into one axis." if shapes[1] == (
            FLAT_B, FLAT_T) else ""
        print(f"The targets shape is off: got {shapes[1]}; cross_entropy gets one id per position, "
              f"a 1-D tensor.{hint}")
    return False


# ---------------------------------------------------------------- 06_cross_entropy_and_nll


def check_uniform_loss(answer):
    """Exercise 06.1: the loss of a model that gives all C = 65 characters the same score."""
    if not_yet(answer, "a number"):
        return False
    value = as_float(answer)
    if value is None:
        print(f"Expected a number, got {answer!r}.")
        return False
    C = course_corpus().vocab_size
    expected = F.cross_entropy(torch.zeros(1, C, dtype=torch.float64), torch.tensor([0])).item()
    if abs(value - expected) < 1e-4:
        print(f"Correct! Equal scores give p = 1/{C} to every character, and -log(1/{C}) = ln {C} = {expected:.4f}, "
              "whatever the target.")
        return True
    if abs(value - 1 / C) < 1e-4:
        print(f"Not quite: {value:.4f} is the probability 1/{C}. The loss is its negative (natural) log.")
    elif abs(value + expected) < 1e-4:
        print(f"Almost: {value:.4f} is the log likelihood. The loss is the NEGATIVE log likelihood.")
    elif abs(value - expected / torch.log(torch.tensor(10.0, dtype=torch.float64)).item()) < 1e-4:
        print(f"Almost: {value:.4f} uses log base 10. Cross-entropy uses the natural log (math.log, torch.log).")
    else:
        print(f"Not quite: {value:.4f}. With equal scores softmax gives every character the same probability; "
              "the loss is -log of that probability.")
    return False


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
            got = answer(logits.clone(), targets.clone())
        except Exception as err:  # the learner's code may fail in any way; report it
            print(f"Your function raised {type(err).__name__}: {err} (logits {tuple(logits.shape)}, "
                  f"targets {tuple(targets.shape)}).")
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


def check_rows_with_grad(answer):
    """Exercise 06.3: how many rows of the 65 x 65 table get a nonzero gradient from the notes' first batch."""
    if not_yet(answer, "an int: the number of rows"):
        return False
    value = as_int(answer)
    if value is None:
        print(f"Expected a whole number (an int), got {answer!r}.")
        return False
    xb, yb = _notes_batch()
    model = _notes_model()
    _, loss = model(xb, yb)
    loss.backward()
    grad = model.token_embedding_table.weight.grad  # (C, C), filled in by AccumulateGrad
    expected = int((grad != 0).any(dim=1).sum())
    if value == expected:
        print(f"Correct! Only the {expected} rows that xb looked up get a gradient: the lookup touches nothing else, "
              "so one step of training changes only those rows.")
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
