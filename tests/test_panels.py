"""The small multiples of a whole-country series: one coarse geometry for every panel, on a grid the eye cannot see."""

from __future__ import annotations

import re

import pytest
from takeover import US_DATES, control_table, takeover_series
from test_time import LEGEND

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def country(tmp_path_factory, real_boundaries):
    """A prepared whole-country region of a 2021-kind series (300 districts, 40 dates)."""
    from districtcontrol.geo import load_control
    from districtcontrol.maps import prepare_region

    folder = tmp_path_factory.mktemp("panels")
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    table = control_table(takeover_series(real_boundaries), folder / "series.csv")
    data = load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES, population=False)
    return prepare_region(data)


def _timeline_svg(region, path):
    from districtcontrol.maps._time_figures import timeline_figure
    from districtcontrol.maps.static import save_figure

    return save_figure(timeline_figure(region), path).read_text(encoding="utf-8")


def test_panels_keep_every_district_with_the_edges_it_shares(country):
    import shapely

    from districtcontrol.geo.export import EQUAL_AREA_CRS
    from districtcontrol.maps._panels import coarse_shapes

    tolerance = 0.012  # about a pixel at 300 dpi on a panel of the whole country
    districts, province_lines = coarse_shapes(country, tolerance)
    assert len(districts) == len(country.rows) and not any(shapely.is_empty(districts))
    assert shapely.coverage_is_valid(districts)  # neighbours share their edges: no gap, no overlap
    coarse = country.simplified.set_geometry(list(districts), crs=country.simplified.crs).to_crs(EQUAL_AREA_CRS)
    fine = country.simplified.to_crs(EQUAL_AREA_CRS)
    distances = shapely.hausdorff_distance(fine.geometry.values, coarse.geometry.values)
    assert distances.max() < 4000  # a few pixels of a panel: each district where the print maps have it
    assert not province_lines.is_empty


def test_each_panel_fills_its_districts_by_their_status_on_its_date(country):
    from matplotlib.colors import to_rgba

    from districtcontrol.maps import _view
    from districtcontrol.maps._time_figures import panel_dates, rows_as_of, timeline_figure

    fig = timeline_figure(country)
    panels = rows_as_of(country, panel_dates(country))
    maps = [ax for ax in fig.axes if ax.get_title()]
    assert len(maps) == len(panels) == 6
    for ax, rows in zip(maps, panels):
        fills = [to_rgba(_view.fill_colour(row, _view.COMBINED, country.legend)) for row in rows]
        districts = next(c for c in ax.collections if len(c.get_paths()) == len(rows))
        assert [tuple(f) for f in districts.get_facecolors()] == fills
    first, last = (
        sum(_view.map_status(r, _view.COMBINED, country.legend) != "none" for r in p) for p in (panels[0], panels[-1])
    )
    assert first < last  # the series does change between the first panel and the last


def test_svg_paths_sit_on_a_tenth_of_a_point(country, tmp_path):
    svg = _timeline_svg(country, tmp_path / "timeline.svg")
    paths = re.findall(r'<path [^>]*?d="([^"]+)"', svg)
    shapes = [numbers for d in paths if len(numbers := re.findall(r"-?\d+(?:\.\d+)?", d)) >= 40]  # not frames, keys
    numbers = [n for shape in shapes for n in shape]
    assert len(numbers) > 100_000
    assert all(len(n.partition(".")[2]) <= 1 for n in numbers), [n for n in numbers if len(n.partition(".")[2]) > 1][:5]


def test_a_cold_and_a_warm_cache_draw_the_same_timeline(country, tmp_path, monkeypatch):
    from districtcontrol import _cache

    monkeypatch.setenv("DISTRICTCONTROL_CACHE", str(tmp_path / "cache"))
    cold = _timeline_svg(country, tmp_path / "cold.svg")
    assert list((tmp_path / "cache").rglob("*panels*")), "the coarse panels are kept in the cache"
    warm = _timeline_svg(country, tmp_path / "warm.svg")
    assert warm == cold
    assert _cache.clear() > 0
