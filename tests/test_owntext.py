"""Your own text: any UTF-8 file or string runs through the whole pipeline; unusable texts say what to do."""

import inspect
import json
import math

import pytest
import torch

from bigram_lib import (
    BigramLanguageModel,
    CorpusError,
    estimate_loss,
    get_batch,
    load_corpus,
    model_loss,
    optimal_loss,
    train,
    trained_model,
)
from bigram_lib.course.cache import cache_path, run_key
from bigram_lib.course.cli import main
from bigram_lib.course.owntext import min_length, sample_text_path

NAMES = (
    "\n".join(
        [
            "emma",
            "olivia",
            "ava",
            "isabella",
            "sophia",
            "liam",
            "noah",
            "oliver",
            "elijah",
            "james",
            "amelia",
            "harper",
            "evelyn",
            "lucas",
            "mason",
            "ethan",
            "logan",
            "mia",
            "luna",
            "ella",
        ]
        * 6
    )
    + "\n"
)
# the first lines of the Odyssey
GREEK = (
    "Ἄνδρα μοι ἔννεπε, Μοῦσα, πολύτροπον, ὃς μάλα πολλὰ πλάγχθη, ἐπεὶ Τροίης ἱερὸν πτολίεθρον ἔπερσεν· "
    "πολλῶν δ᾽ ἀνθρώπων ἴδεν ἄστεα καὶ νόον ἔγνω, πολλὰ δ᾽ ὅ γ᾽ ἐν πόντῳ πάθεν ἄλγεα ὃν κατὰ θυμόν, "
    "ἀρνύμενος ἥν τε ψυχὴν καὶ νόστον ἑταίρων.\n"
) * 4
PYTHON_SOURCE = inspect.getsource(json.decoder)  # Python source from the standard library


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """A private cache folder, so trained_model's files never mix with the course's."""
    monkeypatch.setenv("BIGRAM_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize(
    "text", [NAMES, PYTHON_SOURCE, GREEK], ids=["names", "python-source", "greek"]
)
def test_pipeline_follows_the_texts_own_vocabulary(text):
    corpus = load_corpus(text=text)
    C = len(set(text))
    assert corpus.vocab_size == C and corpus.decode(corpus.data) == text
    assert len(corpus.train_data) == int(0.9 * len(text))
    xb, yb = get_batch(corpus.train_data, 4, 8, torch.Generator().manual_seed(0))  # (4, 8)
    assert torch.equal(xb[:, 1:], yb[:, :-1])
    torch.manual_seed(1337)
    m = BigramLanguageModel(C)
    logits, loss = m(xb, yb)
    assert logits.shape == (32, C)
    assert abs(loss.item() - math.log(C)) < 1.5  # untrained: near ln C, the loss of a uniform guess
    before = model_loss(m, corpus.train_data)
    history = train(
        m,
        corpus.train_data,
        corpus.val_data,
        steps=300,
        lr=1e-2,
        eval_iters=4,
        progress=False,
        generator=torch.Generator().manual_seed(0),
    )
    after = model_loss(m, corpus.train_data)
    floor = optimal_loss(corpus.train_data, C)
    assert floor <= after < before - 0.3 and history.steps_done == 300
    assert math.isfinite(optimal_loss(corpus.train_data, C, corpus.val_data))
    sample = m.generate(
        torch.zeros((1, 1), dtype=torch.long), 50, generator=torch.Generator().manual_seed(0)
    )
    assert sample.shape == (1, 51) and set(corpus.decode(sample[0])) <= set(text)


