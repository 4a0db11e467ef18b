"""What a series says and what it doesn't: a status, "reported: no status", no record, and names not placed.

The fixture is shaped like a published 2021 district × date series: 230 districts drawn from
the boundary file (:mod:`takeover`), 12 dates, names only, values written with leading zeros
("01"/"00"), plus names the source gives that cannot be placed: ambiguous ones (``Baharak``,
in Badakhshan and in Takhar; ``Kohistan``; ``Dawlat Abad``) and an unknown one; and a
province-like name (``Kunduz``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from takeover import iso_date, series_days, takeover_series, us_date

from districtcontrol.cli import main
from tests.page_decode import popups

pytestmark = pytest.mark.integration

LEGEND = """\
[groups.taliban]
label = "Taliban"

[statuses.controlled]
label = "Held by the Taliban"
rank = 1
"""
OWN_NONE = '\n[statuses.none]\nlabel = "Source: not held"\ncolor = "#FFF3B0"\n'
DATES = 12
# name as the source writes it -> (value on every date but the last, value on the last date)
NOT_PLACED = {
    "Baharak": ("00", "01"),
    "Kohistan": ("00", "00"),
    "Dawlat Abad": ("01", "01"),
    "Qala-i-Xyzzy": ("00", "01"),
}
KUNDUZ = "AF1901"  # Kunduz district, the centre of Kunduz province
BAHARAK = ("AF1706", "AF1803")  # Baharak of Badakhshan, Baharak of Takhar


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def source(tmp_path_factory, real_boundaries):
    """(folder, series, source CSV, legend): the series with its names not placed appended."""
    folder = tmp_path_factory.mktemp("states")
    series = [
        o for o in takeover_series(real_boundaries, n_districts=230, n_dates=DATES, seed=25) if o.district != "Kunduz"
    ]
    days = [us_date(d) for d in series_days(DATES)]
    rows = [[o.date, o.district, f"{o.control:02d}"] for o in series]
    rows += [[day, "Kunduz", "01"] for day in days]  # a province's name for its centre
    for name, (before, last) in NOT_PLACED.items():
        rows += [[day, name, last if i == DATES - 1 else before] for i, day in enumerate(days)]
    path = folder / "series.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Date", "District", "Taliban control"])
        writer.writerows(rows)
    legend = folder / "legend.toml"
    legend.write_text(LEGEND, encoding="utf-8")
    return folder, series, path, legend


def import_series(src: Path, out: Path, legend: Path, boundaries: Path):
    return run(
        "import", src, "-o", out, "--group", "taliban", "--district", "District", "--date", "Date",
        "--date-format", "%m/%d/%Y", "--status", "Taliban control", "--values", "01=controlled,00=none",
        "--legend", legend, "--boundaries", boundaries,
    )  # fmt: skip


@pytest.fixture(scope="module")
def imported(source, real_boundaries):
    folder, _, path, legend = source
    table = folder / "taliban-2021.csv"
    result = import_series(path, table, legend, real_boundaries)
    return result, table


def table_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def never_held(series) -> set[str]:
    held = {o.pcode for o in series if o.control}
    return {o.pcode for o in series} - held


# -- 1. reported: not held ---------------------------------------------------------------------


def test_import_keeps_every_districts_first_observation_none_included(source, imported):
    _, series, _, _ = source
    result, table = imported
    assert result.exit_code == 1, result.output  # some names left out
    rows = table_rows(table)
    first_day = iso_date(us_date(series_days(DATES)[0]))
    firsts = {}
    for row in rows:
        firsts.setdefault(row["pcode"], row)
    assert set(firsts) == {o.pcode for o in series} | {KUNDUZ}  # every district named, Kunduz's centre too
    assert all(row["date"] == first_day for row in firsts.values())
    silent = never_held(series)
    assert len(silent) > 10
    assert all(firsts[pc]["status"] == "none" for pc in silent)
    assert all(sum(r["pcode"] == pc for r in rows) == 1 for pc in silent)  # one row: the first observation


def test_summary_as_of_the_first_date_counts_reported_none_apart(source, imported, real_boundaries):
    folder, series, _, legend = source
    _, table = imported
    first = iso_date(series[0].date)
    args = ["summary", "--format", "csv", "--table", table, "--legend", legend, "--region", "all"]
    result = run(*args, "--no-population", "--boundaries", real_boundaries, "--as-of", first)
    assert result.exit_code == 0, result.output
    country = {
        r["status"]: int(r["districts"]) for r in csv.DictReader(io.StringIO(result.output)) if r["level"] == "country"
    }
    held = {o.pcode for o in series if o.date == series[0].date and o.control} | {KUNDUZ}
    assert country == {"controlled": len(held), "none": len({o.pcode for o in series}) + 1 - len(held)}


@pytest.fixture(scope="module")
def built(source, imported, real_boundaries):
    folder, _, _, legend = source
    _, table = imported
    out = folder / "maps"
    result = run(
        "build", "--table", table, "--legend", legend, "--out", out, "--format", "html,png,geojson",
        "--region", "all", "--no-population", "--boundaries", real_boundaries, "--jobs", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_export_says_none_for_reported_none_and_nothing_for_no_record(source, imported, real_boundaries, tmp_path):
    _, series, _, legend = source
    _, table = imported
    out = tmp_path / "d.csv"
    result = run("export", "-o", out, "--table", table, "--legend", legend, "--region", "all", "--no-population",
                 "--boundaries", real_boundaries)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = {r["pcode"]: r for r in csv.DictReader(open(out, encoding="utf-8-sig"))}
    named = {o.pcode for o in series} | {KUNDUZ}
    silent = never_held(series)
    assert {pc for pc, r in rows.items() if r["taliban"] == "none"} >= silent
    assert all(rows[pc]["taliban_date"] for pc in silent)  # the deciding row's date
    assert {pc for pc, r in rows.items() if r["taliban"] == ""} == set(rows) - named
    assert all(rows[pc]["combined"] == "none" for pc in silent)


def test_the_map_legend_popups_and_fills_tell_the_three_states_apart(source, built):
    _, series, _, _ = source
    page = (built / "taliban.html").read_text(encoding="utf-8")
    silent = never_held(series)
    named = len({o.pcode for o in series}) + 1
    legend_rows = dict(re.findall(r"</i>([^<]+?) — (\d+) districts?</div>", page))
    reported = int(legend_rows["Reported: no status"])
    assert reported >= len(silent)
    assert int(legend_rows["Held by the Taliban"]) + reported == named
    assert int(legend_rows["No record"]) == 399 - named
    assert "#FFFFFF" in page and "#EFEFEF" in page  # the none colour and the no-record grey
    texts = popups(page)
    assert len(texts) == 399
    assert all("<b>Taliban: Reported: no status</b>" in texts[pc] for pc in silent)
    unnamed = set(texts) - {o.pcode for o in series} - {KUNDUZ}
    assert all("No record in the table." in texts[pc] for pc in unnamed)


def test_a_user_legend_gives_none_its_own_label_and_colour(source, imported, real_boundaries, tmp_path):
    from districtcontrol import load_control
    from districtcontrol.maps import interactive_map, map_html, static_map

    _, series, _, legend = source
    _, table = imported
    own = tmp_path / "legend.toml"
    own.write_text(legend.read_text(encoding="utf-8") + OWN_NONE, encoding="utf-8")
    data = load_control(table, real_boundaries, "all", legend=own, population=False)
    page = map_html(interactive_map(data, "taliban"))
    assert "Source: not held — " in page and "#FFF3B0" in page and "Reported: no status" not in page
    figure = static_map(data, "taliban")
    texts = [t.get_text() for ax in figure.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("Source: not held — ") for t in texts) and any(t.startswith("No record") for t in texts)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ('label = "x"\nrank = 0', "it takes a label and a color, no rank"),
        ('label = "x"\ncolor = "#EFEFEF"', "colour of 'No record'"),
        ('label = "x"\ncolor = "#123456"', "same colour #123456"),
    ],
)
def test_a_legend_refuses_a_none_that_cannot_be_told_apart(tmp_path, entry, words):
    from districtcontrol import DistrictControlError, read_legend

    path = tmp_path / "legend.toml"
    path.write_text(LEGEND + 'color = "#123456"\n' + "\n[statuses.none]\n" + entry + "\n", encoding="utf-8")
    with pytest.raises(DistrictControlError, match=re.escape(words)):
        read_legend(path)


# -- 2. names not placed -----------------------------------------------------------------------


def test_import_writes_the_names_it_left_out_beside_the_table(source, imported):
    from districtcontrol.geo._unplaced import read_unplaced, sidecar_path

    _, series, _, _ = source
    _, table = imported
    entries = {e.district: e for e in read_unplaced(sidecar_path(table))}
    assert set(entries) == set(NOT_PLACED)
    first_unplaced_line = len(series) + DATES + 2
    baharak = entries["Baharak"]
    assert (baharak.rows, baharak.first_line, baharak.last_line) == (
        DATES,
        first_unplaced_line,
        first_unplaced_line + DATES - 1,
    )
    assert baharak.kind == "ambiguous" and set(baharak.candidate_pcodes) == set(BAHARAK)
    assert (baharak.last_status, baharak.last_value, baharak.last_date) == (
        "controlled",
        "01",
        iso_date(series[-1].date),
    )
    assert entries["Kohistan"].last_status == "none" and entries["Qala-i-Xyzzy"].kind == "unknown"


def test_summary_counts_the_names_not_placed(source, imported, real_boundaries):
    _, _, _, legend = source
    _, table = imported
    result = run("summary", "--table", table, "--legend", legend, "--region", "all", "--no-population",
                 "--boundaries", real_boundaries)  # fmt: skip
    rows = DATES * len(NOT_PLACED)
    held = sum(last == "01" for _, last in NOT_PLACED.values())
    assert (
        f"{len(NOT_PLACED)} source names not placed, {rows} rows, {held} of them held on the last date" in result.output
    )
    as_json = run("summary", "--format", "json", "--table", table, "--legend", legend, "--region", "all",
                  "--no-population", "--boundaries", real_boundaries)  # fmt: skip
    assert json.loads(as_json.output)["unplaced"].startswith(f"{len(NOT_PLACED)} source names not placed")


def test_the_index_page_lists_the_names_not_placed(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    section = page[page.index("Names the source gives that were not placed") :]
    for name in NOT_PLACED:
        assert f'<tr><td>{name}</td><td class="num">{DATES}</td>' in section
    assert "Baharak (Badakhshan, AF1706); Baharak (Takhar, AF1803)" in section
    assert "Held by the Taliban on" in section and "(as written: &#x27;01&#x27;)" in section


def test_maps_mark_each_candidate_of_an_ambiguous_name(built):
    page = (built / "combined.html").read_text(encoding="utf-8")
    assert "Named ambiguously by the source (dashed outline)" in page
    assert '"dashArray": "5 4"' in page or '"dashArray":"5 4"' in page
    texts = popups(page)
    for pcode in BAHARAK:
        assert f"Named ambiguously by the source: &#x27;Baharak&#x27; ({DATES} rows" in texts[pcode]
    marked = {pc for pc, text in texts.items() if "Named ambiguously by the source" in text}
    assert marked == {*BAHARAK, "AF1708", "AF2910", "AF2109", "AF2909"}  # Baharak, Kohistan, Dawlat Abad
    assert "source names not placed" in page  # the map's note


def test_importing_again_with_every_name_placed_removes_the_old_list(source, real_boundaries, tmp_path):
    from districtcontrol.geo._unplaced import sidecar_path

    folder, _, path, legend = source
    clean = tmp_path / "clean.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    clean.write_text("\n".join(x for x in lines if x.split(",")[1] not in NOT_PLACED) + "\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    sidecar_path(table).write_text("stale", encoding="utf-8")
    result = import_series(clean, table, legend, real_boundaries)
    assert result.exit_code == 0, result.output
    assert not sidecar_path(table).exists()


# -- 3. the region and its words ---------------------------------------------------------------


def _region_unit(table, legend, boundaries, *more) -> tuple[str, list[dict]]:
    result = run("summary", "--format", "csv", "--table", table, "--legend", legend, "--no-population",
                 "--boundaries", boundaries, *more)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    return next(r["unit"] for r in rows if r["level"] == "region"), rows


def test_the_region_is_named_by_what_it_covers(source, imported, real_boundaries, tmp_path):
    from districtcontrol.geo._regions import NORTH_BORDER_PROVINCES

    _, series, _, legend = source
    _, table = imported
    rows = table_rows(table)
    dropped = sorted({r["province"] for r in rows})[-2:]
    part = tmp_path / "part.csv"
    with open(part, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["province"] not in dropped)
    assert _region_unit(table, legend, real_boundaries)[0] == "Afghanistan"  # every province has a record
    unit, summary = _region_unit(part, legend, real_boundaries)
    assert unit == "32 provinces"
    north = tmp_path / "north.csv"
    with open(north, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(r for r in rows if r["province"] in NORTH_BORDER_PROVINCES)
    assert _region_unit(north, legend, real_boundaries)[0] == "Region north"
    assert _region_unit(part, legend, real_boundaries, "--region", "Kunduz")[0] == "Kunduz province"
    region = {r["status"]: r for r in summary if r["level"] == "region"}
    country = {r["status"]: r for r in summary if r["level"] == "country"}
    held = region["controlled"]
    assert float(held["country_districts_pct"]) == round(100 * int(held["districts"]) / 399, 1)
    assert float(held["districts_pct"]) == round(100 * int(held["districts"]) / int(held["unit_districts"]), 1)
    assert held["country_districts_pct"] != held["districts_pct"]
    assert country["controlled"]["districts_pct"] == country["controlled"]["country_districts_pct"]


def test_the_index_page_states_the_country_share_beside_the_regions(built, source, imported):
    page = (built / "index.html").read_text(encoding="utf-8")
    lead = re.search(r'<p class="lead">Taliban: (\d+) districts with a status .*?, ([\d.]+) % of the districts of '
                     r'Afghanistan \(([\d.]+) % of the country&#x27;s\)', page)  # fmt: skip
    assert lead is not None and lead.group(2) == lead.group(3)
    assert "<th>% of country</th>" in page
    assert re.search(r"; \d+ more districts: Reported: no status\.</p>", page)
