"""Write joined districts as GeoJSON, GeoPackage, GeoParquet or CSV, with QGIS styles; summarise them.

Every format carries the same flat fields (see :func:`flat_districts`); geometry is snapped
to a grid of ``precision`` decimals in a way that keeps every polygon valid.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from districtcontrol import DistrictControlError
from districtcontrol._files import atomic_path, write_text
from districtcontrol._style import GROUP_FIELD_SUFFIXES, NAME_COLUMNS, POPULATION_COLUMNS
from districtcontrol.data.legend import NONE_STATUS, Legend, read_legend
from districtcontrol.geo import _qgis
from districtcontrol.geo._join import latest_record
from districtcontrol.geo._time import period

log = logging.getLogger(__name__)

# Albers equal-area conic fitted to Afghanistan: areas in km² are true to within a fraction of a percent.
EQUAL_AREA_CRS = "+proj=aea +lat_0=34 +lon_0=66 +lat_1=30 +lat_2=38 +datum=WGS84 +units=m +no_defs"
DEFAULT_PRECISION = 6
MAX_PRECISION = 10
EXPORT_SUFFIXES = (".geojson", ".gpkg", ".parquet", ".csv")
GPKG_LAYER = "districts"
COMBINED = _qgis.COMBINED
# A spreadsheet runs a cell starting with one of these as a formula; such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_export_path(path: str | Path) -> Path:
    """The file ``path`` names, or a :class:`DistrictControlError` if it names a folder or an unknown format."""
    text = str(path)
    target = Path(path)
    if text.endswith(("/", "\\")) or target.is_dir():
        raise DistrictControlError(
            "is a folder; name the file to write, e.g. districts.gpkg (formats: " + ", ".join(EXPORT_SUFFIXES) + ")",
            text,
        )
    if target.suffix.lower() not in EXPORT_SUFFIXES:
        raise DistrictControlError(
            f"unknown format '{target.suffix or '(no suffix)'}'; the file name must end in "
            + ", ".join(EXPORT_SUFFIXES),
            text,
        )
    return target


def write_districts(
    districts,
    path: str | Path,
    *,
    legend: Legend | None = None,
    precision: int = DEFAULT_PRECISION,
    as_of: str | None = None,
    when: str = "",
) -> Path:
    """Write districts in the format of ``path``'s suffix, atomically.

    ``.geojson``: RFC 7946 (``history`` a JSON array); ``.gpkg``: GeoPackage, layer
    ``districts`` with typed columns and the QGIS styles of :func:`qml_style` in its
    ``layer_styles`` table (the combined one opens by default); ``.parquet``: GeoParquet;
    ``.csv``: the attributes without geometry, cells a spreadsheet would run as a formula
    prefixed with an apostrophe. Fields: see :func:`flat_districts`; coordinates: WGS 84,
    snapped to ``precision`` decimals with every polygon kept valid. ``as_of`` and ``when``
    (the date the statuses are as of, and its wording: ControlData's) become top-level
    members of a GeoJSON file.
    """
    target = check_export_path(path)
    legend = legend or read_legend()
    frame = flat_districts(districts, legend, precision=precision)
    frame.attrs["dated"] = _dated(as_of, when)
    writer = {
        ".geojson": _write_geojson,
        ".gpkg": _write_geopackage,
        ".parquet": _write_geoparquet,
        ".csv": _write_csv,
    }[target.suffix.lower()]
    writer(frame, target, legend)
    log.info("wrote %s: %d districts", target, len(frame))
    return target


def write_geojson(
    districts,
    path: str | Path,
    legend: Legend | None = None,
    *,
    precision: int = DEFAULT_PRECISION,
    as_of: str | None = None,
    when: str = "",
) -> Path:
    """Write districts as an RFC 7946 FeatureCollection, atomically; identical input gives identical bytes.

    Polygons follow the right-hand rule (exterior rings counter-clockwise), coordinates are
    WGS 84 longitude, latitude snapped to ``precision`` decimals (6: about 10 cm) with every
    polygon kept valid, and ``history`` stays a JSON array of objects. With ``when`` (how the
    outputs state the date shown, e.g. "as of 16 August 2021") the collection gets the
    top-level members ``as_of`` (ISO date) and ``when`` (RFC 7946 foreign members).
    """
    legend = legend or read_legend()
    target = Path(path)
    frame = flat_districts(districts, legend, precision=precision)
    frame.attrs["dated"] = _dated(as_of, when)
    _write_geojson(frame, target, legend)
    return target


def _dated(as_of: str | None, when: str) -> dict:
    return {"as_of": as_of, "when": when} if when else {}


def write_qml(path: str | Path, legend: Legend | None = None, map_name: str = COMBINED) -> Path:
    """Write the QGIS style :func:`qml_style` for ``map_name`` (default: combined), atomically.

    Saved as ``districts.qml`` beside ``districts.geojson``, QGIS applies it when it opens
    the GeoJSON; otherwise load it under Layer Properties → Symbology → Style → Load Style.
    """
    return write_text(path, qml_style(legend or read_legend(), map_name))


def qml_style(legend: Legend, map_name: str = COMBINED) -> str:
    """A categorized QGIS style (QML) for one group's field or ``combined``, in the legend's colours and labels."""
    return _qgis.qml_style(legend, map_name)


def flat_districts(districts, legend: Legend | None = None, *, precision: int = DEFAULT_PRECISION):
    """The exported table: one row per district, flat fields, geometry snapped and valid.

    Columns, in order: pcode, district, district_dari, province, province_pcode,
    population and population_year (when ``districts`` has them), ``combined`` (the
    highest-ranked status any group holds; ties go to the earlier group; ``none`` when the
    deciding rows say none), then for every group of the legend ``<group>`` (its status:
    ``none`` when the deciding row says none, empty when no row names the district),
    ``<group>_date``, ``<group>_note`` and ``<group>_source`` (of the row that decides the
    status), then sources and history
    (every row, a list of objects). Text columns are text even where every value is null.
    """
    import geopandas as gpd

    legend = legend or read_legend()
    columns = {name: _text(districts[name]) for name in NAME_COLUMNS if name in districts}
    columns.update(_population(districts))
    columns[COMBINED] = _combined(districts, legend)
    for group in legend.group_keys:
        columns.update(_group_fields(districts, group))
    columns["sources"] = _text(districts["sources"])
    columns["history"] = list(districts["history"])
    geometry = snap_geometry(districts.geometry.to_crs(4326).values, precision, list(districts["pcode"]))
    return gpd.GeoDataFrame(columns, geometry=_multi(geometry), crs=4326)


def _multi(geometries):
    """Every district as a MultiPolygon: one geometry type in every format, whatever a district's parts."""
    import numpy as np
    import shapely

    return np.array([g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geometries])


def snap_geometry(geometries, precision: int = DEFAULT_PRECISION, pcodes: list[str] | None = None):
    """Snap polygons to a grid of ``precision`` decimals, keeping them valid polygons in RFC 7946 orientation.

    ``shapely.set_precision`` moves each vertex to the grid and repairs what rounding would
    break (a ring crossing itself); parts narrower than the grid vanish. A district that
    would vanish entirely is an error naming it (``pcodes`` label the geometries).
    """
    import numpy as np
    import shapely

    if not 0 <= precision <= MAX_PRECISION:
        raise DistrictControlError(f"precision must be 0 to {MAX_PRECISION} decimals, not {precision}", "--precision")
    snapped = shapely.set_precision(np.asarray(geometries), 10.0**-precision)
    snapped = np.array([_polygonal(g) for g in snapped], dtype=object)
    lost = [i for i, g in enumerate(snapped) if g.is_empty]
    if lost:
        names = ", ".join(pcodes[i] if pcodes else str(i) for i in lost[:10])
        raise DistrictControlError(
            f"{len(lost)} district(s) vanish at {precision} decimals ({names}); use a larger --precision",
            "--precision",
        )
    return shapely.orient_polygons(snapped, exterior_cw=False)


def _polygonal(geometry):
    """The polygons of ``geometry``: collections lose the lines and points a collapse leaves."""
    import shapely

    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _text(values) -> list[str | None]:
    return [None if _missing(v) else str(v) for v in values]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) == "<NA>"


