"""What the notebooks' text says where students stumbled: one name for each source
article, notation explained where it first appears, each idea in the notebook
that teaches it, and sentences that match what the figures show."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ALL = sorted(NOTEBOOKS.glob("0*.ipynb"))


def prose(name: str) -> list[str]:
    """The markdown cells of a notebook, each on one line (line breaks as spaces)."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return [" ".join(c.source.split()) for c in nb.cells if c.cell_type == "markdown"]


def one(name_start: str) -> str:
    (path,) = [p for p in ALL if p.name.startswith(name_start)]
    return path.name


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_the_source_articles_have_one_name_each(path):
    """The index names them *the article* and *the second article*; the notebooks
    call them nothing else ("original", "source", "first", "tutorial" article)."""
    text = " ".join(prose(path.name))
    mentions = re.findall(r"(\w+)\s+article", text, flags=re.I)
    assert mentions or path.name[:2] in ("02", "03"), f"{path.name} names no article"
    allowed = {"the", "second", "The"}
    if path.name.startswith("00"):
        allowed |= {"tutorial"}  # "a well-known tutorial article": where it is introduced
    odd = sorted({m for m in mentions if m not in allowed})
    assert not odd, f"{path.name} calls a source article: {odd}"
    if path.name[:2] in ("06", "07"):  # these start from the second article's network
        plain = [m for m in mentions if m.lower() == "the"]
        assert not plain, f"{path.name} says 'the article' where it means the second one"


def test_the_index_introduces_both_names():
    text = " ".join(prose(one("00")))
    assert "(*the article*" in text and "(*the second article*)" in text


def test_partial_derivative_and_gradient_are_explained_where_they_first_appear():
    """The first ∂ in a lesson (03; the index only lists what 03 covers) comes
    with what it means and what "gradient" means; 01 and 02, before it, use
    neither the curly ∂ nor the chain rule as a tool they have not taught."""
    first = next(c for c in prose(one("03")) if "∂" in c)
    assert "*gradient*" in first and "every other weight stays fixed" in first
    for cell in prose(one("01")) + prose(one("02")):
        assert "∂" not in cell, cell[:120]
        assert not re.search(r"\bby the chain rule\b", cell), cell[:120]


def test_the_stability_bound_is_taught_in_05_not_at_the_end_of_03():
    in_03 = " ".join(prose(one("03")))
    assert "∇" not in in_03
    assert "more than twice a safe step" in in_03
    in_05 = " ".join(prose(one("05")))
    assert "2/‖∇ŷ‖²" in in_05 and "The miss after the step is then about" in in_05


def test_02_points_to_what_its_figure_shows():
    """The dot is watched on the left panel, where E's parabola is drawn to scale,
    and no question asks why two dots sit "at the same height" on axes of
    different scales."""
    text = " ".join(prose(one("02")))
    assert "slide down the parabola on the left" in text
    assert "slide down the curve on the right" not in text
    assert "same height" not in text


def test_06_says_how_fast_the_error_falls_as_its_table_shows():
    """'By a factor of 2 to 3 at each of the first steps, and by a little less than
    2 by step 10': what the training table's column "÷ step before" shows."""
    from helpers.examples import RELU_EXAMPLE
    from helpers.lessons.l06_activations_and_biases import training_steps

    assert "falls by a factor of 2 to 3 at each of the first steps" in " ".join(prose(one("06")))
    rows = training_steps(RELU_EXAMPLE, 10)
    falls = [before["E"] / after["E"] for before, after in zip(rows, rows[1:])]
    assert all(2 <= f <= 3 for f in falls[:3]), falls
    assert 1.8 < falls[-1] < 2, falls


def lecturers_note(name_start: str, words: str) -> str:
    """The lecturer's note (a cell tagged slides-notes) of a notebook that says ``words``."""
    nb = nbformat.read(NOTEBOOKS / one(name_start), as_version=4)
    notes = [
        " ".join(c.source.split())
        for c in nb.cells
        if "slides-notes" in c.metadata.get("tags", []) and words in " ".join(c.source.split())
    ]
    assert len(notes) == 1, f"{one(name_start)}: {len(notes)} lecturer's notes say {words!r}"
    return notes[0]


def test_the_lecturers_notes_give_the_numbers_the_helpers_compute():
    """A lecturer's note is markdown, written by hand: its numbers are checked here
    against what the helpers compute, so that a change to the example shows up."""
    from helpers.examples import DEEP_PROBLEM, RELU_EXAMPLE, WORKED_EXAMPLE, XorProblem
    from helpers.lessons.l03_chain_rule_output_weights import step_regime
    from helpers.lessons.l07_deeper_networks import gradient_norms
    from helpers.network import backward, forward, sgd_step, train
    from helpers.plots import fmt

    ex = WORKED_EXAMPLE
    before = forward(ex.layers, ex.x)
    h2 = before.hidden[0][1]

    # 03: ten times the rate along w6 (curvature h2²): an overshoot that still lowers E.
    ratio = 10 * ex.lr * h2**2
    note = lecturers_note("03", "ten times the rate")
    assert f"lr·h2² is about {ratio:.2f}: an overshoot that still lowers the error" in note
    assert step_regime(ratio)[1].endswith("yet the error still falls")
    assert "that needs lr·h2² above 2" in note
    assert "grows the error" in step_regime(2.001)[1] and "falls" in step_regime(1.999)[1]

    # 04: one step at the article's rate takes ŷ from 2.21 to 13.92, past the target 4.
    grads = backward(ex.layers, before, ex.target)
    after = forward(sgd_step(ex.layers, grads, ex.lr), ex.x).output[0]
    note = lecturers_note("04", "closer or further away")
    said = f"at lr = {ex.lr:g} it jumps from {before.output[0]:.2f} to {after:.2f}"
    assert said in note and f"from the target {ex.target[0]:g}" in note
    assert abs(after - ex.target[0]) > abs(before.output[0] - ex.target[0])

    # 05: E goes 1.6 → 49 in step 1 and past 10⁵ in step 2.
    errors = train(ex.layers, ex.x, ex.target, ex.lr, 2).errors
    note = lecturers_note("05", "Most guess about 100")
    assert f"from {fmt(errors[0], 2)} → {errors[1]:.0f}" in note
    assert "it is more than 10⁵" in note and errors[2] > 1e5

    # 06: h2 switches off once w2 · x + b2 ≤ 0, i.e. w2 below −b2 / x.
    relu = RELU_EXAMPLE
    edge = -relu.layers[0].b[1] / relu.x[0]
    note = lecturers_note("06", "turn grey")
    assert f"down past {fmt(edge, 1)}" in note
    assert relu.named["w2"] > edge

    # 07: sigmoid on ten layers; the single layer on XOR.
    norms = gradient_norms(
        DEEP_PROBLEM.layers(10),
        DEEP_PROBLEM.x,
        DEEP_PROBLEM.target,
        DEEP_PROBLEM.activations(10, "sigmoid"),
    )
    shrink = norms[0] / norms[-1]
    note = lecturers_note("07", "Sigmoid's slope is at most 0.25")
    assert shrink < 1e-3 and "more than 1000 times smaller" in note
    assert f"about 10{'⁻⁷'} of the last one's" in note
    assert 10**-7.5 <= shrink < 10**-6.5, shrink
    xor = XorProblem()
    single = xor.outputs(xor.history[1][-1])
    note = lecturers_note("07", "no straight line separates")
    assert "it settles at 0.5 on all four points" in note
    assert all(abs(o - 0.5) < 0.05 for o in single.ravel()), single
