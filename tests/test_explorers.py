"""The explorers, headless: pure results, widgets driven by setting their values, and their figures."""

import html
import io
import math

import ipywidgets as widgets
import pytest
import torch
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, StepPatch
from matplotlib.text import Text
from PIL import Image as PILImage
from torch.nn import functional as F

from bigram_lib import (
    BigramLanguageModel,
    bigram_counts,
    get_batch,
    model_loss,
    next_token_probs,
    optimal_loss,
)
from bigram_lib.explorers import (
    DEFAULT_LABELS,
    DEFAULT_LOGITS,
    DEFAULT_STEPS,
    LIVE_DPI,
    LIVE_SCALE,
    OPTIMIZERS,
    SHAPE_CODE,
    Explorer,
    batch_explorer,
    batch_figure,
    batch_view,
    optimizer_explorer,
    optimizer_figure,
    optimizer_run,
    sample_view,
    sampling_explorer,
    sampling_figure,
    shape_explorer,
    shape_figure,
    shape_trace,
    softmax_explorer,
    softmax_figure,
    softmax_view,
)
from bigram_lib.explorers.figure import png_rgb, visible

# torch.manual_seed(1337); get_batch(train_data, 4, 8)[0][0]
NOTES_FIRST_ROW = (53, 59, 6, 1, 58, 56, 47, 40)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def model(corpus):
    """The notes' untrained model: seed 1337, then BigramLanguageModel(65)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1337)
        return BigramLanguageModel(corpus.vocab_size).eval()


def all_finite(values):
    """No NaN and no infinity anywhere."""
    return all(math.isfinite(v) for v in values)


def texts_of(fig):
    """Every non-empty text drawn anywhere in a figure."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def assert_explorer(w, kind, names):
    """An Explorer of the given kind, with the named controls, classes for a browser, and a short repr."""
    assert isinstance(w, Explorer) and isinstance(w, widgets.VBox)
    assert w.kind == kind and list(w.controls) == names
    assert w.error is None and w.view is not None
    assert {"bigram-explorer", f"bigram-{kind}-explorer"} <= set(w._dom_classes)
    for name, control in w.controls.items():
        assert f"bigram-control-{name}" in control._dom_classes
    assert len(repr(w)) < 300 and repr(w).startswith(f"<{kind} explorer")
    assert w.readout.value


# --------------------------------------------------------------------------------------------- softmax


def test_softmax_view_defaults_are_the_notes_scores():
    v = softmax_view()
    assert v.logits == DEFAULT_LOGITS
    expected = F.softmax(torch.tensor(DEFAULT_LOGITS, dtype=torch.float64), dim=-1).tolist()
    assert v.probs == pytest.approx(expected, abs=1e-12)
    # "cat" gets the most, but far from all of it
    assert v.probs[0] == pytest.approx(0.3771, abs=1e-4)
    assert v.total == pytest.approx(1.0, abs=1e-12)
    assert v.nll == pytest.approx(-math.log(v.probs[0]), abs=1e-12)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 10.0])
@pytest.mark.parametrize("target", [0, 2, 3])
def test_softmax_view_sum_and_nll(temperature, target):
    logits = (1.5, -0.3, 0.2, 2.9)
    v = softmax_view(logits, temperature, target)
    assert v.total == pytest.approx(1.0, abs=1e-12)
    assert v.nll == pytest.approx(-math.log(v.probs[target]), rel=1e-12)
    assert v.probs == pytest.approx(
        F.softmax(torch.tensor(logits, dtype=torch.float64) / temperature, -1).tolist()
    )


def test_softmax_temperature_zero_is_argmax_one_hot():
    v = softmax_view((0.1, 3.0, 3.0, -2.0), 0.0, target=1)
    assert v.probs == (0.0, 1.0, 0.0, 0.0)  # ties go to the first largest logit, like argmax
    assert v.nll == 0.0 and math.copysign(1, v.nll) == 1  # exactly 0, not -0.0
    miss = softmax_view((0.1, 3.0, 3.0, -2.0), 0.0, target=2)
    assert miss.nll == math.inf and miss.total == 1.0  # p is exactly 0: the only infinite NLL


