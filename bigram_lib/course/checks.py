"""Checks of what a learner passes in, kept apart from the code they guard.

`@arguments(name=rule, ...)` runs each rule on its argument before the call. A rule returns the argument,
normalised (a numpy or one-element tensor integer becomes an int), or raises an error that names the
argument and what is accepted: TypeError for the wrong kind of thing, ValueError for a wrong value.
"""

import functools
import inspect
import math

import numpy as np
import torch
import torch.nn as nn


def shown(value, limit=80):
    """A short repr of `value` for a message, even for an object whose repr fails."""
    try:
        text = repr(value)
    except Exception:
        text = f"<a {type(value).__name__} that cannot be shown>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_int(value):
    """`value` as a Python int: an int, a numpy integer or a one-element integer tensor (never a bool); else None."""
    if isinstance(value, torch.Tensor):
        if (
            value.numel() != 1
            or value.is_floating_point()
            or value.is_complex()
            or value.dtype == torch.bool
        ):
            return None
        return int(value.item())
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    return None


def as_float(value):
    """`value` as a Python float: any real number, numpy number or one-element real tensor (never a bool); else None."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_complex() or value.dtype == torch.bool:
            return None
        return float(value.item())
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    ):
        return float(value)
    return None


def arguments(**rules):
    """Decorator: before each call, rule(name, value, arguments) checks and normalises the named arguments, in order."""

    def wrap(fn):
        signature = inspect.signature(fn)
        params = signature.parameters
        positional = [n for n, p in params.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
        defaults = {n: p.default for n, p in params.items() if p.default is not p.empty}

        @functools.wraps(fn)
        def run(*args, **kwargs):
            values = dict(defaults)
            values.update(zip(positional, args, strict=False))
            values.update(kwargs)
            if (
                len(args) > len(positional)
                or len(values) != len(params)
                or not kwargs.keys() <= params.keys()
            ):
                # raises the TypeError Python would for a wrong call
                signature.bind(*args, **kwargs)
            for name, rule in rules.items():
                values[name] = rule(name, values[name], values)
            return fn(**values)

        return run

    return wrap


# -- numbers -----------------------------------------------------------------------------------------------------


def count(minimum=1, maximum=None, hint=""):
    """Rule: an integer >= minimum (and <= maximum: a number, or a function of the other arguments)."""

    def rule(name, value, args):
        number = as_int(value)
        top = maximum(args) if callable(maximum) else maximum
        if top is not None:
            wanted = f"an integer from {minimum} to {top}"
        else:
            wanted = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        wanted += f" ({hint})" if hint else ""
        if number is None:
            raise TypeError(f"{name} must be {wanted}, got {shown(value)}")
        if number < minimum or (top is not None and number > top):
            raise ValueError(f"{name} must be {wanted}, got {number}")
        return number

    return rule


def at_least(minimum, finite=True, hint=""):
    """Rule: a real number >= minimum; infinity only where finite is False; never NaN."""

    def rule(name, value, args):
        number = as_float(value)
        wanted = f"a {'finite ' if finite else ''}number >= {minimum:g}" + (
            f" ({hint})" if hint else ""
        )
        if number is None:
            raise TypeError(f"{name} must be {wanted}, got {shown(value)}")
        if not number >= minimum or (finite and number == math.inf):  # NaN fails every comparison
            raise ValueError(f"{name} must be {wanted}, got {shown(value)}")
        return number

    return rule


def finite_numbers(name, value, args):
    """Rule: a non-empty 1-D sequence of finite numbers, as a tuple of floats."""
    try:
        z = torch.as_tensor(value, dtype=torch.float64)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"{name} must be a sequence of numbers, got {shown(value)}") from None
    if z.dim() != 1 or len(z) == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of numbers, got shape {tuple(z.shape)}"
        )
    if not torch.isfinite(z).all():
        raise ValueError(f"{name} must be finite numbers, got {tuple(z.tolist())}")
    return tuple(z.tolist())


def optional(rule):
    """Rule: None, or what `rule` accepts."""
    return lambda name, value, args: None if value is None else rule(name, value, args)


def positive_number(name, value, args):
    """Rule: a finite number > 0 (a learning rate)."""
    number = as_float(value)
    if number is None:
        raise TypeError(f"{name} must be a finite number > 0, got {shown(value)}")
    if not 0 < number < math.inf:
        raise ValueError(f"{name} must be a finite number > 0, got {shown(value)}")
    return number


temperature = at_least(0, hint="0 means greedy, 1 the model's own odds")
smoothing = at_least(0, hint="the count added to every pair")


def eval_seed(name, value, args):
    """Rule: None or a seed for evaluation's own generator; only with eval_stream='own'."""
    if value is None:
        return None
    if args.get("eval_stream") == "training":
        raise ValueError(
            f"{name}={shown(value)} has no effect with eval_stream='training' (evaluation then draws "
            "from the training generator); leave eval_seed as None or use eval_stream='own'"
        )
    return count(0)(name, value, args)


