"""People over time: the summary on every date equals ``summary --as-of`` on that date, the population year
follows the date, and the chart, the small multiples and the index page say it in the legend's words."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from click.testing import CliRunner
from takeover import US_DATES, control_table, takeover_series
from test_time import LEGEND

from districtcontrol.cli import main

pytestmark = pytest.mark.integration
COMPARED = ["level", "unit", "unit_pcode", "group", "status", "districts", "districts_pct", "area_km2", "area_pct"]
COMPARED += ["population", "population_pct", "population_unknown", "unit_districts", "unit_area_km2"]
COMPARED += ["unit_population", "population_source"]
# Kunduz across Nowruz 2016 (20 March): solar year 1394 before it, 1395 from it on.
NOWRUZ_TABLE = """group,province,district,status,date,source
taliban,Kunduz,Kunduz,captured,2015-09-28,a
taliban,Kunduz,Kunduz,none,2015-10-13,a
taliban,Kunduz,Chahar Darah,contested,2016-01-10,b
taliban,Kunduz,Dasht-e-Archi,captured,2016-03-19,c
taliban,Kunduz,Imam Sahib,captured,2016-03-20,d
taliban,Kunduz,Chahar Darah,captured,2016-06,e
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def series_files(tmp_path_factory, real_boundaries):
    folder = tmp_path_factory.mktemp("people")
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    series = takeover_series(real_boundaries)
    nowruz = folder / "nowruz.csv"
    nowruz.write_text(NOWRUZ_TABLE, encoding="utf-8")
    return series, control_table(series, folder / "series.csv"), legend, nowruz


@pytest.fixture(scope="module")
def takeover_people(series_files, real_boundaries):
    """The 2021-kind series for the whole country, with population (the estimates of 1398: none for 1400)."""
    from districtcontrol.geo import load_control

    _, table, legend, _ = series_files
    return load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES)


