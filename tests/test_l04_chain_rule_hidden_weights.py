"""Notebook 04's live views and checkers: the backward pass on the diagram, the error
surface over two weights, the first full step stage by stage, and the "find the bug"
exercise.

The figures are read back (edge labels, notes, marker, arrow, contour paths, glow
widths) and compared with the helpers; the worked example's numbers are pinned
to full precision.
"""

import matplotlib

matplotlib.use("Agg")


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from oracles import (  # noqa: E402
    REL,
    assert_shows,
    gradients_at,
    oracle,
    point_of,
    unit_values,
    weights_of,
)

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.lessons.l04_chain_rule_hidden_weights import (  # noqa: E402
    STAGES,
    BackwardDiagramDashboard,
    FirstStepDashboard,
    SurfaceDashboard,
    buggy_step,
    check_dE_dw4,
    check_repaired_step,
    error_surface,
    gradient_used,
    hidden_signals,
    reference_step,
)
from helpers.network import (  # noqa: E402
    Layer,
    backward,
    error,
    forward,
    from_named,
    numerical_gradient,
    to_named,
    weight_names,  # noqa: E402
)
from helpers.plots import broken_artists, fmt  # noqa: E402

EX = WORKED_EXAMPLE
NAMES = ["w1", "w2", "w3", "w4", "w5", "w6"]
HIDDEN_GRADS = {"w1": -3.286976, "w2": -4.930464, "w3": -2.286592, "w4": -3.429888}
NEW_WEIGHTS = [0.3743488, 0.8065232, 0.3043296, 0.1914944, 0.980288, 0.3172032]


def gradients(weights, target=EX.target):
    layers = from_named(weights, EX.layers)
    trace = forward(layers, EX.x)
    return layers, trace, to_named(backward(layers, trace, target))


# -- hidden_signals --------------------------------------------------------------


def test_hidden_signals_of_the_worked_example():
    trace = forward(EX.layers, EX.x)
    delta, signals = hidden_signals(EX.layers, trace, EX.target)
    assert delta == pytest.approx(-1.7864, rel=1e-12)
    assert signals == pytest.approx([-1.7864 * 0.23, -1.7864 * 0.16], rel=1e-12)
    # each hidden weight's gradient is its unit's signal times its input
    g = to_named(backward(EX.layers, trace, EX.target))
    assert g["w1"] == pytest.approx(signals[0] * 8, rel=1e-12)
    assert g["w4"] == pytest.approx(signals[1] * 12, rel=1e-12)


# -- BackwardDiagramDashboard ------------------------------------------------------


def test_backward_diagram_pins_the_worked_example():
    view = BackwardDiagramDashboard()
    assert list(view.controls)[0] == "w5"
    text = view.description
    for number in (
        "−1.7864",
        "−15.00576",
        "−3.144064",
        *[fmt(v, 7) for v in HIDDEN_GRADS.values()],
    ):
        assert number in text
    assert "∂E/∂w1=−3.287" in view.diagram.edge_text["w1"].get_text()
    assert "δ = ŷ − y = −1.7864" in view.notes.delta.get_text()
    assert "−0.41087" in view.notes.hidden["h1"].get_text()


@pytest.mark.parametrize(
    "values",
    [{}, {"w5": 0.0}, {"w6": -1.2, "w1": 1.5}, {"y": -20.0, "w2": -2.0}, {"w5": 2, "w6": 2}],
)
def test_every_edge_label_shows_backwards_gradient(values):
    view = BackwardDiagramDashboard()
    view.update(**values)
    current = view.values()
    weights = {k: v for k, v in current.items() if k != "y"}
    target = np.array([current["y"]])
    layers, trace, g = gradients(weights, target)
    for name in NAMES:
        label = view.diagram.edge_text[name].get_text()
        assert f"{name}={fmt(weights[name], 3)}" in label
        assert f"∂E/∂{name}={fmt(g[name], 4)}" in label
        assert f"∂E/∂{name} = " in view.description
    delta, signals = hidden_signals(layers, trace, target)
    assert fmt(delta, 5) in view.notes.delta.get_text()
    assert f"δ·w5 = {fmt(signals[0], 5)}" in view.notes.hidden["h1"].get_text()
    assert f"δ·w6 = {fmt(signals[1], 5)}" in view.notes.hidden["h2"].get_text()
    # the glow is widest on the edge with the largest gradient
    widths = np.asarray(view.diagram.glow.get_linewidths())
    biggest = max(NAMES, key=lambda n: abs(g[n]))
    assert np.argmax(widths - np.asarray(view.diagram.lines.get_linewidths())) == NAMES.index(
        biggest
    )


