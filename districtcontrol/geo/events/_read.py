"""Reading event files (CSV, GeoJSON, GeoPackage, Parquet) and recognising ACLED's and UCDP GED's columns.

Every source becomes one frame of the same columns (:data:`FRAME_COLUMNS`): the event's id as
written, its day, its point, its two sides, its event and sub-event type, the source's own
province and district names, and whether its location is precise enough to place.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from districtcontrol import DistrictControlError
from districtcontrol._csv import column_key

# role → column, per schema. "precision" is the location's precision code.
SCHEMAS: dict[str, dict[str, str]] = {
    "acled": {
        "id": "event_id_cnty",
        "date": "event_date",
        "lon": "longitude",
        "lat": "latitude",
        "actor1": "actor1",
        "actor2": "actor2",
        "event_type": "event_type",
        "sub_event_type": "sub_event_type",
        "admin1": "admin1",
        "admin2": "admin2",
        "precision": "geo_precision",
    },
    "ucdp": {
        "id": "id",
        "date": "date_start",
        "lon": "longitude",
        "lat": "latitude",
        "actor1": "side_a",
        "actor2": "side_b",
        "event_type": "type_of_violence",
        "admin1": "adm_1",
        "admin2": "adm_2",
        "precision": "where_prec",
    },
}
# The columns that identify a schema (besides a point: latitude/longitude or a point geometry).
SIGNATURES = {"acled": ("event_id_cnty", "event_date", "actor1"), "ucdp": ("id", "date_start", "side_a", "side_b")}
SCHEMA_CHOICES = ("auto", "acled", "ucdp")
ROLES = ("id", "date", "lon", "lat", "actor1", "actor2", "event_type", "sub_event_type", "admin1", "admin2")
UCDP_VIOLENCE = {"1": "state-based", "2": "non-state", "3": "one-sided"}
DATE_FORMATS = ("%d %B %Y", "%d-%B-%Y", "%d %b %Y")  # after ISO 8601: older ACLED exports write "15 August 2021"
FRAME_COLUMNS = ("row", "id", "day", "date_text", "lon", "lat", *ROLES[4:], "imprecise")
_CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
_OGR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip", ".fgb"}
_PARQUET_SUFFIXES = {".parquet", ".geoparquet", ".pq"}


@dataclass(frozen=True)
class EventSource:
    """An event file read into the standard frame; ``columns`` maps each role to the column as written."""

    path: Path
    schema: str  # acled, ucdp or custom
    columns: dict[str, str]
    frame: object  # pandas DataFrame of FRAME_COLUMNS

    @property
    def id_column(self) -> str:
        return self.columns.get("id", "row")


def read_events(
    source: str | Path,
    *,
    schema: str = "auto",
    columns: Mapping[str, str | None] | None = None,
    max_geo_precision: Mapping[str, int | None] | None = None,
) -> EventSource:
    """Read an event file: CSV, GeoJSON, GeoPackage or (Geo)Parquet, in ACLED's or UCDP GED's columns or any.

    ``schema`` is ``auto`` (detect ACLED or UCDP GED by their columns), ``acled`` or ``ucdp``.
    ``columns`` maps roles (``id``, ``date``, ``lon``, ``lat``, ``actor1``, ``actor2``,
    ``event_type``, ``sub_event_type``, ``admin1``, ``admin2``) to the file's column names
    (any case and spacing), over the schema's; a file of neither schema needs at least
    ``date``, ``lon`` and ``lat`` (or a point geometry) and ``actor1``. ``max_geo_precision``
    gives per schema the coarsest precision code placed in a district (see the rules' [placement]).
    """
    path = Path(source)
    if not path.is_file():
        raise DistrictControlError("no such event file; check the path", str(path))
    header = _header(path)
    schema = _schema(path, header, schema, columns or {})
    wanted = _columns(path, header, schema, columns or {})
    raw = _read(path, wanted)
    limit = (max_geo_precision or {}).get(schema)
    frame = _standard(raw, wanted, schema, limit)
    return EventSource(path, schema, {role: wanted[role] for role in wanted if role != "geometry"}, frame)


# -- columns ------------------------------------------------------------------------------------


def _header(path: Path) -> list[str]:
    """The file's column names (and ``geometry`` when it has point geometries)."""
    suffix = path.suffix.lower()
    try:
        if suffix in _CSV_SUFFIXES:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                return next(csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ","), [])
        if suffix in _PARQUET_SUFFIXES:
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if suffix in _OGR_SUFFIXES:
            import pyogrio

            info = pyogrio.read_info(path)
            return [*info["fields"], *(["geometry"] if info.get("geometry_type") else [])]
    except UnicodeDecodeError as exc:
        raise DistrictControlError(
            "the file is not UTF-8; save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')", str(path)
        ) from exc
    except Exception as exc:  # pyarrow and GDAL raise several error types
        raise DistrictControlError(f"cannot read the event file ({exc})", str(path)) from exc
    raise DistrictControlError(
        f"cannot read '{path.suffix}' files; give a CSV, GeoJSON, GeoPackage or Parquet file", str(path)
    )


