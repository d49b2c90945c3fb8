"""helpers.diagram: the scene the browser draws, and the network diagram on it."""

import xml.etree.ElementTree as ET

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pytest

from helpers.diagram import ARROW, NetworkDiagram, Scene
from helpers.examples import WORKED_EXAMPLE
from helpers.network import Layer, backward, forward, layers_from_sizes
from helpers.plots import COLORS, apply_style


@pytest.fixture(autouse=True)
def _style():
    with mpl.rc_context():
        yield


def parse(scene):
    """The scene's markup as an XML tree: it must be well-formed to be parsed at all."""
    return ET.fromstring(scene.markup())


def label_texts(scene):
    root = parse(scene)
    return [div.text for div in root.iter("div") if div.get("class") == "bp-label"]


def shapes(scene):
    svg = parse(scene).find("svg")
    return [e for e in svg if e.tag != "defs"]


# -- Scene --------------------------------------------------------------------------


def test_scene_maps_data_to_pixels_like_an_axes():
    scene = Scene(4.0, 2.0, xlim=(-1, 1), ylim=(0, 10))
    assert (scene.width_px, scene.height_px) == (400, 200)
    assert scene.to_pixels(-1, 10) == (0, 0)  # top left
    assert scene.to_pixels(1, 0) == (400, 200)  # bottom right
    assert scene.to_pixels(0, 5) == (200, 100)


def test_scene_grows_with_the_text_scale():
    apply_style(1.6)
    scene = Scene(4.0, 2.0)
    assert (scene.width_px, scene.height_px) == (640, 320)
    circle = scene.circle(0.5, 0.5, radius=10)
    (shape,) = shapes(scene)
    assert float(shape.get("r")) == pytest.approx(10 * 100 / 72 * 1.6, abs=0.01)
    assert circle.radius == 10


def test_markup_holds_every_visible_item_in_order():
    scene = Scene(4.0, 2.0)
    scene.line([0, 1], [0, 1], color="red", zorder=3)
    scene.circle(0.5, 0.5, radius=5, zorder=2)
    hidden = scene.line([0, 1], [1, 0], zorder=1)
    scene.text(0.5, 0.5, "first", zorder=6)
    scene.text(0.2, 0.2, "second", zorder=5)
    scene.text(0.2, 0.2, "")  # empty labels draw nothing
    hidden.set_visible(False)
    assert [s.tag for s in shapes(scene)] == ["circle", "polyline"]  # by zorder
    assert label_texts(scene) == ["second", "first"]


def test_labels_are_escaped_not_interpreted():
    scene = Scene()
    scene.text(0.5, 0.5, "<b>a & b</b>")
    assert label_texts(scene) == ["<b>a & b</b>"]
    assert "<b>" not in scene.markup()


def test_label_alignment_and_box():
    scene = Scene(4.0, 2.0)
    scene.text(0.5, 0.5, "x", ha="left", va="bottom", box={"fc": "white", "ec": "orange"})
    (div,) = [d for d in parse(scene).iter("div") if d.get("class") == "bp-label"]
    style = div.get("style")
    assert "left:200px" in style and "top:100px" in style
    assert "translate(0,-100%)" in style
    assert "border:" in style and "background:" in style


def test_label_rejects_unknown_alignment_and_size():
    scene = Scene()
    with pytest.raises(ValueError, match="ha must be"):
        scene.text(0, 0, "x", ha="middle")
    with pytest.raises(ValueError, match="unknown font size"):
        scene.text(0, 0, "x", size="huge")


def test_flush_sends_markup_only_when_the_picture_changed():
    scene = Scene()
    label = scene.text(0.5, 0.5, "one")
    assert scene.flush()
    assert "one" in scene.widget.value
    assert not scene.flush()
    label.set_text("two")
    assert scene.flush()
    assert "two" in scene.widget.value and "one" not in scene.widget.value
    assert "bp-scene" in scene.widget._dom_classes


def test_problems_names_what_is_undefined():
    scene = Scene()
    scene.text(0.5, 0.5, "w = 1")
    assert scene.problems() == []
    bad = scene.text(0.5, 0.5, "w = nan")
    line = scene.line([0, 1], [0, np.inf])
    assert len(scene.problems()) == 2
    bad.set_visible(False)
    line.set_visible(False)
    assert scene.problems() == []


