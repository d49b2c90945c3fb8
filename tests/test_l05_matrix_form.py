"""Notebook 05: the learning-rate explorer, the regimes of the sweep, and the matrix-form checker.

The explorer is driven the way its sliders drive it (``update``) and its
artists are compared with ``train()``; the sweep's regimes are checked
against ``train()`` one rate at a time; the numbers the notebook teaches are
pinned to full precision.
"""

import matplotlib

matplotlib.use("Agg")

import html  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import Collection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from oracles import (  # noqa: E402
    REL,
    approx,
    assert_data,
    assert_text,
    assert_within,
    oracle,
    point_of,
)

from helpers.examples import WORKED_EXAMPLE  # noqa: E402
from helpers.lessons.l05_matrix_form import (  # noqa: E402
    ERROR_FLOOR,
    LR_GRID,
    LearningRateExplorer,
    check_matrix_gradients,
    classify_rates,
    expected_matrix_gradients,
    gradient_norm_squared,
    largest_bound_at_target,
    lr_grid,
    spread_out,
)
from helpers.network import (  # noqa: E402
    Layer,
    backward,
    forward,
    output_gradient,
    stability_bound,
    sweep_learning_rates,
    train,
)
from helpers.plots import (
    fmt,  # noqa: E402
    nice_ceiling,  # noqa: E402
)

EX = WORKED_EXAMPLE


@pytest.fixture(scope="module")
def explorer():
    dash = LearningRateExplorer()
    yield dash
    plt.close(dash.fig)


def expected_history(lr, epochs=300):
    return train(EX.layers, EX.x, EX.target, lr, epochs)


def assert_all_artists_finite(fig):
    """No nan or inf in the data of any artist of the figure."""
    for artist in fig.findobj():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            xy = np.asarray(artist.get_xydata(), dtype=float)
            assert np.all(np.isfinite(xy)), f"{artist} has {xy}"
        elif isinstance(artist, Text):
            assert np.all(np.isfinite(np.asarray(artist.get_position(), dtype=float))), artist
            assert "nan" not in artist.get_text() and "inf" not in artist.get_text(), artist
        elif isinstance(artist, Collection):
            offsets = np.asarray(artist.get_offsets(), dtype=float)
            assert np.all(np.isfinite(offsets)), artist
        elif isinstance(artist, Patch):
            vertices = artist.get_path().vertices
            assert np.all(np.isfinite(vertices)), artist
    for ax in fig.axes:
        assert np.all(np.isfinite(ax.get_xlim())) and np.all(np.isfinite(ax.get_ylim()))


# --------------------------------------------------------------------------
# The numbers the notebook teaches
# --------------------------------------------------------------------------


def test_article_learning_rate_blows_up_as_content_says():
    h = train(EX.layers, EX.x, EX.target, EX.lr, 20, max_error=np.inf)
    assert EX.lr == 0.05
    assert h.errors[0] == pytest.approx(1.59561248, rel=1e-12)
    assert h.errors[1] == pytest.approx(49.2472892847, rel=1e-11)
    assert h.errors[2] == pytest.approx(1.366e5, rel=1e-3)
    assert h.errors[3] == pytest.approx(2.77e15, rel=1e-2)
    assert h.diverged_at is not None and h.diverged_at <= 7
    assert "diverged at step" in h.describe()
    # With the default cap the same run stops at step 3, once E passes 1e12.
    capped = train(EX.layers, EX.x, EX.target, EX.lr, 20)
    assert capped.diverged_at == 3
    np.testing.assert_array_equal(capped.errors, h.errors[:3])


def test_stability_bound_numbers():
    assert gradient_norm_squared(EX.layers, EX.x) == pytest.approx(89.9856, rel=1e-12)
    g = output_gradient(EX.layers, EX.x)
    h1, h2 = 8.4, 1.76
    by_hand = h1**2 + h2**2 + sum((i * w) ** 2 for i in (8, 12) for w in (0.23, 0.16))
    assert gradient_norm_squared(EX.layers, EX.x) == pytest.approx(by_hand, rel=1e-12)
    np.testing.assert_allclose(g[1].W[:, 0], [h1, h2])
    assert stability_bound(EX.layers, EX.x) == pytest.approx(2 / 89.9856, rel=1e-12)
    assert round(stability_bound(EX.layers, EX.x), 4) == 0.0222


