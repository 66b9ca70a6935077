"""The lecture's own numbers: the video's notebook (gpt-dev.ipynb) and bigram.py, reproduced on CPU exactly."""

from dataclasses import replace

import pytest
import torch

from bigram_lib import BigramLanguageModel, get_batch, train
from bigram_lib.course.cli import main
from bigram_lib.course.recipes import (
    LECTURE,
    NOTES,
    RECIPES,
    VIDEO,
    get_recipe,
    loss_table,
    run_recipe,
)
from bigram_lib.exercises import nb10_notes_video_and_bigram_py as checks_lecture

pytestmark = pytest.mark.slow  # runs the video's and bigram.py's recipes (3,000 steps)

# gpt-dev.ipynb, the get_batch cell (torch.manual_seed(1337), batch_size = 4, block_size = 8), prints under "inputs:"
VIDEO_XB = [
    [24, 43, 58, 5, 57, 1, 46, 43],
    [44, 53, 56, 1, 58, 46, 39, 58],
    [52, 58, 1, 58, 46, 39, 58, 1],
    [25, 17, 27, 10, 0, 21, 1, 54],
]
# gpt-dev.ipynb, the BigramLanguageModel cell: print(logits.shape), print(loss), then 100 generated characters
VIDEO_LOGITS_SHAPE = "torch.Size([32, 65])"
VIDEO_LOSS = "tensor(4.8786, grad_fn=<NllLossBackward0>)"
# (the notes print the same 100 characters: the weights and the draws before them are the same)
UNTRAINED_SAMPLE = (
    "\nSKIcLT;AcELMoTbvZv C?nq-QE33:CJqkOKH-q;:la!oiywkHjgChzbQ?u!3bLIgwevmyFJGUGp\n"
    "wnYWmnxKWWev-tDqXErVKLgJ"
)
# gpt-dev.ipynb, the cell `for steps in range(100): # increase number of steps for good results...`
# (batch_size = 32, AdamW lr 1e-3) prints loss.item(); the next cell prints 500 generated characters
VIDEO_100_STEP_LOSS = 4.65630578994751
VIDEO_100_STEP_SAMPLE = (
    "\noTo.JUZ!!zqe!\nxBP qbs$Gy'AcOmrLwwt\np$x;Seh-onQbfM?OjKbn'NwUAW -Np3fkz$FVwAUEa-wzWC -wQo-R!v -Mj?,SP"
    "iTyZ;o-opr$mOiPJEYD-CfigkzD3p3?zvS;ADz;.y?o,ivCuC'zqHxcVT cHA\nrT'Fd,SBMZyOslg!NXeF$sBe,juUzLq?w-wzP-"
    "h\nERjjxlgJzPbHxf$ q,q,KCDCU fqBOQT\nSV&CW:xSVwZv'DG'NSPypDhKStKzC -$hslxIVzoivnp ,ethA:NCCGoi\ntN!ljjP"
    "3fwJMwNelgUzzPGJlgihJ!d?q.d\npSPYgCuCJrIFtb\njQXg\npA.P LP,SPJi\nDBcuBM:CixjJ$Jzkq,OLf3KLQLMGph$O 3DfiPH"
    "nXKuHMlyjxEiyZib3FaHV-oJa!zoc'XSP :CKGUhd?lgCOF$;;DTHZMlvvcmZAm;:iv'MMgO&Ywbc;BLCUd&vZINLIzkuTGZa\nD."
    "?"
)
# bigram.py does not store its output: these are the lines it prints when run on CPU with torch 2.13.0
BIGRAM_PY_TABLE = [
    "step 0: train loss 4.7305, val loss 4.7241",
    "step 300: train loss 2.8110, val loss 2.8249",
    "step 600: train loss 2.5434, val loss 2.5682",
    "step 900: train loss 2.4932, val loss 2.5088",
    "step 1200: train loss 2.4863, val loss 2.5035",
    "step 1500: train loss 2.4665, val loss 2.4921",
    "step 1800: train loss 2.4683, val loss 2.4936",
    "step 2100: train loss 2.4696, val loss 2.4846",
    "step 2400: train loss 2.4638, val loss 2.4879",
    "step 2700: train loss 2.4738, val loss 2.4911",
]
BIGRAM_PY_SAMPLE = (
    "\nMARI he avayokis erceller thour d, myono thishe me tord se by he me, Forder anen: at trselorinjulou"
    "r t yoru thrd wo ththathy IUShe bavidelanoby man ond be jus as g e atot Meste hrle s, ppat t JLENCOL"
    "IUS:\nOppid tes d s o ged moer y pevehear soue maramapay fo t: bueyo malalyo!\nDuir.\nFl ke it I t l o'"
    "ddre d ondu s?\ncr, havetrathackes w.\nPUpee meshancun, hrendspouthoulouren whel's'sesoread pe, s whur"
    "e our heredinsethes; sedsend r lo pamit,\nQUMIVIVIOfe m ne RDINid we tr ort; t:\nMINENXI l dintandore "
    "r"
)


