"""Around the region (neighbours, border, scale bar, locator), the embed snippet and the page's own texts."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import shapely

from districtcontrol import DistrictControlError
from districtcontrol.maps import _surroundings as around_
from districtcontrol.maps._embed import check_base_url, embed_snippet, map_src

NEIGHBOURS = ("Iran", "Turkmenistan", "Uzbekistan", "Tajikistan", "China", "Pakistan")


def test_shipped_neighbour_shapes_name_their_source_and_hold_the_label_positions():
    from districtcontrol.geo._regions import neighbours

    collection = json.loads(resources.files("districtcontrol.data").joinpath("neighbours.geojson").read_text())
    assert "Natural Earth" in collection["attribution"] and "public domain" in collection["attribution"]
    shapes, attribution = around_.neighbour_shapes()
    by_name = dict(shapes)
    assert set(NEIGHBOURS) <= set(by_name) and "Afghanistan" not in by_name
    assert all(shapely.is_valid(geom) for geom in by_name.values())
    for country, lat, lon in neighbours():  # each name is written inside its country
        assert by_name[country].contains(shapely.Point(lon, lat)), country


pytestmark_integration = pytest.mark.integration  # the tests that read the boundary file


@pytest.fixture(scope="module")
def around(region):
    return around_.surroundings(region, around_.static_box(region))


@pytestmark_integration
def test_neighbours_meet_the_boundary_files_border_without_gaps(region, around):
    """Between Afghanistan (as the boundary file draws it) and the neighbours, nothing is left white."""
    inside = shapely.coverage_union_all(region.simplified.geometry.values)
    afghanistan = shapely.union(inside, around.rest)
    frame = shapely.box(*around_.static_box(region))
    neighbours = shapely.union_all([geom for _, geom in around.countries])
    band = shapely.intersection(shapely.buffer(around.border, 0.05), frame)
    gaps = shapely.get_parts(shapely.difference(band, shapely.union(afghanistan, neighbours)))
    assert shapely.area(gaps).sum() < 1e-3  # deg²: under 10 km² along 3,000 km of border
    assert shapely.area(gaps).max() < 1e-4  # no hole larger than about a square kilometre
    assert {name for name, _ in around.countries} >= {"Turkmenistan", "Uzbekistan", "Tajikistan", "China", "Pakistan"}


@pytestmark_integration
def test_the_emphasised_border_is_the_regions_own_outline_where_it_faces_abroad(region, around):
    inside = shapely.coverage_union_all(region.simplified.geometry.values)
    points = shapely.points(shapely.get_coordinates(around.border))
    assert shapely.distance(shapely.boundary(inside), points).max() < 1e-9  # on the drawn outline, exactly
    assert shapely.distance(around.rest, points).min() >= around_.BORDER_SNAP_DEG * 0.9  # never inside the country
    neighbours = shapely.union_all([geom for _, geom in around.countries])
    assert shapely.covers(shapely.buffer(neighbours, 1e-3), points).all()  # a neighbour on the other side
    assert around.border.length > 25  # degrees: Hirat to the Wakhan, not a fragment


@pytestmark_integration
def test_static_map_has_a_scale_bar_a_locator_and_the_border_note(region):
    from districtcontrol.maps import static_map

    fig = static_map(region, "is")
    (ax,) = fig.axes
    texts = [t.get_text() for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert any(t.endswith(" km") for t in texts)
    assert any("Made with Natural Earth" in t and "not endorsed" in t for t in texts)
    (locator,) = ax.child_axes
    assert "Afghanistan" in [t.get_text() for t in locator.texts]
    assert not locator.get_xlabel() and not locator.get_ylabel()


@pytestmark_integration
def test_map_of_the_whole_country_has_no_locator_and_a_map_with_no_border_draws(real_boundaries):
    from districtcontrol.geo import load_control
    from districtcontrol.maps import interactive_map, map_html, prepare_region, static_map

    whole = prepare_region(load_control(boundaries=real_boundaries, region="all"))
    assert static_map(whole, "combined").axes[0].child_axes == []
    inland = prepare_region(load_control(boundaries=real_boundaries, region="Ghor,Bamyan"))
    assert around_.surroundings(inland, around_.html_box(inland)).border.is_empty
    assert '"borderArcs":[]' in map_html(interactive_map(inland, "combined"))


@pytestmark_integration
def test_map_page_has_language_and_an_escaped_title(region):
    from districtcontrol.maps import interactive_map, map_html

    html = map_html(interactive_map(region, "combined", title="<b>Kunduz</b> & north"))
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>&lt;b&gt;Kunduz&lt;/b&gt; &amp; north</title>" in html


@pytestmark_integration
def test_embed_snippet_is_responsive_lazy_titled_and_escaped(region):
    snippet = embed_snippet(region, "combined", 'Districts "north" <2017>')
    assert 'src="combined.html"' in snippet and 'loading="lazy"' in snippet and "allowfullscreen" in snippet
    assert "width:100%" in snippet and "aspect-ratio:" in snippet and "min-height:" in snippet
    assert 'title="Districts &quot;north&quot; &lt;2017&gt;"' in snippet
    ratio = float(snippet.split("aspect-ratio:")[1].split(";")[0])
    assert 1.0 <= ratio <= 2.0


def test_base_url_makes_the_src_absolute_and_must_be_a_web_address():
    assert map_src("is", "https://example.org/maps") == "https://example.org/maps/is.html"
    assert map_src("is", "https://example.org/maps/") == "https://example.org/maps/is.html"
    assert map_src("is") == "is.html"
    for bad in ("example.org/maps", "maps/", "javascript:alert(1)", "file:///tmp/x"):
        with pytest.raises(DistrictControlError, match="--base-url"):
            check_base_url(bad)


@pytestmark_integration
def test_build_with_base_url_writes_snippets_pointing_there(tmp_path, control_data):
    from districtcontrol.maps import build

    build(control_data, tmp_path, ("html",), embed=True, base_url="https://example.org/afg/")
    snippet = (tmp_path / "taliban.embed.html").read_text()
    assert 'src="https://example.org/afg/taliban.html"' in snippet


def test_cli_refuses_a_base_url_that_is_no_address_before_loading_anything(tmp_path):
    from click.testing import CliRunner

    from districtcontrol.cli import main

    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "o"), "--embed", "--base-url", "maps/"])
    assert result.exit_code == 2
    assert "--base-url 'maps/' is not an absolute web address" in result.output
    assert not (tmp_path / "o").exists()
