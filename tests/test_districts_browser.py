"""The whole country's map in Chromium: what the page decodes is the districts, texts and labels meant."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import shape
from test_browser import browser, open_offline  # noqa: F401  (the module's Chromium, shared)

from tests.page_decode import districts, labels

pytestmark = [pytest.mark.browser, pytest.mark.integration]

NOTE = 'Taken "after" talks & <p>terms</p> {{ 7*7 }} — د ولسوالۍ مرکز'
SOURCE = "Field report <b>3</b>"
DISTRICTS_JS = """() => {
    const out = {};
    for (const layer of Object.values(window)) {
        if (!layer || typeof layer.eachLayer !== 'function' || !layer.toGeoJSON) continue;
        layer.eachLayer(l => { if (l.feature && l.feature.geometry && l.feature.id) out[l.feature.id] = l.feature; });
    }
    return out;
}"""
CLICK_JS = """pcode => {
    for (const layer of Object.values(window)) {
        if (!layer || typeof layer.eachLayer !== 'function' || !layer.toGeoJSON || !layer._map) continue;
        let found = null;
        layer.eachLayer(l => { if (l.feature && l.feature.id === pcode) found = l; });
        if (found) { found.fire('click', {latlng: found.getCenter()}, true); return; }
    }
}"""
LABELS_JS = """() => Object.entries(window).filter(([k]) => /^labels_\\d+$/.test(k))[0][1].map(m =>
    [m.getLatLng().lat, m.getLatLng().lng, m.options.icon.options.html, m.options.dcPriority])"""


@pytest.fixture(scope="module")
def country(tmp_path_factory, real_boundaries):
    """The combined map of region all, with a note and a source that need escaping, opened offline."""
    from districtcontrol.geo import load_control
    from districtcontrol.maps import interactive_map, map_html

    folder = tmp_path_factory.mktemp("country")
    table = folder / "table.csv"
    quoted = NOTE.replace('"', '""')
    table.write_text(
        f'group,province,district,status,date,source,note\ntaliban,Kunduz,Khanabad,captured,,"{SOURCE}","{quoted}"\n',
        encoding="utf-8",
    )
    data = load_control(table, real_boundaries, "all")
    page = folder / "combined.html"
    page.write_text(map_html(interactive_map(data, "combined"), self_contained=True), encoding="utf-8")
    return data, page


def test_the_page_draws_every_district_within_500_m_of_the_boundary_file_with_shared_edges(browser, country):  # noqa: F811
    from districtcontrol.geo.export import EQUAL_AREA_CRS

    data, path = country
    page, errors = open_offline(browser, path)
    features = page.evaluate(DISTRICTS_JS)
    page.context.close()
    pcodes = list(data.districts["pcode"])
    assert sorted(features) == sorted(pcodes) and len(pcodes) == 399
    drawn = data.districts.set_geometry([shape(features[p]["geometry"]) for p in pcodes], crs=4326)
    assert shapely.is_valid(drawn.geometry.values).all()
    assert shapely.coverage_is_valid(drawn.geometry.values)  # neighbours share their edges: no gap, no overlap
    distances = shapely.hausdorff_distance(
        data.districts.to_crs(EQUAL_AREA_CRS).geometry.values,
        drawn.to_crs(EQUAL_AREA_CRS).geometry.values,
        densify=0.25,
    )
    assert distances.max() <= 500
    assert errors == []


def test_the_page_decodes_every_districts_texts_and_the_labels_as_written(browser, country):  # noqa: F811
    from districtcontrol.maps._popups import esc

    data, path = country
    html = path.read_text(encoding="utf-8")
    page, errors = open_offline(browser, path)
    features = page.evaluate(DISTRICTS_JS)
    shown = page.evaluate(LABELS_JS)
    written = {g["id"]: g["properties"] for g in districts(html)["geometries"]}
    assert {pcode: f["properties"] for pcode, f in features.items()} == written
    khanabad = data.districts.loc[data.districts["district"] == "Khan Abad", "pcode"].item()
    assert esc(NOTE) in written[khanabad]["popup"] and esc(SOURCE) in written[khanabad]["popup"]
    expected = [
        [lat, lon, f'<div class="dc-label {css}">{text}</div>', priority]
        for lat, lon, text, css, priority in labels(html)
    ]
    assert shown == expected and len(shown) > 399
    page.evaluate(CLICK_JS, khanabad)
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    page.context.close()
    assert NOTE in popup and SOURCE in popup  # the user's words, shown as text
    assert errors == []