def test_w5_zero_cuts_the_signal_to_h1():
    view = BackwardDiagramDashboard()
    view.update(w5=0.0)
    assert "∂E/∂w1=0" in view.diagram.edge_text["w1"].get_text()
    assert "∂E/∂w2=0" in view.diagram.edge_text["w2"].get_text()
    assert "∂E/∂w5=0" not in view.diagram.edge_text["w5"].get_text()


def test_target_equal_to_prediction_says_nothing_flows():
    perfect = EX.with_weights(w1=0.25, w2=0.0, w3=0.0, w4=0.0, w5=2.0)  # ŷ = 0.25·8·2 = 4
    view = BackwardDiagramDashboard(perfect)
    assert "every gradient is zero" in view.message.value
    view.update(y=3.0)
    assert view.message.value == ""


# -- error_surface and SurfaceDashboard ------------------------------------------


@pytest.mark.parametrize("pair", [("w1", "w2"), ("w1", "w5"), ("w6", "w3")])
def test_error_surface_equals_the_helpers_point_by_point(pair):
    xs = np.linspace(-2, 2, 7)
    ys = np.linspace(-1, 1.5, 5)
    residual, E = error_surface(EX.layers, EX.x, EX.target, *pair, xs, ys)
    assert residual.shape == E.shape == (len(ys), len(xs))
    for r, b in enumerate(ys):
        for c, a in enumerate(xs):
            layers = from_named({pair[0]: a, pair[1]: b}, EX.layers)
            out = forward(layers, EX.x).output
            assert E[r, c] == pytest.approx(error(out, EX.target), rel=1e-12, abs=1e-12)
            assert residual[r, c] == pytest.approx(out[0] - 4.0, rel=1e-12, abs=1e-12)


def test_surface_marker_and_arrow_at_the_worked_example():
    view = SurfaceDashboard()
    assert list(view.controls)[0] == "w1"
    assert tuple(view.marker.get_xydata()[0]) == pytest.approx((0.21, 0.56))
    assert tuple(view.arrow.xyann) == pytest.approx((0.21, 0.56))
    assert tuple(view.arrow.xy) == pytest.approx((0.3743488, 0.8065232), rel=1e-12)
    assert "(0.3743488, 0.8065232)" in view.description
    assert view.ax.get_xlabel() == "w1" and view.ax.get_ylabel() == "w2"


@pytest.mark.parametrize(
    "values",
    [
        {"w1": -1.0, "w2": 1.3},
        {"x_weight": "w5", "y_weight": "w1", "w5": 0.7},
        {"x_weight": "w3", "y_weight": "w6", "w4": -0.5},
    ],
)
def test_surface_arrow_is_minus_lr_times_the_gradient(values):
    view = SurfaceDashboard()
    view.update(**values)
    current = view.values()
    a_name, b_name = current["x_weight"], current["y_weight"]
    weights = {k: v for k, v in current.items() if k in NAMES}
    _, _, g = gradients(weights)
    a, b = weights[a_name], weights[b_name]
    assert tuple(view.marker.get_xydata()[0]) == pytest.approx((a, b))
    assert tuple(view.arrow.xyann) == pytest.approx((a, b))
    assert view.arrow_scale == 1.0
    end = (a - EX.lr * g[a_name], b - EX.lr * g[b_name])
    assert tuple(view.arrow.xy) == pytest.approx(end, rel=1e-12, abs=1e-12)


def test_long_steps_are_drawn_shortened_in_the_same_direction():
    view = SurfaceDashboard()
    view.update(w1=2.0, w2=2.0, w3=2.0, w4=2.0, w5=2.0, w6=2.0)
    _, _, g = gradients(view.example.with_weights(**dict.fromkeys(NAMES, 2.0)).named)
    start = np.array(view.arrow.xyann)
    drawn = np.array(view.arrow.xy) - start
    full = -EX.lr * np.array([g["w1"], g["w2"]])
    assert view.arrow_scale < 1.0
    np.testing.assert_allclose(drawn, view.arrow_scale * full, rtol=1e-12)
    assert "shortened" in view.side_text.get_text()
    assert "drawn at" in view.description


