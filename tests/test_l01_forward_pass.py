"""Notebook 01's dashboard and checkers: what the figure shows after each change."""

import matplotlib

matplotlib.use("Agg")


import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from oracles import (  # noqa: E402
    check_edges_drawn,
    oracle,
    unit_values,
    weights_of,
)

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.lessons.l01_forward_pass import (  # noqa: E402
    ForwardPassDashboard,
    check_h2,
    check_y_hat,
    predict,
    sign_word,
    sum_text,
    weight_table,
)
from helpers.network import (  # noqa: E402
    forward,  # noqa: E402
    from_named,
)
from helpers.plots import (
    COLORS,  # noqa: E402
    fmt,  # noqa: E402
)

EDGES = ["w1", "w2", "w3", "w4", "w5", "w6"]


@pytest.fixture
def dash():
    return ForwardPassDashboard()


def node(dash, name):
    return dash.diagram.node_text[name].get_text()


def edge_index(name):
    return EDGES.index(name)


def widths(dash):
    return np.asarray(dash.diagram.lines.get_linewidths(), dtype=float)


def colours(dash):
    return [mcolors.to_hex(c) for c in dash.diagram.lines.get_colors()]


def all_texts(dash):
    return [text for scene in dash.scenes for text in scene.texts()]


# -- the worked example, to full precision -------------------------------------


def test_starts_on_the_worked_example(dash):
    assert dash.description.startswith("h1 = 8.4, h2 = 1.76, ŷ = 2.2136 (inputs 8, 12;")
    assert node(dash, "h1") == "h1\n8.4"
    assert node(dash, "h2") == "h2\n1.76"
    assert node(dash, "ŷ") == "ŷ\n2.2136"
    assert node(dash, "i1") == "i1\n8"
    assert node(dash, "i2") == "i2\n12"
    for name, value in WORKED_EXAMPLE.named.items():
        assert dash.diagram.edge_text[name].get_text() == f"{name}={value:g}"
    assert dash.last_error is None


def test_sums_show_the_hand_computation(dash):
    assert dash.sum_texts["h1"].get_text() == "h1 = i1·w1 + i2·w2\n   = 8·0.21 + 12·0.56\n   = 8.4"
    assert dash.sum_texts["h2"].get_text() == "h2 = i1·w3 + i2·w4\n   = 8·0.19 + 12·0.02\n   = 1.76"
    assert (
        dash.sum_texts["ŷ"].get_text() == "ŷ = h1·w5 + h2·w6\n  = 8.4·0.23 + 1.76·0.16\n  = 2.2136"
    )


def test_description_text_is_kept():
    dash = ForwardPassDashboard()
    assert dash.description == (
        "h1 = 8.4, h2 = 1.76, ŷ = 2.2136 (inputs 8, 12; w1 = 0.21, w2 = 0.56, "
        "w3 = 0.19, w4 = 0.02, w5 = 0.23, w6 = 0.16)"
    )
    assert dash._repr_mimebundle_()["text/plain"] == dash.description


# -- one change moves exactly the right things --------------------------------


def test_w1_moves_h1_and_y_hat_but_not_h2(dash):
    before_h2 = node(dash, "h2")
    before_sum_h2 = dash.sum_texts["h2"].get_text()
    dash.update(w1=0.5)
    changed = WORKED_EXAMPLE.with_weights(w1=0.5)
    trace = forward(changed.layers, changed.x)
    h1, h2 = trace.hidden[0]
    assert h1 == pytest.approx(8 * 0.5 + 12 * 0.56)
    assert node(dash, "h1") == "h1\n10.72"
    assert node(dash, "h2") == before_h2 == "h2\n1.76"
    assert dash.sum_texts["h2"].get_text() == before_sum_h2
    assert node(dash, "ŷ") == f"ŷ\n{trace.output[0]:.6g}" == "ŷ\n2.7472"
    assert dash.diagram.edge_text["w1"].get_text() == "w1=0.5"
    assert dash.diagram.edge_text["w2"].get_text() == "w2=0.56"
    assert "8·0.5 + 12·0.56" in dash.sum_texts["h1"].get_text()
    assert dash.description.startswith("h1 = 10.72, h2 = 1.76, ŷ = 2.7472")


def test_w3_moves_h2_not_h1(dash):
    dash.update(w3=-0.25)
    assert node(dash, "h1") == "h1\n8.4"
    assert node(dash, "h2") == "h2\n−1.76"  # 8·(−0.25) + 12·0.02
    assert "8·(−0.25) + 12·0.02" in dash.sum_texts["h2"].get_text()
    assert dash.diagram.edge_text["w3"].get_text() == "w3=−0.25"


def test_w5_moves_only_the_output(dash):
    dash.update(w5=0.46)
    assert node(dash, "h1") == "h1\n8.4"
    assert node(dash, "h2") == "h2\n1.76"
    assert node(dash, "ŷ") == "ŷ\n4.1456"
    assert predict(w5=0.46) == pytest.approx(4.1456)


