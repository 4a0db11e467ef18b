"""TopoJSON of district coverages: shared edges stored once, decoding gives back every polygon exactly."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box, shape

from districtcontrol.geo._topology import shapes, topology
from districtcontrol.maps._simplify import ARC_TOLERANCE, COORDINATE_DECIMALS, thin_arcs
from tests.topojson_decode import decode


def same_shapes(a, b) -> bool:
    return bool(shapely.equals(shapely.normalize(np.asarray(a)), shapely.normalize(np.asarray(b))).all())


def decoded(topo) -> list:
    return [shape(g) for g in decode(topo)]


def test_two_neighbours_share_one_arc_for_their_common_edge():
    left, right = box(0, 0, 1, 1), box(1, 0, 2, 1)
    topo = topology([left, right], ["A", "B"])
    geoms = topo["objects"]["districts"]["geometries"]
    refs = [set(arc for ring in g["arcs"] for arc in ring) for g in geoms]
    shared = {r if r >= 0 else ~r for r in refs[0]} & {r if r >= 0 else ~r for r in refs[1]}
    assert len(shared) == 1  # the edge x=1 once, used forwards by one and backwards by the other
    assert same_shapes(decoded(topo), [left, right])


def test_three_districts_meeting_at_a_point_and_the_outline_decode_exactly():
    top = Polygon([(0, 1), (1, 1), (2, 1), (2, 2), (0, 2)])  # has the vertex where A and B meet it
    cells = [box(0, 0, 1, 1), box(1, 0, 2, 1), top]
    topo = topology(cells, ["A", "B", "C"])
    assert same_shapes(decoded(topo), cells)
    assert len(topo["arcs"]) == 6  # A|B, A|C, B|C once each, and each district's stretch of the outline


def test_enclave_and_its_host_share_one_closed_arc():
    host = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 2), (2, 2), (2, 1)]])
    enclave = box(1, 1, 2, 2)
    topo = topology([host, enclave], ["host", "enclave"])
    assert len(topo["arcs"]) == 2  # the host's outline and the ring both districts use
    assert same_shapes(decoded(topo), [host, enclave])


def test_multipolygon_islands_ids_and_properties_are_kept():
    islands = MultiPolygon([box(0, 0, 1, 1), box(3, 0, 4, 1)])
    mainland = box(1, 0, 3, 1)
    topo = topology([islands, mainland], ["I", "M"], [{"p": "X"}, {"p": "Y"}])
    geoms = topo["objects"]["districts"]["geometries"]
    assert [g["type"] for g in geoms] == ["MultiPolygon", "Polygon"]
    assert [(g["id"], g["properties"]) for g in geoms] == [("I", {"p": "X"}), ("M", {"p": "Y"})]
    assert same_shapes(decoded(topo), [islands, mainland])


def test_arcs_are_absolute_integer_points_on_the_grid():
    cells = [box(60.123, 35.001, 60.5, 35.5), box(60.5, 35.001, 61.0, 35.5)]
    topo = topology(cells, ["A", "B"], decimals=3)
    assert topo["decimals"] == 3 and "transform" not in topo
    points = {tuple(point) for arc in topo["arcs"] for point in arc.tolist()}
    assert (60123, 35001) in points and (61000, 35500) in points  # degrees x 1000, not deltas
    assert all(arc.dtype.kind == "i" for arc in topo["arcs"])
    assert same_shapes(decoded(topo), cells)


@st.composite
def partitions(draw):
    """A grid of 1 x 1 cells, each given to one of a few districts; every district a valid polygon."""
    width, height = draw(st.integers(2, 6)), draw(st.integers(1, 5))
    owners = draw(st.lists(st.integers(0, 3), min_size=width * height, max_size=width * height))
    cells: dict[int, list] = {}
    for i, owner in enumerate(owners):
        cells.setdefault(owner, []).append(box(i % width, i // width, i % width + 1, i // width + 1))
    return [shapely.union_all(parts) for _, parts in sorted(cells.items())]


@settings(max_examples=150, deadline=None)
@given(partitions())
def test_any_partition_of_a_grid_decodes_to_the_same_districts(districts):
    topo = topology(districts, [str(i) for i in range(len(districts))], decimals=0)
    assert same_shapes(decoded(topo), districts)


@pytest.mark.integration
def test_real_districts_decode_exactly_and_store_each_shared_edge_once(region):
    simplified = region.simplified.geometry.values
    topo = topology(simplified, list(region.simplified["pcode"]), decimals=COORDINATE_DECIMALS)
    assert same_shapes(decoded(topo), simplified)
    assert same_shapes(shapes(topo), simplified)
    assert [g["id"] for g in topo["objects"]["districts"]["geometries"]] == list(region.simplified["pcode"])
    points = sum(len(arc) for arc in topo["arcs"])
    assert points < 0.7 * shapely.get_num_coordinates(simplified).sum()


@pytest.mark.integration
def test_the_maps_thinned_outlines_are_a_coverage_near_the_simplified_one(region):
    """The HTML maps' outlines: every shared edge still once, no gap or overlap, within the tolerance."""
    simplified = region.simplified.geometry.values
    full = topology(simplified, list(region.simplified["pcode"]), decimals=COORDINATE_DECIMALS)
    thinned = region.topology
    assert thinned["objects"] == full["objects"] and len(thinned["arcs"]) == len(full["arcs"])
    drawn = np.asarray(shapes(thinned))
    assert shapely.is_valid(drawn).all() and shapely.coverage_is_valid(drawn)
    reach = ARC_TOLERANCE * 10.0**-COORDINATE_DECIMALS
    assert shapely.hausdorff_distance(drawn, simplified).max() <= reach * 1.01
    assert sum(len(a) for a in thinned["arcs"]) < 0.7 * sum(len(a) for a in full["arcs"])


def _notched(enclave: bool) -> list:
    """A square whose bottom edge has a notch 15 units deep, and perhaps a small district in the notch."""
    square = Polygon([(0, 0), (40, 0), (40, 15), (60, 15), (60, 0), (100, 0), (100, 100), (0, 100)])
    return [square, box(45, 2, 55, 8)] if enclave else [square, box(200, 0, 210, 10)]


def test_thinning_drops_a_wiggle_smaller_than_the_tolerance_once_for_both_neighbours():
    wiggly = [(0, 0), (50, 0), (50, 40), (52, 50), (49, 60), (51, 70), (50, 100), (0, 100)]
    left = Polygon(wiggly)
    right = Polygon([(50, 0), (100, 0), (100, 100), (50, 100), (51, 70), (49, 60), (52, 50), (50, 40)])
    thinned = thin_arcs(topology([left, right], ["L", "R"], decimals=0), tolerance=5)
    drawn = np.asarray(shapes(thinned))
    assert shapely.get_num_coordinates(drawn).tolist() == [5, 5]  # both now have the straight edge
    assert shapely.coverage_is_valid(drawn) and shapely.union_all(drawn).area == 100 * 100


def test_thinning_never_lets_a_district_cover_its_neighbour():
    alone = shapes(thin_arcs(topology(_notched(False), ["S", "far"], decimals=0), tolerance=20))
    assert alone[0].area == 100 * 100  # with nothing in it, the notch is a wiggle: thinned away
    cells = _notched(True)
    drawn = shapes(thin_arcs(topology(cells, ["S", "in the notch"], decimals=0), tolerance=20))
    assert same_shapes(drawn, cells)  # thinning it would cover the small district: the square is kept
    assert shapely.coverage_is_valid(np.asarray(drawn))
