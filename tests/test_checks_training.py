"""The exercise checks of notebooks 07-09: right answers pass, wrong ones fail with a useful message."""

import pytest
import torch

from bigram_lib import (
    BigramLanguageModel,
    bigram_counts,
    count_probs,
    generate,
    get_batch,
    next_token_probs,
    train_step,
    trained_model,
)
from bigram_lib.exercises import (
    check_count_prob,
    check_generated_shape,
    check_greedy_text,
    check_pairs_seen_once,
    check_prob_space_after_e,
    check_sgd_step_change,
    check_step_order,
)

GOOD_ORDERS = [
    ["get_batch", "forward", "zero_grad", "backward", "step"],  # the notes' code
    ["get_batch", "forward", "backward", "step", "zero_grad"],  # the notes' "where is it returned to" answer
    ["zero_grad", "get_batch", "forward", "backward", "step"],
]


@pytest.fixture(scope="module")
def model(corpus):
    """The notes' trained model (from the cache, or trained once)."""
    return trained_model(corpus, progress=False)[0]


def verdict(check, answer, capsys):
    """Run a check; return (result, printed text)."""
    result = check(answer)
    return result.passed, result.text


@pytest.mark.parametrize("check", [check_step_order, check_sgd_step_change, check_generated_shape,
                                   check_greedy_text, check_prob_space_after_e, check_pairs_seen_once,
                                   check_count_prob])
def test_placeholder_is_not_yet_correct(check, capsys, corpus):
    result, out = verdict(check, None, capsys)
    assert result is False
    assert "Correct" not in out and out.startswith("Not yet: answer is still None.")


@pytest.mark.parametrize("order", GOOD_ORDERS)
def test_step_order_accepts_orders_that_clear_between_steps(order, capsys, corpus):
    result, out = verdict(check_step_order, order, capsys)
    assert result is True and out.startswith("Correct!")


@pytest.mark.parametrize("order,reason", [
    (["get_batch", "forward", "backward", "zero_grad", "step"], "between backward and step"),
    (["get_batch", "forward", "zero_grad", "step", "backward"], "step runs before backward"),
    (["forward", "get_batch", "zero_grad", "backward", "step"], "forward ran before get_batch"),
    (["get_batch", "backward", "forward", "zero_grad", "step"], "backward ran before forward"),
    (["get_batch", "forward", "backward", "step"], "exactly once"),
    (["get_batch", "forward", "zero_grad", "backward", "update"], "Unknown step"),
])
def test_step_order_explains_what_is_wrong(order, reason, capsys, corpus):
    result, out = verdict(check_step_order, order, capsys)
    assert result is False and reason in out


def test_step_order_leaves_the_global_random_state_alone(capsys, corpus):
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    check_step_order(GOOD_ORDERS[0])
    capsys.readouterr()
    assert torch.equal(torch.rand(3), expected)


def test_sgd_step_change(capsys, corpus):
    torch.manual_seed(1337)
    m = BigramLanguageModel(corpus.vocab_size)
    xb, yb = get_batch(corpus.train_data, 32, 8, torch.Generator().manual_seed(1337))
    before = m.token_embedding_table.weight.detach().clone()
    train_step(m, torch.optim.SGD(m.parameters(), lr=0.1), xb, yb)
    largest = (m.token_embedding_table.weight.detach() - before).abs().max().item()
    assert 0 < largest < 0.01  # lr * a gradient entry of at most about 1/256 per occurrence
    assert verdict(check_sgd_step_change, largest, capsys)[0] is True
    assert verdict(check_sgd_step_change, 1e-3, capsys)[0] is False  # AdamW's step size is not SGD's
    assert verdict(check_sgd_step_change, largest * 1.1, capsys)[0] is False