def test_inputs_move_both_hidden_units(dash):
    dash.update(i1=-8.0)
    assert node(dash, "i1") == "i1\n−8"
    assert dash.description.startswith("h1 = 5.04, h2 = −1.28, ŷ = 0.9544")
    assert predict(x=[-8.0, 12.0]) == pytest.approx(0.9544)


def test_edge_width_follows_size_and_colour_follows_sign(dash):
    base = widths(dash)
    assert base[edge_index("w2")] > base[edge_index("w1")] > base[edge_index("w4")]
    assert set(colours(dash)) == {COLORS["positive"].lower()}
    dash.update(w1=-1.5)
    after = widths(dash)
    assert after[edge_index("w1")] > base[edge_index("w1")]
    assert after[edge_index("w1")] > after[edge_index("w2")]
    col = colours(dash)
    assert col[edge_index("w1")] == COLORS["negative"].lower()
    assert all(c == COLORS["positive"].lower() for k, c in enumerate(col) if k != 0)
    # A weight of the same size but the other sign is drawn just as wide.
    dash.update(w1=1.5)
    assert widths(dash)[edge_index("w1")] == pytest.approx(after[edge_index("w1")])
    assert colours(dash)[edge_index("w1")] == COLORS["positive"].lower()


def test_widths_span_the_whole_slider_range(dash):
    dash.update(w6=1.0)
    one = widths(dash)[edge_index("w6")]
    dash.update(w6=2.0)
    two = widths(dash)[edge_index("w6")]
    assert two > one  # not clipped at |w| = 1: the sliders go to ±2


def test_reset_returns_to_the_example(dash):
    dash.update(w1=1.0, w6=-2.0, i2=-20.0)
    dash.reset()
    assert dash.values() == {**WORKED_EXAMPLE.named, "i1": 8.0, "i2": 12.0}
    assert node(dash, "ŷ") == "ŷ\n2.2136"


def test_state_and_load_round_trip(dash):
    dash.update(w2=-0.3, i1=2.5)
    line = dash.state()
    assert line == "w1=0.21 w2=-0.3 w3=0.19 w4=0.02 w5=0.23 w6=0.16 i1=2.5 i2=12"
    other = ForwardPassDashboard()
    other.load(line)
    assert other.description == dash.description


@pytest.mark.parametrize(
    "extreme",
    [
        {f"w{k}": 2.0 for k in range(1, 7)} | {"i1": 20.0, "i2": 20.0},
        {f"w{k}": -2.0 for k in range(1, 7)} | {"i1": -20.0, "i2": 20.0},
        {f"w{k}": 0.0 for k in range(1, 7)} | {"i1": 0.0, "i2": 0.0},
    ],
)
def test_slider_extremes_draw_sane_numbers(dash, extreme):
    dash.update(**extreme)
    assert dash.last_error is None
    text = " ".join(all_texts(dash)) + dash.description
    for bad in ("nan", "inf", "∞", "undefined"):
        assert bad not in text
    assert np.all(np.isfinite(widths(dash)))
    if extreme["i1"] == 20.0 and extreme["w1"] == 2.0:
        assert node(dash, "ŷ") == "ŷ\n320"


def test_slider_extremes_stay_inside_the_figure(dash):
    """The longest sums still fit: in a monospaced font a character is 0.6 em wide
    (DejaVu Sans Mono 0.602, Menlo 0.602, Consolas 0.55)."""
    dash.update(**{f"w{k}": -2.0 for k in range(1, 7)}, i1=-20.0, i2=-20.0)
    scene = dash.scenes[0]
    for text in dash.sum_texts.values():
        left, top = scene.to_pixels(*text.get_position())
        lines = text.get_text().splitlines()
        size_px = text.get_fontsize() * 100 / 72
        assert left + 0.61 * size_px * max(map(len, lines)) <= scene.width_px
        assert top + 1.2 * size_px * len(lines) <= scene.height_px


def test_only_weights_and_inputs_are_controls(dash):
    assert list(dash.controls) == [*EDGES, "i1", "i2"]
    with pytest.raises(ValueError, match="unknown controls"):
        dash.update(w7=1.0)


# -- small helpers --------------------------------------------------------------


def test_weight_table_names_every_edge():
    assert weight_table() == [
        ("w1", "i1", "h1", 0.21),
        ("w2", "i2", "h1", 0.56),
        ("w3", "i1", "h2", 0.19),
        ("w4", "i2", "h2", 0.02),
        ("w5", "h1", "ŷ", 0.23),
        ("w6", "h2", "ŷ", 0.16),
    ]


def test_sum_text_brackets_negative_factors():
    text = sum_text("h1", ["i1", "i2"], ["w1", "w2"], [(-8, 0.21), (12, -0.5)], -7.68)
    assert text == "h1 = i1·w1 + i2·w2\n   = (−8)·0.21 + 12·(−0.5)\n   = −7.68"