# -- NetworkDiagram ------------------------------------------------------------------


def diagram(sizes=(2, 2, 1), **kwargs):
    return NetworkDiagram(Scene(6.4, 3.2, xlim=(-0.12, 1.12), ylim=(-1.3, 1.3)), sizes, **kwargs)


def hexes(group):
    return [mcolors.to_hex(c) for c in group.get_colors()]


def test_diagram_has_a_label_for_every_unit_and_weight():
    d = diagram()
    assert set(d.node_text) == {"i1", "i2", "h1", "h2", "ŷ"}
    assert list(d.edge_text) == ["w1", "w2", "w3", "w4", "w5", "w6"]
    assert len(d.lines.get_segments()) == 6


def test_edges_join_the_units_the_weights_name():
    d = diagram()
    joins = {
        "w1": ("i1", "h1"),
        "w2": ("i2", "h1"),
        "w3": ("i1", "h2"),
        "w4": ("i2", "h2"),
        "w5": ("h1", "ŷ"),
        "w6": ("h2", "ŷ"),
    }
    scene = d.scene
    rim = d.nodes.get_radii()[0] * 100 / 72 + 1
    arrow = ARROW * 100 / 72
    for segment, (source, target) in zip(d.lines.get_segments(), joins.values()):
        # From the source's centre towards the target, ending an arrowhead short of its rim.
        start, end = (np.array(scene.to_pixels(*p)) for p in segment)
        a, b = (np.array(scene.to_pixels(*d.pos[u])) for u in (source, target))
        np.testing.assert_allclose(start, a, atol=1e-9)
        assert np.hypot(*(b - end)) == pytest.approx(rim + arrow)
        direction = (b - a) / np.hypot(*(b - a))
        assert (end - a) @ direction == pytest.approx(np.hypot(*(end - a)))  # on the line
    heads = parse(scene).find("svg").find("defs")
    assert [m.tag for m in heads] == ["marker"]  # one arrowhead, in the edges' blue
    assert all(s.get("marker-end") for s in shapes(scene) if s.tag == "polyline")


def test_units_are_drawn_over_the_edges_and_labels_over_both():
    d = diagram()
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    d.scene.flush()
    tags = [s.tag for s in shapes(d.scene)]
    assert tags == ["polyline"] * 6 + ["circle"] * 5
    assert len(label_texts(d.scene)) == 5 + 6


def test_update_shows_the_forward_pass_of_the_worked_example():
    d = diagram()
    trace = d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert float(trace.output[0]) == pytest.approx(2.2136)
    assert d.node_text["i1"].get_text() == "i1\n8"
    assert d.node_text["h1"].get_text() == "h1\n8.4"
    assert d.node_text["h2"].get_text() == "h2\n1.76"
    assert d.node_text["ŷ"].get_text() == "ŷ\n2.214"
    assert d.edge_text["w1"].get_text() == "w1=0.21"
    assert d.edge_text["w6"].get_text() == "w6=0.16"
    assert not d.glow.get_visible()
    assert "ŷ\n2.214" in label_texts(d.scene)


def test_edge_width_follows_size_and_colour_follows_sign():
    d = diagram()
    layers = [Layer([[0.1, -0.9], [0.5, 0.0]]), Layer([[-0.3], [2.0]])]
    d.update(layers, [1.0, 1.0])
    w = d.lines.get_linewidths()
    # order w1..w6 = 0.1, 0.5, −0.9, 0.0, −0.3, 2.0
    assert w[2] > w[1] > w[4] > w[0] > w[3]
    assert w[3] == pytest.approx(0.6)  # a zero weight is still drawn, thinly
    assert w[5] == pytest.approx(d.max_width)  # |w| ≥ weight_scale is drawn at full width
    pos, neg = COLORS["positive"].lower(), COLORS["negative"].lower()
    assert hexes(d.lines) == [pos, pos, neg, pos, neg, pos]
    d.update(layers, [1.0, 1.0], weight_scale=4.0)
    assert d.lines.get_linewidths()[5] < d.max_width
    # The markup draws what the groups hold.
    widths = [float(s.get("stroke-width")) for s in shapes(d.scene) if s.tag == "polyline"]
    np.testing.assert_allclose(widths, d.lines.get_linewidths() * 100 / 72, atol=0.01)


