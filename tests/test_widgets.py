"""helpers.widgets: the one update path, error routing, the sliders and PredictFirst."""

import re
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.plots import live_figure  # noqa: E402
from helpers.widgets import (  # noqa: E402
    LR_CHOICES,
    Dashboard,
    Player,
    PredictFirst,
    input_slider,
    lr_slider,
    target_slider,
    weight_slider,
)


class Toy(Dashboard):
    """A dashboard small enough to see every path: values, messages, failures."""

    def __init__(self):
        controls = {
            "w": weight_slider("w", 0.21),
            "y": target_slider(4.0),
            "lr": lr_slider(0.05),
            "mode": widgets.Dropdown(options=["a", "b"], value="a"),
        }
        fig, ax = live_figure(3.0, 2.0)
        (self.line,) = ax.plot([0.0, 1.0], [0.0, 0.0])
        self.calls = []
        super().__init__(controls, fig)
        self.refresh()

    def redraw(self, w, y, lr, mode):
        self.calls.append((w, y, lr, mode))
        if w < -1.5:
            raise ValueError("w below −1.5 cannot be drawn")
        if w > 1.9:
            np.float64(1e308) * np.float64(10.0)  # overflows: an error inside redraw
        if y < -19.0:
            warnings.warn("a warning inside redraw", UserWarning, stacklevel=1)
        if lr >= 0.5:
            self.say("This learning rate makes training diverge.")
        self.line.set_ydata([0.0, w * y])
        return f"w = {w:g}, y = {y:g}, lr = {lr:g}, mode {mode}\nsecond line"


@pytest.fixture
def toy():
    return Toy()


# -- one update path ----------------------------------------------------------------


def test_starts_drawn_with_its_description(toy):
    assert toy.description == "w = 0.21, y = 4, lr = 0.05, mode a\nsecond line"
    assert toy.readout.value == "w = 0.21, y = 4, lr = 0.05, mode a<br>second line"
    assert toy.defaults == {"w": 0.21, "y": 4.0, "lr": 0.05, "mode": "a"}
    assert toy.line.get_ydata()[1] == pytest.approx(0.84)
    assert len(toy.calls) == 1


def test_update_sets_several_controls_and_redraws_once(toy):
    toy.update(w=0.5, y=-2.0, mode="b")
    assert toy.values() == {"w": 0.5, "y": -2.0, "lr": 0.05, "mode": "b"}
    assert toy.calls[-1] == (0.5, -2.0, 0.05, "b")
    assert len(toy.calls) == 2
    assert toy.line.get_ydata()[1] == pytest.approx(-1.0)
    assert toy.description.startswith("w = 0.5, y = -2, lr = 0.05, mode b")


def test_moving_a_slider_redraws_like_update(toy):
    toy.controls["w"].value = 1.0
    assert toy.calls[-1][0] == 1.0
    assert toy.description.startswith("w = 1,")


def test_update_rejects_unknown_names(toy):
    with pytest.raises(ValueError, match="unknown controls"):
        toy.update(w7=1.0)


def test_reset_returns_to_the_start_and_the_button_does_it_too(toy):
    toy.update(w=-1.0, y=3.0, lr=0.1, mode="b")
    toy.reset()
    assert toy.values() == toy.defaults
    toy.update(w=1.2)
    toy.reset_button.click()
    assert toy.values() == toy.defaults
    assert toy.description.startswith("w = 0.21, y = 4")


# -- state lines ----------------------------------------------------------------------


def test_state_is_one_short_line(toy):
    assert toy.state() == "w=0.21 y=4 lr=0.05 mode=a"
    toy.update(w=-0.35, lr=0.0015)
    assert toy.state() == "w=-0.35 y=4 lr=0.0015 mode=a"


def test_load_restores_a_state_line(toy):
    toy.update(w=-0.35, y=7.5, lr=0.01, mode="b")
    line = toy.state()
    other = Toy()
    other.load(line)
    assert other.values() == toy.values()
    assert other.description == toy.description