def test_learning_rate_regimes_as_content_says():
    assert train(EX.layers, EX.x, EX.target, 0.01, 1).errors[1] == pytest.approx(5.1e-4, rel=0.01)
    assert 0.01 * gradient_norm_squared(EX.layers, EX.x) == pytest.approx(0.9, abs=0.001)
    for lr in (0.001, 0.01, 0.016):
        h = expected_history(lr)
        assert h.diverged_at is None and h.final_error < 1e-10
    for lr in (0.017, 0.02, 0.025, 0.029):
        h = expected_history(lr)
        assert h.diverged_at is None and h.final_error > 1e-10
    assert expected_history(0.030).diverged_at <= 12
    for lr in (0.045, 0.05, 0.06, 0.1):
        assert expected_history(lr).diverged_at <= 3


def test_one_step_at_the_article_rate():
    trace = forward(EX.layers, EX.x)
    grads = backward(EX.layers, trace, EX.target)
    new = [Layer(L.W - EX.lr * g.W) for L, g in zip(EX.layers, grads)]
    np.testing.assert_allclose(new[0].W, [[0.3743488, 0.3043296], [0.8065232, 0.1914944]])
    np.testing.assert_allclose(new[1].W[:, 0], [0.980288, 0.3172032])
    assert forward(new, EX.x).output[0] == pytest.approx(13.924443489, rel=1e-10)


# --------------------------------------------------------------------------
# The learning-rate grid
# --------------------------------------------------------------------------


def test_lr_grid_lands_on_the_rates_the_notebook_names():
    for lr in (0.001, 0.01, 0.016, 0.017, 0.022, 0.029, 0.03, 0.05, 0.1):
        assert lr in LR_GRID  # exact float equality: the slider can land on it
    assert LR_GRID == sorted(LR_GRID) and len(set(LR_GRID)) == len(LR_GRID)
    ratios = np.diff(np.log10(LR_GRID))
    assert ratios.max() < 0.05  # at most ~12 % between neighbours
    assert lr_grid(0.01, 0.02) == [round(0.01 + k * 0.001, 12) for k in range(11)]


def test_slider_offers_the_grid(explorer):
    options = [value for _label, value in explorer.controls["lr"].options]
    assert options == LR_GRID
    assert list(explorer.controls)[0] == "lr"  # the slider that shows the lesson comes first


# --------------------------------------------------------------------------
# The explorer: the curve is train()'s errors, divergence is said in words
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lr, regime",
    [
        (0.001, "converges"),
        (0.01, "converges"),
        (0.016, "converges"),
        (0.017, "neither"),
        (0.02, "neither"),
        (0.029, "neither"),
        (0.03, "diverges"),
        (0.05, "diverges"),
        (0.1, "diverges"),
    ],
)
def test_explorer_curve_is_train(explorer, lr, regime):
    explorer.update(lr=lr, epochs=300, step=300)
    assert explorer.last_error is None
    h = expected_history(lr)
    x, y = explorer.curve.get_data()
    np.testing.assert_array_equal(x, np.arange(len(h.errors)))
    np.testing.assert_array_equal(y, np.maximum(h.errors, ERROR_FLOOR))
    np.testing.assert_array_equal(y[h.errors >= ERROR_FLOOR], h.errors[h.errors >= ERROR_FLOOR])
    np.testing.assert_array_equal(explorer.marker.get_data()[1], [y[-1]])
    np.testing.assert_array_equal(explorer.lr_line.get_xdata(), [lr, lr])
    assert explorer.regimes.regime_of(lr) == regime
    assert f"lr = {lr:g}" in explorer.description
    if h.diverged_at is None:
        assert "diverged" not in explorer.description
        assert explorer._message == ""
        assert not explorer.diverged_mark.get_visible()
    else:
        assert f"Diverged at step {h.diverged_at}" in explorer.message.value
        assert f"diverged at step {h.diverged_at}" in explorer.description
        assert f"diverged at step {h.diverged_at}" in explorer.status.get_text()
        assert explorer.diverged_mark.get_visible()
        assert explorer.diverged_mark.get_xdata()[0] == h.diverged_at
        # The curve stops at the last sane step, before the blow-up.
        assert len(y) == h.diverged_at
    assert_all_artists_finite(explorer.fig)


