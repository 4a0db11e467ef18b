"""Print maps: shapes are added as geopandas draws them, and the figure is drawn once, when saved."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from districtcontrol.maps import _draw


def _pixels(draw) -> np.ndarray:
    fig = Figure(figsize=(2, 2), dpi=50)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    draw(ax)
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.set_axis_off()
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3]


def _at(pixels: np.ndarray, x: float, y: float) -> tuple:
    h, w, _ = pixels.shape
    return tuple(int(v) for v in pixels[int((1 - y / 4) * h), int(x / 4 * w)])


def test_a_hole_stays_a_hole_whichever_way_its_rings_wind():
    """A district around a lake or an enclave: the hole is not filled, as geopandas draws it."""
    outer, inner = [(0.5, 0.5), (3.5, 0.5), (3.5, 3.5), (0.5, 3.5)], [(1.5, 1.5), (2.5, 1.5), (2.5, 2.5), (1.5, 2.5)]
    ring_orders = [shapely.Polygon(outer, [inner]), shapely.Polygon(outer[::-1], [inner[::-1]])]
    for polygon in ring_orders:
        pixels = _pixels(lambda ax, p=polygon: _draw.polygons(ax, [p], color="#ff0000", linewidth=0))
        assert _at(pixels, 1.0, 1.0) == (255, 0, 0)
        assert _at(pixels, 2.0, 2.0) == (255, 255, 255)


def test_each_shape_keeps_its_own_colour_when_an_empty_one_is_left_out():
    shapes = [shapely.box(0, 0, 2, 4), shapely.Polygon(), shapely.MultiPolygon([shapely.box(2, 0, 4, 2)])]
    pixels = _pixels(lambda ax: _draw.polygons(ax, shapes, color=["#ff0000", "#00ff00", "#0000ff"], linewidth=0))
    assert _at(pixels, 1.0, 1.0) == (255, 0, 0)
    assert _at(pixels, 3.0, 1.0) == (0, 0, 255)
    assert _at(pixels, 3.0, 3.0) == (255, 255, 255)


def test_lines_of_every_part_are_drawn():
    border = shapely.MultiLineString([[(0, 1), (4, 1)], [(0, 3), (4, 3)]])
    pixels = _pixels(lambda ax: _draw.lines(ax, [border], color="#000000", linewidth=4))
    assert _at(pixels, 2.0, 1.0) == _at(pixels, 2.0, 3.0) == (0, 0, 0)
    assert _at(pixels, 2.0, 2.0) == (255, 255, 255)


def test_shapes_drawn_after_others_are_drawn_as_themselves():
    """Paths are kept between maps; another list of shapes, or the same array refilled, is not mistaken for it."""
    left, right = shapely.box(0, 0, 2, 4), shapely.box(2, 0, 4, 4)
    shapes = np.array([left], dtype=object)
    drawn = []
    for step in ("left", "right", "refilled", "left again"):
        if step == "refilled":
            shapes[0] = right
        current = {"left": [left], "right": [right], "refilled": shapes, "left again": shapes[:0].tolist() + [left]}
        pixels = _pixels(lambda ax, s=current[step]: _draw.polygons(ax, s, color="#ff0000", linewidth=0))
        drawn.append((step, _at(pixels, 1.0, 2.0), _at(pixels, 3.0, 2.0)))
    red, white = (255, 0, 0), (255, 255, 255)
    assert drawn == [
        ("left", red, white),
        ("right", white, red),
        ("refilled", white, red),
        ("left again", red, white),
    ]


@pytest.mark.integration
def test_a_print_map_is_not_drawn_until_it_is_saved(region, monkeypatch, tmp_path):
    """Building the figure draws nothing (each layer used to redraw the whole map, labels and all).

    Placing the labels measures them once per region, before any map (and is cached between runs).
    """
    from districtcontrol.maps.static import label_layout, save_figure, static_map

    placed = region.with_labels(label_layout(region))
    draws = []
    real_draw = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw", lambda self, *a, **k: draws.append(1) or real_draw(self, *a, **k))
    fig = static_map(placed, "combined")
    assert draws == []
    save_figure(fig, tmp_path / "combined.png")
    assert draws == [1]
