"""Integration: the shipped table joined to the real boundaries, exported and summarised, through the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from districtcontrol.cli import main

pytestmark = pytest.mark.integration

# What the report says, district by district: P-code -> {group: status}.
EXPECTED = {
    "AF1725": {"taliban": "captured"},  # Zebak
    "AF1716": {"taliban": "captured"},  # Warduj
    "AF1718": {"taliban": "captured"},  # Yamgan
    "AF1706": {"taliban": "captured"},  # Baharak (Badakhshan, not Takhar's AF1803)
    "AF1815": {"taliban": "captured"},  # Darqad
    "AF2308": {"taliban": "captured"},  # Taywara
    "AF2910": {"taliban": "captured"},  # Kohistan (Faryab, not Badakhshan's AF1708)
    "AF2907": {"taliban": "captured"},  # Qaysar
    "AF2902": {"taliban": "captured", "imu": "present"},  # Pushtun Kot
    "AF2904": {"taliban": "captured", "imu": "present"},  # Almar
    "AF3107": {"taliban": "captured"},  # Ghormach (Badghis in the file)
    "AF1904": {"taliban": "captured"},  # Khanabad
    "AF1902": {"taliban": "captured"},  # Chardara
    "AF1906": {"taliban": "captured"},  # Dashti Archi
    "AF1901": {"taliban": "captured"},  # Kunduz, October 2015
    "AF2911": {"taliban": "contested"},  # Qaramol
    "AF2909": {"taliban": "contested"},  # Dawlat Abad (Faryab, not Balkh's AF2109)
    "AF2906": {"taliban": "contested"},  # Shirin Tagab
    "AF2903": {"taliban": "contested", "imu": "present"},  # Khwaja Sabz Posh
    "AF2811": {"taliban": "present", "is": "present", "imu": "present"},  # Darzab
    "AF2805": {"taliban": "present", "is": "present", "imu": "present"},  # Qush Tepa
    "AF2807": {"imu": "present"},  # Aqcha
    "AF2203": {"imu": "present"},  # Kohistanat
}
NORTH_PROVINCES = {"AF17", "AF18", "AF19", "AF21", "AF22", "AF23", "AF28", "AF29", "AF31", "AF32"}


def run(*args, env=None):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def exported(tmp_path_factory, real_boundaries):
    path = tmp_path_factory.mktemp("export") / "north.geojson"
    result = run("export", "-o", str(path), "--boundaries", str(real_boundaries))
    assert result.exit_code == 0, result.output
    return path


def test_export_has_every_district_the_report_names_and_nothing_else(exported):
    features = json.loads(exported.read_text())["features"]
    recorded = {
        f["properties"]["pcode"]: {g: f["properties"][g] for g in ("taliban", "is", "imu") if f["properties"][g]}
        for f in features
        if any(f["properties"][g] for g in ("taliban", "is", "imu"))
    }
    assert recorded == EXPECTED


def test_export_covers_the_north_region_and_is_rfc7946(exported):
    doc = json.loads(exported.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    provinces = {f["properties"]["province_pcode"] for f in doc["features"]}
    assert provinces == NORTH_PROVINCES
    first = doc["features"][0]
    flat = {f"{g}{s}" for g in ("taliban", "is", "imu", "unattributed") for s in ("", "_date", "_note", "_source")}
    assert set(first["properties"]) == {
        "pcode",
        "district",
        "district_dari",
        "province",
        "province_pcode",
        "combined",
        *flat,
        "sources",
        "history",
        "population",
        "population_year",
    }
    lon, lat = (
        first["geometry"]["coordinates"][0][0][:2]
        if first["geometry"]["type"] == "Polygon"
        else first["geometry"]["coordinates"][0][0][0][:2]
    )
    assert 60 < lon < 75 and 29 < lat < 39


def test_history_keeps_every_row_and_sources_are_listed(exported):
    by_pcode = {f["properties"]["pcode"]: f["properties"] for f in json.loads(exported.read_text())["features"]}
    darzab = by_pcode["AF2811"]
    assert [h["group"] for h in darzab["history"]] == ["taliban", "is", "imu"]
    assert darzab["history"][2]["as_written"] == "Darbaj (Jowzjan)"
    assert "xlix" in darzab["sources"] and "lii" in darzab["sources"]


def test_export_is_byte_identical(tmp_path, exported, real_boundaries):
    again = tmp_path / "again.geojson"
    assert run("export", "-o", str(again), "--boundaries", str(real_boundaries)).exit_code == 0
    assert again.read_bytes() == exported.read_bytes()


def test_latest_dated_row_decides(tmp_path, real_boundaries):
    table = tmp_path / "t.csv"
    table.write_text(
        "group,province,district,status,date,source,note\n"
        "taliban,Kunduz,Kunduz,retaken,2015-10-13,,\n"
        "taliban,Kunduz,Kunduz,captured,2015-09-28,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "k.geojson"
    assert (
        run(
            "export", "-o", str(out), "--table", str(table), "--boundaries", str(real_boundaries), "--region", "Kunduz"
        ).exit_code
        == 0
    )
    props = {f["properties"]["pcode"]: f["properties"] for f in json.loads(out.read_text())["features"]}
    assert props["AF1901"]["taliban"] == "retaken"
    assert len(props["AF1901"]["history"]) == 2


def test_summary_counts_and_shares(real_boundaries):
    result = run("summary", "--format", "csv", "--boundaries", str(real_boundaries))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    kunduz = next(r for r in rows if r["unit"] == "Kunduz" and r["group"] == "taliban")
    assert (kunduz["level"], kunduz["status"], kunduz["districts"]) == ("province", "captured", "4")
    assert 0 < float(kunduz["area_pct"]) < 100
    assert float(kunduz["area_km2"]) < float(kunduz["unit_area_km2"])
    levels = {r["level"] for r in rows if r["group"] == "taliban" and r["status"] == "captured"}
    assert levels == {"province", "region", "country"}


def test_match_writes_one_row_per_input_in_order(tmp_path, real_boundaries):
    table = tmp_path / "names.csv"
    table.write_text(
        "id,province,district\n1,Kunduz,Khanabad\n2,Faryab,Springfield\n3,Jowzjan,Qush Teppa\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["match", str(table), "--boundaries", str(real_boundaries)])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert [r["pcode"] for r in rows] == ["AF1904", "", "AF2805"]
    assert rows[1]["method"] == "unresolved" and rows[1]["suggestions"]


def test_bad_table_exits_2_names_the_line_and_writes_nothing(tmp_path, real_boundaries):
    table = tmp_path / "bad.csv"
    table.write_text(
        "group,province,district,status,date,source,note\ntaliban,Kunduz,Khanabadd,captured,,,\ntaliban,Kunduz,Atlantis,captured,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.geojson"
    result = CliRunner().invoke(
        main, ["export", "-o", str(out), "--table", str(table), "--boundaries", str(real_boundaries)]
    )
    assert result.exit_code == 2
    assert "bad.csv:3" in result.stderr and "Atlantis" in result.stderr and "best candidates" in result.stderr
    assert not out.exists()


def test_boundaries_command(real_boundaries):
    result = run("boundaries", "--boundaries", str(real_boundaries))
    assert "districts:   399" in result.output
    assert "783feade31a8e8b450d7c439446a935b34eb4ee8fc24fd0e182dfc5943b3abd3" in result.output
    assert "AGCHO / UN OCHA COD-AB" in result.output


def test_build_command_writes_every_planned_file_with_progress(tmp_path, real_boundaries, control_data):
    import json

    from districtcontrol._files import MANIFEST_NAME
    from districtcontrol.maps import planned_outputs

    out = tmp_path / "maps"
    result = run(
        "build", "--out", str(out), "--format", "html,png", "--jobs", "1", "--boundaries", str(real_boundaries)
    )
    assert result.exit_code == 0, result.output
    planned = planned_outputs(control_data, ("html", "png"))
    assert sorted(p.name for p in out.iterdir() if p.name != MANIFEST_NAME) == sorted(planned)
    assert sorted(json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]) == sorted(planned)
    assert f"[{len(planned)}/{len(planned)}]" in result.stderr and "index.html" in result.stderr


def test_build_command_refuses_an_unknown_format_before_writing(tmp_path, real_boundaries):
    out = tmp_path / "maps"
    result = run("build", "--out", str(out), "--format", "html,gif", "--boundaries", str(real_boundaries))
    assert result.exit_code == 2 and "unknown format gif" in result.stderr
    assert "html, png, svg, pdf, geojson" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("suffix", [".html", ".svg"])
def test_map_command_writes_one_map_by_suffix(tmp_path, real_boundaries, suffix):
    path = tmp_path / f"imu{suffix}"
    result = run("map", "imu", "-o", str(path), "--boundaries", str(real_boundaries))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert ("<!DOCTYPE html>" in text) if suffix == ".html" else text.lstrip().startswith("<?xml")
    assert "IMU" in text or suffix == ".svg"  # svg text is drawn as paths


def test_map_command_names_the_maps_it_knows_and_the_formats(tmp_path, real_boundaries):
    wrong_group = run("map", "haqqani", "-o", str(tmp_path / "x.html"), "--boundaries", str(real_boundaries))
    assert wrong_group.exit_code == 2 and "combined, taliban, is, imu" in wrong_group.stderr
    wrong_suffix = run("map", "is", "-o", str(tmp_path / "x.gif"), "--boundaries", str(real_boundaries))
    assert wrong_suffix.exit_code == 2 and ".html, .png, .svg, .pdf" in wrong_suffix.stderr
    assert not list(tmp_path.iterdir())


def test_validate_command_reports_a_good_and_a_bad_table(tmp_path, real_boundaries):
    good = run("validate", "--boundaries", str(real_boundaries))
    assert good.exit_code == 0 and "no problems" in good.output
    bad = tmp_path / "bad.csv"
    bad.write_text("group,province,district,status,date,source,note\ntaliban,Kunduz,Khanabad,capturd,,,\n")
    result = run("validate", str(bad), "--boundaries", str(real_boundaries))
    assert result.exit_code == 2 and f"{bad}:2 [status]" in result.stderr and "captured" in result.stderr