def test_explorer_starts_at_the_articles_rate():
    dash = LearningRateExplorer()
    # the run diverges at step 3: the shown steps end there
    assert dash.values() == {"lr": 0.05, "epochs": 300, "step": 3}
    assert "diverged at step 3" in dash.description
    assert "89.9856" in dash.description and "0.02223" in dash.description
    assert "lr·‖∇ŷ‖² = 4.499 (2 or more:" in dash.description
    assert_all_artists_finite(dash.fig)


@pytest.mark.parametrize(
    ("lr", "picture"),
    [(0.001, "(below 1:"), (0.016, "(between 1 and 2:"), (0.022, "(between 1 and 2:")],
)
def test_explorer_says_what_the_first_step_really_did(explorer, lr, picture):
    # Just below the bound the straight-line picture says the miss shrinks, yet the
    # real first step raises E: the readout says both, and which way E really went.
    explorer.update(lr=lr, epochs=300, step=300)
    first = expected_history(lr).errors[:2]
    way = "up" if first[1] > first[0] else "down"
    assert picture in explorer.description
    assert f"took E from {fmt(first[0])} to {fmt(first[1])}: {way}." in explorer.description
    assert (way == "up") == (lr == 0.022)


def test_converging_below_the_floor_is_drawn_at_the_floor(explorer):
    explorer.update(lr=0.01, epochs=300, step=300)
    h = expected_history(0.01)
    assert h.final_error == 0.0  # the run reaches an exact zero
    assert explorer.curve.get_ydata()[-1] == ERROR_FLOOR
    assert "drawn at" in explorer.description


@pytest.mark.parametrize("epochs", [10, 1000])
@pytest.mark.parametrize("lr", [LR_GRID[0], 0.0222, LR_GRID[-1]])
def test_slider_extremes_are_sane(explorer, lr, epochs):
    if lr not in LR_GRID:
        lr = min(LR_GRID, key=lambda v: abs(v - lr))
    explorer.update(lr=lr, epochs=epochs)
    assert explorer.last_error is None
    diverged_at = explorer.history(lr, epochs).diverged_at
    assert explorer.controls["step"].max == (epochs if diverged_at is None else diverged_at)
    assert_all_artists_finite(explorer.fig)
    explorer.update(step=0)
    assert explorer.last_error is None
    assert len(explorer.curve.get_xdata()) == 1
    assert_all_artists_finite(explorer.fig)


# --------------------------------------------------------------------------
# The animation: play, step, reset
# --------------------------------------------------------------------------


def test_step_control_reveals_the_curve(explorer):
    explorer.update(lr=0.016, epochs=300, step=40)
    h = expected_history(0.016)
    x, y = explorer.curve.get_data()
    np.testing.assert_array_equal(x, np.arange(41))
    np.testing.assert_array_equal(y, h.errors[:41])
    np.testing.assert_array_equal(explorer.marker.get_data()[0], [40])
    np.testing.assert_array_equal(explorer.marker.get_data()[1], [h.errors[40]])
    assert "Shown: step 40 of 300" in explorer.description
    assert explorer.player.play.value == 40


def test_play_drives_the_step_control(explorer):
    explorer.update(lr=0.02, epochs=300, step=0)
    assert explorer.player.play.max == 300
    for frame in (3, 17, 300):
        explorer.player.play.value = frame  # what the Play widget does in the browser
        assert explorer.controls["step"].value == frame
        assert len(explorer.curve.get_xdata()) == frame + 1
        assert f"Shown: step {frame} of 300" in explorer.description


def test_step_buttons(explorer):
    explorer.update(lr=0.016, epochs=300, step=10)
    explorer.player.on.click()
    assert explorer.controls["step"].value == 11 and len(explorer.curve.get_xdata()) == 12
    explorer.player.back.click()
    explorer.player.back.click()
    assert explorer.controls["step"].value == 9
    explorer.update(step=0)
    explorer.player.back.click()
    assert explorer.controls["step"].value == 0