@pytest.mark.parametrize(
    "logits", [(1e4, -1e4, 0.0, 0.0), (-1e4, -1e4, -1e4, -1e4), (1e4, 1e4 - 1, 0.0, -1e4)]
)
@pytest.mark.parametrize("temperature", [1e-6, 1e-3, 1.0, 1e6])
def test_softmax_extreme_values_stay_finite(logits, temperature):
    for target in range(4):
        v = softmax_view(logits, temperature, target)
        assert all_finite(v.probs) and all_finite(v.log_probs) and math.isfinite(v.nll), (
            logits,
            temperature,
            target,
        )
        assert v.total == pytest.approx(1.0, abs=1e-12)
        assert v.nll >= 0 and v.nll == pytest.approx(-v.log_probs[target])
    tiny = softmax_view((1e4, 1e4 - 1, 0.0, -1e4), 1e-6, target=1)
    # p underflows to 0, yet -log p is exact
    assert tiny.probs[0] == 1.0 and tiny.nll == pytest.approx(1e6)


def test_softmax_huge_temperature_is_uniform():
    assert softmax_view((5.0, -5.0, 0.0, 1.0), math.inf).probs == (0.25, 0.25, 0.25, 0.25)
    assert softmax_view((5.0, -5.0, 0.0, 1.0), 1e12).probs == pytest.approx((0.25,) * 4)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": -0.1},
        {"temperature": math.nan},
        {"target": 4},
        {"target": -1},
        {"logits": (1.0, math.nan)},
        {"logits": ()},
        {"logits": (1.0, math.inf)},
    ],
)
def test_softmax_view_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        softmax_view(**kwargs)


def test_softmax_explorer_follows_its_sliders():
    w = softmax_explorer()
    assert_explorer(w, "softmax", ["logit0", "logit1", "logit2", "logit3", "temperature", "target"])
    assert w.view == softmax_view()
    assert bytes(w.image.value).startswith(PNG_MAGIC)
    first_png = bytes(w.image.value)
    w.controls["logit2"].value = 2.5
    w.controls["target"].value = 2
    assert w.view.logits == (0.7, 0.2, 2.5, 0.0) and w.view.target == 2
    assert w.view.total == pytest.approx(1.0, abs=1e-12)
    assert w.view.nll == pytest.approx(-math.log(w.view.probs[2]))
    assert bytes(w.image.value) != first_png
    assert f"{w.view.nll:.4f}" in w.readout.value
    w.controls["temperature"].value = 0.0
    assert w.view.probs == (0.0, 0.0, 1.0, 0.0) and w.view.nll == 0.0
    w.controls["target"].value = 0
    assert w.view.nll == math.inf and "inf" in w.readout.value
    w.controls["logit0"].value = w.controls["logit0"].max  # the slider's extreme
    w.controls["temperature"].value = 0.05
    assert w.error is None and all_finite(w.view.probs) and w.view.probs[0] == pytest.approx(1.0)


def test_softmax_explorer_custom_logits_and_labels():
    w = softmax_explorer(logits=(30.0, -30.0), labels=("yes", "no"), temperature=2.0, target=1)
    assert w.controls["logit0"].max >= 30 and w.controls["logit1"].min <= -30
    assert w.view == softmax_view((30.0, -30.0), 2.0, 1) and w.view.nll == pytest.approx(30.0)
    with pytest.raises(ValueError):
        softmax_explorer(logits=(1.0, 2.0), labels=("only one",))


