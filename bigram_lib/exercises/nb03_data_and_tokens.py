"""Self-checks for the exercises of notebook 03, data and tokens."""

from ..tokens import train_val_split
from .answers import course_corpus, read_int, read_shape
from .verdict import correct, exercise, not_quite


def _read_id(answer):
    """An int, or [the int] for the one-element list that encode returns (a mistake the check explains)."""
    number = read_int(answer)
    if number is None and isinstance(answer, (list, tuple)) and len(answer) == 1:
        inner = read_int(answer[0])
        return None if inner is None else [inner]
    return number


@exercise(
    "03.1",
    reads=_read_id,
    expects="an int",
    solution="""
```python
answer = tok.stoi["a"]  # or corpus.encode("a")[0]: 39
```
Ids are positions in the sorted list of the corpus' 65 characters: newline, space, punctuation, the
digit 3 and the 26 capitals all sort before `'a'`, so it is not 0; and 97 is `ord("a")`, its Unicode
code point, which this vocabulary never uses.
""",
)
def check_char_id(n):
    """Exercise 03.1: the token id of the character 'a'."""
    if isinstance(n, list):
        return not_quite(
            "encode_list",
            f"encode returns a list; give the one id inside it, {n[0]}, not the list {n}.",
        )
    tok = course_corpus().tokenizer
    expected = tok.stoi["a"]
    if n == expected:
        capitals = sum(ch.isupper() for ch in tok.chars[:expected])
        return correct(
            f"'a' is at position {expected} of the sorted vocabulary: {expected - capitals} "
            f"newline/space/punctuation/digit characters and {capitals} capitals sort before it."
        )
    if n == ord("a"):
        return not_quite(
            "code_point",
            f"{n} is ord('a'), the Unicode code point. Token ids are positions in "
            f"the sorted list of the corpus' {tok.vocab_size} characters.",
        )
    if n == 0:
        return not_quite(
            "zero",
            "0 is the first character of the sorted vocabulary, which is '\\n', not "
            "'a': newline, space, punctuation, digits and capitals all sort before lowercase "
            "letters.",
        )
    if n in (expected - 1, expected + 1):
        return not_quite(
            "off_by_one", f"{n} is off by one: ids count from 0. Try tokenizer.stoi['a']."
        )
    return not_quite("other", f"{n} is not it. Hint: tokenizer.stoi['a'] or encode('a')[0].")


@exercise(
    "03.2",
    reads=read_int,
    expects="an int",
    solution="""
```python
newline = tok.stoi["\\n"]  # id 0
answer = int((val_data == newline).sum())  # a (N_val,) tensor of True/False, summed
```
Comparing the tensor with one id gives a boolean tensor of the same shape; summing it counts the
`True`s, one per newline token of the validation part.
""",
)
def check_val_newlines(n):
    """Exercise 03.2: how many newline tokens the validation split holds."""
    corpus = course_corpus()
    nl = corpus.tokenizer.stoi["\n"]
    expected = int((corpus.val_data == nl).sum())
    if n == expected:
        return correct(f"{n} newlines in the {len(corpus.val_data):,} validation tokens.")
    if n == corpus.text.count("\n"):
        return not_quite(
            "whole_corpus", f"{n} counts the newlines of the whole corpus; count only in val_data."
        )
    if n == int((corpus.train_data == nl).sum()):
        return not_quite(
            "train_split",
            f"{n} counts the newlines of train_data; the question asks about val_data.",
        )
    if n == nl:
        return not_quite(
            "newline_id",
            f"{n} is the id of '\\n', not how often it occurs. Compare val_data "
            "with that id and sum.",
        )
    if n == len(corpus.val_data):
        return not_quite(
            "val_length",
            f"{n} is the length of val_data: count only the tokens equal to the newline id.",
        )
    return not_quite("other", f"{n} is not it. Hint: (val_data == stoi['\\n']).sum().")


@exercise(
    "03.3",
    reads=read_shape,
    expects="a tuple of two ints (n_train, n_val)",
    solution="""
```python
train80, val80 = train_val_split(data, 0.8)
answer = (len(train80), len(val80))  # n = int(0.8 * N) ids for training, the rest for validation
```
The split is a cut at `n = int(0.8 * len(data))`: `int` rounds down, and the two parts together cover
all 1,115,394 ids.
""",
)
def check_split_sizes(sizes):
    """Exercise 03.3: (train, val) token counts of an 80/20 split of the corpus."""
    if len(sizes) != 2:
        return not_quite(
            "not_a_pair", f"give two ints, (n_train, n_val); got {len(sizes)}: {sizes}."
        )
    corpus = course_corpus()
    data = corpus.data
    train, val = train_val_split(data, 0.8)
    expected = (len(train), len(val))
    if sizes == expected:
        return correct(
            f"int(0.8 * {len(data):,}) = {expected[0]:,} for training, the last {expected[1]:,} "
            "for validation."
        )
    if sizes == expected[::-1]:
        return not_quite("swapped", f"{sizes} is swapped: training gets the larger, first part.")
    if sizes[0] + sizes[1] != len(data):
        return not_quite(
            "not_covering",
            f"{sizes} adds up to {sum(sizes):,}, but the two parts must cover "
            f"all {len(data):,} tokens.",
        )
    if sizes[0] == expected[0] + 1:
        return not_quite(
            "rounds_up",
            f"{sizes} rounds up; train_val_split uses int(), which rounds 0.8 * N down.",
        )
    if sizes == (len(corpus.train_data), len(corpus.val_data)):
        return not_quite(
            "ninety_ten", f"{sizes} is the 90/10 split; call train_val_split(data, 0.8)."
        )
    return not_quite("other", f"{sizes} is not it. Hint: train_val_split(corpus.data, 0.8).")