def test_diverging_run_animates_up_to_its_last_sane_step(explorer):
    explorer.update(lr=0.05, epochs=300, step=1)
    assert len(explorer.curve.get_xdata()) == 2
    assert not explorer.diverged_mark.get_visible()  # not reached yet
    assert "Diverged at step 3" in explorer.message.value  # but said from the start
    explorer.update(step=200)
    # Nothing to show past the divergence: the shown steps end there.
    assert explorer.controls["step"].value == 3 == explorer.controls["step"].max
    assert explorer.player.play.max == 3
    assert len(explorer.curve.get_xdata()) == 3
    assert explorer.diverged_mark.get_visible()
    assert "Shown: step 3 of 300, where the run diverged" in explorer.description
    assert_all_artists_finite(explorer.fig)


def test_one_step_back_after_a_diverged_run_moves_the_figure_too(explorer):
    explorer.update(lr=0.05, epochs=1000, step=1000)
    assert explorer.controls["step"].value == 3
    explorer.player.back.click()
    assert explorer.controls["step"].value == 2
    assert not explorer.diverged_mark.get_visible()
    assert "Shown: step 2 of 1000, error" in explorer.description
    assert "step 2" in explorer.status.get_text() or "diverged" not in explorer.status.get_text()
    explorer.update(lr=0.016)  # a rate that converges: all 1000 steps again
    assert explorer.controls["step"].max == 1000


def test_play_starts_at_a_pace_a_student_can_follow(explorer):
    assert explorer.player.pace.value == "slow"
    assert explorer.player.play.step == 1 and explorer.player.play.interval >= 300


def test_epochs_change_moves_the_step_range(explorer):
    explorer.update(lr=0.016, epochs=300, step=300)
    explorer.update(epochs=500)
    assert explorer.controls["step"].max == 500 == explorer.player.play.max
    assert explorer.controls["step"].value == 500  # it was at the end, so it stays there
    assert len(explorer.curve.get_xdata()) == 501
    explorer.update(step=100)
    explorer.update(epochs=50)
    assert explorer.controls["step"].value == 50
    assert len(explorer.curve.get_xdata()) == 51
    # Both at once, the way reset and load() set them.
    explorer.update(epochs=800, step=700)
    assert explorer.controls["step"].value == 700 and len(explorer.curve.get_xdata()) == 701
    # The epochs slider on its own (not through update) also moves the range.
    explorer.controls["epochs"].value = 200
    assert explorer.controls["step"].max == 200
    assert len(explorer.curve.get_xdata()) == 201


def test_reset_and_state_line(explorer):
    explorer.update(lr=0.02, epochs=120, step=7)
    line = explorer.state()
    assert line == "lr=0.02 epochs=120 step=7"
    explorer.reset()
    assert explorer.values() == {"lr": 0.05, "epochs": 300, "step": 3}
    explorer.load(line)
    assert explorer.values() == {"lr": 0.02, "epochs": 120, "step": 7}
    assert len(explorer.curve.get_xdata()) == 8


def test_widget_shows_every_control(explorer):
    children = explorer.widget.children
    shown = [w for box in children[:2] for w in box.children]
    for control in (*explorer.controls.values(), *explorer.player.row, explorer.reset_button):
        assert control in shown
    assert explorer.fig.canvas in children or any(
        getattr(w, "outputs", None) is not None for w in children
    )


# --------------------------------------------------------------------------
# The sweep and its regimes
# --------------------------------------------------------------------------


def test_sweep_regimes_are_three_stretches_in_order(explorer):
    regimes = explorer.regimes
    assert [r for r, _lo, _hi in regimes.runs] == ["converges", "neither", "diverges"]
    assert 0.016 <= regimes.last("converges") < 0.017
    assert 0.016 < regimes.first("neither") <= 0.017
    assert 0.029 <= regimes.last("neither") < 0.030
    assert 0.029 < regimes.first("diverges") <= 0.030
    # The bound at the start lies inside "neither": it is not where training stops converging.
    assert regimes.regime_of(explorer.bound) == "neither"
    text = regimes.describe()
    assert "800 learning rates, 300 steps each" in text
    assert "converges" in text and "diverges" in text


