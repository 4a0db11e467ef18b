"""Find, download and read district boundaries into one standard frame.

Where the file comes from, in order: an explicit path (``--boundaries``), the environment
variable ``DISTRICTCONTROL_BOUNDARIES``, the user cache, then a download of the UN OCHA COD-AB
file, verified by its sha256 before it is cached.

Whatever the input schema, :func:`read_boundaries` returns a GeoDataFrame in WGS 84 with the
columns ``pcode, district, district_dari, province, province_dari, province_pcode, alt_names,
geometry`` and valid polygon geometries.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._csv import printable
from districtcontrol.geo._fetch import (  # noqa: F401  (public here: cache_dir, file_sha256)
    DOWNLOAD_TIMEOUT_S,
    ENV_CACHE,
    ENV_TIMEOUT,
    _BoundedDownload,
    _download_timeout,
    _DownloadStopped,
    _remove_stale_downloads,
    _usable_cache_dir,
    cache_dir,
    file_sha256,
)

ENV_PATH = "DISTRICTCONTROL_BOUNDARIES"
ENV_URL = "DISTRICTCONTROL_BOUNDARIES_URL"
FILENAME = "afg_admbnda_adm2_agcho_20180522.zip"
URL = (
    "https://github.com/colincookman/afghanistan_presidential_election_2019/raw/"
    "56d325d3a87200475dc680ccc4654d8b13a3ac28/district_data/boundaries/" + FILENAME
)
SHA256 = "783feade31a8e8b450d7c439446a935b34eb4ee8fc24fd0e182dfc5943b3abd3"
SIZE_BYTES = 3_646_293  # of the pinned file: a download is stopped as soon as it grows past it
ATTRIBUTION = "Boundaries: AGCHO / UN OCHA COD-AB (2018)"
MAX_FEATURES = 100_000  # Afghanistan has about 400 districts; a file with more is refused before it is read
MAX_UNCOMPRESSED_BYTES = 2**30
OVERLAP_TOLERANCE = 0.001  # share of the smaller district: slivers from digitising below it are only logged

logger = logging.getLogger(__name__)

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
    """The boundary file in use and where it was found (argument, environment, cache, download).

    ``is_pinned`` tells whether it is the COD-AB file the tool is pinned to (its sha256
    matches); ``attribution`` credits it, or says "unknown source" for any other file.
    """

    path: Path
    origin: str

    @cached_property
    def sha256(self) -> str:
        """The file's sha256, as hex (computed once)."""
        return file_sha256(self.path)

    @property
    def is_pinned(self) -> bool:
        """True when the file is the pinned UN OCHA COD-AB district file."""
        return self.sha256 == SHA256

    @property
    def attribution(self) -> str:
        """The credit line for maps drawn from this file."""
        return ATTRIBUTION if self.is_pinned else f"Boundaries: {self.path.name} (unknown source)"


def locate_boundaries(
    path: str | Path | None = None, *, download: bool = True, progress: bool | None = None
) -> BoundarySource:
    """Find the boundary file: explicit path, then environment variable, then cache, then download."""
    if path:
        return BoundarySource(_existing(Path(path), "--boundaries"), "argument")
    if os.environ.get(ENV_PATH):
        return BoundarySource(_existing(Path(os.environ[ENV_PATH]), ENV_PATH), "environment")
    cached = _usable_cache_dir() / FILENAME
    if cached.is_file():
        if _is_pinned_file(cached):
            return BoundarySource(cached, "cache")
        if not download:
            raise DistrictControlError(
                f"the cached boundary file {cached} is not the pinned COD-AB file (its sha256 is not {SHA256}). "
                "Delete it to download the right one, or pass your own file with --boundaries."
            )
        logger.warning("the cached boundary file %s is not the pinned COD-AB file; downloading it again", cached)
    elif not download:
        raise DistrictControlError(HOW_TO_SUPPLY.format(cache=cache_dir(), sha=SHA256))
    return BoundarySource(download_boundaries(progress=progress), "download")


def _is_pinned_file(path: Path) -> bool:
    import pooch

    return pooch.file_hash(str(path), alg="sha256") == SHA256


def _existing(path: Path, how: str) -> Path:
    if not path.is_file():
        raise DistrictControlError(
            f"the boundary file given by {how} does not exist: {path}. Check the path, or unset {how} "
            "to use the cached or downloaded file."
        )
    return path


