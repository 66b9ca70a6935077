"""Self-checks for the exercises of notebooks 01-03: the pipeline, imports and seeding, data and tokens."""

import math

import torch
import torch.nn as nn
from torch.nn import functional as F

from .answers import as_float, as_int, as_shape, course_corpus, not_yet, report
from .batch import get_batch
from .model import BigramLanguageModel
from .sampling import generate
from .tokens import train_val_split


# ---------------------------------------------------------------- 01 overview


def _overview_shapes(batch_size=4, block_size=8, max_new_tokens=100):
    """Shapes of the pipeline's tensors, measured by running the library (global RNG untouched)."""
    corpus = course_corpus()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = BigramLanguageModel(corpus.vocab_size)
        xb, yb = get_batch(corpus.train_data, batch_size, block_size)  # (B, T), (B, T)
        logits_3d, _ = model(xb)  # (B, T, C)
        logits_2d, loss = model(xb, yb)  # (B*T, C), ()
        out = generate(model, torch.zeros((1, 1), dtype=torch.long), max_new_tokens)  # (1, 1 + max_new_tokens)
    return {
        "xb": tuple(xb.shape),
        "logits_3d": tuple(logits_3d.shape),
        "logits_2d": tuple(logits_2d.shape),
        "targets_1d": (yb.numel(),),
        "loss": tuple(loss.shape),
        "generated": tuple(out.shape),
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": corpus.vocab_size,
    }


def check_pipeline_logits_shape(answer):
    """Exercise 01.1: the shape of `logits` from `m(xb, yb)` with batch_size 4 and block_size 8."""
    if not_yet(answer, "a tuple such as (rows, columns)"):
        return False
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    s = _overview_shapes()
    if shape == s["logits_2d"]:
        return report(True, f"With targets, forward flattens (B, T, C) = {s['logits_3d']} to "
                            f"(B*T, C) = {s['logits_2d']}: one row of {s['vocab_size']} scores per position.")
    if shape == s["logits_3d"]:
        return report(False, f"{shape} is (B, T, C): the logits straight out of the embedding table. With targets, "
                             "forward reshapes them with view(B * T, C) before the loss. Which shape comes back?")
    if shape == s["xb"] or shape == (s["logits_2d"][0], s["xb"][1]):
        return report(False, f"{shape} looks like the shape of xb (the notes write [32, 8]); xb is {s['xb']}. "
                             "The logits have one column per character in the vocabulary.")
    if shape == s["targets_1d"]:
        return report(False, f"{shape} is the shape of the flattened targets (B*T,). The logits keep a second "
                             "dimension: one score for each of the C characters.")
    return report(False, f"{shape} is not it. Hint: B * T rows (one per position of xb), "
                         "and one column per character of the vocabulary.")


def check_generate_shape(answer):
    """Exercise 01.2: the shape of `m.generate(torch.zeros((1, 1), dtype=torch.long), 100)`."""
    if not_yet(answer, "a tuple (B, T)"):
        return False
    shape = as_shape(answer)
    if shape is None:
        return report(False, f"Give the shape as a tuple of ints, e.g. (2, 3); got {answer!r}.")
    expected = _overview_shapes()["generated"]
    if shape == expected:
        return report(True, f"generate keeps the starting token and appends 100 new ones: {expected}.")
    if shape == (expected[0], expected[1] - 1):
        return report(False, f"{shape} forgets the starting token: idx (1, 1) is kept and 100 tokens are "
                             "appended after it, so T grows from 1 to 1 + 100.")
    if shape in ((expected[1],), (expected[1] - 1,)):
        return report(False, f"{shape} is 1-D. generate returns a 2-D (B, T) tensor; the notes' [0] picks "
                             "its only row before decoding.")
    if shape == (expected[1], expected[0]):
        return report(False, f"{shape} has the axes swapped: the batch dimension B comes first, then T.")
    return report(False, f"{shape} is not it. Hint: B stays 1; T starts at 1 and grows by one per new token.")


def check_parameter_count(answer):
    """Exercise 01.3: how many numbers `BigramLanguageModel(65)` learns."""
    if not_yet(answer, "an int"):
        return False
    n = as_int(answer)
    if n is None:
        return report(False, f"Give a whole number; got {answer!r}.")
    s = _overview_shapes()
    C = s["vocab_size"]
    if n == s["parameters"]:
        return report(True, f"The only parameter is the ({C}, {C}) embedding table: {C} * {C} = {n} numbers, "
                            "one row of next-character scores for each character.")
    if n == C:
        return report(False, f"{n} is the vocabulary size C. The table has a row for each of the C characters, "
                             "and each row holds C scores.")
    if n == 2 * C:
        return report(False, f"{n} = C + C adds the two arguments of nn.Embedding(C, C); the table holds "
                             "num_embeddings rows of embedding_dim numbers each.")
    return report(False, f"{n} is not it. Hint: sum(p.numel() for p in m.parameters()).")