def one_of(choices):
    """Rule: one of a few names."""

    def rule(name, value, args):
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"{name} must be one of {list(choices)}, got {shown(value)}")
        return value

    return rule


# -- models ------------------------------------------------------------------------------------------------------


def vocab_of(model):
    """C, the number of token ids a bigram model takes."""
    return model.token_embedding_table.num_embeddings


def model(name, value, args):
    """Rule: a bigram model (an nn.Module with a token_embedding_table) whose weights are real numbers."""
    if not isinstance(value, nn.Module) or not isinstance(
        getattr(value, "token_embedding_table", None), nn.Embedding
    ):
        raise TypeError(
            f"{name} must be a bigram model such as BigramLanguageModel(corpus.vocab_size), "
            f"got {shown(value)}"
        )
    weight = value.token_embedding_table.weight
    if weight.is_meta:
        raise ValueError(
            f"{name} lives on the meta device (shapes only, no numbers): build it outside "
            "torch.device('meta') to train, evaluate or sample it"
        )
    return value


def finite_model(name, value, args):
    """Rule: a bigram model whose table holds no NaN or +inf, and no row that is -inf throughout.

    A weight of -inf is a log-probability of 0: a table of counted log-probabilities (notebook 09) holds
    them for pairs never seen, and a row keeps working as long as one of its weights is finite.
    """
    value = model(name, value, args)
    weight = value.token_embedding_table.weight.detach()
    bad = int((weight.isnan() | weight.isposinf()).sum())
    if bad:
        raise ValueError(
            f"{name}'s table holds {bad:,} NaN or infinite weights (training diverged, usually from "
            "a learning rate that is too large): retrain it, for example with a smaller lr"
        )
    dead = int(weight.isneginf().all(dim=1).sum())
    if dead:
        raise ValueError(
            f"{name}'s table has {dead:,} row(s) of -inf weights only: after that token no next token "
            "has any probability"
        )
    return value


def trainable_model(name, value, args):
    """Rule: a bigram model with float32 or float64 weights (half precision overflows to NaN here)."""
    value = model(name, value, args)
    dtype = value.token_embedding_table.weight.dtype
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(
            f"{name} has {dtype} weights, which overflow to NaN in this training loop: "
            "train it in float32 (model.float())"
        )
    return value


def optimizer_of(model_arg):
    """Rule: None or a torch optimizer that updates every trainable parameter of the model argument."""

    def rule(name, value, args):
        if value is None:
            return None
        if args.get("lr") is not None:
            raise ValueError(
                f"give lr or {name}, not both: an optimizer has its own lr "
                f"({value.param_groups[0].get('lr')!r} for this one)"
            )
        if not isinstance(value, torch.optim.Optimizer):
            raise TypeError(
                f"{name} must be a torch.optim optimizer such as torch.optim.AdamW(model.parameters()), "
                f"got {shown(value)}"
            )
        held = {id(p) for group in value.param_groups for p in group["params"]}
        params = [p for p in args[model_arg].parameters() if p.requires_grad]
        missing = sum(id(p) not in held for p in params)
        if missing:
            raise ValueError(
                f"the optimizer does not hold this model's parameters ({missing} of {len(params)} missing): it was "
                "made for another model, so training would change nothing. This happens when the cell that builds "
                "the model is re-run but not the one that builds the optimizer: make it again with "
                "torch.optim.AdamW(model.parameters(), lr=...)."
            )
        return value

    return rule


