"""--source-boundaries: a series with its own district file (an older map as TopoJSON, ~330 districts,
province fields, names found in several provinces), generated here from the boundary file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main

pytestmark = pytest.mark.integration
MERGES = 70
DATES = ("2021-06-01", "2021-07-01")


@pytest.fixture(scope="module")
def frame(real_boundaries):
    from districtcontrol.geo import read_boundaries

    return read_boundaries(real_boundaries)


def _pairs(frame, count: int):
    """Neighbouring districts of one province, each used once, the larger at least twice the smaller: (larger, smaller).

    (A district carved later out of a larger one; an even merge is a split, refused: see below.)
    """
    used, pairs = set(), []
    for _, group in frame.groupby("province_pcode", sort=True):
        rows = list(group.itertuples(index=False))
        for a in rows:
            for b in rows:
                if len(pairs) < count and a.pcode < b.pcode and not {a.pcode, b.pcode} & used:
                    ratio = a.geometry.area / b.geometry.area
                    if (ratio >= 2 or ratio <= 0.5) and a.geometry.intersects(b.geometry):
                        used |= {a.pcode, b.pcode}
                        pairs.append((a, b) if a.geometry.area >= b.geometry.area else (b, a))
    return pairs


def write_topojson(path: Path, features: list[tuple[dict, object]]) -> None:
    """A plain TopoJSON file (one object 'districts', every ring its own arc, no transform)."""
    arcs, geometries = [], []
    for props, geom in features:
        polygons = []
        for polygon in getattr(geom, "geoms", [geom]):
            rings = []
            for ring in [polygon.exterior, *polygon.interiors]:
                arcs.append([[round(x, 5), round(y, 5)] for x, y in ring.coords])
                rings.append([len(arcs) - 1])
            polygons.append(rings)
        geometries.append({"type": "MultiPolygon", "arcs": polygons, "properties": props})
    topo = {"type": "Topology", "objects": {"districts": {"type": "GeometryCollection", "geometries": geometries}}}
    path.write_text(json.dumps({**topo, "arcs": arcs}), encoding="utf-8")


@pytest.fixture(scope="module")
def older_map(frame, tmp_path_factory):
    """The older map: MERGES pairs of neighbours dissolved into the larger one's name; province names in capitals."""
    from shapely.ops import unary_union

    simple = frame.assign(geometry=frame.geometry.simplify(0.005))
    pairs = _pairs(simple, MERGES)
    merged = {b.pcode for _, b in pairs}
    union = {a.pcode: unary_union([a.geometry, b.geometry]) for a, b in pairs}
    features = [
        ({"DIST_NAME": r.district, "PROV_NAME": r.province.upper()}, union.get(r.pcode, r.geometry))
        for r in simple.itertuples(index=False)
        if r.pcode not in merged
    ]
    path = tmp_path_factory.mktemp("older") / "older_map.topojson"
    write_topojson(path, features)
    return path, features, {b.district for _, b in pairs}


def _series(path: Path, features, extra: list[str]) -> None:
    names = [props["DIST_NAME"] for props, _ in features]
    twice = {n for n in names if names.count(n) > 1}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["province", "district", "date", "held"])
        for i, (props, _) in enumerate(features):
            province = props["PROV_NAME"] if props["DIST_NAME"] in twice else ""
            for date in DATES:
                out.writerow([province, props["DIST_NAME"], date, (i + len(date)) % 2])
        for name in extra:
            out.writerow(["", name, DATES[0], 1])


def test_the_generated_map_is_shaped_like_an_older_one(older_map):
    _, features, _ = older_map
    names = [p["DIST_NAME"] for p, _ in features]
    assert 320 <= len(features) <= 340
    assert len(set(names)) < len(names)  # names found in several provinces


