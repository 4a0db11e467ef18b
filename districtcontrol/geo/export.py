"""Write joined districts as GeoJSON and summarise them per province and group."""

from __future__ import annotations

import json
from pathlib import Path

from districtcontrol._files import write_text
from districtcontrol.data.legend import Legend, read_legend

# Albers equal-area conic fitted to Afghanistan: areas in km² are true to within a fraction of a percent.
EQUAL_AREA_CRS = "+proj=aea +lat_0=34 +lon_0=66 +lat_1=30 +lat_2=38 +datum=WGS84 +units=m +no_defs"
GEOJSON_PRECISION = 6


def write_geojson(districts, path: str | Path, legend: Legend | None = None) -> Path:
    """Write districts as an RFC 7946 FeatureCollection, atomically; identical input gives identical bytes.

    Polygons follow the right-hand rule (exterior rings counter-clockwise), coordinates are
    WGS 84 longitude, latitude rounded to 6 decimals (about 10 cm), and ``history`` stays a
    JSON array of objects. ``legend`` names the group columns (default: the shipped legend).
    """
    import numpy as np
    import shapely

    geoms = shapely.orient_polygons(districts.geometry.values, exterior_cw=False)
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, GEOJSON_PRECISION))
    frame = districts.set_geometry(geoms, crs=districts.crs)
    groups = (legend or read_legend()).group_keys
    frame = frame.astype({g: object for g in groups}).replace({float("nan"): None})
    text = frame.to_json(drop_id=True, to_wgs84=True, ensure_ascii=False, separators=(",", ":"))
    return write_text(path, text + "\n")


def summarise(districts, legend: Legend | None = None):
    """Per province and group: districts by status, their area in km² and share of the province.

    Groups and statuses follow ``legend`` (default: the shipped legend). Areas are computed
    in an equal-area projection. Returns a pandas DataFrame with columns
    province, province_pcode, group, status, districts, area_km2, province_area_km2, share_pct.
    """
    import pandas as pd

    legend = legend or read_legend()
    area = districts.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6
    frame = pd.DataFrame(
        {"province": districts["province"], "province_pcode": districts["province_pcode"], "area": area}
    )
    province_area = frame.groupby("province_pcode")["area"].sum()
    rows = []
    for group in legend.group_keys:
        frame["status"] = districts[group]
        counted = frame.dropna(subset=["status"]).groupby(["province_pcode", "province", "status"])["area"]
        for (pcode, province, status), areas in counted:
            rows.append(
                {
                    "province": province,
                    "province_pcode": pcode,
                    "group": group,
                    "status": status,
                    "districts": len(areas),
                    "area_km2": round(areas.sum(), 1),
                    "province_area_km2": round(province_area[pcode], 1),
                    "share_pct": round(100 * areas.sum() / province_area[pcode], 1),
                }
            )
    columns = [
        "province",
        "province_pcode",
        "group",
        "status",
        "districts",
        "area_km2",
        "province_area_km2",
        "share_pct",
    ]
    summary = pd.DataFrame(rows, columns=columns)
    order = {"group": legend.group_keys, "status": legend.status_keys}
    return summary.sort_values(
        ["province", "group", "status"],
        key=lambda s: s.map({v: i for i, v in enumerate(order[s.name])}) if s.name in order else s,
    ).reset_index(drop=True)


def format_summary(summary, fmt: str = "table", legend: Legend | None = None) -> str:
    """Render a summary as an aligned text table, CSV or JSON."""
    if fmt == "csv":
        return summary.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(summary.to_dict(orient="records"), ensure_ascii=False, indent=2) + "\n"
    if summary.empty:
        return "No district in this region has a record.\n"
    labels = {g.key: g.label for g in (legend or read_legend()).groups}
    shown = summary.assign(group=summary["group"].map(labels))
    shown = shown.drop(columns=["province_pcode"]).rename(columns={"share_pct": "share %"})
    return shown.to_string(index=False) + "\n"