def test_zero_error_line_is_where_the_prediction_hits_the_target():
    view = SurfaceDashboard()
    zero_line = view._contours[-1]
    vertices = np.concatenate([p.vertices for p in zero_line.get_paths() if len(p.vertices)])
    assert len(vertices) > 2
    for a, b in vertices[:: max(1, len(vertices) // 6)]:
        layers = from_named({"w1": a, "w2": b}, EX.layers)
        assert forward(layers, EX.x).output[0] == pytest.approx(4.0, abs=1e-9)


def test_contours_are_recomputed_only_when_the_surface_changes():
    view = SurfaceDashboard()
    count = view.surface_computations
    view.update(w1=0.5)
    view.update(w2=-0.3)
    assert view.surface_computations == count  # the pair moved: marker and arrow only
    view.update(w5=0.6)
    assert view.surface_computations == count + 1
    view.update(y_weight="w6")
    assert view.surface_computations == count + 2
    assert view.ax.get_ylabel() == "w6"


def test_same_weight_on_both_axes_gives_a_message():
    view = SurfaceDashboard()
    view.update(y_weight="w1")
    assert "two different weights" in view.message.value
    assert not view.marker.get_visible() and not view.arrow.get_visible()
    assert view._contours == []
    view.update(y_weight="w2")
    assert view.message.value == ""
    assert view.marker.get_visible() and len(view._contours) >= 1


def test_a_flat_surface_draws_no_contours_and_says_so():
    view = SurfaceDashboard()
    view.update(x_weight="w1", y_weight="w3", w5=0.0, w6=0.0)
    view.fig.canvas.draw()
    assert view.last_error is None
    assert view._contours == []
    assert "no contour lines" in view.description
    assert broken_artists(view.fig) == []


# -- FirstStepDashboard ----------------------------------------------------------


def test_stepper_starts_at_stage_zero_with_names_only():
    view = FirstStepDashboard()
    assert view.stage == 0
    assert view.description.startswith("Stage 0 of 5")
    for name in ("h1", "h2", "ŷ"):
        assert view.diagram.node_text[name].get_text() == name
    assert view.diagram.node_text["i1"].get_text() == "i1\n8"
    assert not view.diagram.glow.get_visible()
    assert "∂E" not in view.diagram.edge_text["w5"].get_text()


def test_stepper_walks_through_the_content_numbers():
    view = FirstStepDashboard()
    expected = {
        1: ["8.4", "1.76", "2.2136"],
        2: ["1.59561248", "−1.7864"],
        3: ["−15.00576", "−3.144064"],
        4: ["−0.410872", "−0.285824", *[fmt(v, 10) for v in HIDDEN_GRADS.values()], "old w5"],
        5: [*[fmt(v, 10) for v in NEW_WEIGHTS], "13.92444349", "49.24728928", "overshot"],
    }
    for stage in range(1, len(STAGES)):
        text = view.next()
        assert view.stage == stage
        assert text == view.description
        assert text.startswith(f"Stage {stage} of 5 · {STAGES[stage]}")
        for number in expected[stage]:
            assert number in text, (stage, number)
    assert view.next() == view.description and view.stage == 5  # stays on the last stage


def test_stepper_diagram_reveals_one_stage_at_a_time():
    view = FirstStepDashboard()
    view.update(stage=1)
    assert view.diagram.node_text["h1"].get_text() == "h1\n8.4"
    assert not view.notes.delta.get_visible()
    view.update(stage=2)
    assert "δ = ŷ − y = −1.7864" in view.notes.delta.get_text()
    assert all("∂E" not in view.diagram.edge_text[n].get_text() for n in NAMES)
    view.update(stage=3)
    assert "∂E/∂w5=−15.01" in view.diagram.edge_text["w5"].get_text()
    assert "∂E/∂w6=−3.144" in view.diagram.edge_text["w6"].get_text()
    assert all("∂E" not in view.diagram.edge_text[n].get_text() for n in NAMES[:4])
    glow = np.asarray(view.diagram.glow.get_linewidths())
    assert np.all(glow[:4] == 0) and np.all(glow[4:] > 0)
    assert not view.notes.hidden["h1"].get_visible()
    view.update(stage=4)
    for name, value in HIDDEN_GRADS.items():
        assert f"∂E/∂{name}={fmt(value, 4)}" in view.diagram.edge_text[name].get_text()
    assert view.notes.hidden["h1"].get_visible()
    view.update(stage=5)
    for name, value in zip(NAMES, NEW_WEIGHTS):
        assert view.diagram.edge_text[name].get_text() == f"{name}={fmt(value, 3)}"
    assert view.diagram.node_text["ŷ"].get_text() == "ŷ\n13.92"
    assert "13.9244" in view.notes.delta.get_text()
    assert not view.diagram.glow.get_visible()
    assert "Stage 5 of 5" in view.title.get_text()


def test_stepper_back_restart_and_buttons():
    view = FirstStepDashboard()
    assert view.back() and view.stage == 0
    view.next_button.click()
    view.next_button.click()
    assert view.stage == 2
    view.back_button.click()
    assert view.stage == 1
    view.next()
    assert view.restart().startswith("Stage 0")
    view.update(stage=4)
    view.reset_button.click()
    assert view.stage == 0
    texts = view.stage_texts()
    assert len(texts) == len(STAGES) and texts[0] == view.description
    children = view.widget.children[0].children
    assert [c.description for c in children[:3]] == ["Back", "Next", "Restart"]


def test_stepper_buttons_are_off_where_they_would_do_nothing():
    view = FirstStepDashboard()
    assert view.back_button.disabled and not view.next_button.disabled
    view.update(stage=len(STAGES) - 1)
    assert view.next_button.disabled and not view.back_button.disabled
    view.back_button.click()
    assert not view.next_button.disabled


# -- extremes -----------------------------------------------------------------------


@pytest.mark.parametrize("cls", [BackwardDiagramDashboard, SurfaceDashboard, FirstStepDashboard])
def test_extremes_draw_sound_figures(cls):
    view = cls()
    for pick in (0, 1):
        values = {}
        for name, control in view.controls.items():
            if hasattr(control, "options"):
                values[name] = control.options[-pick]
            else:
                values[name] = (control.min, control.max)[pick]
        view.update(**values)
        if view.fig is not None:
            view.fig.canvas.draw()
        assert view.last_error is None
        assert view.problems() == []
        assert "nan" not in view.description.lower()


# -- checkers and the buggy step ------------------------------------------------------


def test_check_dE_dw4():
    assert check_dE_dw4(None).ok is None
    assert check_dE_dw4(-3.429888).ok
    assert "∂E/∂w2" in check_dE_dw4(-4.930464).message
    assert "∂E/∂w3" in check_dE_dw4(-2.286592).message
    assert "w6" in check_dE_dw4(-1.7864 * 12).message
    assert "after its update" in check_dE_dw4(-1.7864 * 0.3172032 * 12).message
    assert "sign" in check_dE_dw4(3.429888).message


def world():
    return dict(EX.named), (8.0, 12.0), 4.0, 0.05


def test_buggy_step_uses_the_new_output_weights():
    w, x, y, lr = world()
    new = buggy_step(w, x, y, lr)
    assert w == EX.named  # the caller's weights are left alone
    assert new["w5"] == pytest.approx(0.980288, rel=1e-12)
    assert new["w6"] == pytest.approx(0.3172032, rel=1e-12)
    assert new["w1"] == pytest.approx(0.21 + 0.05 * 1.7864 * 0.980288 * 8, rel=1e-12)
    assert new["w4"] == pytest.approx(0.02 + 0.05 * 1.7864 * 0.3172032 * 12, rel=1e-12)


def test_gradient_used_exposes_the_bug_against_central_differences():
    w, x, y, lr = world()
    used = gradient_used(buggy_step, w, x, y, lr)
    numeric = to_named(numerical_gradient(EX.layers, EX.x, EX.target))
    for name in ("w5", "w6"):
        assert used[name] == pytest.approx(numeric[name], rel=1e-6)
    for name in ("w1", "w2", "w3", "w4"):
        assert abs(used[name] - numeric[name]) > 1.0
    assert gradient_used(reference_step, w, x, y, lr) == pytest.approx(numeric, rel=1e-6)


def test_reference_step_pins_the_first_step():
    w, x, y, lr = world()
    new = reference_step(w, x, y, lr)
    assert [new[n] for n in NAMES] == pytest.approx(NEW_WEIGHTS, rel=1e-12)


def correct_step(w, x, y, lr):
    i1, i2 = x
    h1 = w["w1"] * i1 + w["w2"] * i2
    h2 = w["w3"] * i1 + w["w4"] * i2
    d = w["w5"] * h1 + w["w6"] * h2 - y
    g = {
        "w1": d * w["w5"] * i1,
        "w2": d * w["w5"] * i2,
        "w3": d * w["w6"] * i1,
        "w4": d * w["w6"] * i2,
        "w5": d * h1,
        "w6": d * h2,
    }
    return {n: w[n] - lr * g[n] for n in w}


def test_check_repaired_step_accepts_a_correct_step():
    result = check_repaired_step(correct_step)
    assert result.ok and "Correct" in result.message
    assert "0.3743488" in result.message


def test_check_repaired_step_placeholders():
    assert check_repaired_step(None).ok is None
    result = check_repaired_step(lambda w, x, y, lr: None)
    assert result.ok is None and "Not done yet" in result.message
    assert check_repaired_step(3).ok is False


def test_check_repaired_step_recognises_the_bug():
    result = check_repaired_step(buggy_step)
    assert result.ok is False
    assert "still the bug" in result.message
    assert "−14.0095" in result.message.replace("-", "−")
    assert "−3.28698" in result.message.replace("-", "−")


def test_check_repaired_step_names_the_wrong_weights():
    def half_fixed(w, x, y, lr):
        new = correct_step(w, x, y, lr)
        buggy = buggy_step(w, x, y, lr)
        new["w3"], new["w4"] = buggy["w3"], buggy["w4"]
        return new

    result = check_repaired_step(half_fixed)
    assert result.ok is False
    assert "w3, w4" in result.message and "w1" not in result.message.split("wrong:")[1][:10]
    assert "central difference" in result.message


def test_check_repaired_step_catches_in_place_updates_and_errors():
    def in_place(w, x, y, lr):
        w["w5"] = 0.0
        return correct_step(w, x, y, lr)

    assert "changed the dictionary" in check_repaired_step(in_place).message

    def broken(w, x, y, lr):
        return w["w7"]

    message = check_repaired_step(broken).message
    assert "raised KeyError" in message

    assert "dictionary with the keys" in check_repaired_step(lambda w, x, y, lr: [1, 2]).message


def test_check_repaired_step_is_not_fooled_by_the_examples_numbers():
    def memorised(w, x, y, lr):
        return dict(zip(NAMES, NEW_WEIGHTS))

    result = check_repaired_step(memorised)
    assert result.ok is False
    assert "second network" in result.message


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


def check_backward_diagram(d, layers, trace, g, names_shown=None):
    """Units show the forward values; edges show each weight and ∂E/∂w (``names_shown``)."""
    diagram = d.diagram
    for name, value in unit_values(trace, diagram.names, layers).items():
        assert diagram.node_text[name].get_text() == f"{name}\n{fmt(value)}"
    weights = to_named(layers)
    for name, w in weights.items():
        label = diagram.edge_text[name].get_text()
        if names_shown is None or name in names_shown:
            assert label == f"{name}={fmt(w, 3)}\n∂E/∂{name}={fmt(g[name], 4)}"
        else:
            assert label == f"{name}={fmt(w, 3)}"


def out_weights(layers):
    last = len(layers) - 1
    return [n for n, (layer, _i, _j) in weight_names(layers).items() if layer == last]


@oracle("l04_chain_rule_hidden_weights.BackwardDiagramDashboard")
def backward_diagram(d):
    values = d.values()
    y = float(values["y"])
    layers, trace, E, g = gradients_at(d.example, weights_of(values), target=[y])
    check_backward_diagram(d, layers, trace, g)
    delta = float(trace.output[0]) - y
    note = d.notes.delta.get_text()
    assert_shows(note, "y =", y, 4)
    assert_shows(note, "δ = ŷ − y =", delta, 5)
    weights = to_named(layers)
    for unit, w_out in zip(d.diagram.names[1], out_weights(layers)):
        assert_shows(d.notes.hidden[unit].get_text(), f"= δ·{w_out} =", delta * weights[w_out], 5)
    # The widest orange glow is on the edge with the largest gradient.
    sizes = np.abs([g[n] for n in d.diagram.edge_text])
    if sizes.max() > 0 and np.isfinite(sizes).all():
        extra = d.diagram.glow.get_linewidths() - d.diagram.lines.get_linewidths()
        assert sizes[np.argmax(extra)] == pytest.approx(sizes.max(), rel=1e-9)


@oracle("l04_chain_rule_hidden_weights.FirstStepDashboard")
def first_step(d):
    from helpers.lessons.l04_chain_rule_hidden_weights import STAGES
    from helpers.network import sgd_step

    k = int(d.values()["stage"])
    ex = d.example
    last = len(STAGES) - 1
    assert d.title.get_text() == f"Stage {k} of {last}: {STAGES[k]}"
    layers, trace, E, g = gradients_at(ex, ex.named)
    outputs = out_weights(layers)
    if k == last:
        new = sgd_step(layers, [_grads_of(layers, g, n) for n in range(len(layers))], ex.lr)
        new_trace = forward(new, ex.x)
        check_backward_diagram(d, new, new_trace, g, names_shown=())
        assert_shows(d.notes.delta.get_text(), "new ŷ =", new_trace.output[0], 6)
        return
    shown = () if k < 3 else (outputs if k == 3 else None)
    if k == 0:
        for row in d.diagram.names[1:]:
            for name in row:
                assert d.diagram.node_text[name].get_text() == name
    else:
        check_backward_diagram(d, layers, trace, g, names_shown=shown)
    delta = float(trace.output[0] - ex.target[0])
    if k in (2, 3, 4):
        assert_shows(d.notes.delta.get_text(), "δ = ŷ − y =", delta, 5)
    else:
        assert not d.notes.delta.get_visible()


def _grads_of(layers, g, n):
    """The gradient of layer ``n`` as a Layer, from the named gradients ``g``."""

    W = np.zeros_like(np.asarray(layers[n].W, dtype=float))
    for name, (layer, i, j) in weight_names(layers).items():
        if layer == n:
            W[i, j] = g[name]
    return Layer(W, None if layers[n].b is None else np.zeros_like(layers[n].b))


@oracle("l04_chain_rule_hidden_weights.SurfaceDashboard")
def surface(d):
    values = d.values()
    a_name, b_name = values["x_weight"], values["y_weight"]
    if a_name == b_name:
        assert not d.marker.get_visible() and not d.arrow.get_visible()
        assert "different" in d.title.get_text()
        return
    weights = weights_of(values)
    layers, trace, E, g = gradients_at(d.example, weights)
    a, b = weights[a_name], weights[b_name]
    assert point_of(d.marker) == pytest.approx((a, b), rel=REL, abs=1e-12)
    assert d.title.get_text() == f"E over ({a_name}, {b_name}), other weights fixed"
    side = d.side_text.get_text()
    assert_shows(side, "E =", E, 5)
    assert_shows(side, f"∂E/∂{a_name} =", g[a_name], 4)
    assert_shows(side, f"∂E/∂{b_name} =", g[b_name], 4)
    # The arrow starts at the point and points down the gradient, at most one step long.
    tail = np.array(d.arrow.xyann, dtype=float)
    head = np.array(d.arrow.xy, dtype=float)
    assert tuple(tail) == pytest.approx((a, b), rel=REL, abs=1e-12)
    step = -d.lr * np.array([g[a_name], g[b_name]])
    if d.arrow.get_visible():
        drawn = head - tail
        assert np.hypot(*drawn) <= np.hypot(*step) * (1 + 1e-9)
        cos = drawn @ step / (np.hypot(*drawn) * np.hypot(*step))
        assert cos == pytest.approx(1.0, abs=1e-9)
