"""Exports a GIS user opens: every format read back, valid geometry, flat typed fields, QGIS styles."""

from __future__ import annotations

import csv
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from districtcontrol import DistrictControlError
from districtcontrol.cli import main
from districtcontrol.data.legend import legend_from_dict, read_legend
from districtcontrol.geo.export import (
    flat_districts,
    qml_style,
    snap_geometry,
    write_districts,
    write_qml,
)

FORMATS = (".geojson", ".gpkg", ".parquet", ".csv")
FLAT_SUFFIXES = ("", "_date", "_note", "_source")


def read_back(path):
    """The written file as geopandas reads it (CSV: a plain DataFrame of text)."""
    import geopandas as gpd
    import pandas as pd

    if path.suffix == ".parquet":
        return gpd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return gpd.read_file(path, engine="pyogrio", layer="districts" if path.suffix == ".gpkg" else None)


def with_records(districts, rows):
    """Tiny districts joined by hand: ``rows`` maps pcode -> list of history entries (group, status, ...)."""
    frame = districts.copy()
    legend_groups = ("taliban", "is", "imu")
    history = [rows.get(pc, []) for pc in frame["pcode"]]
    for group in legend_groups:
        frame[group] = [next((h["status"] for h in reversed(hs) if h["group"] == group), None) for hs in history]
    frame["sources"] = ["; ".join(h["source"] for h in hs if h.get("source")) for hs in history]
    frame["history"] = history
    return frame


def entry(group, status, date=None, source=None, note=None):
    return {"group": group, "status": status, "date": date, "source": source, "note": note, "line": 2}


# --- the real boundaries: all 399 districts -------------------------------------------------------------


@pytest.fixture(scope="module")
def all_districts(real_boundaries):
    from districtcontrol.geo import load_control

    return load_control(boundaries=real_boundaries, region="all").districts