def test_load_takes_commas_and_keeps_names_not_given(toy):
    toy.load("w=1.5, y=-3;")
    assert toy.values() == {"w": 1.5, "y": -3.0, "lr": 0.05, "mode": "a"}


@pytest.mark.parametrize(
    ("line", "says"), [("w=abc", "not a number"), ("q=1", "expected name=value"), ("w", "w")]
)
def test_load_explains_a_bad_line(toy, line, says):
    refusal = toy.load(line)
    assert refusal.ok is False and re.search(says, refusal.message), refusal.message
    assert "Not loaded." in toy.message.value


def test_load_takes_spaces_around_the_equals_sign(toy):
    toy.load("w = 0.5   y= 2")
    assert toy.values()["w"] == 0.5 and toy.values()["y"] == 2.0


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("w=5", "w=5 is outside its slider's range, −2 to 2"),
        ("w=nan", "outside its slider's range"),
        ("lr=0.065", "lr=0.065 is not one of its choices"),
        ("mode=c", "mode=c is not one of its choices: a, b"),
    ],
)
def test_load_refuses_what_a_control_cannot_take_and_changes_nothing(toy, line, says):
    before = toy.values()
    refusal = toy.load(line)
    assert refusal.ok is False and says in refusal.message, refusal.message
    assert toy.values() == before  # not clamped, not half-loaded


def test_reset_returns_to_the_loaded_start(toy):
    toy.load("w=0.5 lr=0.01")
    toy.update(w=-1.0, mode="b")
    toy.reset()
    assert toy.values() == {"w": 0.5, "y": 4.0, "lr": 0.01, "mode": "a"}


def test_the_state_box_shows_the_state_and_loads_one_without_code(toy):
    toy.update(w=-0.35)
    assert toy.state_box.value == toy.state() == "w=-0.35 y=4 lr=0.05 mode=a"
    other = Toy()
    other.state_box.value = toy.state_box.value  # copied from one dashboard to another
    other.load_button.click()
    assert other.values() == toy.values()
    other.state_box.value = "w=9"
    other.load_button.click()  # a bad line is said on the dashboard, not raised
    assert "w=9 is outside its slider" in other.message.value
    assert other.values() == toy.values()
    assert other.state_box in other.widget.children[-2].children


# -- errors become messages, never tracebacks -----------------------------------------


def test_an_exception_in_redraw_becomes_a_message(toy):
    toy.update(w=-1.8)  # does not raise
    assert isinstance(toy.last_error, ValueError)
    assert toy.description == "Could not redraw: w below −1.5 cannot be drawn"
    assert "These values cannot be drawn." in toy.message.value
    assert toy._details_box.layout.display is None  # the details are one click away
    toy.update(w=0.3)
    assert toy.last_error is None
    assert toy.message.value == ""
    assert toy._details_box.layout.display == "none"
    assert toy.description.startswith("w = 0.3,")


def test_floating_point_overflow_in_redraw_is_caught(toy):
    toy.update(w=1.95)
    assert isinstance(toy.last_error, FloatingPointError)
    assert toy.description.startswith("Could not redraw")


def test_a_warning_in_redraw_is_caught_as_an_error(toy):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        toy.update(y=-19.5)  # nothing escapes, not even a warning
    assert isinstance(toy.last_error, UserWarning)


def test_say_shows_a_plain_message_until_the_next_change(toy):
    toy.update(lr=0.5)
    assert toy.last_error is None
    assert "This learning rate makes training diverge." in toy.message.value
    assert 'role="status"' in toy.message.value
    toy.update(lr=0.05)
    assert toy.message.value == ""


def test_say_escapes_html(toy):
    toy.say("ŷ < y & more")
    assert "ŷ &lt; y &amp; more" in toy._message


# -- display -------------------------------------------------------------------------


def test_widget_holds_controls_figure_and_readout(toy):
    box = toy.widget
    assert isinstance(box, widgets.VBox)
    rows = [c for c in box.children if isinstance(c, widgets.HBox)]
    # four controls, three to a row: Reset ends the second row
    assert [len(r.children) for r in rows] == [3, 2, 2]
    assert rows[-2].children == (toy.controls["mode"], toy.reset_button)
    assert rows[-1].children == (toy.state_box, toy.load_button)
    assert toy.readout in box.children
    assert toy.widget is box  # made once