def test_classification_agrees_with_train_rate_by_rate(explorer):
    regimes = explorer.regimes
    for r in range(0, len(regimes.lrs), 37):
        lr = float(regimes.lrs[r])
        h = expected_history(lr)
        label = regimes.labels[r]
        if h.diverged_at is not None:
            assert label == "diverges", lr
        elif h.final_error < regimes.tiny:
            assert label == "converges", lr
        else:
            assert label == "neither", lr


def test_classify_rates_handles_any_order_and_threshold():
    lrs = np.array([0.05, 0.001, 0.02, 0.01])
    sweep = sweep_learning_rates(EX.layers, EX.x, EX.target, lrs, 200)
    regimes = classify_rates(sweep, tiny=1e-10)
    np.testing.assert_array_equal(regimes.lrs, np.sort(lrs))
    assert list(regimes.labels) == ["converges", "converges", "neither", "diverges"]
    assert regimes.runs == [
        ("converges", 0.001, 0.01),
        ("neither", 0.02, 0.02),
        ("diverges", 0.05, 0.05),
    ]
    assert regimes.first("missing") is None
    everything = classify_rates(sweep, tiny=np.inf)
    assert "neither" not in set(everything.labels)


def test_sweep_panel_draws_what_the_sweep_computed(explorer):
    sweep = explorer.sweep
    sane = ~sweep.diverged
    x, y = explorer.sweep_line.get_data()
    np.testing.assert_array_equal(x, sweep.lrs[sane])
    np.testing.assert_array_equal(y, np.maximum(sweep.final_errors[sane], ERROR_FLOOR))
    assert_crosses_mark(explorer, sweep.lrs[sweep.diverged])
    assert sweep.diverged.sum() > 100
    np.testing.assert_array_equal(explorer.bound_line.get_xdata(), [explorer.bound] * 2)
    assert "0.0222" in explorer.bound_text.get_text()
    spans = [
        (regime, span.get_x(), span.get_x() + span.get_width()) for regime, span in explorer.spans
    ]
    assert [s[0] for s in spans] == [r for r, _lo, _hi in explorer.regimes.runs]
    for (_r, lo, hi), (_r2, lo2, hi2) in zip(spans, explorer.regimes.runs):
        assert lo == pytest.approx(lo2) and hi == pytest.approx(hi2)
    assert set(explorer.regime_text) == {"converges", "neither", "diverges"}
    assert_all_artists_finite(explorer.fig)


# --------------------------------------------------------------------------
# The matrix-form checker
# --------------------------------------------------------------------------


def pieces():
    trace = forward(EX.layers, EX.x)
    h = trace.hidden[0]
    delta = trace.output - EX.target
    return h, EX.x, delta, EX.layers[1].W


def test_expected_gradients_match_the_scalar_formulas():
    hidden, out = expected_matrix_gradients()
    assert hidden.shape == (2, 2) and out.shape == (2, 1)
    np.testing.assert_allclose(out[:, 0], [-15.00576, -3.144064], rtol=1e-12)
    # W_hidden = [[w1, w3], [w2, w4]]
    np.testing.assert_allclose(hidden, [[-3.286976, -2.286592], [-4.930464, -3.429888]], rtol=1e-12)


def test_checker_not_done():
    for placeholder in (None, ...):
        verdict = check_matrix_gradients(placeholder, placeholder)
        assert verdict.ok is None and "Not done yet" in repr(verdict)
    h, x, delta, W_out = pieces()
    half = check_matrix_gradients(None, np.outer(h, delta))
    assert half.ok is None
    assert "Correct: ∂E/∂W_out" in repr(half) and "Not done yet" in repr(half)


def test_checker_correct():
    h, x, delta, W_out = pieces()
    verdict = check_matrix_gradients(np.outer(x, W_out @ delta), np.outer(h, delta))
    assert verdict.ok is True and repr(verdict).startswith("✓ Correct")
    # Any way of writing the same numbers is right.
    verdict = check_matrix_gradients(
        x[:, None] * (delta * W_out[:, 0])[None, :], h[:, None] * delta
    )
    assert verdict.ok is True


