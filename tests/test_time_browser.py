"""The timeline of an HTML map in Chromium: what it draws at each step is what ``summary --as-of`` counts."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from takeover import US_DATES, control_table, takeover_series
from test_browser import FIND_DISTRICT_JS, browser, open_offline  # noqa: F401  (browser is a fixture)
from test_time import CAPTURED_COLOUR, LEGEND

from districtcontrol.cli import main

pytestmark = [pytest.mark.browser, pytest.mark.integration]
DRAWN_JS = """(colour) => Array.from(document.querySelectorAll('path.leaflet-interactive'))
    .filter(p => (p.getAttribute('fill') || '').toLowerCase() === colour.toLowerCase()).length"""


@pytest.fixture(scope="module")
def takeover_map(tmp_path_factory, real_boundaries):
    """The combined map of a 2021-kind series for the whole country, self-contained, and how to ask summary."""
    from districtcontrol.geo import load_control
    from districtcontrol.geo._time import time_steps
    from districtcontrol.maps import save_map

    folder = tmp_path_factory.mktemp("takeover-map")
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    table = control_table(takeover_series(real_boundaries), folder / "series.csv")
    data = load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES, population=False)
    path = save_map(data, "combined", folder / "combined.html", self_contained=True)
    summary = ["summary", "--format", "csv", "--table", table, "--legend", legend, "--date-format", US_DATES]
    summary += ["--region", "all", "--no-population", "--boundaries", real_boundaries]
    return path, time_steps(data), [str(a) for a in summary]


def summary_count(summary_args: list[str], as_of: str) -> int:
    """Districts captured in the country as of a date, as ``districtcontrol summary --as-of`` reports them."""
    result = CliRunner().invoke(main, [*summary_args, "--as-of", as_of], catch_exceptions=False)
    rows = csv.DictReader(io.StringIO(result.stdout))
    return sum(int(r["districts"]) for r in rows if r["level"] == "country" and r["status"] == "captured")


def test_first_and_last_step_draw_what_summary_reports(browser, takeover_map, artifacts):  # noqa: F811
    path, steps, summary = takeover_map
    first, last = steps.periods[0], steps.periods[-1]
    page, errors = open_offline(browser, path)
    drawn = page.evaluate(DRAWN_JS, CAPTURED_COLOUR)
    assert drawn == summary_count(summary, last.text) > 0
    assert page.inner_text(".dc-time-date") == last.words
    page.screenshot(path=str(artifacts / "browser-timeline-last.png"))
    page.locator(".dc-time-slider").focus()
    page.keyboard.press("Home")
    count = summary_count(summary, first.text)
    assert page.evaluate(DRAWN_JS, CAPTURED_COLOUR) == count != drawn
    assert f"Held by the Taliban — {count} districts" in page.text_content(".dc-legend")
    assert page.inner_text(".dc-title p") == f"As of {first.words}"
    assert page.inner_text(".dc-time-date") == first.words
    page.screenshot(path=str(artifacts / "browser-timeline-first.png"))
    page.keyboard.press("End")
    assert page.evaluate(DRAWN_JS, CAPTURED_COLOUR) == drawn
    assert f"Held by the Taliban — {drawn} districts" in page.text_content(".dc-legend")
    assert errors == []
    page.context.close()


def test_tooltip_shows_the_status_on_the_date_shown(browser, takeover_map):  # noqa: F811
    path, steps, _ = takeover_map
    first = steps.statuses[0]
    fallen = next(pc for (pc, g), s in steps.statuses[-1].items() if s != "none" and first.get((pc, g)) == "none")
    page, errors = open_offline(browser, path)
    assert "Held by the Taliban" in _hover(page, fallen)
    page.locator(".dc-time-slider").focus()
    page.keyboard.press("Home")
    assert "Reported: no status" in _hover(page, fallen)  # the source's 0 on its first date, not "no record"
    assert errors == []
    page.context.close()


def _hover(page, pcode: str) -> str:
    page.mouse.move(1, 1)
    page.wait_for_selector(".leaflet-tooltip", state="detached")  # the last one faded out
    x, y = page.evaluate(FIND_DISTRICT_JS, pcode)
    page.mouse.move(x, y)
    page.wait_for_selector(".leaflet-tooltip", timeout=3000)
    return page.inner_text(".leaflet-tooltip")


def test_keyboard_steps_and_plays(browser, takeover_map):  # noqa: F811
    path, steps, _ = takeover_map
    page, errors = open_offline(browser, path)
    slider = page.locator(".dc-time-slider")
    slider.focus()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert slider.input_value() == "1" and page.inner_text(".dc-time-date") == steps.periods[1].words
    page.keyboard.press("Space")
    assert page.get_attribute(".dc-time-play", "aria-pressed") == "true"
    page.wait_for_function("document.querySelector('.dc-time-slider').value >= 3", timeout=5000)
    page.keyboard.press("Space")
    stopped = slider.input_value()
    page.wait_for_timeout(1000)
    assert slider.input_value() == stopped and page.get_attribute(".dc-time-play", "aria-pressed") == "false"
    assert page.get_attribute(".dc-time-play", "aria-label") == "Play through the dates"
    assert errors == []
    page.context.close()


def test_play_runs_to_the_last_date_and_stops(browser, takeover_map):  # noqa: F811
    path, steps, _ = takeover_map
    page, errors = open_offline(browser, path)
    page.click(".dc-time-play")  # at the last date, play starts over from the first
    assert int(page.locator(".dc-time-slider").input_value()) <= 1
    timeout = 1000 * len(steps.periods)
    page.wait_for_function(
        "document.querySelector('.dc-time-play').getAttribute('aria-pressed') === 'false'", timeout=timeout
    )
    assert page.inner_text(".dc-time-date") == steps.periods[-1].words
    assert errors == []
    page.context.close()


def test_on_a_phone_the_control_fits_and_answers_touch(browser, takeover_map, artifacts):  # noqa: F811
    path, steps, _ = takeover_map
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector(".dc-time")
    box = page.locator(".dc-time").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    slider = page.locator(".dc-time-slider").bounding_box()
    page.touchscreen.tap(slider["x"] + 2, slider["y"] + slider["height"] / 2)
    assert page.inner_text(".dc-time-date") == steps.periods[0].words
    page.locator(".dc-time-play").tap()
    assert page.get_attribute(".dc-time-play", "aria-pressed") == "true"
    page.screenshot(path=str(artifacts / "browser-timeline-phone.png"))
    assert errors == []
    context.close()


# -- people, frames and phones (a whole-country series with population) -------------------------

PLACEHOLDER_FITS_JS = """() => { const i = document.querySelector('.dc-search input'), s = getComputedStyle(i);
    const c = document.createElement('canvas').getContext('2d'); c.font = s.fontSize + ' ' + s.fontFamily;
    const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 20;  // the clear button's room
    return c.measureText(i.placeholder).width <= room; }"""
COVERED_JS = """(colour) => { const t = document.querySelector('.dc-time').getBoundingClientRect();
    return Array.from(document.querySelectorAll('path.leaflet-interactive'))
      .filter(p => (p.getAttribute('fill') || '').toLowerCase() === colour.toLowerCase())
      .map(p => p.getBoundingClientRect())
      .filter(r => r.left < t.right && t.left < r.right && r.top < t.bottom && t.top < r.bottom).length; }"""


@pytest.fixture(scope="module")
def people_map(tmp_path_factory, real_boundaries):
    """The combined map of the 2021-kind series with population, and the summary of its first and last date."""
    from districtcontrol.geo import load_control
    from districtcontrol.geo.over_time import summarise_over_time
    from districtcontrol.maps import save_map

    folder = tmp_path_factory.mktemp("people-map")
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    table = control_table(takeover_series(real_boundaries), folder / "series.csv")
    data = load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES)
    path = save_map(data, "combined", folder / "combined.html", self_contained=True)
    frame = folder / "frame.html"
    frame.write_text('<!doctype html><body style="margin:0"><iframe src="combined.html" width="680" height="420" '
                     'style="border:0" title="map"></iframe></body>', encoding="utf-8")  # fmt: skip
    return path, frame, summarise_over_time(data)


def _page(browser, path, width: int, height: int, phone: bool = False):  # noqa: F811  (browser: the fixture's value)
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector(".dc-time")
    return page, errors


def test_the_legend_gives_districts_and_people_on_the_date_shown(browser, people_map):  # noqa: F811
    from districtcontrol.maps._view import people_in_words

    path, _, frame = people_map
    page, errors = _page(browser, path, 1400, 850)
    region = frame[frame["level"] == "region"]
    for key, as_of in (("End", frame.attrs["dates"][-1]), ("Home", frame.attrs["dates"][0])):
        page.locator(".dc-time-slider").focus()
        page.keyboard.press(key)
        row = region[region["as_of"] == as_of].iloc[0]
        people = people_in_words(int(row["population"]))
        told = f"Held by the Taliban — {row['districts']} districts · {people} people"
        assert told in page.text_content(".dc-legend"), (as_of, page.text_content(".dc-legend"))
        assert page.inner_text(".dc-time-people") == "People: the estimates of solar year 1398"
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_on_a_desktop_the_boxes_stay_open_beside_the_time_box(browser, people_map, artifacts, size):  # noqa: F811
    path, _, _ = people_map
    page, errors = _page(browser, path, *size)
    for box in (".dc-legend", ".dc-attribution", ".leaflet-control-layers"):
        assert "dc-collapsed" not in page.get_attribute(box, "class"), (size, box)
    assert page.evaluate(COVERED_JS, CAPTURED_COLOUR) == 0
    assert page.inner_text(".dc-title p") == "As of 16 August 2021"
    page.screenshot(path=str(artifacts / f"browser-timeline-{size[0]}.png"))
    assert errors == []
    page.context.close()


def test_in_a_small_iframe_the_region_is_clear_and_the_date_in_the_title(browser, people_map, artifacts):  # noqa: F811
    path, frame_page, frame = people_map
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 700, "height": 440})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(frame_page.as_uri())
    inner = page.frame_locator("iframe")
    inner.locator(".dc-time").wait_for()
    map_frame = page.frames[1]
    map_frame.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length > 0")
    assert map_frame.evaluate(COVERED_JS, CAPTURED_COLOUR) == 0
    assert inner.locator(".dc-title h1").inner_text() == "Districts held by the Taliban · 16 August 2021"
    inner.locator(".dc-time-slider").focus()
    page.keyboard.press("Home")
    first = frame.attrs["dates"][0]
    assert inner.locator(".dc-title h1").inner_text().endswith(" · 1 May 2021") and first == "2021-05-01"
    page.screenshot(path=str(artifacts / "browser-timeline-iframe.png"))
    assert errors == []
    context.close()


def test_on_a_phone_the_slider_takes_a_thumb_and_the_placeholder_fits(browser, people_map, artifacts):  # noqa: F811
    path, _, _ = people_map
    page, errors = _page(browser, path, 390, 844, phone=True)
    slider = page.locator(".dc-time-slider").bounding_box()
    play = page.locator(".dc-time-play").bounding_box()
    assert slider["width"] >= 250 and slider["height"] >= 44 and play["width"] >= 44 and play["height"] >= 44
    assert page.evaluate(PLACEHOLDER_FITS_JS)
    assert page.locator(".dc-title h1").inner_text().endswith(" · 16 August 2021")
    page.screenshot(path=str(artifacts / "browser-timeline-phone-people.png"))
    assert errors == []
    page.context.close()
