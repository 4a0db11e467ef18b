"""Find, download and read district boundaries into one standard frame.

Where the file comes from, in order: an explicit path (``--boundaries``), the environment
variable ``DISTRICTCONTROL_BOUNDARIES``, the user cache, then a download of the UN OCHA COD-AB
file, verified by its sha256 before it is cached.

Whatever the input schema, :func:`read_boundaries` returns a GeoDataFrame in WGS 84 with the
columns ``pcode, district, district_dari, province, province_dari, province_pcode, alt_names,
geometry`` and valid polygon geometries.
"""

from __future__ import annotations

import hashlib
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from districtcontrol import DistrictControlError

ENV_PATH = "DISTRICTCONTROL_BOUNDARIES"
ENV_URL = "DISTRICTCONTROL_BOUNDARIES_URL"
ENV_CACHE = "DISTRICTCONTROL_CACHE"
ENV_TIMEOUT = "DISTRICTCONTROL_DOWNLOAD_TIMEOUT"
FILENAME = "afg_admbnda_adm2_agcho_20180522.zip"
URL = (
    "https://github.com/colincookman/afghanistan_presidential_election_2019/raw/"
    "56d325d3a87200475dc680ccc4654d8b13a3ac28/district_data/boundaries/" + FILENAME
)
SHA256 = "783feade31a8e8b450d7c439446a935b34eb4ee8fc24fd0e182dfc5943b3abd3"
ATTRIBUTION = "Boundaries: AGCHO / UN OCHA COD-AB (2018)"
DOWNLOAD_TIMEOUT_S = 60

STANDARD_COLUMNS = [
    "pcode",
    "district",
    "district_dari",
    "province",
    "province_dari",
    "province_pcode",
    "alt_names",
]
# Known schemas: standard column -> candidate source columns, first present wins.
SCHEMAS = {
    "pcode": ["ADM2_PCODE", "shapeID"],
    "district": ["ADM2_EN", "shapeName"],
    "district_dari": ["ADM2_DA"],
    "province": ["ADM1_EN"],
    "province_dari": ["ADM1_DA"],
    "province_pcode": ["ADM1_PCODE"],
}
ALT_NAME_COLUMNS = ["ADM2ALT1EN", "ADM2ALT2EN", "ADM2_REF"]

HOW_TO_SUPPLY = (
    "districtcontrol needs the district boundaries of Afghanistan (UN OCHA COD-AB, AGCHO 2018, "
    f"file {FILENAME}). Download it on a machine with network from\n  {URL}\n"
    f"then pass it with --boundaries PATH, or set {ENV_PATH}=PATH, or copy it into the cache "
    "folder {cache}. Its sha256 must be {sha}."
)


@dataclass(frozen=True)
class BoundarySource:
    """The boundary file in use and where it was found (argument, environment, cache, download)."""

    path: Path
    origin: str


def cache_dir() -> Path:
    """The user cache folder (``DISTRICTCONTROL_CACHE`` overrides the platform default)."""
    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    import platformdirs

    return Path(platformdirs.user_cache_dir("districtcontrol"))


def locate_boundaries(
    path: str | Path | None = None, *, download: bool = True, progress: bool | None = None
) -> BoundarySource:
    """Find the boundary file: explicit path, then environment variable, then cache, then download."""
    if path:
        return BoundarySource(_existing(Path(path), "--boundaries"), "argument")
    if os.environ.get(ENV_PATH):
        return BoundarySource(_existing(Path(os.environ[ENV_PATH]), ENV_PATH), "environment")
    cached = cache_dir() / FILENAME
    if cached.is_file():
        return BoundarySource(cached, "cache")
    if not download:
        raise DistrictControlError(HOW_TO_SUPPLY.format(cache=cache_dir(), sha=SHA256))
    return BoundarySource(download_boundaries(progress=progress), "download")


def _existing(path: Path, how: str) -> Path:
    if not path.is_file():
        raise DistrictControlError(
            f"the boundary file given by {how} does not exist: {path}. Check the path, or unset {how} "
            "to use the cached or downloaded file."
        )
    return path


def download_boundaries(url: str | None = None, *, progress: bool | None = None) -> Path:
    """Download the COD-AB district file into the cache, verify its sha256, return its path.

    A download whose checksum does not match is deleted, never cached. ``url`` defaults to
    ``DISTRICTCONTROL_BOUNDARIES_URL`` or the pinned public address.
    """
    import pooch
    import requests

    url = url or os.environ.get(ENV_URL) or URL
    folder = cache_dir()
    show = sys.stderr.isatty() if progress is None else progress
    timeout = float(os.environ.get(ENV_TIMEOUT) or DOWNLOAD_TIMEOUT_S)
    downloader = pooch.HTTPDownloader(progressbar=show, timeout=timeout)
    print(f"Downloading district boundaries from {url}", file=sys.stderr)
    try:
        fetched = pooch.retrieve(url, known_hash=f"sha256:{SHA256}", fname=FILENAME, path=folder, downloader=downloader)
    except ValueError as exc:
        (folder / FILENAME).unlink(missing_ok=True)
        raise DistrictControlError(
            f"the downloaded boundary file is corrupt ({exc}). Nothing was cached; try again."
        ) from exc
    except (requests.RequestException, OSError) as exc:
        (folder / FILENAME).unlink(missing_ok=True)
        reason = f"could not download the boundary file: {exc}.\n"
        raise DistrictControlError(reason + HOW_TO_SUPPLY.format(cache=folder, sha=SHA256)) from exc
    return Path(fetched)