@pytest.mark.parametrize(
    "make, expect",
    [
        # transposes: the (1, 2) output gradient and the square hidden one
        (lambda h, x, d, W: (np.outer(x, W @ d), np.outer(d, h)), "W_out is transposed"),
        (lambda h, x, d, W: (np.outer(W @ d, x), np.outer(h, d)), "W_hidden is transposed"),
        # wrong shapes
        (lambda h, x, d, W: (np.outer(x, W @ d), h * d), "right numbers but shape (2,)"),
        (lambda h, x, d, W: (np.outer(x, W @ d).ravel(), np.outer(h, d)), "shape (4,)"),
        (lambda h, x, d, W: (np.ones((3, 2)), np.outer(h, d)), "must have the shape"),
        # typical slips
        (lambda h, x, d, W: (np.outer(h, W @ d), np.outer(h, d)), "It uses h"),
        (lambda h, x, d, W: (np.outer(x, W @ d), np.outer(x, d)), "It uses the inputs x"),
        (lambda h, x, d, W: (np.outer(x, W[:, 0]), np.outer(h, d)), "missing the factor δ"),
        (lambda h, x, d, W: (np.outer(x, [d[0], d[0]]), np.outer(h, d)), "missing W_out"),
        (lambda h, x, d, W: (np.outer(x, W @ d), -np.outer(h, d)), "wrong sign"),
        (lambda h, x, d, W: (np.outer(x, W @ d), "abc"), "array of numbers"),
    ],
)
def test_checker_explains_typical_mistakes(make, expect):
    hidden, out = make(*pieces())
    verdict = check_matrix_gradients(hidden, out)
    assert verdict.ok is False
    assert expect in repr(verdict), repr(verdict)


def test_checker_works_for_another_example():
    other = EX.with_weights(w1=-0.5, w5=1.5)
    hidden, out = expected_matrix_gradients(other)
    assert check_matrix_gradients(hidden, out, example=other).ok is True
    assert check_matrix_gradients(hidden, out).ok is False  # not the worked example's numbers


# --------------------------------------------------------------------------
# The flattest solution: why "converges" ends near 0.017
# --------------------------------------------------------------------------


def test_largest_bound_at_target_is_reached_and_never_passed():
    best = largest_bound_at_target(EX.x, EX.target)
    assert best == pytest.approx(1 / (np.sqrt(8**2 + 12**2) * 4), rel=1e-12)
    assert round(best, 4) == 0.0173
    # Weights built to reach it: h along W_out, with ‖h‖ = ‖x‖·‖W_out‖.
    x, y = EX.x, float(EX.target[0])
    u = np.array([0.6, 0.8])
    W_out = np.sqrt(y / np.linalg.norm(x)) * u
    h = np.linalg.norm(x) * W_out
    layers = [Layer(np.outer(x, h) / (x @ x)), Layer(W_out[:, None])]
    assert forward(layers, x).output[0] == pytest.approx(y, rel=1e-12)
    assert stability_bound(layers, x) == pytest.approx(best, rel=1e-12)
    # Random weights rescaled to hit the target never do better.
    rng = np.random.default_rng(7)
    for _ in range(200):
        W_hidden, W_out = rng.normal(size=(2, 2)), rng.normal(size=(2, 1))
        y_hat = (x @ W_hidden @ W_out)[0]
        layers = [Layer(W_hidden), Layer(W_out * y / y_hat)]
        assert forward(layers, x).output[0] == pytest.approx(y, rel=1e-9)
        assert stability_bound(layers, x) <= best * (1 + 1e-12)
    # Training stops converging just below it.
    explorer_regimes = classify_rates(
        sweep_learning_rates(EX.layers, EX.x, EX.target, np.geomspace(0.01, 0.03, 200), 300)
    )
    assert explorer_regimes.last("converges") < best


def test_a_run_that_converges_ends_where_its_rate_is_stable():
    for lr in (0.01, 0.016):
        run = expected_history(lr)
        assert stability_bound(run.layers, EX.x) >= lr
    # and a rate just below the starting bound ends where the bound is below it
    run = expected_history(0.022)
    assert stability_bound(run.layers, EX.x) < 0.022 < stability_bound(EX.layers, EX.x)