def test_reset_takes_a_row_of_its_own_only_after_a_full_row():
    toy = Toy()
    toy.columns = 2
    assert toy.control_rows()[-1] == [toy.reset_button]
    toy.columns = 4
    assert toy.control_rows() == [[*toy.controls.values()], [toy.reset_button]]
    toy.columns = 5
    assert toy.control_rows() == [[*toy.controls.values(), toy.reset_button]]


def test_text_repr_is_the_description(toy):
    bundle = toy._repr_mimebundle_()
    assert bundle["text/plain"] == toy.description
    assert "application/vnd.jupyter.widget-view+json" in bundle


# -- sliders land exactly on the example's values ----------------------------------------


def on_grid(slider, value):
    steps = (value - slider.min) / slider.step
    return abs(steps - round(steps)) < 1e-9


@pytest.mark.parametrize(("name", "value"), list(WORKED_EXAMPLE.named.items()))
def test_weight_sliders_land_on_the_example(name, value):
    s = weight_slider(name, value)
    assert s.value == value
    assert on_grid(s, value)
    assert s.min <= value <= s.max
    assert f"{value:.2f}" == f"{s.min + round((value - s.min) / s.step) * s.step:.2f}"


def test_input_and_target_sliders_land_on_the_example():
    for k, value in enumerate(WORKED_EXAMPLE.x):
        s = input_slider(f"i{k + 1}", float(value))
        assert s.value == value and on_grid(s, value)
    t = target_slider(float(WORKED_EXAMPLE.target[0]))
    assert t.value == 4.0 and on_grid(t, 4.0)
    assert t.description == "y"


def test_lr_slider_lands_on_the_example_and_on_any_value():
    s = lr_slider(WORKED_EXAMPLE.lr)
    assert s.value == 0.05
    odd = lr_slider(0.0123)
    assert odd.value == 0.0123
    values = [v for _, v in odd.options]
    assert values == sorted(values)


def test_lr_choices_are_round_and_increasing():
    assert LR_CHOICES[0] == 0.0001 and LR_CHOICES[-1] == 1.0
    assert all(a < b for a, b in zip(LR_CHOICES, LR_CHOICES[1:]))
    for lr in (0.001, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1):
        assert lr in LR_CHOICES


# -- PredictFirst ---------------------------------------------------------------------------


def test_predict_first_number_verdicts():
    p = PredictFirst("If w5 doubles, what is ŷ?", truth=4.1456, rel_tol=0.1)
    assert p.verdict(4.0).startswith("Close: the value is 4.1456")
    assert "wrong sign" in p.verdict(-4.0)
    far = p.verdict(10.0)
    assert far.startswith("The value is 4.1456; you were off by 5.85")
    assert "141%" in far


def test_predict_first_an_exact_guess_is_right_not_close():
    p = PredictFirst("What is ŷ?", truth=4.1456)
    for typed in ("4.1456", "4.15", " 4.1456 ", 4.1456):
        assert p.verdict(typed) == "Right: the value is 4.1456.", typed
    assert PredictFirst("E×?", truth=4.0).verdict("4") == "Right: the value is 4."
    assert PredictFirst("Δ?", truth=-0.3).verdict("−0.3").startswith("Right")
    # Two figures are not the value: 4.1 is close at most.
    assert not p.verdict("4.1").startswith("Right")


def test_predict_first_does_not_praise_the_misconception_it_targets():
    # w5 doubles: ŷ = h1·w5 + h2·w6 does not double; 2ŷ = 4.4272 is the misconception.
    truth, doubled = 4.1456, 4.4272
    plain = PredictFirst("If w5 doubles, what is ŷ?", truth=truth)
    assert not plain.verdict(doubled).startswith(("Close", "Right"))  # 7 % off
    p = PredictFirst(
        "If w5 doubles, what is ŷ?",
        truth=truth,
        rel_tol=0.1,
        misconceptions=[(doubled, "Only h1·w5 doubles; h2·w6 stays as it was.")],
    )
    for guess in (doubled, 4.43, 4.4):
        verdict = p.verdict(guess)
        assert verdict.startswith("Not quite") and "h2·w6 stays" in verdict, verdict
    assert p.verdict(4.15).startswith("Right")
    assert p.verdict(4.2).startswith("Close")


