"""Boundary files: formats, schemas, reprojection, repair, and the download with checksum (local server)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from helpers import Server
from shapely.geometry import Polygon, box

from districtcontrol import DistrictControlError
from districtcontrol.geo import boundaries as bnd
from districtcontrol.geo import read_boundaries


def cod_ab(tmp_path, name="d.geojson", crs=4326, geoms=None):
    geoms = geoms or [box(66, 36, 67, 37), box(67, 36, 68, 37)]
    frame = gpd.GeoDataFrame(
        {
            "ADM2_EN": ["Khan Abad", "Kunduz"][: len(geoms)],
            "ADM2_DA": ["خان آباد", "کندز"][: len(geoms)],
            "ADM2_PCODE": ["AF1904", "AF1901"][: len(geoms)],
            "ADM1_EN": ["Kunduz"] * len(geoms),
            "ADM1_PCODE": ["AF19"] * len(geoms),
            "ADM2ALT1EN": ["Khanabad", None][: len(geoms)],
        },
        geometry=geoms,
        crs=4326,
    ).to_crs(crs)
    path = tmp_path / name
    frame.to_file(path)
    return path


def test_reads_cod_ab_columns(tmp_path):
    frame = read_boundaries(cod_ab(tmp_path))
    assert list(frame["pcode"]) == ["AF1901", "AF1904"]
    assert frame.loc[frame["pcode"] == "AF1904", "alt_names"].item() == "Khanabad"


def test_projected_input_is_reprojected(tmp_path):
    frame = read_boundaries(cod_ab(tmp_path, "p.gpkg", crs=32642))
    assert frame.crs.to_epsg() == 4326
    assert abs(frame.total_bounds[0] - 66) < 1e-6


def test_invalid_geometry_is_repaired(tmp_path):
    bowtie = Polygon([(66, 36), (67, 37), (67, 36), (66, 37)])
    frame = read_boundaries(cod_ab(tmp_path, geoms=[bowtie, box(67, 36, 68, 37)]))
    assert frame.geometry.is_valid.all()
    assert not frame.geometry.is_empty.any()


def test_geoboundaries_and_custom_fields(tmp_path):
    frame = gpd.GeoDataFrame({"shapeName": ["Khan Abad"], "shapeID": ["X-1"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    frame.to_file(tmp_path / "gb.geojson")
    read = read_boundaries(tmp_path / "gb.geojson")
    assert (read["district"].item(), read["pcode"].item()) == ("Khan Abad", "X-1")
    other = gpd.GeoDataFrame({"NAME": ["Zebak"], "PROV": ["Badakhshan"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    other.to_file(tmp_path / "o.geojson")
    read = read_boundaries(tmp_path / "o.geojson", name_field="NAME", province_field="PROV")
    assert (read["district"].item(), read["province"].item()) == ("Zebak", "Badakhshan")


def test_missing_name_column_says_which_option(tmp_path):
    frame = gpd.GeoDataFrame({"NAME": ["Zebak"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    frame.to_file(tmp_path / "o.geojson")
    with pytest.raises(DistrictControlError, match="--name-field"):
        read_boundaries(tmp_path / "o.geojson")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip"])
def test_corrupt_or_empty_file_is_named(tmp_path, content):
    path = tmp_path / "broken.zip"
    path.write_bytes(content)
    with pytest.raises(DistrictControlError) as info:
        read_boundaries(path)
    assert "broken.zip" in str(info.value)


def test_zip_without_polygons(tmp_path):
    path = tmp_path / "empty.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(DistrictControlError, match="empty.zip"):
        read_boundaries(path)


def test_locate_order_argument_environment_cache(tmp_path, monkeypatch):
    given = cod_ab(tmp_path)
    monkeypatch.setenv(bnd.ENV_PATH, str(given))
    assert bnd.locate_boundaries().origin == "environment"
    assert bnd.locate_boundaries(given).origin == "argument"
    monkeypatch.delenv(bnd.ENV_PATH)
    with pytest.raises(DistrictControlError, match="--boundaries PATH"):
        bnd.locate_boundaries(download=False)


def test_missing_explicit_file_says_how_to_fix(tmp_path):
    with pytest.raises(DistrictControlError, match="does not exist"):
        bnd.locate_boundaries(tmp_path / "nope.zip")


@pytest.mark.integration
def test_download_verifies_and_caches(real_boundaries, monkeypatch):
    server = Server.serving(Path(real_boundaries).read_bytes(), bnd.FILENAME)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        source = bnd.locate_boundaries(progress=False)
        assert source.origin == "download"
        assert bnd.file_sha256(source.path) == bnd.SHA256
        assert bnd.locate_boundaries().origin == "cache"
    finally:
        server.close()


@pytest.mark.parametrize(
    ("body", "status", "needle"), [(b"tampered", 200, "corrupt"), (None, 404, "could not download")]
)
def test_failed_download_leaves_the_cache_clean(monkeypatch, body, status, needle):
    server = Server.serving(body, bnd.FILENAME, status)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        with pytest.raises(DistrictControlError, match=needle):
            bnd.locate_boundaries(progress=False)
        assert not (bnd.cache_dir() / bnd.FILENAME).exists()
        assert not any(bnd.cache_dir().glob("*")) if bnd.cache_dir().exists() else True
    finally:
        server.close()


def test_download_timeout_is_a_clear_error(monkeypatch):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, f"http://127.0.0.1:{listener.getsockname()[1]}/{bnd.FILENAME}")
        monkeypatch.setenv(bnd.ENV_TIMEOUT, "1")
        with pytest.raises(DistrictControlError, match="could not download"):
            bnd.locate_boundaries(progress=False)
        assert not (bnd.cache_dir() / bnd.FILENAME).exists()
    finally:
        listener.close()


def test_truncated_download_is_not_cached(real_boundaries, monkeypatch):
    server = Server.serving(Path(real_boundaries).read_bytes()[:100_000], bnd.FILENAME)
    try:
        monkeypatch.delenv(bnd.ENV_PATH, raising=False)
        monkeypatch.setenv(bnd.ENV_URL, server.url)
        with pytest.raises(DistrictControlError, match="corrupt"):
            bnd.locate_boundaries(progress=False)
        assert not (bnd.cache_dir() / bnd.FILENAME).exists()
    finally:
        server.close()