def _population(districts) -> dict:
    import pandas as pd

    columns = {}
    for name in POPULATION_COLUMNS:
        if name in districts:
            try:
                columns[name] = pd.array(pd.to_numeric(districts[name]), dtype="Int64")
            except (TypeError, ValueError) as exc:
                raise DistrictControlError(f"the {name} column must hold whole numbers: {exc}", name) from exc
    return columns


def _combined(districts, legend: Legend) -> list[str | None]:
    """Per district, the highest-ranked status of any group (the earlier group on a tie), or None."""
    ranks = {s.key: s.rank for s in legend.statuses}
    combined = []
    for pcode, statuses in zip(districts["pcode"], zip(*(_status_column(districts, g) for g in legend.group_keys))):
        held = [s for s in statuses if not _missing(s) and s != NONE_STATUS]
        unknown = [s for s in held if s not in ranks]
        if unknown:
            raise DistrictControlError(
                f"district {pcode} has status '{unknown[0]}', which the legend does not declare; "
                f"declared: {', '.join(ranks)}",
                str(legend.path or "legend"),
            )
        combined.append(legend.strongest(held) or (NONE_STATUS if NONE_STATUS in statuses else None))
    return combined


def _status_column(districts, group: str):
    """A group's status per district; a group the frame has no column for holds none."""
    if group in districts:
        return districts[group]
    return [None] * len(districts)