def test_predict_first_reveal_needs_a_real_guess_and_is_final():
    p = PredictFirst("What is ŷ?", truth=2.2136)
    p.button.click()  # an untouched box: no reveal
    assert "Type your guess first" in p.feedback.value and "2.2136" not in p.feedback.value
    assert not p.revealed and not p.guess.disabled
    p.guess.value = "abc"
    p.button.click()
    assert "Type a number" in p.feedback.value and not p.revealed
    p.guess.value = "2.2136"
    p.button.click()
    assert "Right: the value is 2.2136." in p.feedback.value and "✓" in p.feedback.value
    assert p.revealed and p.guess.disabled and p.button.disabled
    p.guess.value = "99"  # too late: the first guess stands
    p.reveal()
    assert "Right" in p.feedback.value


def test_predict_first_choice_verdicts():
    p = PredictFirst(
        "Is ŷ positive?",
        truth="positive",
        choices=["positive", "zero", "negative"],
        why="Both inputs and all six weights are positive.",
    )
    assert p.verdict(None) == "Pick an answer first, then press Reveal."
    assert p.verdict("positive") == (
        "Right: the answer is “positive”.\nBoth inputs and all six weights are positive."
    )
    assert p.verdict("negative") == (
        "Not quite: you chose “negative”; the answer is “positive”.\n"
        "Both inputs and all six weights are positive."
    )


@pytest.mark.parametrize(
    "truth", ["blows up", "keeps jumping up and down", "falls to zero", "about 10⁴", "w1"]
)
def test_predict_first_sentences_are_built_from_whole_phrases(truth):
    p = PredictFirst("What happens?", truth=truth, choices=[truth, "other"])
    assert "it is " + truth not in p.verdict(truth)
    assert f"“{truth}”" in p.verdict(truth) and f"“{truth}”" in p.verdict("other")


def test_predict_first_reveal_shows_the_verdict_in_the_widget():
    p = PredictFirst("Is ŷ < y?", truth="yes", choices=["yes", "no"], why="ŷ = 2.2 and y = 4.")
    assert p.feedback.value == "Make a guess, then press Reveal."
    p.button.click()
    assert p.feedback.value == "Pick an answer first, then press Reveal."
    assert not p.revealed
    p.guess.value = "no"
    p.reveal()
    assert "Not quite: you chose “no”; the answer is “yes”.<br>ŷ = 2.2 and y = 4." in (
        p.feedback.value
    )
    assert "✗" in p.feedback.value and p.guess.disabled and p.button.disabled
    assert "Is ŷ &lt; y?" in p.widget.children[0].value


def test_predict_first_text_repr_is_the_question():
    p = PredictFirst("What is E?", truth=1.59561248)
    assert p._repr_mimebundle_()["text/plain"] == "Predict first: What is E?"


# -- the player ----------------------------------------------------------------------


def test_player_moves_its_slider_one_step_within_its_range():
    slider = widgets.IntSlider(value=5, min=0, max=10)
    player = Player(slider, pace="slow")
    player.on.click()
    assert slider.value == 6 == player.play.value
    for _ in range(8):
        player.on.click()
    assert slider.value == 10  # stops at the end
    slider.value = 0
    player.back.click()
    assert slider.value == 0  # and at the start


@pytest.mark.parametrize("pace", list(Player.PACES))
def test_player_paces(pace):
    slider = widgets.IntSlider(value=0, min=0, max=600)
    player = Player(slider, pace=pace)
    interval, steps = Player.PACES[pace]
    assert player.play.interval == interval
    assert player.play.step == (steps or 6)  # fast: the whole range in about 100 frames
    assert not player.play.show_repeat


