"""Boundary files that would give wrong maps or never end: shared or missing P-codes, overlapping
districts, broken coordinates, huge files, a tampered cache, slow or endless downloads."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from helpers import Server
from shapely.geometry import Polygon, box

from districtcontrol import DistrictControlError
from districtcontrol.geo import boundaries as bnd
from districtcontrol.geo import read_boundaries


def districts_file(tmp_path, geoms, codes=None, name="d.gpkg", **extra):
    n = len(geoms)
    frame = gpd.GeoDataFrame(
        {
            "ADM2_EN": [f"District {i}" for i in range(n)],
            "ADM2_PCODE": codes or [f"AF01{i:02d}" for i in range(n)],
            "ADM1_EN": ["Kunduz"] * n,
            "ADM1_PCODE": ["AF19"] * n,
            **extra,
        },
        geometry=geoms,
        crs=4326,
    )
    path = tmp_path / name
    frame.to_file(path)
    return path


ROW = [box(66 + i, 36, 67 + i, 37) for i in range(3)]


# -- P-codes ------------------------------------------------------------------------------------


def test_shared_pcodes_are_refused_naming_the_districts(tmp_path):
    path = districts_file(tmp_path, ROW, codes=["AF0101", "AF0101", "AF0103"])
    with pytest.raises(DistrictControlError) as info:
        read_boundaries(path)
    message = str(info.value)
    assert "'AF0101' to District 0 (Kunduz), District 1 (Kunduz)" in message
    assert "--pcode-field" in message


def test_a_pcode_field_shared_by_districts_is_refused(tmp_path):
    with pytest.raises(DistrictControlError, match="'AF19' to District 0 .*District 2"):
        read_boundaries(districts_file(tmp_path, ROW), pcode_field="ADM1_PCODE")


def test_empty_pcodes_are_refused_naming_the_districts(tmp_path):
    path = districts_file(tmp_path, ROW, REF=["x", None, ""])
    with pytest.raises(
        DistrictControlError, match=r"column 'REF' gives no P-code to 2 district\(s\): District 1 .*District 2"
    ):
        read_boundaries(path, pcode_field="REF")


@pytest.mark.integration
@pytest.mark.parametrize(("field", "needle"), [("ADM2_REF", "gives no P-code"), ("ADM1_PCODE", "the same P-code")])
def test_real_file_with_a_wrong_pcode_field_is_refused(real_boundaries, field, needle):
    with pytest.raises(DistrictControlError, match=needle):
        read_boundaries(real_boundaries, pcode_field=field)


# -- overlaps -----------------------------------------------------------------------------------


def test_overlapping_districts_are_refused_naming_both(tmp_path):
    geoms = [box(66, 36, 68, 37), box(67, 36, 69, 37), box(70, 36, 71, 37)]
    with pytest.raises(DistrictControlError) as info:
        read_boundaries(districts_file(tmp_path, geoms))
    assert "District 0 (Kunduz) and District 1 (Kunduz) (50% of the smaller)" in str(info.value)


def test_a_district_twice_is_refused(tmp_path):
    with pytest.raises(DistrictControlError, match="overlap"):
        read_boundaries(districts_file(tmp_path, [*ROW, ROW[0]]))


def test_slivers_from_digitising_are_tolerated(tmp_path):
    geoms = [box(66, 36, 67.00001, 37), box(67, 36, 68, 37)]
    assert len(read_boundaries(districts_file(tmp_path, geoms))) == 2


# -- coordinates and size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "needle"),
    [
        (Polygon([(66, 36), (float("nan"), 37), (67, 36)]), "not numbers"),
        (Polygon([(66, 36), (float("inf"), 37), (67, 36)]), "not numbers"),
        (Polygon([(66, 36), (1e300, 37), (67, 36)]), "outside longitude"),
        (Polygon([(266, 36), (267, 37), (267, 36)]), "outside longitude"),
    ],
)
def test_broken_coordinates_are_an_error_naming_the_district(tmp_path, bad, needle):
    with pytest.raises(DistrictControlError, match=f"{needle}.*District 1 \\(Kunduz\\)"):
        read_boundaries(districts_file(tmp_path, [ROW[0], bad]))


def test_projected_coordinates_out_of_range_are_an_error(tmp_path):
    path = districts_file(tmp_path, [box(0, 0, 1e300, 1e300)], name="p.gpkg")
    frame = gpd.read_file(path).set_crs(32642, allow_override=True)
    frame.to_file(tmp_path / "projected.gpkg")
    with pytest.raises(DistrictControlError, match="District 0"):
        read_boundaries(tmp_path / "projected.gpkg")


def test_broken_coordinates_exit_2_on_the_command_line(tmp_path):
    from districtcontrol.cli import main

    path = districts_file(tmp_path, [Polygon([(66, 36), (float("nan"), 37), (67, 36)])])
    result = CliRunner().invoke(main, ["boundaries", "--boundaries", str(path)])
    assert result.exit_code == 2 and "not numbers" in result.output


def test_too_many_features_are_refused_before_any_geometry_is_read(tmp_path, monkeypatch):
    import pyogrio

    path = districts_file(tmp_path, ROW)
    monkeypatch.setattr(bnd, "MAX_FEATURES", 2)

    def never(*args, **kwargs):
        raise AssertionError("geometry was read")

    monkeypatch.setattr(pyogrio, "read_dataframe", never)
    with pytest.raises(DistrictControlError, match="3 features"):
        read_boundaries(path)


def test_a_file_too_large_to_be_boundaries_is_refused(tmp_path, monkeypatch):
    import zipfile

    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("d.geojson", " " * 200_000)
    monkeypatch.setattr(bnd, "MAX_UNCOMPRESSED_BYTES", 100_000)
    with pytest.raises(DistrictControlError, match="is 0.2 MB \\(unpacked\\), more than"):
        read_boundaries(path)
    plain = tmp_path / "big.geojson"
    plain.write_text(" " * 200_000)
    with pytest.raises(DistrictControlError, match="more than district boundaries take"):
        read_boundaries(plain)


# -- which file, and its attribution -----------------------------------------------------------------


@pytest.mark.integration
def test_the_pinned_file_is_attributed_and_other_files_are_not(real_boundaries, tmp_path):
    pinned = bnd.locate_boundaries(real_boundaries)
    assert pinned.is_pinned and pinned.attribution == bnd.ATTRIBUTION
    other = bnd.locate_boundaries(districts_file(tmp_path, ROW, name="mine.gpkg"))
    assert not other.is_pinned
    assert other.attribution == "Boundaries: mine.gpkg (unknown source)"


@pytest.mark.integration
def test_a_pinned_file_in_the_cache_is_used(real_boundaries, monkeypatch):
    monkeypatch.delenv(bnd.ENV_PATH, raising=False)
    bnd.cache_dir().mkdir(parents=True)
    shutil.copy(real_boundaries, bnd.cache_dir() / bnd.FILENAME)
    source = bnd.locate_boundaries(download=False)
    assert source.origin == "cache" and source.is_pinned


def test_a_different_file_in_the_cache_is_refused_offline(tmp_path, monkeypatch):
    monkeypatch.delenv(bnd.ENV_PATH, raising=False)
    bnd.cache_dir().mkdir(parents=True)
    shutil.copy(districts_file(tmp_path, ROW), bnd.cache_dir() / bnd.FILENAME)
    with pytest.raises(DistrictControlError, match="not the pinned COD-AB file"):
        bnd.locate_boundaries(download=False)


@pytest.mark.integration
def test_a_different_file_in_the_cache_is_downloaded_again(real_boundaries, tmp_path, monkeypatch):
    server = Server(lambda handler: handler.send_body(Path(real_boundaries).read_bytes()), bnd.FILENAME)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        bnd.cache_dir().mkdir(parents=True)
        shutil.copy(districts_file(tmp_path, ROW), bnd.cache_dir() / bnd.FILENAME)
        source = bnd.locate_boundaries(progress=False)
        assert source.origin == "download" and source.is_pinned
    finally:
        server.close()


# -- downloads ------------------------------------------------------------------------------------


def trickle(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", str(bnd.SIZE_BYTES))
    handler.end_headers()
    for _ in range(600):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.1)


def endless(handler):
    handler.send_response(200)
    handler.end_headers()
    block = b"x" * 65536
    for _ in range(10_000):
        handler.wfile.write(block)


def oversized(handler):
    handler.send_response(200)
    handler.send_header("Content-Length", str(10 * bnd.SIZE_BYTES))
    handler.end_headers()


@pytest.mark.parametrize(
    ("respond", "needle"), [(trickle, "longer than 1 s"), (endless, "grew past"), (oversized, "offers")]
)
def test_downloads_are_bounded_in_time_and_size_and_leave_nothing(monkeypatch, respond, needle):
    server = Server(respond, bnd.FILENAME)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        monkeypatch.setenv(bnd.ENV_TIMEOUT, "1")
        start = time.monotonic()
        with pytest.raises(DistrictControlError, match=needle):
            bnd.locate_boundaries(progress=False)
        assert time.monotonic() - start < 5
        assert not any(bnd.cache_dir().iterdir())
    finally:
        server.close()


def test_stale_temporary_downloads_are_removed(monkeypatch):
    import os

    server = Server(lambda handler: handler.send_body(b"not the file"), bnd.FILENAME)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        bnd.cache_dir().mkdir(parents=True)
        stale = bnd.cache_dir() / "tmpabc123"
        stale.write_bytes(b"half a download")
        os.utime(stale, (time.time() - 3600, time.time() - 3600))
        with pytest.raises(DistrictControlError, match="corrupt"):
            bnd.locate_boundaries(progress=False)
        assert not any(bnd.cache_dir().iterdir())
    finally:
        server.close()


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_bad_download_timeout_is_a_clear_error(monkeypatch, value):
    from districtcontrol.cli import main

    monkeypatch.delenv(bnd.ENV_PATH, raising=False)
    monkeypatch.setenv(bnd.ENV_TIMEOUT, value)
    result = CliRunner().invoke(main, ["boundaries"])
    assert result.exit_code == 2
    assert f"DISTRICTCONTROL_DOWNLOAD_TIMEOUT='{value}' is not a number of seconds" in result.output


def test_a_cache_path_that_is_a_file_is_a_clear_error(tmp_path, monkeypatch):
    from districtcontrol.cli import main

    blocker = tmp_path / "cachefile"
    blocker.write_text("x")
    monkeypatch.delenv(bnd.ENV_PATH, raising=False)
    monkeypatch.setenv(bnd.ENV_CACHE, str(blocker / "sub"))
    result = CliRunner().invoke(main, ["boundaries"])
    assert result.exit_code == 2
    assert f"{blocker} is a file" in result.output


def test_names_from_the_file_are_shown_escaped(tmp_path):
    path = districts_file(tmp_path, ROW, codes=["AF0101", "AF0101", "AF0103"])
    frame = gpd.read_file(path)
    frame["ADM2_EN"] = ["Bad\x1b[2J", "Other", "Third"]
    frame.to_file(tmp_path / "escape.gpkg")
    with pytest.raises(DistrictControlError) as info:
        read_boundaries(tmp_path / "escape.gpkg")
    assert "\x1b" not in str(info.value) and "Bad\\x1b[2J" in str(info.value)