@pytest.mark.parametrize("lr", [0.001, 0.01, 0.022, 0.024, 0.03, 0.1])
def test_axis_labels_stay_clear_of_the_tick_labels(lr):
    """The labels are placed once (for speed); whatever frame a rate gets, they
    keep at least matplotlib's own gap from the tick labels."""
    explorer = LearningRateExplorer()
    explorer.update(lr=lr)
    fig = explorer.fig
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    pad = 4.0 * fig.dpi / 72 - 0.5
    for ax in (explorer.ax_run, explorer.ax_sweep):
        lo, hi = sorted(ax.get_ylim())
        ticks = [
            t.get_window_extent(r)
            for loc, t in zip(ax.yaxis.get_majorticklocs(), ax.get_yticklabels())
            if lo <= loc <= hi and t.get_text()
        ]
        label = ax.yaxis.label.get_window_extent(r)
        assert min(t.x0 for t in ticks) - label.x1 >= pad
        assert label.x0 >= 0
        x_ticks = [t.get_window_extent(r) for t in ax.get_xticklabels() if t.get_text()]
        assert min(t.y0 for t in x_ticks) - ax.xaxis.label.get_window_extent(r).y1 >= pad
    # The "lr" label riding on the sweep panel's top edge stays under its title.
    title = explorer.ax_sweep.get_title(loc="left")
    title_box = next(
        t
        for t in explorer.ax_sweep.texts + [explorer.ax_sweep._left_title]
        if t.get_text() == title
    ).get_window_extent(r)
    assert explorer.lr_text.get_window_extent(r).y1 <= title_box.y0


# --------------------------------------------------------------------------
# What the figures must say (run by test_figure_agrees.py)
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# Notebook 05: the learning-rate explorer
# --------------------------------------------------------------------------


def last_sane_errors(errors):
    """Each row's last finite error (training stops a diverged row at nan)."""
    finite = np.isfinite(errors)
    last = np.array([np.flatnonzero(row)[-1] for row in finite])
    return errors[np.arange(len(errors)), last]


def check_sweep_panel(d):
    """The sweep of learning rates (right panel), recomputed with sweep_learning_rates."""
    ex = d.example
    choices = [value for _label, value in d.controls["lr"].options]
    n_rates, sweep_epochs = len(d.sweep.lrs), d.sweep.errors.shape[1] - 1
    lrs = np.geomspace(min(choices), max(choices), n_rates)
    sweep = sweep_learning_rates(ex.layers, ex.x, ex.target, lrs, sweep_epochs, ex.activation)
    diverged = sweep.diverged_at >= 0
    final = last_sane_errors(sweep.errors)
    ax = d.ax_sweep

    assert ax.get_title(loc="left") == f"{n_rates} learning rates"
    assert ax.get_ylabel() == f"error after {sweep_epochs} steps"
    assert_data(d.sweep_line, lrs[~diverged], np.maximum(final, ERROR_FLOOR)[~diverged])
    assert_crosses_mark(d, lrs[diverged])

    # The regimes: diverged, final error below `tiny`, or neither; one span per stretch.
    tiny = d.regimes.tiny
    labels = np.where(diverged, "diverges", np.where(final < tiny, "converges", "neither"))
    stretches, start = [], 0
    for r in range(1, len(lrs) + 1):
        if r == len(lrs) or labels[r] != labels[start]:
            stretches.append((str(labels[start]), lrs[start], lrs[r - 1]))
            start = r
    drawn = [(regime, s.get_x(), s.get_x() + s.get_width()) for regime, s in d.spans]
    assert [r for r, *_ in drawn] == [r for r, *_ in stretches]
    for (_r, lo, hi), (_s, x0, x1) in zip(stretches, drawn):
        assert (x0, x1) == pytest.approx((lo, hi), rel=REL)
    assert sorted(d.regime_text) == sorted(set(labels))
    for regime, text in d.regime_text.items():
        assert_text(text, regime)
        x = text.get_position()[0]
        assert any(r == regime and lo <= x <= hi for r, lo, hi in stretches), (regime, x)

    bound = stability_bound(ex.layers, ex.x, ex.activation)
    assert_text(d.bound_text, f" 2/‖∇ŷ‖² = {fmt(bound, 3)}")
    assert d.bound_text.get_position()[0] == pytest.approx(bound, rel=REL)
    assert np.asarray(d.bound_line.get_xdata(), dtype=float) == approx([bound, bound])


