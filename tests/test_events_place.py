"""``events``: every event placed by its point (edges, outside, no coordinates), the source's admin2 checked.

The districts are the tiny squares of ``conftest`` (Khan Abad [0,1]×[0,1], Chahar Darah
[1,2]×[0,1], Baharak [2,3]×[0,1] in Northland; Baharak [0,1]×[-1,0] and Qush Tepa [1,2]×[-1,0]
in Southland), so edges and corners are exact.
"""

from __future__ import annotations

import pandas as pd
import pytest
from events_fixtures import ACLED_COLUMNS, Place, acled_row, write_csv
from helpers import tiny_boundary_file

from districtcontrol import DistrictControlError, events_table

KHAN_ABAD = Place("XX0101", "Khan Abad", "Northland", 0.5, 0.5)
CHAHAR_DARAH = Place("XX0102", "Chahar Darah", "Northland", 1.5, 0.5)
GOV = "Military Forces of Afghanistan (2004-2021)"


@pytest.fixture
def boundaries(tmp_path, tiny_districts):
    return tiny_boundary_file(tmp_path, tiny_districts)


def run(tmp_path, boundaries, rows, **kw):
    source = write_csv(tmp_path / "events.csv", rows, ACLED_COLUMNS)
    result = events_table(source, tmp_path / "table.csv", points=tmp_path / "points.csv", boundaries=boundaries, **kw)
    points = pd.read_csv(tmp_path / "points.csv", dtype=str, keep_default_na=False)
    return result, points.set_index("event_id_cnty")


def at(number, lon, lat, **kw):
    return acled_row(number, KHAN_ABAD, "2021-06-01", "Taliban", GOV, lon=lon, lat=lat, admin2="", **kw)


def test_a_point_inside_a_district_is_placed_there(tmp_path, boundaries):
    _, points = run(tmp_path, boundaries, [at(1, 0.5, 0.5), at(2, 1.7, 0.2)])
    assert points.loc["AFG1", ["pcode", "district", "province", "placed"]].tolist() == [
        "XX0101",
        "Khan Abad",
        "Northland",
        "inside",
    ]
    assert points.loc["AFG2", "pcode"] == "XX0102"


def test_points_on_a_shared_edge_or_corner_go_to_the_first_pcode_and_say_so(tmp_path, boundaries):
    rows = [at(1, 1.0, 0.5), at(2, 1.0, 0.0), at(3, 1.5, 0.0), at(4, 2.0, 0.5)]
    result, points = run(tmp_path, boundaries, rows)
    assert points.loc["AFG1", "pcode"] == "XX0101"  # Khan Abad | Chahar Darah
    assert points.loc["AFG2", "pcode"] == "XX0101"  # the corner of four districts
    assert points.loc["AFG3", "pcode"] == "XX0102"  # Chahar Darah | Qush Tepa
    assert points.loc["AFG4", "pcode"] == "XX0102"  # Chahar Darah | Baharak (Northland)
    assert set(points["placed"]) == {"edge"}
    assert "on the edge of XX0101, XX0102, XX0201, XX0202: placed in XX0101" in points.loc["AFG2", "why"]
    assert result.counts["edge"] == 4 and result.counts["placed"] == 4


def test_events_outside_or_without_coordinates_are_listed_with_the_reason_not_dropped(tmp_path, boundaries):
    rows = [
        at(1, 0.5, 0.5),
        at(2, 5.0, 0.5),  # east of Baharak
        acled_row(3, None, "2021-06-01", "Taliban", GOV),  # no coordinates at all
        at(4, 0.5, 95.0),  # latitude off the globe
        at(5, 0.5, 0.5, precision=3),  # located only to a province
        acled_row(6, KHAN_ABAD, "sometime in June", "Taliban", GOV),
    ]
    result, points = run(tmp_path, boundaries, rows)
    assert len(points) == 6  # one row per event, none dropped
    assert points["placed"].tolist() == [
        "inside",
        "outside",
        "no coordinates",
        "not on the globe",
        "imprecise location",
        "no date",
    ]
    assert points.loc["AFG2", "pcode"] == ""
    assert "nearest: Baharak (XX0103), 222." in points.loc["AFG2", "why"]  # 2° of longitude at the equator
    assert "'sometime in June' is not a date" in points.loc["AFG6", "why"]
    counts = result.counts
    assert (counts["placed"], counts["outside"], counts["no coordinates"], counts["not on the globe"]) == (1, 1, 1, 1)
    assert (counts["imprecise location"], counts["no date"]) == (1, 1)