def test_gradients_are_labelled_and_drawn_as_a_glow():
    d = diagram(gradients=True)
    trace = forward(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    grads = backward(WORKED_EXAMPLE.layers, trace, WORKED_EXAMPLE.target)
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x, grads=grads)
    assert d.glow.get_visible()
    assert d.edge_text["w5"].get_text() == "w5=0.23\n∂E/∂w5=−15.01"
    assert d.edge_text["w4"].get_text() == "w4=0.02\n∂E/∂w4=−3.43"
    glow = np.asarray(d.glow.get_linewidths())
    lines = np.asarray(d.lines.get_linewidths())
    # The glow is widest on w5, whose gradient is the largest (−15.00576).
    assert np.argmax(glow - lines) == 4
    assert (glow - lines)[4] == pytest.approx(12.0)
    assert len(shapes(d.scene)) == 6 + 6 + 5
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert not d.glow.get_visible()
    assert len(shapes(d.scene)) == 6 + 5
    assert "∂E" not in d.edge_text["w5"].get_text()


def test_relu_shows_z_and_greys_out_dead_units():
    d = diagram((1, 2, 2), show_z=True)
    layers = [Layer([[1.0, -1.0]], [0.1, 0.1]), Layer([[1.0, 0.5], [0.3, 0.2]], [0.1, 0.1])]
    d.update(layers, [2.0], activation="relu")
    assert d.node_text["h1"].get_text() == "h1\nz=2.1\nf=2.1"
    assert d.node_text["h2"].get_text() == "h2\nz=−1.9\nf=0"
    faces = [mcolors.to_hex(c) for c in d.nodes.get_facecolors()]
    order = ["i1", "h1", "h2", "ŷ1", "ŷ2"]
    assert faces[order.index("h2")] == mcolors.to_hex(COLORS["dead"])
    assert faces[order.index("h1")] == mcolors.to_hex(COLORS["node"])
    # Three lines need a larger circle than two.
    assert d.nodes.get_radii()[0] > diagram().nodes.get_radii()[0]


def test_linear_network_with_show_z_shows_plain_values():
    d = diagram(show_z=True)
    d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    assert d.node_text["h1"].get_text() == "h1\n8.4"


def test_deep_diagram_fits_its_scene():
    sizes = [2, 4, 4, 3, 1]
    d = diagram(sizes, edge_labels=False)
    assert d.edge_text == {}
    d.update(layers_from_sizes(sizes, bias=None), [1.0, -1.0])
    radius_px = d.nodes.get_radii()[0] * 100 / 72
    for x, y in d.pos.values():
        px, py = d.scene.to_pixels(x, y)
        assert radius_px <= px <= d.scene.width_px - radius_px
        assert radius_px <= py <= d.scene.height_px - radius_px
    assert len(d.lines.get_segments()) == 2 * 4 + 4 * 4 + 4 * 3 + 3 * 1


def test_huge_weights_give_finite_widths():
    d = diagram()
    d.update([Layer([[1e6, -1e6], [0.0, 3.0]]), Layer([[1e6], [-1e6]])], [1.0, 1.0])
    assert np.all(np.isfinite(d.lines.get_linewidths()))
    assert d.node_text["ŷ"].get_text() == "ŷ\n2·10¹²"
    assert d.scene.problems() == []