def test_softmax_figure_artists():
    fig = softmax_figure(target=1)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert [round(b.get_height(), 6) for b in bars] == [
        round(p, 6) for p in softmax_view(target=1).probs
    ]
    assert bars[1].get_facecolor() != bars[0].get_facecolor()  # the target stands out
    assert [t.get_text() for t in ax.get_xticklabels()] == list(DEFAULT_LABELS)
    assert "NLL of 'dog'" in ax.get_title() and "1.0000" in ax.get_title()


# --------------------------------------------------------------------------------------------- shapes


def test_shape_trace_reproduces_the_notes(corpus):
    rng = torch.get_rng_state()
    t = shape_trace(corpus)
    assert torch.equal(torch.get_rng_state(), rng)  # the caller's random stream is untouched
    assert [name for name, _ in t.steps] == list(SHAPE_CODE)
    assert dict(t.steps) == {
        "idx": (4, 8),
        "targets": (4, 8),
        "logits": (4, 8, 65),
        "logits.view": (32, 65),
        "targets.view": (32,),
        "loss": (),
    }
    assert f"{t.loss:.4f}" == "4.8948"  # the notes' untrained loss
    assert t.idx[0] == NOTES_FIRST_ROW


@pytest.mark.parametrize("B,T", [(1, 1), (3, 5), (32, 8), (7, 32)])
def test_shape_trace_shapes_follow_b_and_t(corpus, model, B, T):
    t = shape_trace(corpus, model, batch_size=B, block_size=T, seed=3)
    C = corpus.vocab_size
    assert t.shape("idx") == (B, T) and t.shape("targets") == (B, T)
    assert t.shape("logits") == (B, T, C)
    assert t.shape("logits.view") == (B * T, C) and t.shape("targets.view") == (B * T,)
    assert t.shape("loss") == ()
    xb, yb = get_batch(corpus.train_data, B, T, generator=torch.Generator().manual_seed(3))
    assert t.loss == pytest.approx(model(xb, yb)[1].item())  # the real model on the real batch


def test_shape_explorer_follows_its_sliders(corpus):
    w = shape_explorer(corpus)
    assert_explorer(w, "shape", ["batch_size", "block_size"])
    assert w.view == shape_trace(corpus)
    w.controls["batch_size"].value = 3
    w.controls["block_size"].value = 5
    assert w.view.shape("logits") == (3, 5, 65) and w.view.shape("logits.view") == (15, 65)
    assert w.view.shape("targets.view") == (15,)
    assert "(15, 65)" in w.readout.value and "(15,)" in w.readout.value


def test_shape_figure_artists(corpus):
    fig = shape_figure(corpus, batch_size=2, block_size=3)
    texts = texts_of(fig)
    assert isinstance(fig, Figure)
    for code in SHAPE_CODE.values():
        assert code in texts
    for shape in ("(2, 3)", "(2, 3, 65)", "(6, 65)", "(6,)", "()"):
        assert shape in texts
    assert any("loss = " in s for s in texts)


# --------------------------------------------------------------------------------------------- batch


def test_batch_view_is_the_notes_batch(corpus):
    v = batch_view(corpus)
    assert v.x == NOTES_FIRST_ROW
    assert v.x_text == "ou, trib" and v.y_text == "u, tribu" and v.text == "ou, tribu"
    assert v.pairs[0] == ("o", "u") and v.pairs[-1] == ("ou, trib", "u")


@pytest.mark.parametrize(
    "row,B,T,seed", [(0, 4, 8, 1337), (3, 4, 8, 1337), (1, 2, 1, 0), (5, 8, 16, 42)]
)
def test_batch_view_pairs_and_alignment(corpus, row, B, T, seed):
    v = batch_view(corpus, row, B, T, seed)
    xb, yb = get_batch(corpus.train_data, B, T, generator=torch.Generator().manual_seed(seed))
    assert v.x == tuple(xb[row].tolist()) and v.y == tuple(yb[row].tolist())
    assert len(v.x) == len(v.y) == T and len(v.text) == T + 1
    assert v.x[1:] == v.y[:-1]  # y is x shifted by one
    assert len(v.pairs) == T
    for t, (context, target) in enumerate(v.pairs):
        assert context == v.text[: t + 1] and target == v.text[t + 1]