def _summary_rows(*args, as_of: str) -> list[dict]:
    result = run("summary", "--format", "csv", *args, "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return [{c: r.get(c, "") for c in COMPARED} for r in csv.DictReader(io.StringIO(result.stdout))]


def _dated_rows(frame, as_of: str) -> list[dict]:
    from districtcontrol.geo.over_time import format_over_time

    rows = csv.DictReader(io.StringIO(format_over_time(frame)))
    return [{c: r[c] for c in COMPARED} for r in rows if r["as_of"] == as_of]


def test_the_summary_on_each_date_is_summary_as_of_that_date(series_files, takeover_people, real_boundaries):
    from districtcontrol import summarise_over_time

    _, table, legend, _ = series_files
    frame = summarise_over_time(takeover_people)
    dates = list(dict.fromkeys(frame["as_of"]))
    assert dates[0] == "2021-05-01" and dates[-1] == "2021-08-16" and len(dates) >= 25
    args = ["--table", table, "--legend", legend, "--date-format", US_DATES, "--region", "all"]
    args += ["--boundaries", real_boundaries]
    for as_of in (dates[0], dates[len(dates) // 3], dates[2 * len(dates) // 3], dates[-1]):
        expected = _summary_rows(*args, as_of=as_of)
        assert _dated_rows(frame, as_of) == expected, as_of
        assert {r["level"] for r in expected} == {"province", "region", "country"}
    assert set(frame["population_year"]) == {1398}  # no estimate for 1400: the latest, as summary says
    country = frame[(frame["level"] == "country") & (frame["as_of"] == dates[-1])]
    assert int(country["population"].iloc[0]) > int(frame[frame["level"] == "country"]["population"].iloc[0])


def test_each_date_uses_the_estimate_year_containing_it(series_files, real_boundaries):
    from districtcontrol import load_control, summarise_over_time
    from districtcontrol.geo.population import solar_year

    _, _, _, table = series_files
    data = load_control(table, real_boundaries, "Kunduz")
    frame = summarise_over_time(data)
    years = dict(zip(frame.attrs["dates"], frame.attrs["population_years"]))
    assert years == {
        "2015-09-28": 1394,
        "2015-10-13": 1394,
        "2016-01-10": 1394,
        "2016-03-19": 1394,
        "2016-03-20": 1395,
        "2016-06": 1395,
    }
    # Nothing is held then: the source reports the status as cleared, and only that state has rows.
    assert set(frame.loc[frame["as_of"] == "2015-10-13", "status"]) == {"none"}
    assert dict(zip(frame["as_of"], frame["population_year"])) == years
    assert solar_year(dt.date(2016, 3, 20)) == 1395
    args = ["--table", table, "--region", "Kunduz", "--boundaries", real_boundaries]
    for as_of in ("2016-03-19", "2016-03-20", "2016-06"):
        assert _dated_rows(frame, as_of) == _summary_rows(*args, as_of=as_of), as_of
    before, after = (frame[(frame["as_of"] == d) & (frame["level"] == "country")] for d in ("2016-03-19", "2016-03-20"))
    assert int(before["unit_population"].iloc[0]) != int(after["unit_population"].iloc[0])
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._change_chart import changes_figure

    fig = changes_figure(prepare_region(data), over_time=frame)
    label = data.legend.status_label("captured")
    captured = next(line for line in fig.axes[0].get_lines() if line.get_label().startswith(label))
    assert list(captured.get_ydata())[:3] == [1, 0, 0]  # cleared on 13 October 2015: none held
    texts = [t.get_text() for t in fig.texts]
    assert "People: each date uses the estimates of the solar year containing it (1394 to 1395)." in texts


def test_a_table_without_dates_has_no_summary_over_time(control_data):
    from districtcontrol import DistrictControlError, summarise_over_time

    with pytest.raises(DistrictControlError, match="no summary over time: 25 of the region's 30 district rows"):
        summarise_over_time(control_data)


def test_the_change_chart_shows_people_and_says_which_estimates(takeover_people):
    import matplotlib.dates as mdates

    from districtcontrol import summarise_over_time
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._change_chart import TICK_FORMATS, changes_figure

    region = prepare_region(takeover_people)
    frame = summarise_over_time(takeover_people)
    fig = changes_figure(region, over_time=frame)
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
    assert titles == ["Taliban: districts", "Taliban: people in those districts"]
    last = frame[(frame["level"] == "region") & (frame["as_of"] == "2021-08-16")].iloc[0]
    districts, people = (ax.get_lines()[0] for ax in fig.axes[:2])
    assert list(districts.get_ydata())[-1] == last["districts"]
    assert list(people.get_ydata())[-1] == pytest.approx(last["population"] / 1e6)
    assert f"{last['population_pct']:.1f} % on 16 August 2021" in people.get_label()
    texts = [t.get_text() for t in fig.texts]
    assert any("solar year 1398, 2019-20 on every date, the latest there are (none for 1400)" in t for t in texts)
    fig.canvas.draw()
    formatter = fig.axes[0].xaxis.get_major_formatter()
    assert isinstance(formatter, mdates.ConciseDateFormatter) and formatter.formats == TICK_FORMATS
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert ticks == ["May", "Jun", "Jul", "Aug"] and formatter.get_offset() == "2021"


def test_without_population_the_chart_counts_districts_only(series_files, real_boundaries):
    from districtcontrol.geo import load_control
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._change_chart import changes_figure

    _, table, legend, _ = series_files
    data = load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES, population=False)
    fig = changes_figure(prepare_region(data))
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["Taliban: districts"]
    assert "No population estimates: districts only." in [t.get_text() for t in fig.texts]


def test_small_multiples_are_spaced_by_calendar_and_worded_from_the_legend(takeover_people):
    from districtcontrol.geo._time import period
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._time_figures import all_steps, panel_dates, timeline_figure

    region = prepare_region(takeover_people)
    every = [p.end for p in all_steps(region).periods]
    chosen = [p.end for p in panel_dates(region, 5)]
    first, last = every[0], every[-1]
    assert chosen[0] == first and chosen[-1] == last
    for i, day in enumerate(chosen[1:-1], 1):
        target = first + (last - first) * i / 4
        assert abs(day - target) == min(abs(d - target) for d in every), (day, target)
    assert max(b - a for a, b in zip(chosen, chosen[1:])) <= (last - first) / 4 + dt.timedelta(days=7)
    fig = timeline_figure(region, "combined", 4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 4 and all(" districts held by the Taliban" in t for t in titles)
    assert titles[0].startswith(f"{period('2021-05-01').words}: ")
    texts = [t.get_text() for t in fig.texts]
    assert any(t.startswith("Taliban: districts by status, 4 dates from 1 May 2021") for t in texts)
    assert not any("All groups" in t or "with a status" in t for t in texts + titles)
    assert all(not ax.child_axes for ax in fig.axes)  # no locator on a map of the whole country


def test_the_index_page_lists_the_figures_of_every_date(takeover_people):
    from districtcontrol import summarise, summarise_over_time
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._page import index_page

    region = prepare_region(takeover_people)
    frame = summarise_over_time(takeover_people)
    page = index_page(region, summarise(takeover_people), changes="changes.svg", over_time=frame)
    table = page.split('<table class="dc-dated">')[1].split("</table>")[0]
    dates = list(dict.fromkeys(frame["as_of"]))
    assert table.count("<tr>") == 1 + len(dates)  # a heading, then one status of one group per date
    last = frame[(frame["level"] == "region") & (frame["as_of"] == dates[-1])].iloc[0]
    row = f'<td>{dates[-1]}</td><td>Taliban</td><td>Held by the Taliban</td><td class="num">{last["districts"]}</td>'
    assert row in table and f"{int(last['population']):,}</td>" in table and '<td class="num">1398</td>' in table
    assert 'href="timeline_summary.csv"' in page