@pytest.fixture(scope="module")
def written(all_districts, tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    return {suffix: write_districts(all_districts, folder / f"districts{suffix}") for suffix in FORMATS}


@pytest.mark.integration
@pytest.mark.parametrize("suffix", FORMATS)
def test_every_format_reads_back_with_all_districts_and_flat_fields(written, all_districts, suffix):
    frame = read_back(written[suffix])
    assert len(frame) == 399
    assert sorted(frame["pcode"]) == sorted(all_districts["pcode"])
    expected = {f"{g}{s}" for g in read_legend().group_keys for s in FLAT_SUFFIXES} | {"combined", "history"}
    assert expected <= set(frame.columns)
    assert ("geometry" in frame.columns) == (suffix != ".csv")


@pytest.mark.integration
@pytest.mark.parametrize("suffix", (".geojson", ".gpkg", ".parquet"))
def test_every_written_geometry_is_a_valid_polygon(written, suffix):
    import shapely

    geoms = read_back(written[suffix]).geometry.values
    invalid = [shapely.is_valid_reason(g) for g in geoms if not shapely.is_valid(g)]
    assert invalid == []
    assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon


@pytest.mark.integration
def test_kiti_stays_valid_where_plain_rounding_made_it_cross_itself(all_districts):
    import numpy as np
    import shapely

    kiti = all_districts.loc[all_districts["pcode"] == "AF2405", "geometry"].values
    rounded = shapely.transform(kiti, lambda xy: np.round(xy, 6))
    assert not shapely.is_valid(rounded[0])  # the defect the export must not have
    assert shapely.is_valid(snap_geometry(kiti, 6, ["AF2405"])[0])


@pytest.mark.integration
@pytest.mark.parametrize("precision", range(2, 11))
def test_all_districts_stay_valid_at_every_precision(all_districts, precision):
    import numpy as np
    import shapely

    snapped = snap_geometry(all_districts.geometry.values, precision, list(all_districts["pcode"]))
    assert shapely.is_valid(snapped).all()
    assert not shapely.is_empty(snapped).any()
    coords = shapely.get_coordinates(snapped)
    assert np.allclose(coords, np.round(coords, precision), rtol=0, atol=10.0**-precision / 1000)


@pytest.mark.integration
def test_rings_follow_the_right_hand_rule(written):
    import shapely

    for geom in read_back(written[".geojson"]).geometry.values:
        for polygon in shapely.get_parts(geom):
            assert polygon.exterior.is_ccw
            assert not any(ring.is_ccw for ring in polygon.interiors)


@pytest.mark.integration
def test_simplified_map_geometry_is_valid_for_all_districts(all_districts):
    import shapely

    from districtcontrol.maps._simplify import simplify_districts

    geoms = simplify_districts(all_districts).geometry.values
    assert [shapely.is_valid_reason(g) for g in geoms if not shapely.is_valid(g)] == []
    assert not shapely.is_empty(geoms).any()


@pytest.mark.integration
def test_geopackage_columns_are_typed(written):
    import pyogrio

    info = pyogrio.read_info(written[".gpkg"], layer="districts")
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert info["geometry_type"] == "MultiPolygon" and info["crs"] == "EPSG:4326"
    # `is` has no record in most of the country and `imu_date` none anywhere: still typed columns.
    numbers = {"population", "population_year"}
    dates = {f"{g}_date" for g in read_legend().group_keys}
    assert all(t == "OFTString" for f, t in types.items() if f not in numbers | dates), types
    assert {types[f] for f in numbers & set(types)} <= {"OFTInteger64", "OFTInteger"}
    assert {types[f] for f in dates} == {"OFTDate"}


@pytest.mark.integration
def test_one_geometry_type_in_every_format(written):
    """GIS tools give a layer one geometry type: every district is a MultiPolygon in every format."""
    import pyarrow.parquet as pq
    import pyogrio

    for suffix in (".geojson", ".gpkg", ".parquet"):
        assert set(read_back(written[suffix]).geom_type) == {"MultiPolygon"}, suffix
    features = json.loads(written[".geojson"].read_text())["features"]
    assert {f["geometry"]["type"] for f in features} == {"MultiPolygon"}
    assert pyogrio.read_info(written[".gpkg"], layer="districts")["geometry_type"] == "MultiPolygon"
    geo = json.loads(pq.read_schema(written[".parquet"]).metadata[b"geo"])
    assert geo["columns"]["geometry"]["geometry_types"] == ["MultiPolygon"]


@pytest.mark.integration
def test_dates_are_dates_in_geopackage_and_parquet(written):
    """``<group>_date`` is a date type where the format has one; a month holds from its first day."""
    import datetime as dt

    import pyarrow.parquet as pq

    schema = pq.read_schema(written[".parquet"])
    assert {str(schema.field(f"{g}_date").type) for g in read_legend().group_keys} == {"date32[day]"}
    kunduz = pq.read_table(written[".parquet"]).to_pandas().set_index("pcode").loc["AF1901"]
    assert kunduz["taliban_date"] == dt.date(2015, 10, 1)
    assert '"date":"2015-10"' in kunduz["history"]  # the date as the table wrote it
    with sqlite3.connect(written[".gpkg"]) as db:
        declared = {row[1]: row[2] for row in db.execute("PRAGMA table_info(districts)")}
        stored = db.execute("SELECT taliban_date FROM districts WHERE pcode = 'AF1901'").fetchone()[0]
    assert declared["taliban_date"] == "DATE" and stored == "2015-10-01"


@pytest.mark.integration
def test_geopackage_opens_its_district_layer_by_default(written):
    """The data layer is the first: what geopandas and GDAL open when no layer is named."""
    import geopandas as gpd
    import pyogrio

    assert [name for name, _ in pyogrio.list_layers(written[".gpkg"])] == ["districts", "layer_styles"]
    frame = gpd.read_file(written[".gpkg"])
    assert len(frame) == 399 and set(frame.geom_type) == {"MultiPolygon"} and "pcode" in frame


@pytest.mark.integration
def test_geopackage_opens_with_the_combined_style(written):
    import pyogrio

    path = written[".gpkg"]
    geometry_column = pyogrio.read_info(path, layer="districts")["geometry_name"]
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute("SELECT * FROM layer_styles").fetchall()
        registered = db.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone()
    assert registered[0] == "attributes"
    legend = read_legend()
    assert len(rows) == 1 + len(legend.groups)
    for row in rows:
        assert (row["f_table_schema"], row["f_table_name"], row["f_geometry_column"]) == (
            "",
            "districts",
            geometry_column,
        )
    default = [r for r in rows if r["useAsDefault"]]
    assert len(default) == 1
    renderer = ET.fromstring(default[0]["styleQML"]).find("renderer-v2")
    assert renderer.get("attr") == "combined"
    attrs = {ET.fromstring(r["styleQML"]).find("renderer-v2").get("attr") for r in rows}
    assert attrs == {"combined", *legend.group_keys}


@pytest.mark.integration
def test_flat_fields_are_those_of_the_deciding_row(written):
    props = {f["properties"]["pcode"]: f["properties"] for f in json.loads(written[".geojson"].read_text())["features"]}
    kunduz = props["AF1901"]
    last = [h for h in kunduz["history"] if h["group"] == "taliban"][-1]
    assert (kunduz["taliban"], kunduz["taliban_date"], kunduz["taliban_source"], kunduz["taliban_note"]) == (
        last["status"],
        last["date"],
        last["source"],
        last["note"],
    )
    assert kunduz["taliban_date"] == "2015-10"
    # Pushtun Kot: Taliban captured, IMU present -> combined is the higher-ranked status.
    assert (props["AF2902"]["combined"], props["AF2902"]["imu"]) == ("captured", "present")
    assert props["AF0101"]["combined"] is None and props["AF0101"]["taliban_date"] is None


@pytest.mark.integration
def test_csv_has_attributes_and_history_as_json(written):
    with open(written[".csv"], encoding="utf-8-sig", newline="") as f:
        rows = {r["pcode"]: r for r in csv.DictReader(f)}
    assert len(rows) == 399
    darzab = json.loads(rows["AF2811"]["history"])
    assert [h["group"] for h in darzab] == ["taliban", "is", "imu"]
    assert rows["AF0101"]["district_dari"] == "کابل"


@pytest.mark.integration
def test_precision_option_rounds_coordinates(tmp_path, real_boundaries):
    out = tmp_path / "p3.geojson"
    args = ["export", "-o", str(out), "--precision", "3", "--region", "Kunduz", "--boundaries", str(real_boundaries)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    coords = [c for f in json.loads(text)["features"] for c in _coordinates(f["geometry"]["coordinates"])]
    assert coords and all(len(repr(v).partition(".")[2]) <= 3 for v in coords)


def _coordinates(nested):
    if isinstance(nested[0], (int, float)):
        yield from nested
    else:
        for item in nested:
            yield from _coordinates(item)


@pytest.mark.integration
def test_too_coarse_precision_is_an_error_naming_districts(tmp_path, real_boundaries):
    out = tmp_path / "p0.gpkg"
    args = ["export", "-o", str(out), "--precision", "0", "--boundaries", str(real_boundaries)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "vanish at 0 decimals" in result.stderr and "AF" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("newdir/", "is a folder"),
        ("out.geojson/", "is a folder"),
        ("newdir", "unknown format '(no suffix)'"),
        ("districts.shp", "unknown format '.shp'"),
    ],
)
def test_output_must_name_a_file_of_a_known_format(tmp_path, output, problem):
    target = str(tmp_path / output) + ("/" if output.endswith("/") else "")
    result = CliRunner().invoke(main, ["export", "-o", target])
    assert result.exit_code == 2
    assert problem in result.stderr and ".geojson, .gpkg, .parquet, .csv" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_not_overwritten(tmp_path, tiny_districts):
    folder = tmp_path / "out.gpkg"
    folder.mkdir()
    with pytest.raises(DistrictControlError, match="is a folder"):
        write_districts(with_records(tiny_districts, {}), folder)


# --- tiny synthetic districts -------------------------------------------------------------------------


def test_null_groups_and_population_keep_their_types(tmp_path, tiny_districts):
    import pyarrow.parquet as pq
    import pyogrio

    frame = with_records(tiny_districts, {"XX0101": [entry("taliban", "captured", "2015-09", "xlix")]})
    frame["imu"] = float("nan")  # an empty column, as many pandas operations leave it: float
    frame["population"] = [1200, None, 3400, 560, None]
    frame["population_year"] = [2020, None, 2020, 2020, None]
    write_districts(frame, tmp_path / "d.gpkg")
    write_districts(frame, tmp_path / "d.parquet")
    info = pyogrio.read_info(tmp_path / "d.gpkg", layer="districts")
    types = dict(zip(info["fields"], info["ogr_types"]))
    assert types["population"] == types["population_year"] == "OFTInteger64"
    assert types["is"] == types["imu"] == types["imu_note"] == types["combined"] == "OFTString"
    schema = pq.read_schema(tmp_path / "d.parquet")
    assert str(schema.field("population").type) == "int64"
    assert all(str(schema.field(name).type) in ("string", "large_string") for name in ("is", "imu", "history"))
    assert str(schema.field("imu_date").type) == "date32[day]"
    for back in (read_back(tmp_path / "d.gpkg"), read_back(tmp_path / "d.parquet")):
        assert back["population"].isna().tolist() == [False, True, False, False, True]
        assert back["population"].dropna().astype(int).tolist() == [1200, 3400, 560]


def test_combined_takes_the_highest_ranked_status_of_any_group(tiny_districts):
    rows = {"XX0101": [entry("taliban", "present"), entry("imu", "captured")], "XX0102": [entry("is", "contested")]}
    frame = with_records(tiny_districts, rows)
    shipped = flat_districts(frame, read_legend())
    assert shipped["combined"].tolist()[:2] == ["captured", "contested"] and shipped["combined"].isna()[2]
    # The same rows under a legend that ranks presence above capture: the order comes from the ranks.
    reranked = legend_from_dict(
        {
            "groups": {"taliban": {"label": "Taliban"}, "is": {"label": "IS"}, "imu": {"label": "IMU"}},
            "statuses": {
                "captured": {"label": "Captured", "rank": 1},
                "contested": {"label": "Contested", "rank": 2},
                "present": {"label": "Present", "rank": 3},
            },
        }
    )
    assert flat_districts(frame, reranked)["combined"].tolist()[:2] == ["present", "contested"]


def test_status_missing_from_the_legend_is_an_error(tiny_districts):
    frame = with_records(tiny_districts, {"XX0101": [entry("taliban", "occupied")]})
    with pytest.raises(DistrictControlError, match="XX0101.*occupied"):
        flat_districts(frame, read_legend())


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path, tiny_districts):
    note = '=HYPERLINK("http://example.com","x")'
    rows = {
        "XX0101": [entry("taliban", "captured", source="@SUM(A1)", note=note)],
        "XX0102": [entry("imu", "present", note="-1 district; +2 more")],
        "XX0103": [entry("is", "present", note="Plain text, with = inside")],
    }
    out = write_districts(with_records(tiny_districts, rows), tmp_path / "d.csv")
    with open(out, encoding="utf-8-sig", newline="") as f:
        cells = {r["pcode"]: r for r in csv.DictReader(f)}
    assert cells["XX0101"]["taliban_note"] == "'" + note
    assert cells["XX0101"]["taliban_source"] == "'@SUM(A1)"
    assert cells["XX0102"]["imu_note"] == "'-1 district; +2 more"
    assert cells["XX0103"]["is_note"] == "Plain text, with = inside"
    assert json.loads(cells["XX0101"]["history"])[0]["note"] == note  # JSON text starts with '[', kept whole
    assert cells["XX0101"]["district_dari"] == "خان آباد"


