"""Lean HTML elements: JSON written into a script stays data; the compact forms the page carries
(districts, texts, labels) read back to exactly what was meant."""

from __future__ import annotations

import json

import numpy as np
import polyline
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, box

from districtcontrol.geo._topology import topology
from districtcontrol.maps._encoding import (
    column,
    district_payload,
    encode_numbers,
    encode_polylines,
    label_payload,
    script_json,
)
from tests.page_decode import _column, district_data, label_data, numbers


def test_script_json_cannot_close_the_script_or_open_a_comment():
    value = {"popup": "</script><script>alert(1)</script><!-- x", "dari": "فیض آباد", "sep": "a\u2028b"}
    text = script_json(value)
    assert "</" not in text and "<!" not in text and "\u2028" not in text
    assert "فیض آباد" in text  # UTF-8 as written, not \\u escapes
    assert json.loads(text) == value


def test_the_page_carries_every_point_reference_id_and_text_of_the_topology():
    cells = [MultiPolygon([box(65.101, 36.2, 65.3, 36.75), box(66.2, 36.2, 66.4, 36.5)]), box(65.3, 36.2, 66.0, 36.75)]
    properties = [
        {"popup": "<b>A</b> (P)<p>No record in the table.</p>", "p": "P1", "pcode": "A"},
        {"popup": '<b>B</b> (P)<p>No record in the table.</p><p class="dc-changes">x</p>', "p": "P1", "pcode": "B"},
    ]
    topo = topology(cells, ["A", "B"], properties, decimals=3)
    payload = json.loads(script_json(district_payload(topo)))
    assert payload["ids"] == "pcode"  # the ids are a property already: written once
    back = district_data(payload)
    assert [a.tolist() for a in back["arcs"]] == [a.tolist() for a in topo["arcs"]]
    assert back["geometries"] == topo["objects"]["districts"]["geometries"]


def test_a_paragraph_many_popups_share_is_written_once_and_every_text_read_back_whole():
    popups = [f"<b>District {i}</b> (P)<p>No record in the table.</p>" for i in range(30)]
    popups[3] = "<b>X</b> (P)<p><b>Taliban: captured</b> (source &lt;p&gt; 5)<br>note &amp; more</p>"
    written = column(popups)
    assert script_json(written).count("No record in the table.") == 1
    user_text = "(source &lt;p&gt; 5)<br>note &amp; more</p>"
    assert any(user_text in piece for piece in written["v"])  # whole, in one piece
    assert _column(json.loads(script_json(written))) == popups


@given(st.lists(st.sampled_from(["a", "b", "<p>c</p>", "d<p>e</p>", "", "ب", None, 7, [1]]), min_size=1, max_size=40))
def test_a_column_reads_back_as_its_values(values):
    assert _column(json.loads(script_json(column(values)))) == values


coordinate = st.integers(-180_000, 180_000)
lines = st.lists(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=30), min_size=1, max_size=6)


@given(lines)
def test_vectorised_polylines_match_the_reference_encoder(points):
    arrays = [np.asarray(line, dtype=np.int64) for line in points]
    expected = [polyline.encode([(x / 1000, y / 1000) for x, y in line], 3, geojson=True) for line in points]
    assert encode_polylines(arrays) == expected


@given(st.lists(st.lists(st.integers(-(2**40), 2**40), max_size=20), min_size=1, max_size=6))
def test_numbers_read_back_as_written(sequences):
    assert [numbers(text) for text in encode_numbers(sequences)] == sequences


def test_labels_read_back_with_their_places_texts_and_kinds():
    labels = [
        (36.7283, 68.8679, "Khan Abad", "", 0),
        (35.269, 63.57575, "Badghis", "dc-province", 1),
        (37.5, 69.1, "Tajikistan", "dc-country", 2),
        (34.0, 62.0, "&lt;b&gt;", "dc-other", 3),
    ]
    back = label_data(json.loads(script_json(label_payload(labels))))
    assert back == [(round(lat, 4), round(lon, 4), text, css, p) for lat, lon, text, css, p in labels]


def test_every_map_of_a_region_writes_the_shapes_of_its_own_topology(region):
    from districtcontrol.maps._view import map_names
    from districtcontrol.maps.interactive import _shared_districts

    for name in map_names(region):
        shared = _shared_districts(region, name)
        assert shared.shapes is region.shapes  # computed once for the region
        assert district_payload(shared.topology, shared.shapes) == district_payload(shared.topology)