def _schema(path: Path, header: list[str], schema: str, columns: Mapping) -> str:
    if schema not in SCHEMA_CHOICES:
        raise DistrictControlError(f"--schema '{schema}': use one of {', '.join(SCHEMA_CHOICES)}")
    if schema != "auto":
        return schema
    keys = {column_key(h) for h in header}
    for name, signature in SIGNATURES.items():
        if all(column_key(c) in keys for c in signature):
            return name
    if all(columns.get(role) for role in ("date", "actor1")):
        return "custom"
    raise DistrictControlError(
        "neither ACLED's columns (event_id_cnty, event_date, actor1, …) nor UCDP GED's (id, date_start, "
        f"side_a, side_b, …); the header is: {', '.join(header)}. Name the columns with --date, --lon, --lat "
        "and --actor (and --id, --event-type, --admin2), or give --schema",
        str(path),
    )


def _columns(path: Path, header: list[str], schema: str, overrides: Mapping) -> dict[str, str]:
    """Role → column as the file writes it; a named column that is missing is an error listing the header."""
    by_key = {column_key(h): h for h in header}
    wanted = dict(SCHEMAS.get(schema, {}))
    wanted.update({role: name for role, name in overrides.items() if name})
    found, missing = {}, []
    for role, name in wanted.items():
        if column_key(name) in by_key:
            found[role] = by_key[column_key(name)]
        elif role in overrides and overrides[role]:
            missing.append(f"'{name}' (given for {role})")
    if not ({"lon", "lat"} <= set(found)) and "geometry" in by_key:
        found["geometry"] = by_key["geometry"]
        found.pop("lon", None), found.pop("lat", None)
    required = ["date", "actor1"] + ([] if "geometry" in found else ["lon", "lat"])
    missing += [f"'{wanted.get(r, r)}' ({r})" for r in required if r not in found and r not in overrides]
    if missing:
        raise DistrictControlError(
            f"no column {', '.join(missing)}; the header is: {', '.join(header)}. Name the columns with "
            "--date, --lon, --lat, --actor or check --schema",
            str(path),
        )
    return found


# -- reading ------------------------------------------------------------------------------------


def _read(path: Path, wanted: dict[str, str]) -> dict[str, np.ndarray]:
    """The wanted columns, each a numpy array (text as ``object``); a point geometry becomes ``__lon`` and ``__lat``."""
    names = sorted({c for role, c in wanted.items() if role != "geometry"})
    suffix = path.suffix.lower()
    try:
        if suffix in _CSV_SUFFIXES:
            return {**_arrow_columns(_read_csv(path, names, suffix)), "__all_text": True}
        if suffix in _PARQUET_SUFFIXES and "geometry" not in wanted:
            import pyarrow.parquet as pq

            return _arrow_columns(pq.read_table(path, columns=names))
        frame = _read_geo(path, names, suffix)
    except DistrictControlError:
        raise
    except Exception as exc:  # pyarrow and GDAL raise several error types
        raise DistrictControlError(f"cannot read the event file ({exc})", str(path)) from exc
    return {name: frame[name].to_numpy() for name in frame.columns}


def _arrow_columns(table) -> dict[str, np.ndarray]:
    """Each column as numpy; text through a dictionary, so that each distinct text becomes one Python string."""
    import pyarrow as pa

    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            encoded = column.dictionary_encode().combine_chunks()
            values = np.array(encoded.dictionary.to_pylist() + [None], dtype=object)
            codes = encoded.indices.fill_null(len(encoded.dictionary)).to_numpy()
            columns[name] = values[codes]
        else:
            columns[name] = column.to_numpy()
    return columns