def test_import_with_the_source_shapes_leaves_out_only_names_not_in_the_file(older_map, tmp_path):
    path, features, _ = older_map
    source = tmp_path / "series.csv"
    _series(source, features, ["Nowhere Land", "Baghlan"])
    out = tmp_path / "control.csv"
    args = ["import", source, "-o", out, "--group", "taliban", "--district", "district", "--province", "province"]
    args += ["--date", "date", "--status", "held", "--values", "1=captured,0=none"]
    args += ["--source-boundaries", path, "--source-name-field", "DIST_NAME", "--source-province-field", "PROV_NAME"]
    done = CliRunner().invoke(main, [str(a) for a in args])
    assert done.exit_code == 1, done.output
    left_out = [line for line in done.output.splitlines() if "left out:" in line]
    assert len(left_out) == 2, (done.output[-3000:], repr(done.exception))
    assert any("'Nowhere Land'" in line for line in left_out) and any("'Baghlan'" in line for line in left_out)
    assert "TopoJSON has no coordinate reference system" in done.output
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    placed = {(r["province"].upper(), r["district"]) for r in rows if r["status"] != "none"}
    reported = {(r["province"].upper(), r["district"]) for r in rows}  # every first observation, held or not
    assert reported == {(p["PROV_NAME"], p["DIST_NAME"]) for p, _ in features}
    held = {(p["PROV_NAME"], p["DIST_NAME"]) for i, (p, _) in enumerate(features) if (i + len(DATES[0])) % 2}
    assert placed == held  # each in the province of the source's shape, names in several provinces too


def _match(tmp_path, table: str, shapes: Path | None, *more):
    path = tmp_path / "names.csv"
    path.write_text(table, encoding="utf-8")
    args = ["match", path]
    if shapes is not None:
        args += ["--source-boundaries", shapes, "--source-name-field", "name", "--source-province-field", "prov"]
    done = CliRunner().invoke(main, [str(a) for a in [*args, *more]])
    return list(csv.DictReader(done.stdout.splitlines())), done


def _geojson(tmp_path, features) -> Path:
    import geopandas as gpd

    path = tmp_path / "shapes.geojson"
    frame = gpd.GeoDataFrame(
        [{"name": n, "prov": p} for n, p, _ in features], geometry=[g for *_, g in features], crs=4326
    )
    frame.to_file(path)
    return path


def _geometry(frame, province, district):
    return frame[(frame["province"] == province) & (frame["district"] == district)].geometry.iloc[0]


def test_a_name_takes_its_province_from_the_source_shape_and_the_overlap_is_shown(frame, tmp_path):
    shapes = _geojson(tmp_path, [("Baharak", "TAKHAR", _geometry(frame, "Takhar", "Baharak"))])
    without, _ = _match(tmp_path, "district\nBaharak\n", None)
    assert without[0]["method"] == "unresolved"  # Badakhshan and Takhar both have one
    rows, done = _match(tmp_path, "district\nBaharak\n", shapes)
    assert rows[0]["matched_province"] == "Takhar", done.output
    assert "overlaps Baharak (100% of the shape" in rows[0]["warning"]
    assert "province TAKHAR from shapes.geojson" in rows[0]["warning"]


def test_a_source_shape_that_does_not_meet_the_district_is_a_warning(frame, tmp_path):
    shapes = _geojson(tmp_path, [("Baharak", "TAKHAR", _geometry(frame, "Badakhshan", "Baharak"))])
    rows, _ = _match(tmp_path, "district\nBaharak\n", shapes)
    assert rows[0]["pcode"] and "does not meet the source's shape" in rows[0]["warning"]


def test_an_older_district_split_since_is_refused_with_its_successors(frame, tmp_path):
    from shapely.ops import unary_union

    daykundi = frame[frame["province"] == "Daykundi"]
    old = unary_union(list(daykundi[daykundi["district"].isin(["Nili", "Ashtarlay", "Khadir"])].geometry))
    shapes = _geojson(tmp_path, [("Day Kundi", "Daykundi", old)])
    rows, _ = _match(tmp_path, "province,district\nDaykundi,Day Kundi\n", shapes)
    assert rows[0]["method"] == "unresolved"
    assert "split since" in rows[0]["warning"]
    named = rows[0]["suggestions"]
    assert all(f"{d} (Daykundi" in named for d in ("Nili", "Ashtarlay", "Khadir"))
    without, _ = _match(tmp_path, "province,district\nDaykundi,Day Kundi\n", None)
    assert without[0]["matched_district"] == "Nili"  # the table's province says its centre: no shapes, no doubt


def test_source_boundaries_need_their_name_field(tmp_path, frame):
    shapes = _geojson(tmp_path, [("Baharak", "TAKHAR", _geometry(frame, "Takhar", "Baharak"))])
    path = tmp_path / "names.csv"
    path.write_text("district\nBaharak\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["match", str(path), "--source-boundaries", str(shapes)])
    assert done.exit_code == 2 and "--source-name-field" in done.output
    done = CliRunner().invoke(
        main, ["match", str(path), "--source-boundaries", str(shapes), "--source-name-field", "NAME_2"]
    )
    assert done.exit_code == 2 and "no field 'NAME_2'" in done.output and "name, prov" in done.output