def test_geojson_keeps_user_text_exactly(tmp_path, tiny_districts):
    note = 'Quote " <b>bold</b> & =formula'
    frame = with_records(tiny_districts, {"XX0101": [entry("taliban", "captured", "2016-04-01", "lii", note)]})
    doc = json.loads(write_districts(frame, tmp_path / "d.geojson").read_text())
    props = doc["features"][0]["properties"]
    assert props["taliban_note"] == note and props["history"][0]["note"] == note
    assert props["taliban_date"] == "2016-04-01" and props["taliban_source"] == "lii"


# --- QGIS styles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("map_name", ["combined", "taliban", "is", "imu"])
def test_qml_categorises_the_field_in_the_legend_colours_and_labels(map_name):
    legend = read_legend()
    root = ET.fromstring(qml_style(legend, map_name))
    renderer = root.find("renderer-v2")
    assert (renderer.get("type"), renderer.get("attr")) == ("categorizedSymbol", map_name)
    categories = renderer.findall("categories/category")
    assert [c.get("value") for c in categories] == [*legend.status_keys, "none", ""]
    assert [c.get("label") for c in categories] == [
        *(s.label for s in legend.statuses),
        "Reported: no status",
        "No record",
    ]
    symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
    for category, status in zip(categories, (*legend.statuses, legend.none)):
        symbol = symbols[category.get("symbol")]
        options = {o.get("name"): o.get("value") for o in symbol.findall("layer/Option/Option")}
        props = {p.get("k"): p.get("v") for p in symbol.findall("layer/prop")}
        expected = ",".join(str(int(status.color[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"
        assert options["color"] == props["color"] == expected


def test_qml_escapes_labels_and_follows_a_custom_legend(tmp_path):
    legend = legend_from_dict(
        {
            "groups": {"haqqani": {"label": "Haqqani <network> & co"}},
            "statuses": {"held": {"label": 'Held "firmly"', "rank": 2, "color": "#123456"}},
        }
    )
    path = write_qml(tmp_path / "districts.qml", legend, "haqqani")
    root = ET.parse(path).getroot()
    category = root.find("renderer-v2/categories/category")
    assert (category.get("value"), category.get("label")) == ("held", 'Held "firmly"')
    assert root.find("renderer-v2/symbols/symbol/layer/prop[@k='color']").get("v") == "18,52,86,255"
    with pytest.raises(ValueError, match="taliban"):
        qml_style(legend, "taliban")