@oracle("l05_matrix_form.LearningRateExplorer")
def explorer_shows(d):
    """The run panel shows train() at the current lr up to the shown step; the sweep panel
    shows sweep_learning_rates() with its regimes and the bound 2/‖∇ŷ‖²."""
    values = d.values()
    lr, epochs = float(values["lr"]), int(values["epochs"])
    step = min(int(values["step"]), epochs)
    ex = d.example
    h = train(ex.layers, ex.x, ex.target, lr, epochs, ex.activation)
    diverged_at = h.diverged_at
    shown = min(step, len(h.errors) - 1)  # a diverged run is drawn up to its last sane step
    drawn = np.maximum(h.errors, ERROR_FLOOR)  # a log axis shows an exact 0 at the floor

    # The curve, the marker on the shown step, and a frame that shows them.
    assert_data(d.curve, np.arange(shown + 1), drawn[: shown + 1])
    assert point_of(d.marker) == pytest.approx((shown, drawn[shown]), rel=REL)
    assert_within(d.ax_run, drawn[: shown + 1])
    left, right = d.ax_run.get_xlim()
    assert left == 0
    if diverged_at is None:
        assert right == pytest.approx(epochs, rel=REL)
    else:  # about twice the run, kept while it shows the run and is not 2.5x too wide
        assert diverged_at < right <= min(epochs, 2.5 * nice_ceiling(max(10, 2 * diverged_at)))
    assert d.ax_run.get_title(loc="left") == "Training at this learning rate"

    # Divergence: a dotted line, a cross and the words, once the shown step reaches it.
    here = diverged_at is not None and step >= diverged_at
    assert d.diverged_line.get_visible() == here
    assert d.diverged_mark.get_visible() == here
    if here:
        assert np.asarray(d.diverged_line.get_xdata(), dtype=float) == approx([diverged_at] * 2)
        assert float(d.diverged_mark.get_xdata()[0]) == diverged_at
    status = f"lr = {lr:g}" + (f"\ndiverged at step {diverged_at}" if here else "")
    assert_text(d.status, status)
    if diverged_at is None:
        assert d.message.value == ""
    else:
        said = (
            f"Diverged at step {diverged_at}: the error passed {fmt(h.max_error)} (it was "
            f"{fmt(h.errors[-1])} at step {diverged_at - 1})."
        )
        assert html.escape(said) in d.message.value, d.message.value

    # The current rate on the sweep panel.
    assert np.asarray(d.lr_line.get_xdata(), dtype=float) == approx([lr, lr])
    assert d.lr_text.get_position()[0] == pytest.approx(lr, rel=REL)
    assert_text(d.lr_text, "lr")
    check_sweep_panel(d)


def assert_crosses_mark(d, diverged_lrs):
    """The crosses along the sweep's top mark the diverged rates, spread out: each is
    a diverged rate, the first and last are there, every diverged rate is near one,
    and no two are so close that they run together."""
    crosses = np.asarray(d.sweep_diverged.get_xdata(), dtype=float)
    if len(diverged_lrs) == 0:
        assert crosses.size == 0
        return
    lo, hi = d.ax_sweep.get_xlim()
    room = np.log10(hi / lo) / 45
    assert np.isin(crosses, diverged_lrs).all()
    assert crosses[0] == diverged_lrs[0] and crosses[-1] == diverged_lrs[-1]
    gaps = np.diff(np.log10(crosses))
    assert (gaps >= room).all(), gaps.min()
    nearest = np.abs(np.log10(diverged_lrs)[:, None] - np.log10(crosses)[None, :]).min(axis=1)
    assert (nearest <= 2 * room).all()


def test_spread_out_keeps_the_ends_and_a_gap():
    lrs = np.geomspace(0.03, 0.1, 200)
    kept = spread_out(lrs, 0.05)
    assert kept[0] == lrs[0] and kept[-1] == lrs[-1]
    assert (np.diff(np.log10(kept)) >= 0.05 - 1e-12).all()
    assert spread_out([], 0.05).size == 0
    assert list(spread_out([0.05], 0.05)) == [0.05]


def test_the_smallest_and_largest_rate_lines_stay_inside_the_frame(explorer):
    lo, hi = explorer.ax_sweep.get_xlim()
    assert lo < min(LR_GRID) and max(LR_GRID) < hi