@pytest.mark.parametrize("number,name,check", [
    ("07.1", "order", check_step_order),
    ("07.2", "largest_change", check_sgd_step_change),
    ("09.1", "n_once", check_pairs_seen_once),
    ("09.2", "p_h_after_t", check_count_prob),
])
def test_worked_solutions_of_07_and_09_pass_their_check(number, name, check, corpus):
    import re

    from bigram_lib.exercises import show_solution

    code = re.search(r"```python\n(.*?)```", show_solution(number).text, re.S).group(1)
    namespace = {"torch": torch, "BigramLanguageModel": BigramLanguageModel, "get_batch": get_batch,
                 "train_step": train_step, "bigram_counts": bigram_counts, "C": corpus.vocab_size,
                 "train_data": corpus.train_data, "stoi": corpus.tokenizer.stoi, check.__name__: check}
    exec(code, namespace)  # the solution as a learner would run it, ending with its check call
    assert check(namespace[name]).passed

def test_generated_shape(capsys, corpus):
    out = generate(BigramLanguageModel(corpus.vocab_size), torch.zeros((3, 4), dtype=torch.long), 6)
    assert verdict(check_generated_shape, tuple(out.shape), capsys)[0] is True
    assert verdict(check_generated_shape, out.shape, capsys)[0] is True  # a torch.Size is fine too
    result, text = verdict(check_generated_shape, (1, 10), capsys)
    assert result is False and "B" in text
    result, text = verdict(check_generated_shape, (3, 6), capsys)
    assert result is False and "T is wrong" in text
    assert verdict(check_generated_shape, (3, 10, 65), capsys)[0] is False


def test_greedy_text(capsys, corpus, model):
    out = generate(model, torch.tensor([corpus.encode("Q")]), 20, temperature=0)  # (1, 21)
    text = corpus.decode(out[0, 1:].tolist())
    assert len(text) == 20
    assert verdict(check_greedy_text, text, capsys)[0] is True
    assert verdict(check_greedy_text, "Q" + text[:-1], capsys)[0] is False
    # the answer is not the greedy text after "W" that notebook 08 prints above the exercise
    after_w = corpus.decode(generate(model, torch.tensor([corpus.encode("W")]), 20, temperature=0)[0, 1:].tolist())
    assert verdict(check_greedy_text, after_w, capsys)[0] is False
    result, out_text = verdict(check_greedy_text, text[:10], capsys)
    assert result is False and "20 new characters" in out_text


def test_prob_space_after_e(capsys, corpus, model):
    p = next_token_probs(model, corpus.tokenizer.stoi["e"])[corpus.tokenizer.stoi[" "]].item()
    assert 0.1 < p < 0.5
    assert verdict(check_prob_space_after_e, p, capsys)[0] is True
    assert verdict(check_prob_space_after_e, p + 0.02, capsys)[0] is False
    result, out = verdict(check_prob_space_after_e, 3.0, capsys)
    assert result is False and "not a probability" in out


def test_nb08_exercises_have_worked_solutions():
    from bigram_lib.exercises import show_solution

    for number in ("08.1", "08.2", "08.3"):
        assert repr(show_solution(number)).startswith(f"Worked solution, exercise {number}")


def test_pairs_seen_once(capsys, corpus):
    counts = bigram_counts(corpus.train_data, corpus.vocab_size)
    once = int((counts == 1).sum())
    assert verdict(check_pairs_seen_once, once, capsys)[0] is True
    result, out = verdict(check_pairs_seen_once, int((counts == 0).sum()), capsys)
    assert result is False and "never occur" in out
    assert verdict(check_pairs_seen_once, once + 1, capsys)[0] is False
    assert verdict(check_pairs_seen_once, float(once), capsys)[0] is False


def test_count_prob(capsys, corpus):
    stoi = corpus.tokenizer.stoi
    counts = bigram_counts(corpus.train_data, corpus.vocab_size)
    p = (counts[stoi["t"], stoi["h"]] / counts[stoi["t"]].sum()).item()
    assert p == pytest.approx(count_probs(counts)[stoi["t"], stoi["h"]].item())
    assert verdict(check_count_prob, p, capsys)[0] is True
    reversed_p = (counts[stoi["h"], stoi["t"]] / counts[stoi["h"]].sum()).item()
    result, out = verdict(check_count_prob, reversed_p, capsys)
    assert result is False and "P('t' | 'h')" in out
    assert verdict(check_count_prob, p + 0.01, capsys)[0] is False
