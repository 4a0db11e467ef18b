"""Time: statuses as of a date, the wording every output uses, the timeline's steps, and the time outputs of a build."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from takeover import US_DATES, control_table, held_per_date, takeover_series

from districtcontrol import DistrictControlError
from districtcontrol.cli import main

KUNDUZ_TABLE = """group,province,district,status,date,source,note
taliban,Kunduz,Kunduz,captured,2015-09-28,a,falls
taliban,Kunduz,Kunduz,retaken,2015-10-13,b,retaken
taliban,Kunduz,Chahar Darah,contested,2015-10,c,
taliban,Kunduz,Khan Abad,captured,,d,undated
taliban,Kunduz,Dasht-e-Archi,captured,2015-09-01,e,
taliban,Kunduz,Dasht-e-Archi,none,2015-10-01,f,cleared
is,Kunduz,Imam Sahib,present,2016,g,
"""
LEGEND = """title = "Districts held by the Taliban"
[groups.taliban]
label = "Taliban"
[statuses.captured]
label = "Held by the Taliban"
rank = 3
"""
CAPTURED_COLOUR = "#D55E00"  # the first of the palette: the legend gives the status no colour


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def kunduz_table(tmp_path_factory):
    path = tmp_path_factory.mktemp("time") / "kunduz.csv"
    path.write_text(KUNDUZ_TABLE, encoding="utf-8")
    return path


def _load(table, boundaries, as_of=None, **kwargs):
    from districtcontrol.geo import load_control

    return load_control(table, boundaries, "Kunduz", as_of=as_of, population=False, **kwargs)


# -- dates as periods ----------------------------------------------------------------------


def test_a_partial_date_covers_its_period_and_reads_as_people_say_it():
    from districtcontrol.geo._time import period

    assert (period("2015").start, period("2015").end) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert (period("2016-02").start, period("2016-02").end) == (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert [period(t).words for t in ("2015", "2015-10", "2021-08-16")] == ["2015", "October 2015", "16 August 2021"]


def test_many_dates_are_stepped_by_week_then_month_and_keep_the_last():
    from districtcontrol.geo._time import day_period, thin_steps

    days = [day_period(dt.date(2021, 1, 1) + dt.timedelta(days=i)) for i in range(200)]
    assert thin_steps(days[:60]) == (days[:60], "date")
    weekly, unit = thin_steps(days)
    assert unit == "week" and weekly[-1] == days[-1]  # the last date is always a step
    assert all(p.end.isoweekday() == 7 for p in weekly[:-1])  # every other step: the Sunday ending its week
    assert len(weekly) == len({p.end.isocalendar()[:2] for p in days}) <= 60
    years = [day_period(dt.date(2018, 1, 1) + dt.timedelta(days=i)) for i in range(3 * 365)]
    monthly, unit = thin_steps(years)
    assert unit == "month" and len(monthly) == 36 and monthly[-1] == years[-1]


# -- as of a date -----------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.parametrize(
    ("as_of", "kunduz", "chahar_darah", "dasht_e_archi", "imam_sahib"),
    [
        ("2015-09-30", "captured", None, "captured", None),  # the 2015-10 row holds from 1 October
        ("2015-10-01", "captured", "contested", "none", None),  # 'none' holds from its date on, as reported
        ("2015-10", "retaken", "contested", "none", None),  # a month: its last day, 31 October
        ("2016-06-01", "retaken", "contested", "none", "present"),  # a row dated 2016 holds from 1 January
        (None, "retaken", "contested", "none", "present"),  # the default counts every row
    ],
)
def test_status_as_of_a_date_is_the_latest_row_on_or_before_it(
    kunduz_table, real_boundaries, as_of, kunduz, chahar_darah, dasht_e_archi, imam_sahib
):
    data = _load(kunduz_table, real_boundaries, as_of)
    rows = data.districts.set_index("district").astype(object)
    rows = rows.where(rows.notna(), None)
    assert rows.loc["Kunduz", "taliban"] == kunduz
    assert rows.loc["Chahar Darah", "taliban"] == chahar_darah
    assert rows.loc["Dasht-e-Archi", "taliban"] == dasht_e_archi
    assert rows.loc["Imam Sahib", "is"] == imam_sahib
    assert rows.loc["Khan Abad", "taliban"] == "captured"  # undated rows hold at every date


@pytest.mark.integration
def test_history_keeps_every_row_and_marks_the_later_ones(kunduz_table, real_boundaries, tmp_path):
    from districtcontrol.geo.export import flat_districts

    data = _load(kunduz_table, real_boundaries, "2015-10-01")
    history = data.districts.set_index("district").loc["Kunduz", "history"]
    assert [(h["date"], h.get("after_as_of", False)) for h in history] == [("2015-09-28", False), ("2015-10-13", True)]
    flat = flat_districts(data.districts, data.legend).set_index("district")
    assert (flat.loc["Kunduz", "taliban_date"], flat.loc["Kunduz", "taliban_note"]) == ("2015-09-28", "falls")
    default = _load(kunduz_table, real_boundaries)
    assert not any(h.get("after_as_of") for hs in default.districts["history"] for h in hs)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2015-08", "before the table's first date (1 September 2015): choose a date from 1 September 2015 to 2016"),
        ("2015-13", "impossible date '2015-13'"),
        ("15/10/2015", "malformed date"),
        (
            "2999-01-01",
            "2999-01-01 is in the future, after the table's last date (2016): choose a date from 1 September",
        ),
        ("1850", "1850 is before the table's first date (1 September 2015)"),
    ],
)
def test_a_date_the_table_cannot_show_is_an_error_before_anything_is_written(
    kunduz_table, real_boundaries, tmp_path, as_of, message
):
    with pytest.raises(DistrictControlError, match="--as-of") as caught:
        _load(kunduz_table, real_boundaries, as_of)
    assert message in str(caught.value)
    out = tmp_path / "maps"
    result = run("build", "--out", out, "--table", kunduz_table, "--boundaries", real_boundaries, "--as-of", as_of)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.integration
def test_an_as_of_date_after_the_tables_last_one_is_shown_and_said(kunduz_table, real_boundaries, caplog):
    with caplog.at_level("WARNING"):
        data = _load(kunduz_table, real_boundaries, "2020-01-01")
    assert data.as_of == "2020-01-01"
    assert "--as-of 2020-01-01 is after the table's last date (2016)" in caplog.text


@pytest.mark.integration
def test_a_table_without_dates_has_no_as_of(tmp_path, real_boundaries):
    table = tmp_path / "undated.csv"
    table.write_text("group,province,district,status\ntaliban,Kunduz,Khan Abad,captured\n", encoding="utf-8")
    data = _load(table, real_boundaries)
    assert (data.as_of, data.when) == (None, "")
    with pytest.raises(DistrictControlError, match="the table has no dates"):
        _load(table, real_boundaries, "2015")


# -- every output states the date ------------------------------------------------------------------


@pytest.mark.integration
def test_every_output_states_the_date_it_shows(kunduz_table, real_boundaries, tmp_path):
    common = ["--table", kunduz_table, "--boundaries", real_boundaries, "--region", "Kunduz", "--no-population"]
    geojson = tmp_path / "k.geojson"
    assert run("export", "-o", geojson, *common, "--as-of", "2015-10-01").exit_code == 0
    collection = json.loads(geojson.read_text())
    assert (collection["as_of"], collection["when"]) == ("2015-10-01", "as of 1 October 2015")
    table = run("summary", *common, "--as-of", "2015-10-01").output
    assert table.splitlines()[0] == "As of 1 October 2015"
    rows = list(csv.DictReader(io.StringIO(run("summary", *common, "--format", "csv", "--as-of", "2015-10").stdout)))
    assert {(r["as_of"], r["when"]) for r in rows} == {("2015-10", "as of October 2015")}
    body = json.loads(run("summary", *common, "--format", "json").stdout)
    assert (body["as_of"], body["when"]) == ("2016", "events of 1 September 2015 to 2016")  # one row undated
    html = tmp_path / "k.html"
    assert run("map", "taliban", "-o", html, *common, "--as-of", "2015-09-30").exit_code == 0
    assert "<p>As of 30 September 2015</p>" in html.read_text()


@pytest.mark.integration
def test_the_date_follows_the_users_subtitle_and_is_not_repeated(kunduz_table, real_boundaries):
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps.interactive import map_text
    from districtcontrol.maps.static import static_map

    region = prepare_region(_load(kunduz_table, real_boundaries, "2015-10"))
    assert map_text(region, "combined").subtitle == "As of October 2015"
    said = map_text(region, "combined", _captions("Field reports <b>as of October 2015</b>")).subtitle
    assert said == "Field reports <b>as of October 2015</b>"
    given = map_text(region, "taliban", _captions("Field reports")).subtitle
    assert given == "Field reports · as of October 2015"
    fig = static_map(region, "taliban", subtitle="Field reports")
    assert any("Field reports · as of October 2015" in t.get_text() for t in fig.texts)


def _captions(subtitle):
    from districtcontrol.maps._view import Captions

    return Captions(subtitle=subtitle)


@pytest.mark.integration
def test_the_shipped_table_keeps_its_maps_and_says_why_there_is_no_timeline(control_data, tmp_path, real_boundaries):
    from districtcontrol.maps import interactive_map, map_html
    from districtcontrol.maps._build import planned_outputs
    from districtcontrol.maps._popups import esc
    from districtcontrol.maps._view import REPORT_LABEL

    assert control_data.when == "events of 2015 to April 2017" and control_data.when in REPORT_LABEL
    html = map_html(interactive_map(control_data, "combined"))
    assert "dc-time" not in html and f"<p>{esc(REPORT_LABEL)}</p>" in html  # the subtitle says the period already
    assert not {"timeline.csv", "timeline.png", "changes.png"} & set(planned_outputs(control_data))
    result = run("build", "--out", tmp_path / "m", "--format", "geojson", "--boundaries", real_boundaries)
    assert (
        "No timeline, timeline.csv or change chart: 25 of the region's 30 district rows have no date" in result.output
    )
    assert not list((tmp_path / "m").glob("timeline*")) and not list((tmp_path / "m").glob("changes*"))


# -- a series of the 2021 kind ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def takeover(tmp_path_factory, real_boundaries):
    """~300 districts × 40 dates, US dates, 0/1 control, names without provinces; its table and legend."""
    folder = tmp_path_factory.mktemp("takeover")
    series = takeover_series(real_boundaries)
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    return series, control_table(series, folder / "series.csv"), legend


@pytest.fixture(scope="module")
def takeover_data(takeover, real_boundaries):
    from districtcontrol.geo import load_control

    _, table, legend = takeover
    return load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES, population=False)


@pytest.mark.integration
def test_each_step_counts_what_the_source_counts(takeover, takeover_data):
    from districtcontrol.geo._time import time_steps

    series, _, _ = takeover
    source = held_per_date(series)
    steps = time_steps(takeover_data)
    assert steps.unit == "date" and 25 <= len(steps.periods) <= 40
    assert steps.periods[-1].text == "2021-08-16" and takeover_data.when == "as of 16 August 2021"
    for p, now in zip(steps.periods, steps.statuses):
        assert sum(1 for s in now.values() if s == "captured") == source[p.text], p.text


@pytest.mark.integration
@pytest.mark.parametrize("day", ["5/1/2021", "7/20/2021", "8/16/2021"])
def test_summary_as_of_counts_what_the_source_counts(takeover, real_boundaries, day):
    series, table, legend = takeover
    month, date, year = day.split("/")
    iso = f"{year}-{int(month):02d}-{int(date):02d}"
    args = ["summary", "--format", "csv", "--table", table, "--legend", legend, "--date-format", US_DATES]
    result = run(*args, "--region", "all", "--no-population", "--boundaries", real_boundaries, "--as-of", iso)
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["level"] == "country"]
    held = held_per_date(series)[iso]
    reported = len({obs.pcode for obs in series})
    assert [(r["status"], int(r["districts"])) for r in rows] == [("captured", held), ("none", reported - held)]


NORTH_EAST = ("Kunduz", "Takhar", "Baghlan", "Badakhshan")  # a region whose static maps are quick to label


def _load_takeover(table, legend, boundaries, region):
    from districtcontrol.geo import load_control

    return load_control(table, boundaries, ",".join(region), legend=legend, date_format=US_DATES, population=False)


@pytest.mark.integration
def test_build_writes_the_change_table_small_multiples_and_chart(takeover, real_boundaries, tmp_path):
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._time_figures import timeline_figure

    series, table, legend = takeover
    out = tmp_path / "maps"
    common = ["--table", table, "--legend", legend, "--date-format", US_DATES, "--no-population"]
    result = run("build", "--out", out, *common, "--boundaries", real_boundaries, "--region", ",".join(NORTH_EAST))
    assert result.exit_code == 0 and "No timeline" not in result.output
    written = {p.name for p in out.iterdir()}
    figure = timeline_figure(prepare_region(_load_takeover(table, legend, real_boundaries, NORTH_EAST)), dates=4)
    assert len([ax for ax in figure.axes if ax.get_title()]) == 4  # four distinct dates, even where rows are sparse
    assert {"timeline.csv", "timeline.png", "timeline.svg", "changes.png", "changes.svg"} <= written
    held: dict[str, str] = {}
    counts = {}
    changes = list(csv.DictReader((out / "timeline.csv").open(encoding="utf-8")))
    assert list(changes[0]) == ["pcode", "district", "province", "group", "date", "status"]
    for change in changes:
        held[change["pcode"]] = change["status"]
        counts[change["date"]] = sum(1 for s in held.values() if s == "captured")
    source = held_per_date(series, NORTH_EAST)
    assert counts == {d: source[d] for d in counts}
    assert len(counts) >= 2 and all(c["status"] in ("captured", "none") for c in changes)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<img src="changes.svg"' in index and 'href="timeline.svg"' in index


@pytest.mark.integration
def test_small_multiples_show_the_dates_asked_for(takeover, takeover_data):
    from districtcontrol.maps import prepare_region
    from districtcontrol.maps._change_chart import changes_figure
    from districtcontrol.maps._time_figures import panel_dates, timeline_figure

    region = prepare_region(takeover_data)
    default = panel_dates(region)
    assert len(default) == 6 and (default[0].text, default[-1].text) == ("2021-05-01", "2021-08-16")
    fig = timeline_figure(region, "taliban", 4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == 4 and titles[0].startswith("1 May 2021: ") and titles[-1].startswith("16 August 2021: ")
    assert all(ax.get_legend() is None for ax in fig.axes) and len(fig.legends) == 1
    chosen = timeline_figure(region, "combined", ["2021-06-01", "2021-07"])
    assert [ax.get_title().split(":")[0] for ax in chosen.axes if ax.get_title()] == ["1 June 2021", "July 2021"]
    with pytest.raises(DistrictControlError, match="after the date the maps show"):
        panel_dates(region, ["2021-09-01"])
    lines = changes_figure(region).axes[0].get_lines()
    assert len(lines) == 1 and list(lines[0].get_ydata())[-1] == held_per_date(takeover[0])["2021-08-16"]


@pytest.mark.integration
def test_build_options_for_the_small_multiples_are_checked_first(takeover, real_boundaries, tmp_path):
    _, table, legend = takeover
    common = ["--table", table, "--legend", legend, "--date-format", US_DATES, "--region", "all", "--no-population"]
    common += ["--boundaries", real_boundaries, "--format", "png", "--out", tmp_path / "m"]
    bad_group = run("build", *common, "--group", "haqqani")
    assert bad_group.exit_code == 2 and "no map 'haqqani' to show over time" in bad_group.output
    bad_date = run("build", *common, "--dates", "2021-04-01")
    assert bad_date.exit_code == 2 and "before the table's first date (1 May 2021)" in bad_date.output
    none = run("build", *common, "--dates", "0")
    assert none.exit_code == 2 and "at least one date" in none.output
    assert not (tmp_path / "m").exists() or not list((tmp_path / "m").iterdir())


@pytest.mark.integration
def test_timeline_stays_within_a_third_more_than_the_map_without_it(takeover, real_boundaries, tmp_path, monkeypatch):
    """A whole-country map with a step per date of 40 carries only the changes between steps."""
    from districtcontrol.geo import load_control
    from districtcontrol.maps import interactive_map, map_html, prepare_region

    series, _, legend = takeover
    table = control_table(series, tmp_path / "every-date.csv", every_date=True)
    data = load_control(table, real_boundaries, "all", legend=legend, date_format=US_DATES, population=False)
    region = prepare_region(data)
    with_timeline = len(map_html(interactive_map(region, "combined")).encode())
    monkeypatch.setattr("districtcontrol.maps._timeline.add_timeline", lambda *args, **kwargs: None)
    without = len(map_html(interactive_map(region, "combined")).encode())
    assert with_timeline / without <= 1.3, (with_timeline, without)


@pytest.mark.integration
def test_the_page_carries_only_the_districts_that_change_at_each_step(takeover_data):
    from districtcontrol.geo._time import changes, time_steps
    from districtcontrol.maps import interactive_map, prepare_region
    from districtcontrol.maps._timeline import Timeline

    m = interactive_map(prepare_region(takeover_data), "taliban")
    payload = next(c for c in m._children.values() if isinstance(c, Timeline)).payload
    steps = time_steps(takeover_data)
    per_step = [len(step["c"]) // 2 for step in payload["steps"]]
    assert per_step == [sum(1 for c in changes(steps) if c.date == p.text) for p in steps.periods]
    assert [s["w"] for s in payload["steps"]] == [p.words for p in steps.periods]


@pytest.mark.integration
def test_popups_list_each_districts_changes_over_time(takeover_data):
    from districtcontrol.geo._time import changes, period, time_steps
    from districtcontrol.maps import interactive_map, prepare_region
    from districtcontrol.maps._elements import SharedDistricts

    m = interactive_map(prepare_region(takeover_data), "combined")
    shared = next(c for c in m._children.values() if isinstance(c, SharedDistricts))
    popups = {d["id"]: d["properties"]["popup"] for d in shared.topology["objects"]["districts"]["geometries"]}
    every = changes(time_steps(takeover_data, max_steps=None))
    retaken = next(pc for pc in popups if sum(1 for c in every if c.pcode == pc) >= 3)
    mine = [c for c in every if c.pcode == retaken]
    label = {"captured": "Held by the Taliban", "none": "Reported: no status"}
    told = "; ".join(f"{label[c.status]} from {period(c.date).words}" for c in mine)
    assert f"<b>Over time</b><br>Taliban: {told}</p>" in popups[retaken]
    never = next(pc for pc in popups if not any(c.pcode == pc for c in every))
    assert "Over time" not in popups[never]


@pytest.mark.integration
def test_summarise_has_the_date_columns_the_csv_has(kunduz_table, real_boundaries):
    """One source for ``as_of``/``when``: the Python summary carries the columns the CLI's CSV writes."""
    from districtcontrol.geo.summary import format_summary, summarise

    summary = summarise(_load(kunduz_table, real_boundaries, "2015-10"))
    assert set(summary["as_of"]) == {"2015-10"} and set(summary["when"]) == {"as of October 2015"}
    rows = list(csv.DictReader(io.StringIO(format_summary(summary, "csv"))))
    assert list(rows[0])[-2:] == ["as_of", "when"]
    assert {(r["as_of"], r["when"]) for r in rows} == {("2015-10", "as of October 2015")}
    assert "as_of" not in json.loads(format_summary(summary, "json"))["rows"][0]
    assert "as_of" not in format_summary(summary, "table").splitlines()[1]