NOTES_XB_FIRST_ROW = [53, 59, 6, 1, 58, 56, 47, 40]  # the notes' xb[0], for contrast
NOTES_LOSS = "tensor(4.8948, grad_fn=<NllLossBackward0>)"


@pytest.fixture(scope="module")
def video_run(corpus):
    return run_recipe(corpus, VIDEO)


@pytest.fixture(scope="module")
def lecture_run(corpus):
    return run_recipe(corpus, LECTURE)


def test_video_first_batch_and_loss(video_run):
    assert video_run.xb.tolist() == VIDEO_XB
    assert torch.equal(video_run.yb[:, :-1], video_run.xb[:, 1:])
    logits, _ = BigramLanguageModel(65)(video_run.xb, video_run.yb)  # (B*T, C): the shape only
    assert str(logits.shape) == VIDEO_LOGITS_SHAPE
    assert str(video_run.loss) == VIDEO_LOSS


def test_the_bound_alone_makes_the_first_batch_differ(corpus):
    torch.manual_seed(1337)
    lecture = get_batch(corpus.train_data, 4, 8, bound="lecture")[0]
    torch.manual_seed(1337)
    notes = get_batch(corpus.train_data, 4, 8)[0]
    assert lecture.tolist() == VIDEO_XB and notes[0].tolist() == NOTES_XB_FIRST_ROW
    torch.manual_seed(1337)  # the same four random draws, taken modulo a range one larger
    hi = len(corpus.train_data) - 8
    raw = torch.randint(hi, (4,))
    assert lecture[:, 0].tolist() == corpus.train_data[raw].tolist()


def test_untrained_sample_is_the_notes_one(corpus, video_run):
    notes = run_recipe(corpus, replace(NOTES, steps=0))
    assert video_run.first_sample == notes.first_sample == UNTRAINED_SAMPLE
    assert str(notes.loss) == NOTES_LOSS  # ... while the loss, computed on another batch, differs


def test_video_100_steps(video_run):
    assert video_run.history.step_losses[-1] == VIDEO_100_STEP_LOSS
    # the cell never evaluates
    assert len(video_run.history.step_losses) == 100 and video_run.history.steps == []
    assert video_run.sample == VIDEO_100_STEP_SAMPLE


def test_bigram_py_table_and_sample(lecture_run):
    assert loss_table(lecture_run.history) == BIGRAM_PY_TABLE
    assert lecture_run.sample == BIGRAM_PY_SAMPLE


def test_cli_prints_what_bigram_py_prints(capsys):
    assert main(["--recipe", "lecture", "--no-progress"]) == 0
    assert capsys.readouterr().out == "\n".join(BIGRAM_PY_TABLE) + "\n" + BIGRAM_PY_SAMPLE + "\n"