def file_sha256(path: str | Path) -> str:
    """The sha256 of a file, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_boundaries(
    path: str | Path | None = None,
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
):
    """Find the boundary file (:func:`locate_boundaries`) and read it: ``(BoundarySource, GeoDataFrame)``."""
    source = locate_boundaries(path)
    frame = read_boundaries(source.path, name_field=name_field, province_field=province_field, pcode_field=pcode_field)
    return source, frame


def read_boundaries(
    path: str | Path,
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
):
    """Read a district file (zipped shapefile, .shp, GeoJSON, GeoPackage) into the standard frame.

    COD-AB and geoBoundaries columns are detected; other files need ``name_field`` (and
    ideally ``province_field`` and ``pcode_field``). Non-WGS 84 input is reprojected and invalid
    geometries are repaired.
    """
    raw = _read_raw(Path(path))
    overrides = {"district": name_field, "province": province_field, "pcode": pcode_field}
    frame = _standardise(raw, Path(path), overrides)
    return _clean_geometries(frame, Path(path))


def _read_raw(path: Path):
    import pyogrio

    if not path.is_file():
        raise DistrictControlError("no such boundary file; check --boundaries or " + ENV_PATH, str(path))
    try:
        frame = pyogrio.read_dataframe(path, use_arrow=True)
    except Exception as exc:  # pyogrio raises several GDAL error types
        raise DistrictControlError(
            f"cannot read boundaries ({exc}). Supply a zipped shapefile, .shp, GeoJSON or GeoPackage of district polygons.",
            str(path),
        ) from exc
    if len(frame) == 0 or frame.geometry.isna().all():
        raise DistrictControlError("the boundary file has no features; is it the district (ADM2) layer?", str(path))
    return frame


def _standardise(raw, path: Path, overrides: dict[str, str | None]):
    import geopandas as gpd

    columns = {}
    for std, candidates in SCHEMAS.items():
        wanted = overrides.get(std)
        if wanted and wanted not in raw.columns:
            raise DistrictControlError(
                f"the file has no column '{wanted}'; columns are: {', '.join(map(str, raw.columns))}", str(path)
            )
        found = wanted or next((c for c in candidates if c in raw.columns), None)
        columns[std] = raw[found].astype("string").fillna("").str.strip() if found else None
    if columns["district"] is None:
        raise DistrictControlError(
            "cannot find the district name column (tried ADM2_EN, shapeName). Name it with --name-field, "
            f"and the province with --province-field. Columns are: {', '.join(map(str, raw.columns))}",
            str(path),
        )
    frame = gpd.GeoDataFrame(
        {std: _fill(col, std, columns, len(raw)) for std, col in columns.items()},
        geometry=raw.geometry.values,
        crs=raw.crs,
    )
    alts = [raw[c].astype("string").fillna("") for c in ALT_NAME_COLUMNS if c in raw.columns]
    frame["alt_names"] = ["|".join(a for a in vals if a) for vals in zip(*alts)] if alts else ""
    return frame[STANDARD_COLUMNS + ["geometry"]]


def _fill(col, std: str, columns: dict, n: int):
    if col is not None:
        return col.to_numpy(dtype=object)
    if std == "pcode":
        return [f"D{i + 1:04d}" for i in range(n)]
    if std == "province_pcode" and columns["province"] is not None:
        return columns["province"].to_numpy(dtype=object)
    if std in ("province", "province_pcode"):
        return ["(unknown)"] * n
    return [""] * n


def _clean_geometries(frame, path: Path):
    import shapely

    if frame.crs is None:
        warnings.warn(f"{path}: no coordinate reference system; assuming WGS 84 (EPSG:4326)", stacklevel=3)
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = shapely.make_valid(geoms)
    frame = frame.set_geometry([_polygonal(g) for g in geoms], crs=frame.crs)
    empty = frame.geometry.is_empty | frame.geometry.isna()
    if empty.all():
        raise DistrictControlError("the boundary file has no polygons; is it the district (ADM2) layer?", str(path))
    if empty.any():
        names = ", ".join(frame.loc[empty, "district"].astype(str).head(10))
        warnings.warn(f"{path}: skipped {int(empty.sum())} districts without a polygon: {names}", stacklevel=3)
        frame = frame[~empty]
    return frame.sort_values("pcode", kind="stable").reset_index(drop=True)


def _polygonal(geom):
    """Keep only the polygonal part of a geometry (make_valid may add lines or points)."""
    import shapely

    if geom is None:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
