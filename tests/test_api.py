"""The public API: what the package exports, and static maps that leave the caller's matplotlib alone."""

from __future__ import annotations

import pytest

import districtcontrol


def test_public_api_is_importable_from_the_package():
    for name in districtcontrol.__all__:
        assert getattr(districtcontrol, name) is not None, name
    assert districtcontrol.__version__ != "0+unknown"


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        districtcontrol.no_such_function  # noqa: B018


@pytest.mark.integration
def test_static_map_leaves_the_callers_backend_and_pyplot_alone(region):
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    fig = districtcontrol.static_map(region, "is")
    assert matplotlib.get_backend().lower() == "svg"
    assert set(plt.get_fignums()) == before  # not registered with pyplot: nothing to close
    assert fig.axes


@pytest.mark.integration
def test_static_map_draws_on_the_axes_it_is_given(region):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4))
    left, right = fig.subplots(1, 2)
    returned = districtcontrol.static_map(region, "taliban", ax=right)
    assert returned is fig
    assert not left.has_data() and right.has_data()
    assert "Taliban" in right.get_title()
    assert len(right.collections) > 0


def _credit_and_scale_bar(ax):
    """The credit text under a map drawn on ``ax``, and the scale bar's artists (its halves and numbers)."""
    import re

    from matplotlib.patches import Rectangle

    (credit,) = [t for t in ax.texts if "COD-AB" in t.get_text()]
    bar = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_clip_on()]
    bar += [t for t in ax.texts if re.fullmatch(r"\d+(\.\d+)?( km)?", t.get_text())]
    return credit, bar


@pytest.mark.integration
@pytest.mark.parametrize(
    ("size", "columns"), [((8, 4), 1), ((6, 6), 1), ((4, 3), 1), ((8, 4), 2), ((12, 5), 3)], ids=str
)
def test_credit_on_a_callers_axes_stays_in_the_figure_and_off_the_scale_bar(region, size, columns):
    """Measured with the renderer's boxes: the credit is within the figure and the axes' width, under the bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    ax = fig.subplots(1, columns, squeeze=False)[0][-1]
    districtcontrol.static_map(region, "combined", ax=ax)
    renderer = fig.canvas.get_renderer()
    credit, bar = _credit_and_scale_bar(ax)
    box, axes_box, figure_box = credit.get_window_extent(renderer), ax.get_window_extent(renderer), fig.bbox
    assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1 and figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1
    assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
    assert len(bar) == 5
    assert not any(box.overlaps(artist.get_window_extent(renderer)) for artist in bar)
    assert "Natural Earth" in credit.get_text() and "not endorsed" in credit.get_text()


@pytest.mark.integration
def test_credit_goes_inside_axes_that_leave_no_room_below(region):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.05, 0.0, 0.9, 0.85))
    districtcontrol.static_map(region, "combined", ax=ax)
    renderer = fig.canvas.get_renderer()
    credit, bar = _credit_and_scale_bar(ax)
    box, axes_box = credit.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert fig.bbox.y0 <= box.y0 and axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1
    assert not any(box.overlaps(artist.get_window_extent(renderer)) for artist in bar)


@pytest.mark.parametrize(
    ("formats", "unneeded"),
    [("png,svg", ("folium", "branca", "jinja2")), ("html", ("matplotlib", "PIL"))],
)
def test_a_build_imports_only_the_libraries_of_its_formats(tmp_path, real_boundaries, formats, unneeded):
    """A print build never loads the web map stack, nor an HTML build matplotlib (each costs a returning user time)."""
    import subprocess
    import sys

    script = (
        "import sys; from districtcontrol.cli import main\n"
        f"main(['build', '--out', {str(tmp_path)!r}, '--format', {formats!r}, '--jobs', '1',"
        f" '--boundaries', {str(real_boundaries)!r}, '--no-population'], standalone_mode=False)\n"
        f"print(sorted(m for m in {unneeded!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
    assert any(tmp_path.glob(f"combined.{formats.split(',')[0]}"))
