"""The HTML map as a reader meets it, in headless Chromium: a desktop, a phone and iframes in an article.

At each size: the region fills the frame, the title, legend and layer list leave the districts
with a record uncovered, no two labels overlap, and every district with a record is named or
can be tapped. Then search by Dari name, tap, keyboard, download, print, and the line a CDN
map shows when its scripts cannot load. Screenshots go to test-artifacts/ (look at them).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_browser import _local_cdn, browser  # noqa: F401  (the module's Chromium, shared)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SIZES = [  # (width, height, in an iframe of an article page)
    (1280, 800, False),
    (390, 844, False),
    (680, 420, True),
    (370, 420, True),
    (720, 450, True),
    (1024, 640, False),
    (800, 600, True),
]
# The page's Leaflet objects, found as the test of test_browser.py finds them (a framed page's
# window also holds its parent's, which another origin may not read: skipped).
FIND_JS = """
    const own = (v) => { try { return v && v !== window.parent && v !== window.top && v !== window && typeof v === 'object'; } catch (e) { return false; } };
    const values = Object.values(window).filter(own);
    const map = values.find(v => v instanceof L.Map);
    const groups = values.filter(v => typeof v.eachLayer === 'function' && v.toGeoJSON);
"""
MEASURE_JS = """(pcodes) => {
    const wanted = new Set(pcodes), rects = {};
    FIND
    for (const v of groups) {
        v.eachLayer(l => {
            const e = l.getElement && l.getElement();
            if (!e || !l.feature || !wanted.has(l.feature.id)) return;
            const r = e.getBoundingClientRect();
            const o = rects[l.feature.id] || {l: 1e9, t: 1e9, r: -1e9, b: -1e9};
            rects[l.feature.id] = {l: Math.min(o.l, r.left), t: Math.min(o.t, r.top), r: Math.max(o.r, r.right), b: Math.max(o.b, r.bottom)};
        });
    }
    const box = (e) => { if (!e || !e.offsetWidth) return null; const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
    const labels = [...document.querySelectorAll('.dc-label')].filter(n => getComputedStyle(n).display !== 'none')
        .map(n => ({text: n.textContent, ...box(n)}));
    const frame = map.getContainer().getBoundingClientRect();
    return {rects, labels, frame: {l: frame.left, t: frame.top, r: frame.right, b: frame.bottom},
            boxes: {title: box(document.getElementById('dc-title')), legend: box(document.getElementById('dc-legend')),
                    layers: box(document.querySelector('.leaflet-control-layers')),
                    sources: box(document.getElementById('dc-attribution')), tools: box(document.querySelector('.dc-tools'))},
            zoom: map.getZoom()};
}"""
TOPMOST_JS = """([points]) => { FIND
    return points.map(([lat, lon, id]) => {
        const p = map.latLngToContainerPoint([lat, lon]), o = map.getContainer().getBoundingClientRect();
        const e = document.elementFromPoint(o.left + p.x, o.top + p.y);
        let owner = null;
        for (const v of groups) v.eachLayer(l => { if (l.getElement && l.getElement() === e && l.feature) owner = l.feature.id; });
        return owner === id;
    });
}"""
MEASURE_JS, TOPMOST_JS = (js.replace("FIND", FIND_JS) for js in (MEASURE_JS, TOPMOST_JS))
MAP_JS = "(code) => { " + FIND_JS + " return new Function('map', code)(map); }"


@pytest.fixture(scope="module")
def reader_map(tmp_path_factory, region):
    from districtcontrol.maps import interactive_map, map_html

    folder = tmp_path_factory.mktemp("reader")
    path = folder / "combined.html"
    path.write_text(map_html(interactive_map(region, "combined"), self_contained=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def recorded(region):
    """(P-code, name, representative point) of each district with a record on the combined map."""
    from districtcontrol.maps._view import labelled

    points = region.simplified.geometry.representative_point()
    return [
        (row["pcode"], row["district"], (pt.y, pt.x))
        for row, pt in zip(region.rows, points)
        if labelled(row, "combined", region.legend)
    ]


def _open(browser, path: Path, width: int, height: int, framed: bool, touch: bool = False):  # noqa: F811
    """The map alone at width x height, or in an iframe of that size on an article page; returns (page, frame, errors)."""
    viewport = {"width": width + 40, "height": height + 120} if framed else {"width": width, "height": height}
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    if framed:
        article = path.parent / f"article-{width}x{height}.html"
        article.write_text(
            '<!DOCTYPE html><html lang="en"><head><title>An article</title></head><body style="margin:20px">'
            f'<p>Text of the article.</p><iframe src="{path.name}" title="Map" '
            f'style="width:{width}px;height:{height}px;border:0"></iframe><p>More text.</p></body></html>',
            encoding="utf-8",
        )
        page.goto(article.as_uri())
        target = page.frames[1]
    else:
        page.goto(path.as_uri())
        target = page.main_frame
    target.wait_for_function("window.dcReaderState && window.dcReaderState.fitZoom() !== null")
    return page, target, errors


def _overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    return a["l"] < b["r"] - slack and b["l"] < a["r"] - slack and a["t"] < b["b"] - slack and b["t"] < a["b"] - slack


@pytest.mark.parametrize(("width", "height", "framed"), SIZES)
def test_opening_view_fits_the_frame_clear_of_boxes_with_labels_apart(
    browser,  # noqa: F811
    reader_map,
    region,
    recorded,
    artifacts,
    width,
    height,
    framed,
):
    page, frame, errors = _open(browser, reader_map, width, height, framed)
    where = f"reader-{width}x{height}{'-iframe' if framed else ''}"
    page.screenshot(path=str(artifacts / f"{where}.png"))
    seen = frame.evaluate(MEASURE_JS, list(region.simplified["pcode"]))
    frame_box, rects = seen["frame"], seen["rects"]
    assert len(rects) == len(region.rows)  # every district is drawn
    left, top = min(r["l"] for r in rects.values()), min(r["t"] for r in rects.values())
    right, bottom = max(r["r"] for r in rects.values()), max(r["b"] for r in rects.values())
    fills = max((right - left) / (frame_box["r"] - frame_box["l"]), (bottom - top) / (frame_box["b"] - frame_box["t"]))
    assert fills >= 0.8, f"{where}: the region fills {fills:.0%} of the frame"
    for name, box in seen["boxes"].items():
        for pcode, district, _ in recorded:
            assert box is None or not _overlap(box, rects[pcode], slack=0), f"{where}: the {name} covers {district}"
    labels = seen["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), f"{where}: labels {a['text']!r} and {b['text']!r} overlap"
    named = {label["text"] for label in labels}
    unnamed = [(lat, lon, pcode) for pcode, district, (lat, lon) in recorded if district not in named]
    reachable = frame.evaluate(TOPMOST_JS, [unnamed])
    assert all(reachable), (
        f"{where}: not named and not tappable: {[u[2] for u, ok in zip(unnamed, reachable) if not ok]}"
    )
    assert named & {district for _, district, _ in recorded}, f"{where}: no district with a record is named"
    assert errors == []
    page.context.close()


@pytest.mark.parametrize(("width", "height", "framed"), [*SIZES, (1280, 400, True)])
def test_the_neighbours_cover_all_the_opening_view_shows(browser, reader_map, region, width, height, framed):  # noqa: F811
    """No white band where the shipped neighbours end: a tall phone sees south to the Arabian Sea."""
    import shapely

    from districtcontrol.maps import _surroundings as around_

    page, frame, _ = _open(browser, reader_map, width, height, framed)
    view = frame.evaluate(
        MAP_JS, "const b = map.getBounds(); return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];"
    )
    page.context.close()
    carried = shapely.union_all([shapely.box(*box) for box in around_.html_box(region)])
    shipped = shapely.union_all([shapely.box(*box) for box in json.loads(_neighbours_text())["frame"]])
    seen = shapely.box(*view)
    assert carried.covers(seen), f"{width}x{height}: the view {view} reaches past the neighbours the map carries"
    assert shipped.covers(carried)


def _neighbours_text() -> str:
    from importlib import resources

    return resources.files("districtcontrol.data").joinpath("neighbours.geojson").read_text(encoding="utf-8")


def test_zooming_in_names_more_districts_still_without_overlaps(browser, reader_map):  # noqa: F811
    page, frame, _ = _open(browser, reader_map, 1280, 800, False)
    count = lambda: len(frame.evaluate(MEASURE_JS, [])["labels"])  # noqa: E731
    before = count()
    frame.evaluate(MAP_JS, "map.zoomIn(1.5, {animate: false});")
    frame.wait_for_timeout(300)
    seen = frame.evaluate(MEASURE_JS, [])
    assert len(seen["labels"]) > before
    labels = seen["labels"]
    assert not any(_overlap(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :])
    page.context.close()


def test_phone_boxes_start_folded_and_open_with_a_tap(browser, reader_map, artifacts):  # noqa: F811
    page, frame, _ = _open(browser, reader_map, 390, 844, False, touch=True)
    legend = page.locator("#dc-legend")
    assert "dc-collapsed" in legend.get_attribute("class")
    assert "dc-collapsed" in page.locator(".leaflet-control-layers").get_attribute("class")
    assert legend.bounding_box()["height"] < 40
    page.locator("#dc-legend .dc-toggle").tap()
    assert "No record" in legend.inner_text()
    assert legend.bounding_box()["height"] > 120
    page.screenshot(path=str(artifacts / "reader-390x844-legend-open.png"))
    page.context.close()


def test_desktop_boxes_start_open(browser, reader_map):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    assert "No record" in page.inner_text("#dc-legend")
    assert page.locator(".leaflet-control-layers-list").is_visible()
    page.context.close()


def test_tap_on_a_district_shows_its_tooltip_and_a_second_tap_its_popup(browser, reader_map, recorded, artifacts):  # noqa: F811
    page, frame, _ = _open(browser, reader_map, 390, 844, False, touch=True)
    pcode, district, (lat, lon) = next(r for r in recorded if r[0] == "AF1904")  # Khan Abad
    point = frame.evaluate(MAP_JS, f"return map.latLngToContainerPoint([{lat}, {lon}]);")
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)
    assert district in page.inner_text(".leaflet-tooltip")
    assert page.locator(".leaflet-popup").count() == 0
    tip = page.locator(".leaflet-tooltip").bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= 390  # on the screen
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "reader-390x844-tap.png"))
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    assert district in page.inner_text(".leaflet-popup-content")
    page.context.close()


def test_search_finds_a_district_by_its_dari_name_and_opens_it(browser, reader_map, region, artifacts):  # noqa: F811
    row = next(r for r in region.rows if r["pcode"] == "AF1904")
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    page.get_by_label("Find a district (Latin or Dari name)").fill(row["district_dari"])
    assert row["district"] in page.inner_text(".dc-results")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    assert row["district"] in page.inner_text(".leaflet-popup-content")
    page.wait_for_timeout(400)
    page.screenshot(path=str(artifacts / "reader-search.png"))
    page.context.close()


def test_keyboard_reaches_a_district_and_enter_opens_its_popup(browser, reader_map):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.tagName === 'path'"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label and "(" in label
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)  # focus shows the tooltip
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content", timeout=3000)
    assert label.split(" (")[0] in page.inner_text(".leaflet-popup-content")
    page.context.close()


def test_screen_readers_get_the_districts_with_a_record_as_a_table(browser, reader_map, recorded):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.title() == page.inner_text("#dc-title h1")
    assert page.locator(".dc-sr").bounding_box()["width"] <= 1  # not on screen
    table = page.locator(".dc-sr table")
    rows = table.locator("tr").all_inner_texts()
    assert len(rows) == len(recorded) + 1
    assert all(any(district in r for r in rows) for _, district, _ in recorded)
    page.context.close()


@pytest.mark.parametrize("kind", ["CSV", "GeoJSON"])
def test_the_data_downloads_from_the_page(browser, reader_map, region, kind):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    page.get_by_label("Download the data").click()
    with page.expect_download() as info:
        page.get_by_role("button", name=kind).click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    khan_abad = next(r for r in region.rows if r["pcode"] == "AF1904")
    if kind == "CSV":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == len(region.rows)
        row = next(r for r in rows if r["pcode"] == "AF1904")
    else:
        features = json.loads(text)["features"]
        assert len(features) == len(region.rows)
        feature = next(f for f in features if f["id"] == "AF1904")
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
        row = feature["properties"]
    assert row["district"] == khan_abad["district"] and row["district_dari"] == khan_abad["district_dari"]
    assert row["taliban"] == region.legend.status_label(khan_abad["taliban"])
    page.context.close()


def test_print_shows_legend_and_title_without_the_controls(browser, reader_map):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 390, 844, False)
    page.emulate_media(media="print")
    assert not page.locator(".leaflet-control-zoom").is_visible()
    assert not page.locator(".dc-tools").is_visible()
    assert page.locator("#dc-legend b").is_visible()  # folded on a phone, unfolded on paper
    assert page.locator("#dc-title").is_visible()
    page.context.close()


def test_cdn_map_opened_offline_says_why_it_is_empty(browser, tmp_path, region, artifacts):  # noqa: F811
    from districtcontrol.maps import interactive_map, map_html
    from districtcontrol.maps._reader import OFFLINE_MESSAGE

    path = tmp_path / "is.html"
    path.write_text(map_html(interactive_map(region, "is")), encoding="utf-8")
    context = browser.new_context(viewport={"width": 800, "height": 600})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto(path.as_uri())
    note = page.locator("#dc-offline")
    note.wait_for(state="visible", timeout=3000)
    assert note.inner_text() == OFFLINE_MESSAGE
    assert not page.locator(
        "#dc-legend"
    ).is_visible()  # no box left piled up at the top    page.screenshot(path=str(artifacts / "reader-offline.png"))
    context.close()
    context = browser.new_context(viewport={"width": 800, "height": 600})
    context.route("**/*", _local_cdn)  # the same page with its scripts: no message
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    assert not page.locator("#dc-offline").is_visible()
    context.close()


def test_over_tiles_districts_are_translucent_and_edges_dark(browser, tmp_path, region):  # noqa: F811
    from districtcontrol.maps import interactive_map, map_html

    path = tmp_path / "tiles.html"
    path.write_text(map_html(interactive_map(region, "combined", tiles="OpenStreetMap.Mapnik"), self_contained=True))
    page, _, _ = _open(browser, path, 1280, 800, False)
    styles = page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')].map(p => "
        "[Number(p.getAttribute('fill-opacity')), p.getAttribute('stroke')])"
    )
    districts = [opacity for opacity, stroke in styles if stroke == "#555555"]  # dark edges over tiles
    assert len(districts) >= 133 and all(opacity < 0.7 for opacity in districts)
    assert page.locator(".dc-border").count() == 1
    page.context.close()


def test_full_screen_button_fills_the_screen(browser, reader_map):  # noqa: F811
    page, _, _ = _open(browser, reader_map, 1280, 800, False)
    page.get_by_label("Full screen").click()
    page.wait_for_function("document.fullscreenElement !== null", timeout=3000)
    page.get_by_label("Full screen").click()
    page.wait_for_function("document.fullscreenElement === null", timeout=3000)
    page.context.close()


def test_index_page_fits_a_phone(browser, tmp_path, control_data, artifacts):  # noqa: F811
    from districtcontrol.maps import build

    build(control_data, tmp_path, ("html",))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto((tmp_path / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    frame = page.locator("iframe").first.bounding_box()
    assert frame["width"] <= 390 and frame["height"] >= 300
    page.screenshot(path=str(artifacts / "reader-index-390.png"))
    context.close()