def test_a_still_scene_is_a_picture_with_the_same_texts():
    """Shown on its own (not in a dashboard) a scene is a PNG, which every notebook
    viewer shows, trusted or not, drawn by matplotlib from the same items."""
    import base64
    import io

    from PIL import Image

    d = diagram(gradients=True)
    trace = forward(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
    d.update(
        WORKED_EXAMPLE.layers,
        WORKED_EXAMPLE.x,
        grads=backward(WORKED_EXAMPLE.layers, trace, WORKED_EXAMPLE.target),
    )
    bundle = d.scene._repr_mimebundle_()
    assert set(bundle) == {"image/png", "text/plain"}
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.size == (d.scene.width_px, d.scene.height_px)
    fig = d.scene.to_figure()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == d.scene.texts()
    assert len(ax.lines) == len([s for s in d.scene.shapes if s.get_visible()])
    assert "ŷ 2.214" in bundle["text/plain"]


def test_svg_is_the_same_on_every_run_and_holds_every_label():
    """The SVG saved in a notebook is compared character by character by nbval:
    two scenes drawn alike give the same text (no date, no random ids)."""

    def drawn():
        d = diagram()
        d.update(WORKED_EXAMPLE.layers, WORKED_EXAMPLE.x)
        return d.scene

    scene = drawn()
    svg = scene.svg()
    assert svg == drawn().svg()
    root = ET.fromstring(svg)  # a standalone, well-formed SVG document
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in scene.texts():
        for word in label.split():
            assert word in texts
    assert "Matplotlib" not in svg and "<dc:date>" not in svg


# -- edge labels beside their edges ----------------------------------------------------


def _label_clashes(d):
    """Every edge label (its estimated box) that meets an edge at its widest glow,
    a unit, another label, or the scene's border."""
    from helpers.diagram import GAP, GLOW, PX, _circle_meets_rect, _segment_meets_rect

    s = d.scene
    half = (d.max_width + GLOW) / 2 * PX
    found = []
    for wname, label in d.edge_text.items():
        rect = label.rect_px()
        left, top, right, bottom = rect
        if left < 0 or top < 0 or right > s.width_px or bottom > s.height_px:
            found.append(f"{wname} outside")
        for *_w, a, b in d._edges:
            ends = [np.array(s.to_pixels(*d.pos[u])) for u in (a, b)]
            if _segment_meets_rect(*ends, rect, half):
                found.append(f"{wname} on the edge {a}->{b}")
        for name, unit in d._units.items():
            if _circle_meets_rect(np.array(s.to_pixels(*d.pos[name])), unit.radius * PX, rect):
                found.append(f"{wname} on {name}")
        for other in s.labels:
            if other is not label and other.text and other.get_visible():
                o = other.rect_px()
                if min(right, o[2]) - max(left, o[0]) > GAP / 2 and (
                    min(bottom, o[3]) - max(top, o[1]) > GAP / 2
                ):
                    found.append(f"{wname} on {other.text!r}")
    return found


@pytest.mark.parametrize("sizes", [[2, 2, 1], [1, 2, 2], [1, 1, 1], [2, 1]])
def test_edge_labels_sit_beside_their_edges_clear_of_everything(sizes):
    """The course's networks and smaller ones. (A crowded network, 3-2-2 on this
    scene, has no free place for every label; each then takes the least crowded
    one it finds.)"""
    scene = Scene(7.0, 3.6, xlim=(-0.1, 1.2), ylim=(-1.75, 1.75))
    d = NetworkDiagram(scene, sizes, gradients=True)
    layers = layers_from_sizes(sizes, seed=3)
    x = np.ones(sizes[0])
    trace = forward(layers, x)
    d.update(layers, x, grads=backward(layers, trace, np.zeros(sizes[-1])))
    scene.markup()
    assert _label_clashes(d) == []


def test_worked_example_labels_are_clear_and_stay_put_while_a_weight_moves():
    scene = Scene(7.0, 3.6, xlim=(-0.1, 1.2), ylim=(-1.75, 1.75))
    d = NetworkDiagram(scene, [2, 2, 1], gradients=True)
    ex = WORKED_EXAMPLE
    places = []
    for w5 in (0.23, 0.24, 0.5, -0.5, 2.0):
        layers = [Layer(ex.layers[0].W), Layer(np.array([[w5], [ex.layers[1].W[1, 0]]]))]
        trace = forward(layers, ex.x)
        d.update(layers, ex.x, grads=backward(layers, trace, ex.target))
        scene.markup()
        assert _label_clashes(d) == [], w5
        places.append(
            {
                w: np.array(scene.to_pixels(*label.get_position()))
                for w, label in d.edge_text.items()
            }
        )
    # A label stays on its side, at its place along the edge; it only shifts a
    # little as its text grows or shrinks.
    for p in places[1:]:
        for w in p:
            assert np.hypot(*(p[w] - places[0][w])) < 10, (w, p[w], places[0][w])