# ------------------------------------------------------ 02 imports and seeding


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


def check_generator_draws(answer, seed=1337, n=5):
    """Exercise 02.2: torch.rand(5) from a torch.Generator seeded with 1337, untouched by other draws."""
    if not_yet(answer, "five draws of torch.rand taken from your seeded Generator g"):
        return False
    got = _as_floats(answer)
    if got is None:
        return report(False, f"Give the draws as a tensor (or a list of floats); got {type(answer).__name__}.")
    if got.numel() != n:
        return report(False, f"Expected {n} numbers, got {got.numel()}.")
    expected = torch.rand(n, generator=torch.Generator().manual_seed(seed)).double()
    if torch.allclose(got, expected, atol=1e-6):
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


# ------------------------------------------------------------ 03 data and tokens


def check_char_id(answer):
    """Exercise 03.1: the token id of the character 'a'."""
    if not_yet(answer, "an int"):
        return False
    n = as_int(answer)
    if n is None:
        if isinstance(answer, list) and len(answer) == 1:
            return report(False, f"encode returns a list; give the one id inside it, not {answer!r}.")
        return report(False, f"Give the id as an int; got {answer!r}.")
    tok = course_corpus().tokenizer
    expected = tok.stoi["a"]
    if n == expected:
        capitals = sum(ch.isupper() for ch in tok.chars[:expected])
        return report(True, f"'a' is at position {expected} of the sorted vocabulary: {expected - capitals} "
                            f"newline/space/punctuation/digit characters and {capitals} capitals sort before it.")
    if n == ord("a"):
        return report(False, f"{n} is ord('a'), the Unicode code point. Token ids are positions in the "
                             f"sorted list of the corpus' {tok.vocab_size} characters.")
    if n == 0:
        return report(False, "0 is the first character of the sorted vocabulary, which is '\\n', not 'a': "
                             "newline, space, punctuation, digits and capitals all sort before lowercase letters.")
    if n in (expected - 1, expected + 1):
        return report(False, f"{n} is off by one: ids count from 0. Try tokenizer.stoi['a'].")
    return report(False, f"{n} is not it. Hint: tokenizer.stoi['a'] or encode('a')[0].")


def check_val_newlines(answer):
    """Exercise 03.2: how many newline tokens the validation split holds."""
    if not_yet(answer, "an int"):
        return False
    n = as_int(answer)
    if n is None:
        return report(False, f"Give a whole number; got {answer!r}.")
    corpus = course_corpus()
    nl = corpus.tokenizer.stoi["\n"]
    expected = int((corpus.val_data == nl).sum())
    if n == expected:
        return report(True, f"{n} newlines in the {len(corpus.val_data):,} validation tokens.")
    if n == corpus.text.count("\n"):
        return report(False, f"{n} counts the newlines of the whole corpus; count only in val_data.")
    if n == int((corpus.train_data == nl).sum()):
        return report(False, f"{n} counts the newlines of train_data; the question asks about val_data.")
    if n == nl:
        return report(False, f"{n} is the id of '\\n', not how often it occurs. Compare val_data with that id and sum.")
    if n == len(corpus.val_data):
        return report(False, f"{n} is the length of val_data: count only the tokens equal to the newline id.")
    return report(False, f"{n} is not it. Hint: (val_data == stoi['\\n']).sum().")


def check_split_sizes(answer):
    """Exercise 03.3: (train, val) token counts of an 80/20 split of the corpus."""
    if not_yet(answer, "a tuple (n_train, n_val)"):
        return False
    sizes = as_shape(answer)
    if sizes is None or len(sizes) != 2:
        return report(False, f"Give two ints, (n_train, n_val); got {answer!r}.")
    data = course_corpus().data
    train, val = train_val_split(data, 0.8)
    expected = (len(train), len(val))
    if sizes == expected:
        return report(True, f"int(0.8 * {len(data):,}) = {expected[0]:,} for training, the last {expected[1]:,} "
                            "for validation.")
    if sizes == expected[::-1]:
        return report(False, f"{sizes} is swapped: training gets the larger, first part.")
    if sizes[0] + sizes[1] != len(data):
        return report(False, f"{sizes} adds up to {sum(sizes):,}, but the two parts must cover all "
                             f"{len(data):,} tokens.")
    if sizes[0] == expected[0] + 1:
        return report(False, f"{sizes} rounds up; train_val_split uses int(), which rounds 0.8 * N down.")
    if sizes == (len(course_corpus().train_data), len(course_corpus().val_data)):
        return report(False, f"{sizes} is the 90/10 split; call train_val_split(data, 0.8).")
    return report(False, f"{sizes} is not it. Hint: train_val_split(corpus.data, 0.8).")