def _group_fields(districts, group: str) -> dict[str, list]:
    deciding = [latest_record(history, group, with_none=True) or {} for history in districts["history"]]
    fields = {group: _text(_status_column(districts, group))}
    for suffix in GROUP_FIELD_SUFFIXES:  # _date, _note, _source of the deciding row
        fields[group + suffix] = _text(row.get(suffix[1:]) for row in deciding)
    return fields


def _history_text(frame):
    """``history`` as compact JSON text, for formats without nested types."""
    return frame.assign(history=[json.dumps(h, ensure_ascii=False, separators=(",", ":")) for h in frame["history"]])


def _write_geojson(frame, path: Path, legend: Legend) -> None:
    text = frame.to_json(drop_id=True, ensure_ascii=False, separators=(",", ":"))
    dated = frame.attrs.get("dated")
    if dated:  # foreign members after the features: the collection says which date its statuses are as of
        text = text[:-1] + "," + json.dumps(dated, ensure_ascii=False, separators=(",", ":"))[1:]
    write_text(path, text + "\n")


def _write_geopackage(frame, path: Path, legend: Legend) -> None:
    import pyogrio

    with atomic_path(path) as tmp:
        # The data layer is written first, so it is the one GDAL, geopandas and QGIS open by default.
        flat = _typed(frame, legend)
        pyogrio.write_dataframe(flat, tmp, layer=GPKG_LAYER, driver="GPKG", use_arrow=True)
        _qgis.store_styles(tmp, GPKG_LAYER, legend)


def _write_geoparquet(frame, path: Path, legend: Legend) -> None:
    with atomic_path(path) as tmp:
        _typed(frame, legend).to_parquet(tmp, index=False)


def _typed(frame, legend: Legend):
    """The frame for formats with types: text columns as text, ``<group>_date`` as dates, history as JSON text.

    A date holds from the first day of its period (``2015-10`` is 1 October 2015, as for ``--as-of``);
    the date as the table wrote it stays in ``history``.
    """
    import pandas as pd
    import pyarrow as pa

    flat = _history_text(frame)
    dates = [f"{group}_date" for group in legend.group_keys]
    flat = flat.astype({c: pd.StringDtype() for c in _text_columns(flat) if c not in dates})
    return flat.assign(
        **{c: pd.array([_first_day(v) for v in flat[c]], dtype=pd.ArrowDtype(pa.date32())) for c in dates}
    )


def _first_day(value):
    """The first day of an ISO date, month or year (``2015``, ``2015-10``, ``2015-10-03``), or None."""
    return None if _missing(value) else period(str(value)).start


def _write_csv(frame, path: Path, legend: Legend) -> None:
    table = _history_text(frame).drop(columns="geometry")
    table = table.assign(**{c: [_neutralised(v) for v in table[c]] for c in _text_columns(table)})
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def _text_columns(frame) -> list[str]:
    return [c for c in frame.columns if c not in (*POPULATION_COLUMNS, "geometry")]


def _neutralised(value):
    """``value`` with a leading apostrophe if a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