def test_batch_view_rejects_a_row_outside_the_batch(corpus):
    with pytest.raises(ValueError, match="row"):
        batch_view(corpus, row=4, batch_size=4)


def test_batch_explorer_follows_its_sliders(corpus):
    w = batch_explorer(corpus)
    assert_explorer(w, "batch", ["row", "batch_size", "block_size", "seed"])
    assert w.view == batch_view(corpus)
    w.controls["row"].value = 3
    w.controls["batch_size"].value = 2  # the row follows the batch down to its last row
    assert (
        w.controls["row"].value == 1 and w.view.row == 1 and w.view == batch_view(corpus, 1, 2, 8)
    )
    assert (
        w.controls["row"].max == 7
    )  # the range never changes: a changed max would leave End at the old one
    w.controls["row"].value = 5  # a row past the batch's last moves back to it
    assert w.controls["row"].value == 1 and w.view.row == 1 and w.error is None
    w.controls["block_size"].value = 12
    w.controls["seed"].value = 1344
    assert w.view == batch_view(corpus, 1, 2, 12, 1344) and len(w.view.pairs) == 12
    assert visible(w.view.pairs[-1][0]) in html.unescape(w.readout.value)


def test_batch_figure_artists(corpus):
    fig = batch_figure(corpus)
    texts = "\n".join(texts_of(fig))
    assert isinstance(fig, Figure)
    assert "x    o  u  ,  ␣  t  r  i  b" in texts and "y    u  ,  ␣  t  r  i  b  u" in texts
    assert "ou,␣trib → u" in texts and "get_batch(train_data, 4, 8)" in texts


# --------------------------------------------------------------------------------------------- sampling


def test_sample_view_text_and_distribution(corpus, model):
    rng = torch.get_rng_state()
    v = sample_view(corpus, model)
    assert torch.equal(torch.get_rng_state(), rng)
    assert len(v.text) == 201 and v.text[0] == "\n"
    assert sum(v.probs) == pytest.approx(1.0, abs=1e-9) and len(v.probs) == corpus.vocab_size
    assert v.probs == pytest.approx(next_token_probs(model, 0).tolist(), abs=1e-6)
    assert v == sample_view(corpus, model)  # the seed fixes the sample
    assert v.text != sample_view(corpus, model, seed=1).text
    expected = model.generate(
        torch.zeros((1, 1), dtype=torch.long), 200, generator=torch.Generator().manual_seed(1337)
    )
    assert v.text == corpus.decode(expected[0].tolist())


def test_sample_view_top_k_one_and_greedy(corpus, model):
    one = sample_view(corpus, model, top_k=1, char="a", length=30)
    assert sum(p > 0 for p in one.probs) == 1 and max(one.probs) == 1.0
    greedy = sample_view(corpus, model, temperature=0.0, char="a", length=30)
    assert greedy.text == one.text  # top-1 sampling and temperature 0 both always take the argmax
    table = model.token_embedding_table.weight
    chain = [corpus.encode("a")[0]]
    for _ in range(30):
        chain.append(int(table[chain[-1]].argmax()))
    assert greedy.text == corpus.decode(chain)
    assert sum(p > 0 for p in sample_view(corpus, model, top_k=5).probs) == 5


@pytest.mark.parametrize("temperature", [0.05, 0.5, 2.0])
def test_sample_view_temperature_keeps_a_distribution(corpus, model, temperature):
    v = sample_view(corpus, model, temperature=temperature, char="e", length=10)
    assert sum(v.probs) == pytest.approx(1.0, abs=1e-9) and all_finite(v.probs)
    assert len(v.text) == 11 and v.text[0] == "e"