@pytest.mark.integration
def test_summarise_of_an_undated_table_has_no_date_columns(real_boundaries):
    from districtcontrol.geo.summary import summarise

    rows = [{"group": "taliban", "province": "Kunduz", "district": "Khanabad", "status": "captured"}]
    summary = summarise(_load(rows, real_boundaries))
    assert "as_of" not in summary and "when" not in summary


YEARS_APART = (
    "group,province,district,status,date,source\n"
    "taliban,Kunduz,Chahar Darah,captured,2012-05-01,a\n"
    "taliban,Kunduz,Dasht-e-Archi,captured,2015-09-28,b\n"
    "taliban,Kunduz,Imam Sahib,captured,2018-07-01,c\n"
)


@pytest.fixture(scope="module")
def years_apart(tmp_path_factory, real_boundaries):
    """Dates six years apart in region north: each date counts people with the estimates of its year."""
    from districtcontrol.geo import load_control

    table = tmp_path_factory.mktemp("years") / "years.csv"
    table.write_text(YEARS_APART, encoding="utf-8")
    return load_control(table, real_boundaries)


@pytest.mark.integration
def test_workers_started_before_loading_chart_the_people_as_this_process_does(years_apart, tmp_path):
    """The change chart counts people with the estimates of every date's year: the workers need them too."""
    from districtcontrol.geo.over_time import population_on
    from districtcontrol.maps import RenderWorkers, build

    assert len({use.year for _, use in population_on(years_apart, [dt.date(2012, 5, 1), dt.date(2018, 7, 1)])}) == 2
    charts = {}
    for jobs in (1, 2):
        with RenderWorkers(jobs, ("svg",)) as workers:
            build(years_apart, tmp_path / str(jobs), ("svg",), workers=workers)
        charts[jobs] = (tmp_path / str(jobs) / "changes.svg").read_bytes()
    assert charts[1] == charts[2]


@pytest.mark.integration
def test_the_map_over_time_shows_no_people_where_a_years_estimates_have_none(years_apart, tmp_path):
    """Districts missing from the statistics office's file have no people in other years either, never a crash."""
    from districtcontrol.geo._time import time_steps
    from districtcontrol.geo.over_time import population_on
    from districtcontrol.maps import build, prepare_region
    from districtcontrol.maps._timeline import rows_at

    region = prepare_region(years_apart)
    series, use = population_on(years_apart, [dt.date(2012, 5, 1)])[0]
    assert use.year != years_apart.population.year and series.isna().any()
    steps = time_steps(years_apart)
    rows = {row["pcode"]: row["population"] for row in rows_at(region, steps, 0, series)}
    missing = series[series.isna()].index
    assert {rows[pcode] for pcode in missing if pcode in rows} == {None}
    assert all(isinstance(rows[pcode], int) for pcode in rows if pcode not in missing)
    paths = build(years_apart, tmp_path, ("html",), jobs=1)
    assert {"combined.html", "taliban.html", "index.html"} <= {p.name for p in paths}
