"""Browser tests: the real HTML opened in headless Chromium (Debian's), looked at as a reader would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIND_DISTRICT_JS = """(pcode) => {
            for (const layer of Object.values(window)) {
                if (!layer || typeof layer.eachLayer !== 'function' || !layer.toGeoJSON) continue;
                let found = null;
                layer.eachLayer(l => { if (l.feature && l.feature.id === pcode && !found) found = l; });
                if (found) {
                    const map = found._map;
                    const c = map.latLngToContainerPoint(found.getCenter());
                    const r = map.getContainer().getBoundingClientRect();
                    return [r.left + c.x, r.top + c.y];
                }
            }
            return null;
        }"""
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "<svg onload=window.__pwned=1>",
    "${window.__pwned=1}` \\ {{ 7*7 }} \u202eevil",
]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: install Debian's 'chromium' package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory, control_data):
    from districtcontrol.maps import build

    out = tmp_path_factory.mktemp("built")
    build(control_data, out, ("html",), self_contained=True)
    return out


def open_offline(browser, path: Path):
    """Open a file with every network request refused; return the page and the errors it logged."""
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    return page, errors


def _centre(page, pcode: str) -> tuple[float, float]:
    return tuple(page.evaluate(FIND_DISTRICT_JS, pcode))


def hover_district(page, pcode: str) -> str:
    """Hover the district's polygon (found through Leaflet's own layers) and return the tooltip text."""
    point = page.evaluate(FIND_DISTRICT_JS, pcode)
    assert point, f"no polygon for {pcode}"
    page.mouse.move(point[0], point[1])
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)
    return page.inner_text(".leaflet-tooltip")


@pytest.mark.parametrize(
    ("name", "pcode", "district"),
    [
        ("combined", "AF1904", "Khan Abad"),
        ("taliban", "AF1725", "Zebak"),
        ("is", "AF2811", "Darzab"),
        ("imu", "AF2203", "Kohestanat"),
    ],
)
def test_map_draws_districts_legend_and_tooltip(browser, built, artifacts, name, pcode, district):
    page, errors = open_offline(browser, built / f"{name}.html")
    assert page.locator("path.leaflet-interactive").count() >= 133
    legend = page.inner_text(".dc-legend")
    assert "No record" in legend and "(" in legend
    assert page.inner_text(".dc-title h1")
    tip = hover_district(page, pcode)
    assert district in tip and "P-code" in tip
    page.screenshot(path=str(artifacts / f"browser-{name}.png"))
    assert errors == []
    page.context.close()


def test_index_page_shows_every_map(browser, built, artifacts, control_data):
    from districtcontrol.maps._view import map_names

    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    page.goto((built / "index.html").as_uri())
    frames = page.locator("iframe")
    assert frames.count() == len(map_names(control_data)) == 5  # combined, taliban, is, imu, unattributed
    assert "Khan Abad" in page.inner_text("body")
    page.screenshot(path=str(artifacts / "browser-index.png"), full_page=False)
    context.close()


def test_hostile_table_stays_text_in_the_browser(browser, tmp_path, real_boundaries, artifacts):
    from districtcontrol.geo import load_control
    from districtcontrol.maps import build

    lines = ["group,province,district,status,date,source,note"]
    for i, text in enumerate(HOSTILE):
        quoted = text.replace('"', '""')
        district = ["Khanabad", "Zebak", "Darzab", "Almar"][i]
        province = ["Kunduz", "Badakhshan", "Jowzjan", "Faryab"][i]
        lines.append(
            f'{["taliban", "is", "imu", "taliban"][i]},{province},{district},captured,,"{quoted}","{quoted * 3}"'
        )
    lines.append(f'imu,Balkh,,present,,"{HOSTILE[0]}","{"x" * 10_000}{HOSTILE[1].replace(chr(34), chr(34) * 2)}"')
    table = tmp_path / "hostile.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    build(load_control(table, real_boundaries), out, ("html",), self_contained=True)
    index = (out / "index.html").read_text()
    assert "<script>window.__pwned" not in index and "&lt;script&gt;window.__pwned" in index
    for name in ("combined", "taliban", "is", "imu"):
        page, errors = open_offline(browser, out / f"{name}.html")
        for path in page.locator("path.leaflet-interactive").all():
            box = path.bounding_box()
            if box and box["width"] > 3 and 0 < box["x"] < 1390 and 0 < box["y"] < 840:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.evaluate("window.__pwned") is None
        assert page.evaluate("document.querySelectorAll('[onerror], [onload], img[src=x]').length") == 0
        assert not [e for e in errors if "dialog" in e]
        if name == "combined":
            page.reload()  # close the popups the clicks opened: one could cover the district
            page.wait_for_selector("path.leaflet-interactive")
            hover_district(page, "AF1904")
            page.mouse.click(*_centre(page, "AF1904"))
            page.wait_for_selector(".leaflet-popup-content")
            popup = page.inner_text(".leaflet-popup-content")
            assert any(h in popup for h in HOSTILE), popup  # shown as literal text
        page.screenshot(path=str(artifacts / f"browser-hostile-{name}.png"))
        page.context.close()


def _local_cdn(route):
    """Serve the CDN files a map asks for from the packages' own copies; refuse anything else.

    The copies are the files the CDN serves, so the pages' integrity hashes must match them.
    """
    from districtcontrol.maps._libraries import LIBRARIES

    url = route.request.url
    if url.startswith("file:"):
        return route.continue_()
    files = {lib.url: lib for lib in LIBRARIES}
    folium_own = re.search(r"/leaflet@[\d.]+/dist/leaflet\.(js|css)$", url)  # what folium's m.save names
    if folium_own and url not in files:
        url = next(lib.url for lib in LIBRARIES if lib.url.endswith(folium_own.group(0).split("/", 2)[2]))
    if url in files:
        kind = "text/css" if url.endswith(".css") else "application/javascript"
        headers = {"Access-Control-Allow-Origin": "*"}
        return route.fulfill(body=files[url].data(), content_type=kind, headers=headers)
    return route.abort()


@pytest.mark.parametrize("render", ["map_html", "folium save"])
def test_cdn_mode_and_folium_own_save_draw_the_districts(browser, tmp_path, control_data, render):
    """Every script a map needs is named in its page, whether written by map_html or by folium itself."""
    from districtcontrol.maps import interactive_map, map_html

    m = interactive_map(control_data, "combined")
    path = tmp_path / "map.html"
    if render == "map_html":
        path.write_text(map_html(m), encoding="utf-8")
    else:
        m.save(str(path))  # as in a notebook or a user's own script
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    context.route("**/*", _local_cdn)
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive")
    assert page.locator("path.leaflet-interactive").count() >= 133 + 23  # base layer and the group layers
    assert "Khan Abad" in hover_district(page, "AF1904")
    context.close()


def test_cdn_scripts_carry_integrity_hashes_the_browser_enforces(browser, tmp_path, control_data):
    """A library changed on its way from the CDN is refused: the map draws nothing instead of running it."""
    from districtcontrol.maps import interactive_map, map_html
    from districtcontrol.maps._libraries import LIBRARIES

    path = tmp_path / "map.html"
    path.write_text(map_html(interactive_map(control_data, "is")), encoding="utf-8")
    html = path.read_text()
    for lib in LIBRARIES:
        assert f'"{lib.url}" integrity="{lib.integrity}" crossorigin="anonymous"' in html

    def tampered(route):
        polyline = next(lib for lib in LIBRARIES if lib.name == "polyline")
        if route.request.url == polyline.url:
            body = polyline.text() + "\nwindow.__tampered = true;"
            return route.fulfill(
                body=body, content_type="application/javascript", headers={"Access-Control-Allow-Origin": "*"}
            )
        return _local_cdn(route)

    context = browser.new_context(viewport={"width": 1000, "height": 700})
    context.route("**/*", tampered)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_timeout(500)
    assert page.evaluate("window.__tampered") is None
    assert any("integrity" in e for e in errors), errors
    context.close()