def test_the_source_admin2_is_compared_with_the_district_of_the_point(tmp_path, boundaries):
    rows = [
        acled_row(1, KHAN_ABAD, "2021-06-01", "Taliban", GOV),  # Khan Abad, as the boundary file spells it
        acled_row(2, KHAN_ABAD, "2021-06-01", "Taliban", GOV, admin2="Khanabad"),  # another spelling, same district
        acled_row(3, KHAN_ABAD, "2021-06-01", "Taliban", GOV, admin2="Chahar Darah"),  # the source says elsewhere
        acled_row(4, KHAN_ABAD, "2021-06-01", "Taliban", GOV, admin2="Nowhere"),
        acled_row(5, KHAN_ABAD, "2021-06-01", "Taliban", GOV, admin2=""),
    ]
    result, points = run(tmp_path, boundaries, rows)
    assert points["admin2_check"].tolist() == ["agrees", "agrees", "differs", "does not resolve", ""]
    assert set(points["pcode"]) == {"XX0101"}  # the point decides, always
    assert "source admin2 'Chahar Darah' (Northland) is Chahar Darah" in points.loc["AFG3", "why"]
    assert points.loc["AFG3", "admin2"] == "Chahar Darah"
    assert result.counts["admin2 differs"] == 1 and result.counts["admin2 does not resolve"] == 1


def test_ids_and_actor_names_are_written_as_the_source_writes_them(tmp_path, boundaries):
    row = acled_row(1, KHAN_ABAD, "2021-06-01", "Taliban", '=HYPERLINK("x")')
    row["event_id_cnty"] = "AFG000123"
    _, points = run(tmp_path, boundaries, [row])
    assert points.index.tolist() == ["AFG000123"]
    assert points.loc["AFG000123", "actor2"] == '\'=HYPERLINK("x")'  # shown as text in a spreadsheet


def test_a_file_of_neither_layout_names_its_header_and_the_options(tmp_path, boundaries):
    path = tmp_path / "other.csv"
    path.write_text("when,x,y,who\n2021-06-01,0.5,0.5,Taliban\n", encoding="utf-8")
    with pytest.raises(DistrictControlError, match=r"other.csv.*the header is: when, x, y, who.*--lon"):
        events_table(path, tmp_path / "t.csv", boundaries=boundaries)


def test_a_file_of_other_columns_reads_with_the_column_options(tmp_path, boundaries):
    path = tmp_path / "other.csv"
    lines = ["When,X,Y,Who,Whom,Kind"] + [f"2021-06-0{i},0.5,0.5,Taliban,{GOV},Battles" for i in range(1, 4)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = {"date": "when", "lon": "x", "lat": "y", "actor1": "who", "actor2": "whom", "event_type": "kind"}
    result = events_table(path, tmp_path / "t.csv", boundaries=boundaries, columns=columns, points=tmp_path / "p.csv")
    assert result.schema == "custom"
    assert {(r["group"], r["pcode"], r["status"]) for r in result.rows} == {
        ("taliban", "XX0101", "contested"),
        ("government", "XX0101", "contested"),
    }
    assert pd.read_csv(tmp_path / "p.csv", dtype=str).columns[0] == "row"  # no id column: the row number


def test_geojson_and_parquet_sources_give_the_table_a_csv_gives(tmp_path, boundaries):
    import geopandas as gpd

    rows = [at(i, 0.5, 0.5) for i in range(1, 4)] + [at(9, 1.0, 0.5)]
    csv_result, _ = run(tmp_path, boundaries, rows)
    frame = pd.DataFrame(rows).drop(columns=["latitude", "longitude"])
    points = gpd.points_from_xy([r["longitude"] for r in rows], [r["latitude"] for r in rows])
    geo = gpd.GeoDataFrame(frame, geometry=points, crs=4326)
    geo.to_file(tmp_path / "events.geojson")
    geo.to_parquet(tmp_path / "events.parquet")
    plain = pd.DataFrame(rows)
    plain.to_parquet(tmp_path / "plain.parquet")
    for name in ("events.geojson", "events.parquet", "plain.parquet"):
        result = events_table(tmp_path / name, tmp_path / f"{name}.csv", boundaries=boundaries)
        assert result.schema == "acled"
        assert [{k: v for k, v in r.items() if k != "source"} for r in result.rows] == [
            {k: v for k, v in r.items() if k != "source"} for r in csv_result.rows
        ]


def test_a_row_with_too_many_fields_is_named_by_its_line(tmp_path, boundaries):
    rows = [at(i, 0.5, 0.5) for i in range(1, 4)]
    path = write_csv(tmp_path / "events.csv", rows, ACLED_COLUMNS)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("Taliban", "Taliban, Haqqani", 1)  # an unquoted comma
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DistrictControlError, match=r"events.csv:3: has 16 fields, the header has 15"):
        events_table(path, tmp_path / "t.csv", boundaries=boundaries)
    assert not (tmp_path / "t.csv").exists()