@pytest.mark.parametrize(("value", "word"), [(2.2, "positive"), (0.0, "zero"), (-1e-9, "negative")])
def test_sign_word(value, word):
    assert sign_word(value) == word


def test_predict_is_the_worked_example_without_changes():
    assert predict() == pytest.approx(2.2136, abs=1e-12)


# -- checkers --------------------------------------------------------------------


def test_check_h2_placeholder_and_right_answer():
    assert check_h2(None).ok is None
    assert "Not done yet" in check_h2(None).message
    assert check_h2(8 * 0.19 + 12 * 0.02).ok is True
    assert check_h2(1.76).message.startswith("Correct")


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (8 * 0.19 + 12 * 0.56, "through w4"),  # w2 instead of w4
        (8 * 0.56 + 12 * 0.02, "i1 reaches h2 through w3"),  # w2 instead of w3
        (8 * 0.02 + 12 * 0.19, "swapped"),
        (8 * 0.21 + 12 * 0.19, "not w1 and w3"),
        (8 * 0.19, "only i1·w3"),
        (12 * 0.02, "only i2·w4"),
        (8 * 0.19 * 12 * 0.02, "not multiplied"),
        (20 * 0.21, "its own weight"),
        (8.4, "That is h1"),
        (2.2136, "That is ŷ"),
        (-1.76, "wrong sign"),
    ],
)
def test_check_h2_names_typical_slips(wrong, says):
    fb = check_h2(wrong)
    assert fb.ok is False
    assert says in fb.message


def test_check_h2_unknown_wrong_answer_says_which_way_not_how_far():
    fb = check_h2(2.5)
    assert fb.ok is False and "too large" in fb.message
    rough = check_h2(2.0)  # h2 = 1.76 to one figure
    assert rough.ok is False and "too rough" in rough.message
    assert check_h2("a lot").ok is False


def test_check_y_hat():
    assert check_y_hat(None).ok is None
    assert check_y_hat(8.4 * 0.23 + 1.76 * 0.16).ok is True
    assert "swapped" in check_y_hat(8.4 * 0.16 + 1.76 * 0.23).message
    assert "only h1·w5" in check_y_hat(8.4 * 0.23).message
    assert "weighted by w5 and w6" in check_y_hat(8.4 + 1.76).message
    assert "not the inputs" in check_y_hat(8 * 0.23 + 12 * 0.16).message


def test_example_figure_is_a_still_drawing_with_six_figure_values():
    from helpers.lessons.l01_forward_pass import example_figure

    scene = example_figure()
    texts = set(scene.texts())
    assert scene.widget.value == scene.markup()  # drawn, ready to show
    assert {"i1\n8", "i2\n12", "h1\n8.4", "h2\n1.76", "ŷ\n2.2136"} <= texts
    assert {f"{name}={value:g}" for name, value in WORKED_EXAMPLE.named.items()} <= texts


def test_sums_that_cancel_show_zero_not_round_off(dash):
    """−4·(−1.72) + 8·(−0.86) is 0 on paper and 8.9·10⁻¹⁶ in floating point, with w2
    as a slider snapped to its step holds it (−2 + 114·0.01): 0 is shown."""
    w2 = -2 + 114 * 0.01
    assert w2 != -0.86  # the slider's value carries the round-off
    dash.update(w1=-1.72, w2=w2, i1=-4.0, i2=8.0)
    assert dash.diagram.node_text["h1"].get_text() == "h1\n0"
    assert dash.sum_texts["h1"].get_text().splitlines()[-1].strip() == "= 0"
    assert "·10" not in " ".join(all_texts(dash))


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


@oracle("l01_forward_pass.ForwardPassDashboard")
def forward_pass(d):
    values = d.values()
    weights = weights_of(values)
    x = [values[f"i{k + 1}"] for k in range(len(d.example.x))]
    layers = from_named(weights, d.example.layers)
    trace = forward(layers, x)
    shown = unit_values(trace, d.diagram.names, layers)
    for name, value in shown.items():
        assert d.diagram.node_text[name].get_text() == f"{name}\n{fmt(value, 6)}"
    for name, w in weights.items():
        assert d.diagram.edge_text[name].get_text() == f"{name}={fmt(w, 3)}"
    for unit, text in d.sum_texts.items():
        last = text.get_text().splitlines()[-1]
        assert last.strip() == f"= {fmt(shown[unit], 6)}", text.get_text()
    check_edges_drawn(d.diagram, weights)


def _touches_edge(png_bytes):
    """Whether anything is drawn on the outermost pixels of a picture (cut off there)."""
    import io

    from PIL import Image

    image = np.asarray(Image.open(io.BytesIO(png_bytes)).convert("L"), dtype=int)
    edges = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    return bool((edges < 250).any())


def test_the_course_maps_drawing_and_the_dashboard_are_not_cut_off():
    from helpers.lessons.l00_index import example_figure

    assert not _touches_edge(example_figure().png())
    assert not _touches_edge(ForwardPassDashboard().scenes[0].png())