def download_boundaries(url: str | None = None, *, progress: bool | None = None) -> Path:
    """Download the COD-AB district file into the cache, verify its sha256, return its path.

    The cache is a pooch registry pinned to the file's sha256: a cached file is checked on
    every use and fetched again when it differs. The download is bounded in total time
    (``DISTRICTCONTROL_DOWNLOAD_TIMEOUT`` seconds, default 60, for the whole transfer) and in
    size (the pinned file's); a download that fails, is too slow or too large, or whose
    checksum does not match, leaves nothing in the cache. ``url`` defaults to
    ``DISTRICTCONTROL_BOUNDARIES_URL`` or the pinned public address.
    """
    import pooch
    import requests

    url = url or os.environ.get(ENV_URL) or URL
    seconds = _download_timeout()
    folder = _usable_cache_dir()
    show = sys.stderr.isatty() if progress is None else progress
    registry = pooch.create(path=folder, base_url="", registry={FILENAME: f"sha256:{SHA256}"}, urls={FILENAME: url})
    _remove_stale_downloads(folder, seconds)
    logger.info("Downloading district boundaries from %s", url)
    try:
        fetched = registry.fetch(FILENAME, downloader=_BoundedDownload(seconds, SIZE_BYTES, show))
    except ValueError as exc:
        (folder / FILENAME).unlink(missing_ok=True)
        raise DistrictControlError(
            f"the downloaded boundary file is corrupt ({exc}). Nothing was cached; try again."
        ) from exc
    except (requests.RequestException, OSError, _DownloadStopped) as exc:
        (folder / FILENAME).unlink(missing_ok=True)
        reason = f"could not download the boundary file: {exc}.\n"
        raise DistrictControlError(reason + HOW_TO_SUPPLY.format(cache=folder, sha=SHA256)) from exc
    return Path(fetched)