# -- token ids ---------------------------------------------------------------------------------------------------


def ids(name, value, dims, vocab):
    """Token ids: a torch.long tensor of `dims` dims, each id in [0, vocab) if vocab is given."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of token ids, got {type(value).__name__}")
    if value.dtype != torch.long:
        raise TypeError(
            f"{name} must have dtype torch.long (int64 token ids), got {value.dtype}: "
            "convert it with .long()"
        )
    if value.dim() != dims:
        wanted = "2-D with shape (B, T)" if dims == 2 else "1-D, one id per character"
        raise ValueError(f"{name} must be {wanted}, got shape {tuple(value.shape)}")
    if vocab is not None and value.numel():
        lo, hi = (int(v) for v in torch.aminmax(value))
        if lo < 0 or hi >= vocab:
            raise ValueError(f"{name} holds ids outside [0, {vocab}): smallest {lo}, largest {hi}")
    return value


def batch_ids(name, value, args):
    """Rule: a (B, T) long tensor of ids the model (args['self']) knows."""
    return ids(name, value, 2, vocab_of(args["self"]))


def batch_targets(name, value, args):
    """Rule: None, or ids like batch_ids with the shape of idx; never an empty batch (its mean loss is NaN)."""
    if value is None:
        return None
    ids(name, value, 2, vocab_of(args["self"]))
    idx = args["idx"]
    if value.shape != idx.shape:
        raise ValueError(
            f"{name} must have the same shape as idx {tuple(idx.shape)}, got {tuple(value.shape)}"
        )
    if not idx.numel():
        raise ValueError(
            f"idx and targets are empty (shape {tuple(idx.shape)}): a loss needs at least one token"
        )
    # a slice such as yb[:, :3] too: forward's targets.view(B*T) needs one block
    return value.contiguous()


def context_ids(name, value, args):
    """Rule: a (B, T) long tensor of known ids with T >= 1 (generate continues from the last one)."""
    value = batch_ids(name, value, args)
    if value.shape[1] == 0:
        raise ValueError(
            f"{name} must hold at least one token per row to continue from, got shape "
            f"{tuple(value.shape)}"
        )
    return value


def token_data(name, value, args):
    """Rule: a 1-D long tensor of token ids (a whole split)."""
    return ids(name, value, 1, None)


def token_data_of(vocab_arg):
    """Rule: a 1-D long tensor of ids below the (already checked) argument `vocab_arg`."""
    return lambda name, value, args: ids(name, value, 1, args[vocab_arg])


def data_for_blocks(bounds):
    """Rule: a split long enough for one block of args['block_size'] under args['bound'] (checked before it)."""

    def rule(name, value, args):
        value = token_data(name, value, args)
        need = args["block_size"] + 1 + bounds[args["bound"]]
        if len(value) < need:
            raise ValueError(
                f"{name} of length {len(value)} is too short for block_size {args['block_size']}: "
                f"it needs at least {need} tokens"
            )
        return value

    return rule


def splits(name, value, args):
    """Rule: a dict of split name -> 1-D long tensor, such as {'train': train_data, 'val': val_data}."""
    if not isinstance(value, dict) or not value:
        raise TypeError(
            f"{name} must be a dict of split name -> data, such as "
            f"{{'train': train_data, 'val': val_data}}, got {shown(value)}"
        )
    return {split: token_data(f"{name}[{split!r}]", data, args) for split, data in value.items()}


def token_of_model(name, value, args):
    """Rule: one token id the model knows (an int, not a character)."""
    number = as_int(value)
    C = vocab_of(args["model"])
    if number is None:
        hint = (
            " (for a character, pass its id: corpus.encode(ch)[0])"
            if isinstance(value, str)
            else ""
        )
        raise TypeError(
            f"{name} must be a token id, an integer from 0 to {C - 1}, got {shown(value)}{hint}"
        )
    if not 0 <= number < C:
        raise ValueError(f"{name} must be a token id from 0 to {C - 1}, got {number}")
    return number


def top_k_of(logits_arg):
    """Rule: None, or an integer from 1 to C, the size of the last dimension of the logits argument."""

    def rule(name, value, args):
        if value is None:
            return None
        C = args[logits_arg].shape[-1] if logits_arg != "self" else vocab_of(args["self"])
        number = as_int(value)
        if number is None or not 1 <= number <= C:
            raise ValueError(f"{name} must be None or an integer from 1 to {C}, got {shown(value)}")
        return number

    return rule


vocab_size = count(hint="the number of distinct characters, e.g. corpus.vocab_size")


def pairs_of(vocab_arg):
    """Rule: token data below args[vocab_arg] with at least one (current, next) pair to count."""

    def rule(name, value, args):
        value = ids(name, value, 1, args[vocab_arg])
        if len(value) < 2:
            raise ValueError(
                f"{name} holds {len(value)} token(s): a loss over (current, next) pairs needs at least 2"
            )
        return value

    return rule


# -- text --------------------------------------------------------------------------------------------------------


def nonempty_text(name, value, args):
    """Rule: a non-empty str."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if not value:
        raise ValueError(
            f"{name} is empty: the vocabulary is built from the characters of a non-empty text"
        )
    return value