def test_own_file_needs_no_hash_and_the_sample_text_ships(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text(GREEK, encoding="utf-8")
    # a learner's file is not checked against tiny shakespeare's sha256
    assert load_corpus(path).text == GREEK
    names = load_corpus(sample_text_path())
    assert names.vocab_size == 27 and len(names.text) > 5000  # a-z and the newline
    assert names.text.split("\n")[:3] == ["emma", "olivia", "ava"]


def test_home_is_expanded_in_path_arguments(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "mine.txt").write_text(NAMES)
    assert load_corpus("~/mine.txt").text == NAMES


@pytest.mark.slow  # trains two models
def test_trained_model_cache_key_includes_the_text():
    names, greek = load_corpus(text=NAMES), load_corpus(text=GREEK)
    assert cache_path(run_key(names, 50, 0, 8, 1e-3)) != cache_path(run_key(greek, 50, 0, 8, 1e-3))
    model, history = trained_model(greek, steps=50, seed=0, batch_size=8, progress=False)
    assert (
        model.token_embedding_table.num_embeddings == greek.vocab_size and history.steps_done == 50
    )
    # from the cache
    again, _ = trained_model(greek, steps=50, seed=0, batch_size=8, progress=False)
    assert torch.equal(again.token_embedding_table.weight, model.token_embedding_table.weight)
    other, _ = trained_model(names, steps=50, seed=0, batch_size=8, progress=False)
    assert other.token_embedding_table.num_embeddings == names.vocab_size != greek.vocab_size


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "is empty: a bigram model needs at least 91 characters"),
        ("a" * 500, "uses a single character, 'a': .* at least two different characters"),
        ("to be or not to be" * 4, "has 72 characters, too few: .* Use at least 91 characters"),
    ],
)
def test_unusable_text_says_what_to_do(text, message, tmp_path):
    with pytest.raises(CorpusError, match=message):
        load_corpus(text=text)
    path = tmp_path / "mine.txt"
    path.write_text(text)
    with pytest.raises(CorpusError, match="mine.txt " + message.split(":")[0]):
        load_corpus(path)


def test_shortest_text_that_fits_trains_and_evaluates():
    n = min_length()
    corpus = load_corpus(text=("ab" * n)[:n])
    m = BigramLanguageModel(corpus.vocab_size)
    out = estimate_loss(m, {"train": corpus.train_data, "val": corpus.val_data}, eval_iters=2)
    assert set(out) == {"train", "val"} and all(math.isfinite(v) for v in out.values())
    with pytest.raises(CorpusError, match="too few"):
        load_corpus(text=("ab" * n)[: n - 1])


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(("Déjà vu, naïve café. " * 10).encode("latin-1"))
    with pytest.raises(
        CorpusError,
        match=r"latin1.txt is not UTF-8 text: byte 0xe9 at byte 1 .* Save it again as UTF-8",
    ):
        load_corpus(path)


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + NAMES.encode())
    assert load_corpus(path).text == NAMES


def test_folder_and_missing_file(tmp_path):
    with pytest.raises(
        CorpusError, match=r"which is not a file \(it is a folder\): name a text file"
    ):
        load_corpus(tmp_path)
    with pytest.raises(
        CorpusError, match=r"nope.txt, which is not a file \(there is nothing there\)"
    ):
        load_corpus(tmp_path / "nope.txt")
    with pytest.raises(ValueError, match="a path or a text, not both"):
        load_corpus(tmp_path / "x.txt", text=NAMES)


@pytest.mark.slow  # trains
def test_cli_trains_on_your_own_text(tmp_path, capsys):
    path = tmp_path / "names.txt"
    path.write_text(NAMES)
    assert (
        main(["--data", str(path), "--steps", "50", "--no-progress", "--sample-length", "20"]) == 0
    )
    out = capsys.readouterr().out
    assert (
        f"vocab_size C = {len(set(NAMES))}" in out
        and f"logits.shape: torch.Size([32, {len(set(NAMES))}])" in out
    )


def test_cli_refuses_an_unusable_text(tmp_path, capsys):
    path = tmp_path / "short.txt"
    path.write_text("hello")
    assert main(["--data", str(path), "--no-progress"]) == 2
    assert "short.txt has 5 characters, too few" in capsys.readouterr().err