def test_player_follows_a_shorter_range():
    slider = widgets.IntSlider(value=300, min=0, max=300)
    player = Player(slider, pace="fast")
    slider.max = 11
    assert player.play.max == 11 and player.play.step == 1


# -- the still picture saved beside the widget --------------------------------------------


def test_bundle_holds_a_still_picture_beside_the_widget(toy):
    import base64
    import io

    from PIL import Image

    toy.update(w=0.5)
    bundle = toy._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    page = bundle["text/html"]
    assert page.startswith('<div class="bp-still">')
    assert page.count("<img ") == 1 and 'src="data:image/png;base64,' in page
    assert "w = 0.5, y = 4, lr = 0.05, mode a<br>second line" in page
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.size == (300, 200)  # the figure's own size, at 100 dpi


def test_still_picture_shows_the_message_and_is_no_draw_for_the_canvas(toy):
    toy.update(lr=0.5)
    drawn = []
    toy.fig.canvas.mpl_connect("draw_event", drawn.append)
    page = toy.still()["text/html"]
    assert "This learning rate makes training diverge." in page
    assert drawn == []  # the live canvas's listeners never hear of this render


def test_still_picture_of_a_diagram_and_a_figure_side_by_side():
    import base64
    import io

    from PIL import Image

    from helpers.diagram import Scene

    class Both(Dashboard):
        def __init__(self):
            self.scene = Scene(2.0, 1.0, label="A diagram")
            self.label = self.scene.text(0.5, 0.5, "")
            fig, _ax = live_figure(3.0, 2.0)
            super().__init__({"w": weight_slider("w", 0.21)}, [self.scene, fig])
            self.refresh()

        def redraw(self, w):
            self.label.set_text(f"w={w:g}")
            return f"w = {w:g}"

    page = Both().still()
    assert page["text/html"].count("<img ") == 2
    assert 'src="data:image/svg+xml;base64,' in page["text/html"]
    assert 'alt="A diagram: w=0.21"' in page["text/html"]
    image = Image.open(io.BytesIO(base64.b64decode(page["image/png"])))
    assert image.size == (200 + 300, 200)


def test_every_dashboard_canvas_tells_the_page_its_smallest_text():
    """With ipympl, each figure of every lesson's dashboard carries the size of its
    smallest text as a class, which the slides test turns into screen pixels."""
    code = (
        "import re, matplotlib\n"
        "matplotlib.use('module://ipympl.backend_nbagg')\n"
        "from helpers.plots import apply_style, smallest_text_px\n"
        "from helpers.lessons import all_dashboards\n"
        "apply_style(1.4)\n"
        "for name, cls in all_dashboards().items():\n"
        "    d = cls()\n"
        "    d.widget\n"
        "    if d.fig is None:\n"
        "        continue\n"
        "    tags = [c for c in d.fig.canvas._dom_classes if c.startswith('bp-smallest-text-')]\n"
        "    print(name, *tags)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert len(out) >= 9, out  # the nine lesson dashboards that draw a figure
    ticks = 1.4 * 9 * 100 / 72  # the style's tick labels at 1.4: every figure has some
    x_small = 1.4 * 10 * 0.694 * 100 / 72  # the smallest size a lesson gives a text
    for line in out:
        name, px = re.fullmatch(r"(\S+) bp-smallest-text-([0-9.]+)px", line).groups()
        assert x_small - 0.05 <= float(px) <= ticks + 0.05, line


def test_a_figure_without_text_says_so_and_still_shows():
    code = (
        "import matplotlib, numpy as np\n"
        "matplotlib.use('module://ipympl.backend_nbagg')\n"
        "from helpers.plots import live_figure\n"
        "from helpers.widgets import Dashboard\n"
        "fig, ax = live_figure(2.0, 2.0)\n"
        "fig.delaxes(ax)\n"
        "fig.figimage(np.zeros((10, 10)))\n"
        "class Picture(Dashboard):\n"
        "    def redraw(self):\n"
        "        return 'a picture'\n"
        "d = Picture({}, fig)\n"
        "d.widget\n"
        "print(*[c for c in fig.canvas._dom_classes if c.startswith('bp-')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["bp-smallest-text-none"]
