"""Lean HTML elements: JSON written into a script stays data, polyline arcs decode to the topology's points."""

from __future__ import annotations

import json

import numpy as np
import polyline
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import box

from districtcontrol.geo._topology import topology
from districtcontrol.maps._elements import encode_polylines, polyline_arcs, script_json
from tests.topojson_decode import decode


def test_script_json_cannot_close_the_script_or_open_a_comment():
    value = {"popup": "</script><script>alert(1)</script><!-- x", "dari": "فیض آباد", "sep": "a\u2028b"}
    text = script_json(value)
    assert "</" not in text and "<!" not in text and "\u2028" not in text
    assert "فیض آباد" in text  # UTF-8 as written, not \\u escapes
    assert json.loads(text) == value


def test_polyline_arcs_hold_the_same_points_as_the_topology():
    cells = [box(65.101, 36.2, 65.5, 36.75), box(65.5, 36.2, 66.0, 36.75)]
    topo = topology(cells, ["A", "B"], decimals=3)
    encoded = polyline_arcs(topo)
    assert "transform" not in encoded and all(isinstance(arc, str) for arc in encoded["arcs"])
    rings = [ring for g in decode(topo) for ring in g["coordinates"]]
    points = {tuple(p) for ring in rings for p in ring}
    decoded = {p for arc in encoded["arcs"] for p in polyline.decode(arc, 3, geojson=True)}
    assert decoded == points


coordinate = st.integers(-180_000, 180_000)
lines = st.lists(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=30), min_size=1, max_size=6)


@given(lines)
def test_vectorised_polylines_match_the_reference_encoder(points):
    arrays = [np.asarray(line, dtype=np.int64) for line in points]
    expected = [polyline.encode([(x / 1000, y / 1000) for x, y in line], 3, geojson=True) for line in points]
    assert encode_polylines(arrays) == expected
