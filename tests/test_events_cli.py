"""Integration: ``events`` and ``compare`` from the command line, on events made from the real boundary file.

The events are invented (ACLED's terms forbid redistributing its data) and placed at points of
real districts, with the boundary file's names, so that the whole chain runs as a user runs
it: events → control table and legend → ``build`` (maps, timeline, chart of change), and a
derived table compared with a reference table.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from click.testing import CliRunner
from events_fixtures import ACLED_COLUMNS, acled_row, places, takeover, write_csv

from districtcontrol.cli import main

pytestmark = pytest.mark.integration
GOV = "Military Forces of Afghanistan (2004-2021)"


@pytest.fixture(scope="module")
def kunduz(real_boundaries):
    """The districts of Kunduz province, by name, each with a point inside it."""
    from districtcontrol.geo.boundaries import load_boundaries

    _, frame = load_boundaries(real_boundaries)
    found = {p.district: p for p in places(frame).values() if p.province == "Kunduz"}
    assert len(found) >= 6
    return found


def summer_2021(kunduz) -> list[dict]:
    """Taliban takeovers district after district, a government recapture, fighting, and a misnamed admin2."""
    names = sorted(kunduz)
    rows, n = [], 0

    def add(row):
        nonlocal n
        rows.append(row)

    for month, district in zip(("2021-05", "2021-06", "2021-07"), names[:3]):
        for day in ("03", "09"):
            n += 1
            add(takeover(n, kunduz[district], f"{month}-{day}", "Taliban"))
    n += 1
    add(takeover(n, kunduz[names[0]], "2021-08-02", GOV))  # retaken: 1 of 1 in August
    for day in ("04", "11", "19"):
        n += 1
        add(acled_row(n, kunduz[names[3]], f"2021-06-{day}", "Taliban", GOV))
    n += 1
    add(
        acled_row(n, kunduz[names[4]], "2021-07-01", "Taliban", GOV, admin2=names[5])
    )  # the source says another district
    return rows


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_events_to_a_table_and_legend_that_build_draws_with_timeline_and_changes(tmp_path, real_boundaries, kunduz):
    source = write_csv(tmp_path / "acled.csv", summer_2021(kunduz), ACLED_COLUMNS)
    table, points = tmp_path / "derived.csv", tmp_path / "points.csv"
    result = run("events", source, "-o", table, "--points", points, "--boundaries", real_boundaries)
    assert result.exit_code == 0, result.output
    assert "1 with admin2 differs" in result.stderr
    assert (tmp_path / "derived.legend.toml").is_file()
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    names = sorted(kunduz)
    held = {(r["district"], r["date"]) for r in rows if r["group"] == "taliban" and r["status"] == "held"}
    assert held == {(names[0], "2021-05"), (names[1], "2021-06"), (names[2], "2021-07")}
    assert {r["province"] for r in rows} == {"Kunduz"}
    listed = pd.read_csv(points, dtype=str, keep_default_na=False)
    assert len(listed) == len(summer_2021(kunduz)) and set(listed["placed"]) == {"inside"}

    out = tmp_path / "maps"
    built = run(
        "build", "--table", table, "--legend", tmp_path / "derived.legend.toml", "--out", out,
        "--format", "html,png", "--boundaries", real_boundaries, "--no-population", "--jobs", "1",
    )  # fmt: skip
    assert built.exit_code == 0, built.output
    for name in ("combined.html", "taliban.html", "government.html", "timeline.csv", "timeline.png", "changes.png"):
        assert (out / name).is_file(), name
    timeline = pd.read_csv(out / "timeline.csv", dtype=str)
    assert set(timeline["status"]) >= {"held", "contested"}
    assert names[0] in (out / "taliban.html").read_text(encoding="utf-8")


def test_a_point_on_a_real_shared_edge_goes_to_the_first_pcode(tmp_path, real_boundaries):
    import shapely

    from districtcontrol.geo.boundaries import load_boundaries

    _, frame = load_boundaries(real_boundaries)
    kunduz = frame[frame["province"] == "Kunduz"].reset_index(drop=True)
    a, b = kunduz.iloc[0], next(r for _, r in kunduz.iloc[1:].iterrows() if r.geometry.touches(kunduz.iloc[0].geometry))
    shared = shapely.get_coordinates(shapely.intersection(a.geometry.boundary, b.geometry.boundary))
    lon, lat = shared[len(shared) // 2]
    assert a.geometry.intersects(shapely.Point(lon, lat)) and b.geometry.intersects(shapely.Point(lon, lat))
    from events_fixtures import Place

    place = Place(a.pcode, a.district, a.province, lon, lat)
    rows = [acled_row(i, place, "2021-06-01", "Taliban", GOV, admin2="") for i in range(1, 3)]
    source = write_csv(tmp_path / "edge.csv", rows, ACLED_COLUMNS)
    result = run(
        "events", source, "-o", tmp_path / "t.csv", "--points", tmp_path / "p.csv", "--boundaries", real_boundaries
    )
    assert result.exit_code == 0, result.output
    listed = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False)
    assert set(listed["placed"]) == {"edge"}
    assert set(listed["pcode"]) == {min(a.pcode, b.pcode)}
    assert "1 on an edge" not in result.stderr and "2 edge: placed by the edge rule" in result.stderr


def test_compare_a_derived_table_with_a_reference(tmp_path, real_boundaries, kunduz):
    source = write_csv(tmp_path / "acled.csv", summer_2021(kunduz), ACLED_COLUMNS)
    derived = tmp_path / "derived.csv"
    assert run("events", source, "-o", derived, "--boundaries", real_boundaries).exit_code == 0
    names = sorted(kunduz)
    reference = tmp_path / "reference.csv"
    reference.write_text(
        "group,province,district,status,date,source,note\n"
        f"taliban,Kunduz,{names[1]},captured,2021-07-01,ref,\n"  # agrees (held = captured)
        f"taliban,Kunduz,{names[2]},contested,2021-07-01,ref,\n"  # same group, other status
        f"taliban,Kunduz,{names[5]},captured,2021-07-01,ref,\n",  # only in the reference
        encoding="utf-8",
    )
    out = tmp_path / "compared"
    result = run(
        "compare", derived, reference, "--as-of", "2021-07", "--same", "held=captured", "--out", out,
        "--format", "html", "--boundaries", real_boundaries,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    districts = pd.read_csv(out / "districts.csv", dtype=str, keep_default_na=False).set_index("district")
    assert districts.loc[names[1], "agreement"] == "same"
    assert districts.loc[names[2], "agreement"] == "other-status"
    assert districts.loc[names[5], "agreement"] == "only-b"
    assert (
        districts.loc[names[0], "agreement"] == "only-a"
    )  # held by the Taliban in the events, nothing in the reference
    assert districts.loc[names[3], ["a_group", "a_status"]].tolist() == ["", "none"]  # contested in June only
    confusion = pd.read_csv(out / "confusion.csv", dtype=str).set_index("A \\ B")
    assert confusion.loc["held", "captured"] == "1" and confusion.loc["held", "contested"] == "1"
    assert "agree" in result.stdout and (out / "agreement.html").is_file()
    html = (out / "agreement.html").read_text(encoding="utf-8")
    assert "Same group, different status" in html and "Status only in reference.csv" in html


def test_events_bad_input_exits_2_naming_the_file(tmp_path, real_boundaries):
    path = tmp_path / "weird.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["events", str(path), "-o", str(tmp_path / "t.csv"), "--boundaries", str(real_boundaries)]
    )
    assert result.exit_code == 2
    assert "weird.csv" in result.stderr and "--lon" in result.stderr
    assert not (tmp_path / "t.csv").exists()
