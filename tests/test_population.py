"""Population estimates: locating and verifying the file, the join to the districts, the calendar, the summary."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from helpers import Server

from districtcontrol import DistrictControlError
from districtcontrol.geo import population as popmod
from districtcontrol.geo.names import Resolver
from districtcontrol.geo.summary import format_summary, summary_table

REPO = Path(__file__).resolve().parents[1]
SHARED_POPULATION = REPO.parent / "shared" / "population" / popmod.FILENAME
CSO_TOTAL_1395 = 27_657_145
TEMPORARY_1395 = 286_522


@pytest.fixture(scope="session")
def population_file() -> Path:
    env = os.environ.get(popmod.ENV_PATH)
    path = Path(env) if env else SHARED_POPULATION
    if not path.is_file():
        pytest.skip(f"the population file is not available: set {popmod.ENV_PATH}")
    return path


@pytest.fixture(scope="session")
def boundaries_frame(real_boundaries):
    from districtcontrol.geo.boundaries import read_boundaries

    return read_boundaries(real_boundaries)


@pytest.fixture(scope="session")
def population(population_file, boundaries_frame):
    return popmod.load_population(population_file, boundaries_frame=boundaries_frame)


@pytest.fixture(scope="session")
def file_rows(population_file) -> list[dict]:
    with open(population_file, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- the join on the real files ----------------------------------------------------------------


@pytest.mark.integration
def test_national_total_1395_is_the_statistics_office_total(population):
    total = int(population.by_pcode(1395).sum())
    assert abs(total - CSO_TOTAL_1395) <= 0.001 * CSO_TOTAL_1395
    assert population.total(1395) == CSO_TOTAL_1395


@pytest.mark.integration
def test_every_row_of_every_year_is_joined_or_listed(population, file_rows, boundaries_frame):
    report = population.report
    assert Counter(o.year for o in report.outcomes) == Counter(int(r["solar_year"]) for r in file_rows)
    assert sorted(o.line for o in report.outcomes) == list(range(2, len(file_rows) + 2))
    assert population.years == tuple(range(1383, 1399))
    pcodes = set(boundaries_frame["pcode"])
    assert all(o.pcode in pcodes and o.detail for o in report.joined)
    assert all(o.detail for o in report.listed)
    # With the reviewed assignments every row of the pinned file finds its district.
    assert report.listed == []
    counts = report.counts()
    assert sum(c["rows"] for c in counts.values()) == len(file_rows)


@pytest.mark.integration
def test_provincial_totals_are_kept(population, file_rows, boundaries_frame):
    """Temporary districts go to the district they were carved from, in the same province."""
    resolver = Resolver.from_frame(boundaries_frame)
    by_province = Counter()
    for r in file_rows:
        if r["solar_year"] == "1395":
            by_province[resolver.resolve_province(r["province_name_eng"])[0].pcode] += int(r["total_population"])
    joined = population.by_pcode(1395).groupby(boundaries_frame.set_index("pcode")["province_pcode"]).sum()
    assert {pc: int(v) for pc, v in joined.items()} == dict(by_province)


@pytest.mark.integration
def test_temporary_districts_of_1395_go_to_their_parent(population):
    moved = [o for o in population.report.transfers if o.year == 1395]
    assert len(moved) == 15
    assert sum(o.population for o in moved) == TEMPORARY_1395
    assert all("carved from" in o.detail for o in moved)
    calbad = next(o for o in moved if o.district.startswith("Calbad"))
    assert calbad.pcode == "AF1905"  # Imam Sahib, which the boundary file also calls Kalbad
    assert population.by_pcode(1395)["AF1905"] == 208_981 + 33_024


@pytest.mark.integration
def test_district_without_estimate_is_unknown_not_zero(population):
    series = population.by_pcode(1395)
    assert series.dtype == "Int64"
    assert pd.isna(series["AF2116"])  # Sharak-e-Hayratan
    assert int(series.isna().sum()) == 1
    assert all(missing == ("AF2116",) for missing in population.report.missing.values())


@pytest.mark.integration
def test_1395_codes_are_checked_against_names(population):
    report = population.report
    assert 1395 in report.code_years
    rows = [o for o in report.outcomes if o.year == 1395 and o.method != "part-of"]
    assert len(rows) == 398
    assert all("agrees" in o.detail for o in rows)
    assert [o for o in report.code_disagreements if o.year == 1395] == []
    # Older years number districts differently: there the names decide and the codes are reported.
    assert any(o.year == 1388 and o.district == "Burka" for o in report.code_disagreements)


@pytest.mark.integration
def test_wrong_totals_in_the_file_are_corrected_from_their_parts(population):
    fixed = {(c.year, c.district): c for c in population.report.corrections}
    assert fixed[(1385, "Dah sabz")].total_as_written == 5_674_400
    assert population.by_pcode(1385)["AF0105"] == 47_900


@pytest.mark.integration
def test_every_reviewed_assignment_is_used(population, boundaries_frame):
    rows = popmod.load_assignments()
    assert {a.pcode for a in rows} <= set(boundaries_frame["pcode"])
    used = [o.detail for o in population.report.outcomes if o.method in popmod.KINDS]
    assert [a for a in rows if not any(d.startswith(a.reason) for d in used)] == []


@pytest.mark.integration
def test_one_year_joins_alone(population_file, boundaries_frame):
    one = popmod.load_population(population_file, boundaries_frame=boundaries_frame, year=1395)
    assert one.years == (1395,)
    with pytest.raises(DistrictControlError, match="1383–1398"):
        popmod.load_population(population_file, boundaries_frame=boundaries_frame, year=1402)


# -- the join on small inputs ------------------------------------------------------------------


HEADER = "solar_year,province_name_eng,district_code,district_name_eng,rural_total,urban_total,fem_population,male_population,total_population\n"


def _tiny_frame():
    rows = [
        ("AF0101", "Khan Abad", "Northland", "AF01", "Centre"),
        ("AF0102", "Chahar Darah", "Northland", "AF01", ""),
        ("AF0103", "Baharak", "Northland", "AF01", "Girwan"),
    ]
    return pd.DataFrame(rows, columns=["pcode", "district", "province", "province_pcode", "alt_names"])


def _join(tmp_path, body: str, assignments=()):
    path = tmp_path / "pop.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    frame = _tiny_frame()
    return popmod.join_population(popmod.read_population(path), frame, Resolver.from_frame(frame), list(assignments))


NATO = "Alfa Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar Papa Quebec Romeo Sierra Tango Uniform Victor Whiskey Xray Yankee".split()


def test_codes_that_name_another_district_are_reported(tmp_path):
    """A year whose codes are P-code digits (95 % agree) has each code checked; the name decides."""
    frame = pd.DataFrame(
        [(f"AF01{i:02d}", name, "Northland", "AF01", "") for i, name in enumerate(NATO, start=1)],
        columns=["pcode", "district", "province", "province_pcode", "alt_names"],
    )
    rows = [f"1395,Northland,01{i:02d},{name},,,,,{i}" for i, name in enumerate(NATO[:-2], start=1)]
    rows.append("1395,Northland,0125,Xray,,,,,1000")  # Xray is AF0124; code 0125 is Yankee's
    path = tmp_path / "pop.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    table, report, _ = popmod.join_population(popmod.read_population(path), frame, Resolver.from_frame(frame), [])
    assert report.code_years == (1395,)
    assert [o.district for o in report.code_disagreements] == ["Xray"]
    assert table[1395]["AF0124"] == 1000 and pd.isna(table[1395]["AF0125"])
    assert sum(o.method == "code+name" for o in report.outcomes) == 23


def test_unknown_name_is_listed_and_temporary_district_is_moved(tmp_path):
    body = (
        "1395,Northland,0101,Khan Abad,,,,,100\n"
        "1395,Northland,0102,Chahar Darah,,,,,200\n"
        "1395,Northland,0104,Somewhere Else,,,,,7\n"
        "1395,Northland,0105,Newtown (temporary district),,,,,5\n"
    )
    part = popmod.Assignment("Northland", "Newtown", "", "", "AF0102", "part-of", "carved from Chahar Darah", 2)
    table, report, totals = _join(tmp_path, body, [part])
    assert [o.district for o in report.listed] == ["Somewhere Else"]
    assert "candidates" in report.listed[0].detail
    assert table[1395].tolist()[:2] == [100, 205]
    assert pd.isna(table[1395]["AF0103"])  # no row for Baharak: unknown, not 0
    assert totals[1395] == 312


def test_two_rows_claiming_one_district_are_both_listed(tmp_path):
    body = "1390,Northland,0101,Khan Abad,,,,,100\n1390,Northland,0102,Khanabad,,,,,50\n"
    table, report, _ = _join(tmp_path, body)
    assert len(report.listed) == 2 and all("also claimed" in o.detail for o in report.listed)
    assert pd.isna(table[1390]["AF0101"])


def test_a_total_disagreeing_with_both_sums_is_corrected(tmp_path):
    body = "1385,Northland,0101,Khan Abad,40,10,25,25,999\n1385,Northland,0102,Chahar Darah,30,,15,15,30\n"
    table, report, _ = _join(tmp_path, body)
    assert table[1385].tolist()[:2] == [50, 30]
    assert [(c.district, c.total_as_written, c.total_used) for c in report.corrections] == [("Khan Abad", 999, 50)]


# -- the calendar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "year"),
    [
        (dt.date(2016, 3, 19), 1394),
        (dt.date(2016, 3, 20), 1395),
        (dt.date(2016, 12, 31), 1395),
        (dt.date(2017, 3, 20), 1395),
        (dt.date(2017, 3, 21), 1396),
        (dt.date(2020, 3, 19), 1398),
        (dt.date(2020, 3, 20), 1399),
        (dt.date(2025, 3, 20), 1403),
        (dt.date(2025, 3, 21), 1404),
    ],
)
def test_solar_year_of_a_date(date, year):
    assert popmod.solar_year(date) == year


def test_year_for_date_needs_an_estimate(tmp_path):
    table, report, totals = _join(tmp_path, "1395,Northland,0101,Khan Abad,,,,,100\n")
    pop = popmod.Population(table, popmod.PopulationSource(tmp_path, "argument", ""), report, totals)
    assert pop.year_for_date(dt.date(2016, 10, 1)) == 1395
    assert pop.attribution(1395) == (
        "Population: Afghanistan CSO settled-population estimates (1395, 2016-17), compiled by C. Cookman"
    )
    with pytest.raises(DistrictControlError, match="--population-year"):
        pop.year_for_date(dt.date(2021, 5, 1))


# -- locating and verifying the file -----------------------------------------------------------


def _offline(monkeypatch):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there: the connection is refused at once
    monkeypatch.delenv(popmod.ENV_PATH, raising=False)
    monkeypatch.setenv(popmod.ENV_URL, f"http://127.0.0.1:{port}/{popmod.FILENAME}")


def test_offline_without_file_says_how_to_supply_it(monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(DistrictControlError) as caught:
        popmod.locate_population(progress=False)
    message = str(caught.value)
    assert "--population PATH" in message and popmod.ENV_PATH in message and popmod.SHA256 in message
    assert popmod.find_population() is None  # optional: absent, not an error


def test_explicit_path_must_exist(tmp_path, monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(DistrictControlError, match="does not exist"):
        popmod.find_population(tmp_path / "nope.csv")
    monkeypatch.setenv(popmod.ENV_PATH, str(tmp_path / "nope.csv"))
    with pytest.raises(DistrictControlError, match=popmod.ENV_PATH):
        popmod.find_population()


def test_wrong_file_in_the_cache_is_refused(monkeypatch):
    _offline(monkeypatch)
    cached = popmod.cache_dir() / popmod.FILENAME
    cached.parent.mkdir(parents=True)
    cached.write_text(HEADER + "1395,Kabul,0101,Kabul,,,,,1\n", encoding="utf-8")
    with pytest.raises(DistrictControlError, match="different sha256 and is not used"):
        popmod.locate_population(progress=False)


@pytest.mark.integration
def test_download_replaces_a_wrong_cached_file_and_verifies_it(population_file, monkeypatch):
    cached = popmod.cache_dir() / popmod.FILENAME
    cached.parent.mkdir(parents=True)
    cached.write_text("tampered\n", encoding="utf-8")
    server = Server.serving(population_file.read_bytes(), popmod.FILENAME)
    try:
        monkeypatch.delenv(popmod.ENV_PATH, raising=False)
        monkeypatch.setenv(popmod.ENV_URL, server.url)
        source = popmod.locate_population(progress=False)
        assert source.origin == "download" and source.pinned
        assert popmod.file_sha256(cached) == popmod.SHA256
        assert popmod.locate_population().origin == "cache"
    finally:
        server.close()


def test_corrupt_download_is_not_cached(monkeypatch):
    server = Server.serving(b"not the file\n", popmod.FILENAME)
    try:
        monkeypatch.delenv(popmod.ENV_PATH, raising=False)
        monkeypatch.setenv(popmod.ENV_URL, server.url)
        with pytest.raises(DistrictControlError, match="corrupt"):
            popmod.locate_population(progress=False)
        assert not (popmod.cache_dir() / popmod.FILENAME).exists()
    finally:
        server.close()


# -- the summary -------------------------------------------------------------------------------

GROUPS = ("red", "blue")
STATUSES = ("held", "contested")


def _summary_input(tiny_districts):
    districts = tiny_districts.copy()
    districts["red"] = ["held", "held", "contested", "held", None]
    districts["blue"] = [None, "contested", None, None, None]
    people = pd.Series([100, 200, 300, pd.NA, 50], index=districts["pcode"], dtype="Int64")
    return districts, people


def test_summary_shares_add_up(tiny_districts):
    districts, people = _summary_input(tiny_districts)
    summary = summary_table(districts, groups=GROUPS, statuses=STATUSES, population=people, population_source="src")
    for _, rows in summary.groupby(["level", "unit", "group"]):
        unit = rows.iloc[0]
        assert rows["districts"].sum() <= unit["unit_districts"]
        assert rows["districts_pct"].sum() == pytest.approx(
            100 * rows["districts"].sum() / unit["unit_districts"], abs=0.2
        )
    red = summary[summary["group"] == "red"]
    provinces = red[red["level"] == "province"]
    region = red[red["level"] == "region"].set_index("status")
    for col in ("districts", "area_km2", "population", "population_unknown"):
        assert provinces.groupby("status")[col].sum().to_dict() == pytest.approx(region[col].to_dict(), abs=0.2)
    northland = red[(red["unit"] == "Northland") & (red["status"] == "held")].iloc[0]
    assert (northland["districts"], northland["population"], northland["unit_population"]) == (2, 300, 600)
    assert northland["population_pct"] == 50.0
    held_south = red[(red["unit"] == "Southland") & (red["status"] == "held")].iloc[0]
    assert pd.isna(held_south["population"]) and held_south["population_unknown"] == 1  # unknown, never 0


def test_summary_region_is_a_part_of_the_country(tiny_districts):
    districts, people = _summary_input(tiny_districts)
    summary = summary_table(
        districts, groups=GROUPS, statuses=STATUSES, population=people, region_pcodes=["XX01"], region_name="north"
    )
    assert set(summary.loc[summary["level"] == "province", "unit"]) == {"Northland"}
    region = summary[(summary["level"] == "region") & (summary["group"] == "red")].set_index("status")
    country = summary[(summary["level"] == "country") & (summary["group"] == "red")].set_index("status")
    assert region.loc["held", "unit"] == "north"
    assert (region.loc["held", "districts"], country.loc["held", "districts"]) == (2, 3)
    assert (region.loc["held", "unit_districts"], country.loc["held", "unit_districts"]) == (3, 5)


def test_summary_without_population_says_so(tiny_districts):
    districts, _ = _summary_input(tiny_districts)
    summary = summary_table(districts, groups=GROUPS, statuses=STATUSES)
    assert summary["population"].isna().all()
    text = format_summary(summary, labels={"red": "Red Army"})
    assert "Population: not available" in text and "Red Army" in text
    assert '"population": null' in format_summary(summary, "json")


def test_summary_formats_name_the_source(tiny_districts):
    districts, people = _summary_input(tiny_districts)
    summary = summary_table(
        districts, groups=GROUPS, statuses=STATUSES, population=people, population_source="CSO 1395"
    )
    assert "CSO 1395" in format_summary(summary)
    assert '"population_source": "CSO 1395"' in format_summary(summary, "json")
    lines = format_summary(summary, "csv").splitlines()
    assert lines[0].endswith(",population_source") and lines[1].endswith(",CSO 1395")


# -- population in the outputs -----------------------------------------------------------------


@pytest.mark.integration
def test_population_is_on_every_map_the_index_and_the_summary(tmp_path, control_data):
    from districtcontrol import build
    from districtcontrol.maps._view import map_names

    assert control_data.population is not None
    year = control_data.population.year
    build(control_data, tmp_path, ("html",))
    for name in map_names(control_data):
        html = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        assert "people" in html and f"Population ({year})" in html, name  # legend figures, tooltip field
        assert "CSO settled-population estimates" in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "of the region&#x27;s population" in index and "not the people under a group" in index


@pytest.mark.integration
def test_national_total_of_1395_equals_the_statistics_office(real_boundaries):
    from click.testing import CliRunner

    from districtcontrol.cli import main

    args = ["summary", "--region", "all", "--population-year", "1395", "--format", "csv", "--boundaries"]
    result = CliRunner().invoke(main, [*args, str(real_boundaries)])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    country = {int(r["unit_population"]) for r in rows if r["level"] == "country"}
    assert country and all(abs(total - 27_657_145) <= 0.001 * 27_657_145 for total in country)
    assert {r["population_source"] for r in rows} == {
        "Population: Afghanistan CSO settled-population estimates (1395, 2016-17), compiled by C. Cookman"
    }


@pytest.mark.integration
def test_without_population_every_output_says_so(tmp_path, real_boundaries):
    from districtcontrol import build, load_control
    from districtcontrol.geo.summary import format_summary, summarise

    data = load_control(boundaries=real_boundaries, population=False)
    assert "not available" in format_summary(summarise(data))
    build(data, tmp_path, ("html",))
    assert "people" not in (tmp_path / "combined.html").read_text(encoding="utf-8")
    assert "Population: not available" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_summary_csv_cells_a_spreadsheet_would_run_are_neutralised(tiny_districts):
    districts, people = _summary_input(tiny_districts)
    districts["province"] = '=HYPERLINK("http://x")'
    summary = summary_table(districts, groups=GROUPS, statuses=STATUSES, population=people)
    rows = list(csv.DictReader(io.StringIO(format_summary(summary, "csv"))))
    provinces = {r["unit"] for r in rows if r["level"] == "province"}
    assert provinces == {'\'=HYPERLINK("http://x")'}


SUMMER_2021 = [
    {"group": "taliban", "district": "Khanabad", "status": "contested", "date": "2021-06-22"},
    {"group": "taliban", "district": "Dashti Archi", "status": "captured", "date": "2021-08-08"},
]


@pytest.mark.integration
def test_a_year_without_estimates_is_a_warning_of_the_data_and_of_the_cli(tmp_path, real_boundaries, population_file):
    """2021 is solar year 1400, after the last estimates: the year used is said in data.warnings and on stderr."""
    from click.testing import CliRunner

    from districtcontrol.cli import main
    from districtcontrol.geo import load_control

    data = load_control(SUMMER_2021, real_boundaries, "Kunduz", population=population_file)
    assert data.population.year == 1398
    assert [w for w in data.warnings if "population" in w] == [
        "no population estimate for solar year 1400 (August 2021); using 1398"
    ]
    table = tmp_path / "t.csv"
    pd.DataFrame(SUMMER_2021).to_csv(table, index=False)
    args = ["--table", str(table), "--region", "Kunduz", "--boundaries", str(real_boundaries)]
    result = CliRunner().invoke(main, ["summary", *args, "--population", str(population_file)])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no population estimate for solar year 1400 (August 2021); using 1398") == 1
