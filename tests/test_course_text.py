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