def _read_csv(path: Path, names: list[str], suffix: str):
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    parse = pa_csv.ParseOptions(delimiter="\t" if suffix == ".tsv" else ",", newlines_in_values=True)
    convert = pa_csv.ConvertOptions(
        include_columns=names, column_types={n: pa.string() for n in names}, strings_can_be_null=False
    )
    try:
        return pa_csv.read_csv(path, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise _csv_problem(path, parse.delimiter, exc) from exc


def _csv_problem(path: Path, delimiter: str, exc: Exception) -> DistrictControlError:
    """The first line whose number of fields is not the header's (the fast reader does not say which)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        width = len(next(reader, []))
        for cells in reader:
            if len(cells) != width and any(c.strip() for c in cells):
                return DistrictControlError(
                    f"has {len(cells)} fields, the header has {width}; quote fields that contain commas",
                    str(path),
                    reader.line_num,
                )
    return DistrictControlError(f"cannot read the event file ({exc})", str(path))


def _read_geo(path: Path, names: list[str], suffix: str):
    import shapely

    if suffix in _PARQUET_SUFFIXES:
        import geopandas as gpd

        frame = gpd.read_parquet(path, columns=[*names, "geometry"])
    else:
        import pyogrio

        frame = pyogrio.read_dataframe(path, columns=names, use_arrow=True)
    geometry = frame.geometry.to_crs(4326) if frame.crs is not None and not frame.crs.equals(4326) else frame.geometry
    values = geometry.values
    points = shapely.get_type_id(values) == 0
    frame = frame.drop(columns=frame.geometry.name)
    frame["__lon"] = np.where(points, shapely.get_x(values), np.nan)
    frame["__lat"] = np.where(points, shapely.get_y(values), np.nan)
    return frame


# -- the standard frame ---------------------------------------------------------------------------


def _standard(raw: dict[str, np.ndarray], wanted: dict[str, str], schema: str, max_precision: int | None):
    """The frame of :data:`FRAME_COLUMNS` from the columns read (text columns stay ``object``: no conversions)."""
    import pandas as pd

    n = len(next(v for k, v in raw.items() if k != "__all_text"))
    blank = np.full(n, "", dtype=object)
    all_text = raw.pop("__all_text", False)  # a CSV: every cell is already text, none missing
    text = {role: _text(raw[wanted[role]], all_text) if role in wanted else blank for role in ROLES}
    columns = {"row": np.arange(1, n + 1)}
    columns["id"] = text["id"] if "id" in wanted else columns["row"].astype(str).astype(object)
    columns["date_text"] = text["date"]
    columns["day"] = parse_days(text["date"])
    for role, column in (("lon", "__lon"), ("lat", "__lat")):
        values = raw[wanted[role]] if role in wanted else raw[column]
        columns[role] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float).to_numpy()
    for role in ROLES[4:]:
        columns[role] = _strip(text[role])
    if schema == "ucdp":
        columns["event_type"] = np.array([UCDP_VIOLENCE.get(v, v) for v in columns["event_type"]], dtype=object)
        for role in ("admin1", "admin2"):  # "Kunduz province", "Khanabad district"
            stripped = pd.Series(columns[role], dtype=object).str.replace(
                r"\s+(province|district)s?$", "", case=False, regex=True
            )
            columns[role] = stripped.to_numpy(dtype=object)
    columns["imprecise"] = _imprecise(raw, wanted, max_precision, n)
    return pd.DataFrame({k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in columns.items()})


def _strip(values: np.ndarray) -> np.ndarray:
    """Spaces trimmed, each distinct value once."""
    import pandas as pd

    codes, distinct = pd.factorize(pd.Series(values, dtype=object), sort=False)
    stripped = np.array([v.strip() for v in distinct] + [""], dtype=object)
    return stripped[codes]


def _text(values: np.ndarray, all_text: bool) -> np.ndarray:
    """A column as text exactly as written (missing: empty); whole numbers a format stored as floats lose '.0'."""
    import pandas as pd

    if values.dtype == object:
        if all_text:
            return values
        return np.array(
            [v if isinstance(v, str) else "" if v is None or v != v else str(v) for v in values], dtype=object
        )
    series = pd.Series(values)
    if pd.api.types.is_float_dtype(series) and (series.dropna() % 1 == 0).all():
        series = series.astype("Int64")
    return np.array(["" if pd.isna(v) else str(v) for v in series], dtype=object)


def _imprecise(raw, wanted: dict[str, str], limit: int | None, n: int) -> np.ndarray:
    """True for events whose precision code is coarser than ``limit`` (no column or no limit: none)."""
    import pandas as pd

    if limit is None or "precision" not in wanted:
        return np.zeros(n, dtype=bool)
    codes = pd.to_numeric(pd.Series(raw[wanted["precision"]], dtype=object), errors="coerce").to_numpy(dtype=float)
    return np.nan_to_num(codes, nan=0) > limit


def parse_days(text) -> np.ndarray:
    """Days (``datetime64[D]``, NaT when unreadable) of date texts: ISO 8601 (a time after it is ignored) or "15 August 2021"."""
    import pandas as pd

    codes, distinct = pd.factorize(pd.Series(text, dtype=object), sort=False)
    days = np.array([_day(v) for v in distinct] + [None], dtype="datetime64[D]")
    return days[codes]


def _day(text: str) -> dt.date | None:
    text = text.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