def known_text(name, value, args):
    """Rule: a str whose every character is in the tokenizer's (args['self']) vocabulary."""
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a str, got {type(value).__name__}: to turn ids into text use decode"
        )
    stoi = args["self"].stoi
    if not set(value) <= stoi.keys():
        pos = next(i for i, ch in enumerate(value) if ch not in stoi)
        raise ValueError(
            f"character {value[pos]!r} at position {pos} is not in the vocabulary of {len(stoi)} characters"
        )
    return value


def known_ids(name, value, args):
    """Rule: a sequence (or 1-D tensor) of integer ids of the tokenizer's vocabulary, as a list of ints."""
    if isinstance(value, str):
        raise TypeError(
            f"{name}: decode takes a sequence of ids, got a str: to turn text into ids use encode"
        )
    if isinstance(value, torch.Tensor):
        if value.dim() != 1:
            raise ValueError(
                f"decode takes a 1-D sequence of ids, got a tensor of shape {tuple(value.shape)}"
            )
        if value.is_floating_point() or value.is_complex() or value.dtype == torch.bool:
            raise TypeError(f"decode takes integer ids, got a tensor of dtype {value.dtype}")
        value = value.tolist()
    ids = []
    for pos, item in enumerate(value):
        number = item if type(item) is int else as_int(item)  # True would decode silently as id 1
        if number is None:
            raise TypeError(
                f"decode takes integer ids; position {pos} holds {shown(item)} ({type(item).__name__})"
            )
        ids.append(number)
    C = len(args["self"].itos)
    bad = next(((p, i) for p, i in enumerate(ids) if not 0 <= i < C), None)
    if bad is not None:
        raise ValueError(
            f"id {bad[1]!r} at position {bad[0]} is not in the vocabulary (ids run from 0 to {C - 1})"
        )
    return ids


def fraction(name, value, args):
    """Rule: a number strictly between 0 and 1."""
    number = as_float(value)
    if number is None or not 0 < number < 1:
        raise ValueError(f"{name} must be between 0 and 1, got {shown(value)}")
    return number


def one_character(name, value, args):
    """Rule: a string of exactly one character."""
    if not isinstance(value, str) or len(value) != 1:
        raise ValueError(f"{name} must be a single character, got {shown(value)}")
    return value