def test_sampling_explorer_follows_its_controls(corpus, model):
    w = sampling_explorer(corpus, model)
    assert_explorer(w, "sampling", ["temperature", "top_k", "seed", "char"])
    assert w.view == sample_view(corpus, model)  # top-k slider at C means no cut
    first_png = bytes(w.image.value)
    w.controls["top_k"].value = 1
    assert w.view.top_k == 1 and sum(p > 0 for p in w.view.probs) == 1
    assert bytes(w.image.value) != first_png
    w.controls["top_k"].value = corpus.vocab_size
    w.controls["char"].value = "a"
    w.controls["temperature"].value = 0.0
    assert w.view == sample_view(corpus, model, 0.0, None, 1337, 200, "a")
    w.controls["temperature"].value = 1.5
    w.controls["seed"].value = 1342
    assert w.view == sample_view(corpus, model, 1.5, None, 1342, 200, "a")
    assert sum(w.view.probs) == pytest.approx(1.0, abs=1e-9)


def test_sampling_figure_artists(corpus, model):
    fig = sampling_figure(corpus, model, top_k=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    (stairs,) = [p for p in fig.axes[0].patches if isinstance(p, StepPatch)]
    values = stairs.get_data().values
    assert len(values) == corpus.vocab_size and (values > 0).sum() == 3
    assert len(fig.axes[0].get_xticklabels()) == corpus.vocab_size
    assert (
        any(t.startswith("sample:") for t in texts_of(fig)) and "top-k 3" in fig.axes[0].get_title()
    )


# --------------------------------------------------------------------------------------------- optimizer


def test_optimizer_run_adamw_falls_and_a_tiny_lr_barely_moves(corpus, model):
    run = optimizer_run(corpus)
    assert run.optimizer == "AdamW" and run.lr == 1e-3 and len(run.losses) == DEFAULT_STEPS + 1
    assert run.initial_loss == pytest.approx(model_loss(model, corpus.train_data), abs=1e-5)
    assert run.final_loss < run.initial_loss - 0.2
    # full batch: every step helps
    assert all(b < a for a, b in zip(run.losses, run.losses[1:], strict=False))
    assert run.best_loss == pytest.approx(optimal_loss(corpus.train_data, corpus.vocab_size))
    assert f"{run.best_loss:.4f}" == "2.4519"
    tiny = optimizer_run(corpus, "SGD", 1e-5)
    assert 0 < tiny.initial_loss - tiny.final_loss < 1e-4


def test_optimizer_run_is_memoized_and_validated(corpus):
    assert optimizer_run(corpus, "Adam", 0.01).losses is optimizer_run(corpus, "Adam", 0.01).losses
    for bad in ({"optimizer": "RMSprop"}, {"lr": 0.0}, {"lr": -1.0}, {"steps": 0}):
        with pytest.raises(ValueError):
            optimizer_run(corpus, **bad)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_optimizer_extreme_learning_rates_stay_finite(corpus, optimizer):
    for lr in (1e-5, 100.0):
        assert all_finite(optimizer_run(corpus, optimizer, lr).losses)


def test_plain_sgd_needs_a_far_larger_lr_than_adam(corpus):
    drop = {
        name: optimizer_run(corpus, name, 1e-3).initial_loss
        - optimizer_run(corpus, name, 1e-3).final_loss
        for name in OPTIMIZERS
    }
    # Adam rescales each step
    assert drop["SGD"] < 0.01 < 0.2 < drop["Adam"] and drop["AdamW"] > 0.2
    assert optimizer_run(corpus, "SGD", 100.0).final_loss < 2.5  # SGD gets there with a huge lr


@pytest.mark.parametrize(
    "optimizer,lr", [("SGD", 5.0), ("SGD+momentum", 2.0), ("Adam", 0.05), ("AdamW", 0.05)]
)
def test_optimizer_updates_match_torch_optim(corpus, model, optimizer, lr):
    steps = 6
    counts = bigram_counts(corpus.train_data, corpus.vocab_size).float()  # (C, C)
    # float32, like the runs
    W = model.token_embedding_table.weight.detach().clone().requires_grad_(True)
    make = {
        "SGD": lambda: torch.optim.SGD([W], lr=lr),
        "SGD+momentum": lambda: torch.optim.SGD([W], lr=lr, momentum=0.9),
        "Adam": lambda: torch.optim.Adam([W], lr=lr),
        "AdamW": lambda: torch.optim.AdamW([W], lr=lr),
    }[optimizer]
    opt = make()
    losses = []
    for _ in range(steps + 1):
        # the exact full-batch loss
        loss = -(counts * F.log_softmax(W, dim=-1)).sum() / counts.sum()
        losses.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert optimizer_run(corpus, optimizer, lr, steps=steps).losses == pytest.approx(
        losses, rel=2e-6
    )
    assert losses[-1] < losses[0] - 0.01  # the steps did something worth comparing


def test_optimizer_explorer_follows_its_controls(corpus):
    w = optimizer_explorer(corpus)
    assert_explorer(w, "optimizer", ["optimizer", "lr"])
    assert isinstance(w.controls["lr"], widgets.FloatLogSlider) and w.controls["lr"].base == 10
    assert set(OPTIMIZERS) <= set(w.controls["optimizer"].options)
    assert w.view == optimizer_run(corpus)
    first_png = bytes(w.image.value)
    w.controls["optimizer"].value = "SGD"
    w.controls["lr"].value = 1e-5
    assert w.view == optimizer_run(corpus, "SGD", 1e-5)
    assert bytes(w.image.value) != first_png and f"{w.view.final_loss:.3f}" in w.readout.value
    w.controls["lr"].value = w.controls["lr"].max  # 10 ** 2, far too large for Adam
    w.controls["optimizer"].value = "Adam"
    assert w.error is None and all_finite(w.view.losses)


def test_optimizer_figure_artists(corpus):
    fig = optimizer_figure(corpus, "SGD", 1.0)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    lines = [ln for ln in fig.axes[0].get_lines() if isinstance(ln, Line2D)]
    curves = [ln for ln in lines if len(ln.get_ydata()) == DEFAULT_STEPS + 1]
    assert len(curves) == 2  # this run and the AdamW lr 1e-3 reference
    assert list(curves[0].get_ydata()) == pytest.approx(optimizer_run(corpus).losses)
    assert list(curves[1].get_ydata()) == pytest.approx(optimizer_run(corpus, "SGD", 1.0).losses)
    assert "SGD, lr 1.0e+00" in fig.axes[0].get_title()
    assert any("best possible 2.4519" in t for t in texts_of(fig))


# --------------------------------------------------------------------------------------------- together


def test_explorer_figures_are_not_kept_by_pyplot(corpus, model):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    softmax_figure(), shape_figure(corpus), batch_figure(corpus), sampling_figure(corpus, model)
    optimizer_figure(corpus)
    assert plt.get_fignums() == before  # returned to the caller, shown once, never twice


def test_a_failed_update_is_reported_not_raised(corpus):
    w = batch_explorer(corpus)
    good = w.view
    w._compute = lambda **values: batch_view(corpus, row=9, batch_size=4)  # an impossible row
    w.refresh()
    assert w.error is not None and "row" in w.error and w.view is good and "row" in w.readout.value


# --------------------------------------------------------------------------------------------- robustness and layout


def test_a_model_with_nan_weights_is_reported_not_raised(corpus, model):
    w = sampling_explorer(corpus, model)
    broken = BigramLanguageModel(corpus.vocab_size)
    with torch.no_grad():
        broken.token_embedding_table.weight[3, 5] = float("nan")
    with pytest.raises(ValueError, match="1 NaN or infinite weights"):
        sample_view(corpus, broken)
    w2 = sampling_explorer(corpus, model)
    w2._compute = lambda **values: sample_view(
        corpus, broken, **{k: v for k, v in values.items() if k != "top_k"}
    )
    w2.controls["seed"].value = 1340  # a slider move must not raise out of the observer
    assert w2.error and "NaN" in w2.error
    # never the old numbers
    assert "Cannot show this setting" in w2.readout.value and "NaN" in w2.readout.value
    assert w.error is None


def test_a_model_of_another_vocabulary_gets_a_clear_error(corpus):
    other = BigramLanguageModel(corpus.vocab_size + 3)
    with pytest.raises(
        ValueError, match=r"the model knows 68 token ids but the corpus has 65 characters"
    ):
        sample_view(corpus, other)
    with pytest.raises(
        ValueError, match=r"the model knows 68 token ids but the corpus has 65 characters"
    ):
        shape_trace(corpus, other)


def test_an_error_while_drawing_is_reported_too(corpus, model):
    w = softmax_explorer()

    def broken_update(view):
        raise RuntimeError("the figure could not be drawn")

    w._update = broken_update
    w.controls["temperature"].value = 2.0
    assert w.error == "RuntimeError: the figure could not be drawn"
    assert "could not be drawn" in w.readout.value


@pytest.mark.parametrize("make", ["softmax", "sampling", "optimizer"])
def test_live_images_are_shown_at_their_own_size(make, corpus, model):
    w = {
        "softmax": lambda: softmax_explorer(),
        "sampling": lambda: sampling_explorer(corpus, model),
        "optimizer": lambda: optimizer_explorer(corpus),
    }[make]()
    png = PILImage.open(io.BytesIO(bytes(w.image.value)))
    # twice the pixels of its CSS size: HiDPI-sharp
    assert w.image.layout.width == f"{png.width // LIVE_SCALE}px"
    assert png.width == LIVE_SCALE * round(w.figure.get_figwidth() * LIVE_DPI)
    assert w.image.layout.max_width == "100%" and w.image.layout.height == "auto"


def test_controls_line_up_and_seed_sliders_are_draggable(corpus, model):
    for w in (batch_explorer(corpus), sampling_explorer(corpus, model), softmax_explorer()):
        widths = {c.style.description_width for c in w.controls.values()}
        assert len(widths) == 1  # every label the same width: the tracks start at the same x
        if "seed" in w.controls:
            seed = w.controls["seed"]
            # a few pixels per seed on a 38em track
            assert seed.value == 1337 and seed.max - seed.min <= 100


def test_png_rgb_is_lossless_and_the_live_image_shows_the_canvas(corpus, model):
    import io

    import numpy as np
    from PIL import Image

    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    data = png_rgb(rgb)
    assert data.startswith(PNG_MAGIC) and np.array_equal(
        np.asarray(Image.open(io.BytesIO(data))), rgb
    )
    for w in (softmax_explorer(), sampling_explorer(corpus, model), optimizer_explorer(corpus)):
        shown = np.asarray(Image.open(io.BytesIO(bytes(w.image.value))).convert("RGB"))
        canvas = np.asarray(w.figure.canvas.buffer_rgba())[..., :3]
        assert np.array_equal(shown, canvas)  # every pixel of the redrawn figure, none lost


def test_every_explorer_works_on_a_text_without_a_newline():
    from bigram_lib import load_corpus

    text = "the quick brown fox jumps over the lazy dog " * 20  # no "\n" anywhere
    corpus = load_corpus(text=text)
    torch.manual_seed(0)
    model = BigramLanguageModel(corpus.vocab_size)
    sampling = sampling_explorer(corpus, model)  # used to raise TraitError: Invalid selection
    # the text's first character
    assert sampling.error is None and sampling.controls["char"].value == " "
    assert sample_view(corpus, model).text[0] == " "
    for w in (batch_explorer(corpus), shape_explorer(corpus), optimizer_explorer(corpus)):
        assert w.error is None, w.error