def load_boundaries(
    path: str | Path | None = None,
    *,
    name_field: str | None = None,
    province_field: str | None = None,
    pcode_field: str | None = None,
):
    """Find the boundary file (:func:`locate_boundaries`) and read it: ``(BoundarySource, GeoDataFrame)``."""
    source = locate_boundaries(path)
    fields = {"name_field": name_field, "province_field": province_field, "pcode_field": pcode_field}
    from districtcontrol.geo._boundary_cache import read_cached

    return source, read_cached(source, fields)


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

    Refused, with the districts named: a file of more than :data:`MAX_FEATURES` features
    (before any geometry is read), P-codes that are empty or shared by several districts,
    coordinates that are not finite or not on the globe, and districts that overlap.
    """
    path = Path(path)
    raw = _read_raw(path)
    overrides = {"district": name_field, "province": province_field, "pcode": pcode_field}
    frame = _clean_geometries(_standardise(raw, path, overrides), path)
    _check_codes(frame, path, _source_column(raw, "pcode", pcode_field))
    _check_overlaps(frame, path)
    return frame


def _read_raw(path: Path):
    import pyogrio

    if not path.is_file():
        raise DistrictControlError("no such boundary file; check --boundaries or " + ENV_PATH, str(path))
    _check_size(path)
    try:
        with warnings.catch_warnings():  # NaN coordinates are reported below, with the districts named
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            frame = pyogrio.read_dataframe(path, use_arrow=True)
    except Exception as exc:  # pyogrio raises several GDAL error types
        raise _unreadable(path, exc) from exc
    if len(frame) == 0 or frame.geometry.isna().all():
        raise DistrictControlError("the boundary file has no features; is it the district (ADM2) layer?", str(path))
    return frame


def _unreadable(path: Path, exc: Exception) -> DistrictControlError:
    return DistrictControlError(
        f"cannot read boundaries ({exc}). Supply a zipped shapefile, .shp, GeoJSON or GeoPackage of district polygons.",
        str(path),
    )


def _check_size(path: Path) -> None:
    """Refuse a file too large to be district boundaries before reading its geometry."""
    import pyogrio

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            size = sum(member.file_size for member in archive.infolist())
    else:
        size = path.stat().st_size
    if size > MAX_UNCOMPRESSED_BYTES:
        raise DistrictControlError(
            f"the file is {size / 2**20:,.1f} MB (unpacked), more than district boundaries take; is it the right file?",
            str(path),
        )
    try:
        features = pyogrio.read_info(path)["features"]
        if features < 0:
            features = pyogrio.read_info(path, force_feature_count=True)["features"]
    except Exception as exc:  # pyogrio raises several GDAL error types
        raise _unreadable(path, exc) from exc
    if features > MAX_FEATURES:
        raise DistrictControlError(
            f"the file has {features:,} features; district boundaries have hundreds (at most {MAX_FEATURES:,} "
            "are read). Is it the district (ADM2) layer?",
            str(path),
        )


def _source_column(raw, std: str, wanted: str | None) -> str | None:
    """The column of the file that gives the standard column ``std``: the one asked for, or a known one."""
    return wanted or next((c for c in SCHEMAS[std] if c in raw.columns), None)


def _standardise(raw, path: Path, overrides: dict[str, str | None]):
    import geopandas as gpd

    columns = {}
    for std in SCHEMAS:
        wanted = overrides.get(std)
        if wanted and wanted not in raw.columns:
            raise DistrictControlError(
                f"the file has no column '{wanted}'; columns are: {_listed(raw.columns)}", str(path)
            )
        found = _source_column(raw, std, wanted)
        columns[std] = raw[found].astype("string").fillna("").str.strip() if found else None
    if columns["district"] is None:
        raise DistrictControlError(
            "cannot find the district name column (tried ADM2_EN, shapeName). Name it with --name-field, "
            f"and the province with --province-field. Columns are: {_listed(raw.columns)}",
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

    _check_coordinates(frame, path, "as the file gives them")
    if frame.crs is None:
        warnings.warn(f"{path}: no coordinate reference system; assuming WGS 84 (EPSG:4326)", stacklevel=3)
        frame = frame.set_crs(4326)
    elif frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
        _check_coordinates(frame, path, "once reprojected to WGS 84")
    _check_on_globe(frame, path)
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


def _check_coordinates(frame, path: Path, stage: str) -> None:
    """Refuse NaN or infinite coordinates, naming the districts that have them."""
    import numpy as np
    import shapely

    coords, index = shapely.get_coordinates(frame.geometry.values, return_index=True)
    bad = np.unique(index[~np.isfinite(coords).all(axis=1)])
    if len(bad):
        raise DistrictControlError(
            f"{len(bad)} district(s) have coordinates that are not numbers (NaN or infinite) {stage}: "
            f"{_names(frame, bad)}. Repair them in a GIS.",
            str(path),
        )


def _check_on_globe(frame, path: Path) -> None:
    import numpy as np
    import shapely

    coords, index = shapely.get_coordinates(frame.geometry.values, return_index=True)
    outside = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    bad = np.unique(index[outside])
    if len(bad):
        raise DistrictControlError(
            f"{len(bad)} district(s) lie outside longitude -180..180 or latitude -90..90: {_names(frame, bad)}. "
            "Is the file's coordinate reference system declared correctly?",
            str(path),
        )


def _check_codes(frame, path: Path, column: str | None) -> None:
    """Every district needs its own P-code: an empty or shared one would colour the wrong districts."""
    if column is None:
        return  # codes were numbered by the reader
    fix = "; choose a column with one code per district with --pcode-field"
    codes = frame["pcode"]
    empty = [i for i, code in enumerate(codes) if not code]
    if empty:
        raise DistrictControlError(
            f"column '{column}' gives no P-code to {len(empty)} district(s): {_names(frame, empty)}{fix}", str(path)
        )
    positions: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        positions.setdefault(code, []).append(i)
    shared = {code: where for code, where in positions.items() if len(where) > 1}
    if shared:
        listed = "; ".join(f"'{code}' to {_names(frame, where)}" for code, where in list(shared.items())[:5])
        more = f" (and {len(shared) - 5} more codes)" if len(shared) > 5 else ""
        raise DistrictControlError(
            f"column '{column}' gives the same P-code to several districts: {listed}{more}{fix}", str(path)
        )


def _check_overlaps(frame, path: Path) -> None:
    """Refuse districts that overlap (their areas would be counted twice), naming each pair.

    A valid coverage (the COD-AB file is one) is accepted at once; otherwise every pair whose
    interiors meet is measured, and overlaps under :data:`OVERLAP_TOLERANCE` of the smaller
    district, slivers left by digitising, are only logged.
    """
    import numpy as np
    import shapely

    geoms = frame.geometry.values
    if shapely.coverage_is_valid(geoms):
        return
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    meet = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    left, right = left[meet], right[meet]
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    large = shared > OVERLAP_TOLERANCE * smaller
    if (~large).any():
        logger.info("%s: %d pairs of districts overlap by slivers, ignored", path, int((~large).sum()))
    if large.any():
        listed = "; ".join(
            f"{_names(frame, [a])} and {_names(frame, [b])} ({share:.0%} of the smaller)"
            for a, b, share in list(zip(left[large], right[large], shared[large] / smaller[large]))[:10]
        )
        more = f" and {int(large.sum()) - 10} more pairs" if large.sum() > 10 else ""
        raise DistrictControlError(
            f"{int(large.sum())} pair(s) of districts overlap: {listed}{more}. Each place must belong to one "
            "district; is a district in the file twice, or are two layers merged?",
            str(path),
        )


def _listed(columns) -> str:
    return ", ".join(printable(c) for c in columns)


def _names(frame, positions, limit: int = 10) -> str:
    """'District (Province)' for the rows at ``positions``, at most ``limit`` of them."""
    rows = frame.iloc[list(positions)[:limit]]
    names = ", ".join(printable(f"{d} ({p})") for d, p in zip(rows["district"], rows["province"]))
    return names + (f" and {len(positions) - limit} more" if len(positions) > limit else "")
