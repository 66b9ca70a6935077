"""Self-checks for the exercises of notebook 03, data and tokens."""

from ..tokens import train_val_split
from .answers import as_int, as_shape, course_corpus, not_yet, report
from .verdict import exercise


@exercise("03.1", solution="""
```python
answer = tok.stoi["a"]  # or corpus.encode("a")[0]: 39
```
Ids are positions in the sorted list of the corpus' 65 characters: newline, space, punctuation, the
digit 3 and the 26 capitals all sort before `'a'`, so it is not 0; and 97 is `ord("a")`, its Unicode
code point, which this vocabulary never uses.
""")
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


@exercise("03.2", solution="""
```python
newline = tok.stoi["\\n"]  # id 0
answer = int((val_data == newline).sum())  # a (N_val,) tensor of True/False, summed
```
Comparing the tensor with one id gives a boolean tensor of the same shape; summing it counts the
`True`s, one per newline token of the validation part.
""")
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


@exercise("03.3", solution="""
```python
train80, val80 = train_val_split(data, 0.8)
answer = (len(train80), len(val80))  # n = int(0.8 * N) ids for training, the rest for validation
```
The split is a cut at `n = int(0.8 * len(data))`: `int` rounds down, and the two parts together cover
all 1,115,394 ids.
""")
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