def test_cli_video_recipe(capsys):
    assert main(["--recipe", "video", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tensor([[24, 43, 58,  5, 57,  1, 46, 43]," in out and f"loss: {VIDEO_LOSS}" in out
    assert "training 100 steps (AdamW, lr 0.001, batch 32, block 8)" in out
    assert f"trained sample:\n{VIDEO_100_STEP_SAMPLE}\n" in out


def test_evaluating_from_the_training_stream_is_what_moves_the_table(corpus, lecture_run):
    own = run_recipe(corpus, replace(LECTURE, eval_stream="own", steps=600))
    # step 0 is evaluated before any training batch: only the stream it draws from differs
    assert (
        own.history.steps == [0, 300]
        and own.history.train_loss[0] != lecture_run.history.train_loss[0]
    )
    assert own.history.step_losses[:600] != lecture_run.history.step_losses[:600]


def test_recipes_are_data():
    assert set(RECIPES) == {"notes", "video", "lecture"}
    assert (
        LECTURE.batch_size,
        LECTURE.block_size,
        LECTURE.steps,
        LECTURE.eval_interval,
        LECTURE.lr,
        LECTURE.eval_iters,
        LECTURE.seed,
        LECTURE.sample_length,
    ) == (32, 8, 3000, 300, 1e-2, 200, 1337, 500)
    assert NOTES.lr == 1e-3 and NOTES.bound == "notes" and LECTURE.bound == VIDEO.bound == "lecture"
    assert get_recipe("lecture") == LECTURE and get_recipe("lecture", lr=1e-3).lr == 1e-3


@pytest.mark.parametrize(
    "call,message",
    [
        (
            lambda: get_recipe("bigram"),
            "recipe must be one of ['notes', 'video', 'lecture'], got 'bigram'",
        ),
        (
            lambda: get_batch(torch.arange(100), 4, 8, bound="video"),
            "bound must be one of ['notes', 'lecture'], got 'video'",
        ),
        (
            lambda: train(BigramLanguageModel(65), torch.arange(100), steps=1, bound=None),
            "bound must be one of ['notes', 'lecture'], got None",
        ),
        (
            lambda: train(
                BigramLanguageModel(65), torch.arange(100), steps=1, eval_stream="global"
            ),
            "eval_stream must be one of ['own', 'training'], got 'global'",
        ),
        (
            lambda: train(
                BigramLanguageModel(65),
                torch.arange(100),
                steps=1,
                eval_stream="training",
                eval_seed=3,
            ),
            "eval_seed=3 has no effect with eval_stream='training'",
        ),
    ],
)
def test_bad_names_and_combinations(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert message in str(err.value)


def test_lecture_bound_keeps_a_clear_size_error():
    get_batch(torch.arange(9), 2, 8, bound="lecture")  # the lecture's bound fits one token more
    with pytest.raises(ValueError, match="it needs at least 9 tokens"):
        get_batch(torch.arange(8), 2, 8, bound="lecture")


def test_cli_rejects_an_unknown_recipe(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--recipe", "bigram"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "invalid choice: 'bigram'" in err and "'lecture'" in err


def test_checks():
    n = 1_003_854  # len(train_data)
    assert checks_lecture.check_last_lecture_start(n - 9).passed is True
    wrong = checks_lecture.check_last_lecture_start(n - 10)
    assert (
        wrong.passed is False and wrong.status == "not quite" and "notes' last start" in wrong.text
    )
    assert checks_lecture.check_last_lecture_start(None).passed is False
    assert (
        checks_lecture.check_own_stream_val_loss(float(BIGRAM_PY_TABLE[-1].split()[-1])).passed
        is False
    )
    expected, step = checks_lecture._own_stream_val_loss()
    assert (
        step == 2700 and checks_lecture.check_own_stream_val_loss(round(expected, 4)).passed is True
    )
